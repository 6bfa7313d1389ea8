/**
 * GET /healthz: the process answers (liveness; never depends on the rule sets, so an orchestrator
 * does not restart a process that only needs its rules fixed). GET /readyz: it can clean with the
 * default set (readiness), with the files that were refused.
 */
import { Router, type Request, type Response } from 'express';
import { onlyMethods } from '../http';
import type { AppDeps } from '../types';

export function healthRouter(deps: AppDeps): Router {
  const router = Router();
  router
    .route('/healthz')
    .get((_req: Request, res: Response) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json({ status: 'ok' });
    })
    .all(onlyMethods('GET'));
  router
    .route('/readyz')
    .get((_req: Request, res: Response) => {
      const draining = deps.lifecycle?.draining === true;
      const ready = deps.registry.ready && !draining;
      res.setHeader('Cache-Control', 'no-store');
      res.status(ready ? 200 : 503).json({
        status: ready ? 'ready' : draining ? 'shutting down' : 'not ready',
        rulesets: deps.registry.list().length,
        refused: deps.registry.refused,
      });
    })
    .all(onlyMethods('GET'));
  return router;
}
