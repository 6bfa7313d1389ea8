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
import type { AppDeps } from './types';

export type { AppDeps } from './types';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION: string = require('../../package.json').version;

/**
 * A client's X-Request-Id is kept when it looks like an id: printable ASCII, at most 128
 * characters (a UUID is 36; 128 leaves room for trace ids without letting a header flood logs).
 */
const CLIENT_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

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
      // The admin token and cookies must never reach the logs.
      serializers: {
        req(req: { headers?: Record<string, unknown> }) {
          if (req.headers && (req.headers.authorization || req.headers.cookie)) {
            req.headers = { ...req.headers, ...(req.headers.authorization ? { authorization: '[redacted]' } : {}), ...(req.headers.cookie ? { cookie: '[redacted]' } : {}) };
          }
          return req;
        },
      },
      // Liveness and readiness probes every few seconds would drown the useful lines.
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );

  app.use(healthRouter(deps));
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
    res.status(500).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problemBody('internal', 'the service failed on this request; the request id is in the log', req)));
  });

  return app;
}
