/**
 * POST /v1/clean/batch. A stub until the batch work lands: its owner replaces this file, keeping
 * the export `batchRouter(deps)` that app.ts mounts.
 */
import { Router } from 'express';
import { onlyMethods } from '../http';
import { HttpProblem } from '../problems';
import type { AppDeps } from '../types';

export function batchRouter(_deps: AppDeps): Router {
  const router = Router();
  router
    .route('/v1/clean/batch')
    .post(() => {
      throw new HttpProblem('not-implemented', 'batch cleaning is not available yet; send one document at a time to POST /v1/clean');
    })
    .all(onlyMethods('POST'));
  return router;
}
