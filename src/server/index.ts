/**
 * `startServer()`: loads the settings and rule sets, listens, and closes gracefully on SIGTERM or
 * SIGINT (stops accepting, lets open requests finish up to DECLUTTER_SHUTDOWN_TIMEOUT_MS).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pino, { type Logger } from 'pino';
import { loadConfig, type Config } from '../config';
import { RuleSetRegistry } from '../rulesets/registry';
import { createApp } from './app';
import { batchPoolOf } from './routes/batch';
import type { AppDeps } from './types';

export { createApp } from './app';
export type { AppDeps } from './types';

export interface RunningServer {
  server: Server;
  /** The address actually bound (port 0 picks a free one). */
  url: string;
  registry: RuleSetRegistry;
  logger: Logger;
  /**
   * Stops accepting connections, waits for open requests (up to the shutdown timeout), then stops
   * the worker threads, whose idle workers would otherwise keep the process alive.
   */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Install SIGTERM/SIGINT handlers (default true; tests that start several servers say false). */
  handleSignals?: boolean;
}

/** Loads the rule sets; a directory that cannot be read leaves the service up but not ready. */
function loadRegistry(config: Config, logger: Logger): RuleSetRegistry {
  const registry = new RuleSetRegistry();
  try {
    registry.load(config.rulesDir);
  } catch (e) {
    logger.error({ err: e, dir: config.rulesDir }, 'rule sets not loaded');
    return registry;
  }
  for (const r of registry.refused) logger.warn({ file: r.file }, `rule set refused: ${r.message}`);
  logger.info({ dir: config.rulesDir, rulesets: registry.list().map((s) => `${s.id}@${s.version}`) }, 'rule sets loaded');
  return registry;
}

export async function startServer(config: Config = loadConfig(), options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const registry = loadRegistry(config, logger);
  // Hot reload: saves through other replicas and hand edits are picked up; a broken file keeps its last good version.
  const stopWatching = registry.dir ? registry.watch({ logger }) : () => undefined;
  const deps: AppDeps = { config, registry, logger };
  const app = createApp(deps);

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once('error', reject);
  });
  // A crawler's batch streams for as long as its documents take: Node's default five-minute request
  // timeout would cut a large batch off mid-answer. Slow or stalled headers are still bounded by
  // headersTimeout, bodies by the body limits, and each document by the time budget.
  server.requestTimeout = 0;
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info({ url }, 'declutter listening');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        stopWatching();
        const pool = batchPoolOf(deps);
        (pool ? pool.destroy() : Promise.resolve()).catch((err: unknown) => logger.error({ err }, 'worker pool did not stop cleanly')).finally(resolve);
      });
      // Idle keep-alive connections would otherwise hold close() open until they time out.
      server.closeIdleConnections();
    }));

  if (options.handleSignals !== false) {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutting down');
      void close().then(() => {
        logger.info('closed');
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        process.exitCode = 0;
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }

  return { server, url, registry, logger, close };
}
