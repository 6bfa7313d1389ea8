/** What the app and its routers are built from: no globals, so tests can build as many as they like. */
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { RuleSetRegistry } from '../rulesets/registry';
import type { AppPool } from './worker-pool';

export interface AppDeps {
  config: Config;
  registry: RuleSetRegistry;
  logger: Logger;
  /** The worker threads, started by the first route that needs them and closed on shutdown. */
  pool: AppPool;
  /**
   * Set by startServer: /readyz answers 503 while `warming` (the first pages would be slow) and
   * while `draining` (so load balancers send no more).
   */
  lifecycle?: { draining: boolean; warming?: boolean };
}
