/**
 * The Express application, without listening: tests drive it with supertest, index.ts serves it.
 * Order: request ids and logs, the routers, then 404 for unknown paths and the one error handler
 * that turns every failure into problem+json.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { openApiDocument } from './openapi';
import { HttpProblem, problemBody, PROBLEM_CONTENT_TYPE, sendProblem, toProblem } from './problems';
import { batchRouter } from './routes/batch';
import { cleanRouter } from './routes/clean';
import { evaluateRouter } from './routes/evaluate';
import { healthRouter, notReadyBecause } from './routes/health';
import { ruleSetsRouter } from './routes/rulesets';
import { dashboardRouter } from '../dashboard/router';
import { onlyMethods } from './http';
import { setReader } from './offload';
import { observeService } from '../metrics';
import { httpMetrics, serveMetrics } from './http-metrics';
import { GUARDED_PATHS, rateLimit, requireApiKey, securityHeaders } from './security';
import { requestLog } from './request-log';
import { slowBodyGuard } from './slow-body';
import type { AppDeps } from './types';

export type { AppDeps } from './types';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION: string = require('../../package.json').version;

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
  // Sets sent inline are capped where they are read (the registry defers them to the workers).
  if (deps.config.ruleSetCaps) deps.registry.caps = deps.config.ruleSetCaps;
  // Reloads (a changed file, a PUT, a DELETE) parse and compile in the pool, not on the event loop.
  deps.registry.offload(setReader(deps));
  observeService({
    pool: () => deps.pool.started?.stats(),
    admitted: () => ({ documents: deps.pool.admission.documents, bytes: deps.pool.admission.bytes }),
    ready: () => notReadyBecause(deps) === undefined,
    rulesets: () => deps.registry.list().length,
    refusedFiles: () => deps.registry.refused.length,
    storeReachable: () => deps.registry.store?.health().reachable ?? true,
  });
  app.use(httpMetrics());

  app.use(requestLog(deps.logger));

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
