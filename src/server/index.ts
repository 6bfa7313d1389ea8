/**
 * `startServer()`: loads the settings and rule sets, listens, warms up (warm-up.ts; /readyz says
 * ready after it), and shuts down gracefully on SIGTERM or SIGINT:
 *  1. /readyz answers 503 at once, so load balancers stop sending; responses carry
 *     `Connection: close`, so clients and proxies leave this process's connections;
 *  2. after DECLUTTER_SHUTDOWN_DELAY_MS (0 by default) the listener closes: no new connections;
 *  3. requests under way, streaming batches included, finish; after DECLUTTER_SHUTDOWN_TIMEOUT_MS
 *     whatever is still open is closed;
 *  4. the worker pool stops and the process exits 0.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { loadConfig, type Config } from '../config';
import { RuleSetRegistry } from '../rulesets/registry';
import type { SetStore } from '../rulesets/set-store';
import { FileSetStore } from '../rulesets/store-files';
import { createApp } from './app';
import { AppPool } from './worker-pool';
import { warmUp } from './warm-up';
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
   * Turns not-ready, stops accepting connections, waits for open requests (up to the shutdown
   * timeout), then stops the worker threads, whose idle workers would otherwise keep the process alive.
   */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Install SIGTERM/SIGINT handlers (default true; tests that start several servers say false). */
  handleSignals?: boolean;
}

/** The rules directory, or PostgreSQL when DECLUTTER_STORE names a database (loaded only then). */
async function openStore(config: Config, logger: Logger): Promise<SetStore> {
  if (!config.storeUrl) return new FileSetStore(config.rulesDir);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PostgresSetStore } = require('../rulesets/store-postgres') as typeof import('../rulesets/store-postgres');
  return PostgresSetStore.open(config.storeUrl, { rulesDir: config.rulesDir, logger });
}

/** Loads the rule sets; a store that cannot be read leaves the service up but not ready. */
function loadRegistry(store: SetStore, logger: Logger): RuleSetRegistry {
  const registry = new RuleSetRegistry();
  try {
    registry.use(store);
  } catch (e) {
    logger.error({ err: e, store: store.where }, 'rule sets not loaded');
    return registry;
  }
  for (const r of registry.refused) logger.warn({ file: r.file }, `rule set refused: ${r.message}`);
  logger.info({ store: store.kind, where: store.where, rulesets: registry.list().map((s) => `${s.id}@${s.version}`) }, 'rule sets loaded');
  return registry;
}

/**
 * 1 s: how often Node checks connections for the headers timeout. The check walks the open
 * connections, which is cheap; Node's default of 30 s would let a slow-headers client hold a
 * connection up to half a minute past DECLUTTER_HEADERS_TIMEOUT_MS.
 */
const CONNECTION_CHECK_MS = 1000;

/**
 * 2 s after a clean shutdown: time for the last log lines to be written. If anything still holds
 * the event loop then (a handle a library left open), the process exits anyway rather than wait
 * for the orchestrator's SIGKILL.
 */
const EXIT_GRACE_MS = 2000;

/**
 * Log lines go out asynchronously: pino's default writes each line with a blocking write to
 * stdout, and when the reader of that pipe is slow (a log shipper, a test harness) a full pipe
 * made it retry with a 100 ms sleep on the main thread, /healthz included (docs/reliability.md).
 * The buffer is flushed at exit (pino registers that for an asynchronous destination): after a
 * clean shutdown, the process ends only once the loop is empty, so the last lines are written.
 */
function logDestination() {
  return pino.destination({ dest: 1, sync: false });
}

export async function startServer(config: Config = loadConfig(), options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.logLevel }, logDestination());
  const store = await openStore(config, logger);
  const registry = loadRegistry(store, logger);
  // Hot reload: saves through other replicas and hand edits are picked up; a broken file keeps its last good version.
  const stopWatching = registry.store ? registry.watch({ logger }) : () => undefined;
  const lifecycle = { draining: false, warming: true };
  const deps: AppDeps = { config, registry, logger, lifecycle, pool: new AppPool(config) };
  const app = createApp(deps);

  let inFlight = 0;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    res.once('close', () => inFlight--);
    // Draining: every answer tells the client (or proxy) to take its next request elsewhere.
    if (lifecycle.draining) res.setHeader('Connection', 'close');
    app(req, res);
  };
  const server = createServer(
    {
      headersTimeout: config.headersTimeoutMs,
      // A crawler's batch streams for as long as its documents take: no limit on a whole request.
      // Slow bodies are bounded by the body timeout (slow-body.ts), headers by headersTimeout,
      // bodies by the body limits and each document by its time budget.
      requestTimeout: 0,
      connectionsCheckingInterval: CONNECTION_CHECK_MS,
    },
    handle,
  );
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  // A client may send its whole request, half-close (FIN) and then read the answer, as HTTP
  // allows. Node's server ends the socket when it reads that FIN unless `httpAllowHalfOpen` (a
  // field of http.Server, read by socketOnEnd in Node's _http_server.js, not in its docs) is set;
  // with it the socket ends after the answer under way. Without it a streamed batch whose body
  // was read to its end was cut off mid-answer: 34 of 60 result lines and no final chunk
  // (test/server/index.test.ts). A client that closed for good is still noticed: the reset its
  // kernel answers to our next line (batch-stream.ts, probeForGonePeer).
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  // Inactivity while a request is under way: no byte read or written. Never shorter than a
  // document's time budget plus a second (the worker swap after a timeout), the longest a healthy
  // request stays silent. Node closes the connection when it passes.
  server.timeout = config.idleTimeoutMs > 0 ? Math.max(config.idleTimeoutMs, config.docTimeoutMs + 1000) : 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info({ url }, 'declutter listening');
  // After listening, so /healthz answers (and /readyz says "warming up") while it runs.
  const warming = warmUp(deps).finally(() => (lifecycle.warming = false));

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      lifecycle.draining = true;
      if (config.shutdownDelayMs > 0) {
        logger.info({ delayMs: config.shutdownDelayMs, inFlight }, 'not ready: waiting for load balancers to notice');
        await new Promise((r) => setTimeout(r, config.shutdownDelayMs));
      }
      logger.info({ inFlight, timeoutMs: config.shutdownTimeoutMs }, 'draining: no new connections, finishing open requests');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          logger.warn({ inFlight }, 'drain timeout: closing the connections still open');
          server.closeAllConnections();
        }, config.shutdownTimeoutMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        // Idle keep-alive connections would otherwise hold close() open until they time out.
        server.closeIdleConnections();
      });
      stopWatching();
      await store.close().catch((err: unknown) => logger.error({ err }, 'the rule-set store did not close cleanly'));
      // A warm-up page still in a worker would otherwise meet a destroyed pool.
      await warming;
      await deps.pool.close().catch((err: unknown) => logger.error({ err }, 'worker pool did not stop cleanly'));
    })());

  if (options.handleSignals !== false) {
    const onSignal = (signal: NodeJS.Signals) => {
      if (closing) {
        logger.info({ signal, inFlight }, 'already shutting down');
        return;
      }
      logger.info({ signal }, 'shutting down');
      void close().then(() => {
        logger.info('closed');
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        process.exitCode = 0;
        setTimeout(() => process.exit(0), EXIT_GRACE_MS).unref();
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }

  return { server, url, registry, logger, close };
}
