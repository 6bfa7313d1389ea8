/**
 * The Express application, without listening: tests drive it with supertest, index.ts serves it.
 * Order: request ids and logs, the routers, then 404 for unknown paths and the one error handler
 * that turns every failure into problem+json.
 */
import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { pinoHttp } from 'pino-http';
import { openApiDocument } from './openapi';
import { HttpProblem, problemBody, PROBLEM_CONTENT_TYPE, sendProblem, toProblem } from './problems';
import { batchRouter } from './routes/batch';
import { cleanRouter } from './routes/clean';
import { evaluateRouter } from './routes/evaluate';
import { healthRouter } from './routes/health';
import { ruleSetsRouter } from './routes/rulesets';
import { dashboardRouter } from '../dashboard/router';
import { onlyMethods } from './http';
import { observeService } from '../metrics';
import { httpMetrics, serveMetrics } from './http-metrics';
import { GUARDED_PATHS, rateLimit, requireApiKey, securityHeaders } from './security';
import { slowBodyGuard } from './slow-body';
import type { AppDeps } from './types';

export type { AppDeps } from './types';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION: string = require('../../package.json').version;

/**
 * A client's X-Request-Id is kept when it looks like an id: printable ASCII, at most 128
 * characters (a UUID is 36; 128 leaves room for trace ids without letting a header flood logs).
 */
const CLIENT_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/** DECLUTTER_TRUST_PROXY as Express takes it: a hop count, true/false, or addresses and names such as loopback. */
function trustProxyValue(raw: string): boolean | number | string {
  if (/^\d+$/.test(raw)) return Number(raw);
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return raw;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Behind a proxy, the client's address (for per-address rate limits and logs) is in X-Forwarded-For.
  if (deps.config.trustProxy !== undefined) app.set('trust proxy', trustProxyValue(deps.config.trustProxy));
  observeService({
    pool: () => deps.pool.started?.stats(),
    ready: () => deps.registry.ready && deps.lifecycle?.draining !== true,
    rulesets: () => deps.registry.list().length,
    refusedFiles: () => deps.registry.refused.length,
  });
  app.use(httpMetrics());

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId(req, res) {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Client mistakes are routine for a service fed by crawlers: info, not warnings.
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
      // The admin token, API keys and cookies must never reach the logs.
      serializers: {
        req(req: { headers?: Record<string, unknown> }) {
          if (req.headers && (req.headers.authorization || req.headers.cookie || req.headers['x-api-key'])) {
            req.headers = {
              ...req.headers,
              ...(req.headers.authorization ? { authorization: '[redacted]' } : {}),
              ...(req.headers.cookie ? { cookie: '[redacted]' } : {}),
              ...(req.headers['x-api-key'] ? { 'x-api-key': '[redacted]' } : {}),
            };
          }
          return req;
        },
      },
      // Liveness and readiness probes and metric scrapes every few seconds would drown the useful lines.
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics' },
    }),
  );

  app.use(securityHeaders());
  app.use(slowBodyGuard({ timeoutMs: deps.config.bodyTimeoutMs, minBytesPerSecond: deps.config.bodyMinRate }));
  app.use(healthRouter(deps));
  app.route('/metrics').get(serveMetrics).all(onlyMethods('GET'));
  for (const guard of [requireApiKey(deps.config), rateLimit(deps.config)]) if (guard) app.use(GUARDED_PATHS, guard);
  app.use(cleanRouter(deps));
  app.use(batchRouter(deps));
  app.use(ruleSetsRouter(deps));
  app.use(evaluateRouter(deps));
  app.use(dashboardRouter());

  let openapi: string | undefined;
  app
    .route('/openapi.json')
    .get((_req: Request, res: Response) => {
      openapi ??= JSON.stringify(openApiDocument(VERSION));
      res.type('application/json').send(openapi);
    })
    .all(onlyMethods('GET'));

  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(new HttpProblem('not-found', `no resource at ${req.method} ${req.path} (GET /openapi.json lists them)`));
  });

  // Express recognises an error handler by its four parameters.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const problem = toProblem(err);
    if (res.headersSent) {
      // Too late for a problem document: end the response so the client sees it broken off.
      res.destroy();
      return;
    }
    if (problem && problem.status < 500) {
      sendProblem(res, req, problem);
      return;
    }
    // A bug, or a 5xx we raised ourselves: logged in full, answered without internals.
    res.err = err instanceof Error ? err : new Error(String(err));
    if (problem) {
      sendProblem(res, req, problem);
      return;
    }
    res
      .status(500)
      .type(PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify(problemBody('internal', 'the service failed on this request; the request id is in the log', req)));
  });

  return app;
}
