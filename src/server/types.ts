/** What the app and its routers are built from: no globals, so tests can build as many as they like. */
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { RuleSetRegistry } from '../rulesets/registry';

export interface AppDeps {
  config: Config;
  registry: RuleSetRegistry;
  logger: Logger;
}
