/**
 * GET /healthz: the process answers (liveness; never depends on the rule sets, so an orchestrator
 * does not restart a process that only needs its rules fixed). GET /readyz: it can clean with the
 * default set and has warmed up (readiness), with the files that were refused and whether the
 * rule-set store can be reached (a database down does not make the service unready: it cleans
 * with the sets it has).
 */
import { Router, type Request, type Response } from 'express';
import { onlyMethods } from '../http';
import type { AppDeps } from '../types';

/** Why the service is not ready, or undefined when it is. */
export function notReadyBecause(deps: AppDeps): 'shutting down' | 'warming up' | 'not ready' | undefined {
  if (deps.lifecycle?.draining === true) return 'shutting down';
  if (!deps.registry.ready) return 'not ready';
  if (deps.lifecycle?.warming === true) return 'warming up';
  return undefined;
}

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
      const because = notReadyBecause(deps);
      res.setHeader('Cache-Control', 'no-store');
      res.status(because ? 503 : 200).json({
        status: because ?? 'ready',
        rulesets: deps.registry.list().length,
        refused: deps.registry.refused,
        // Reachable or not, the sets loaded stay live: cleaning goes on, saves wait (503 store-unavailable).
        ...(deps.registry.store ? { store: deps.registry.store.health() } : {}),
      });
    })
    .all(onlyMethods('GET'));
  return router;
}
