/** GET /v1/rulesets and GET /v1/rulesets/{id}: reading the stored rule sets. */
import { Router, type Request, type Response } from 'express';
import YAML from 'yaml';
import { onlyMethods } from '../http';
import { HttpProblem } from '../problems';
import type { AppDeps } from '../types';

// JSON first, so "Accept: any" and browsers get JSON; the YAML types are the ones in use.
const REPRESENTATIONS = ['application/json', 'application/yaml', 'application/x-yaml', 'text/yaml'];

export function ruleSetsRouter(deps: AppDeps): Router {
  const router = Router();

  router
    .route('/v1/rulesets')
    .get((_req: Request, res: Response) => {
      res.json({ rulesets: deps.registry.list() });
    })
    .all(onlyMethods('GET'));

  router
    .route('/v1/rulesets/:id')
    .get((req: Request, res: Response) => {
      const id = String(req.params.id);
      const def = deps.registry.definition(id);
      if (!def) throw new HttpProblem('unknown-ruleset', `no rule set "${id}" (GET /v1/rulesets lists them)`);
      const type = req.accepts(REPRESENTATIONS);
      if (!type) throw new HttpProblem('not-acceptable', `rule sets are available as ${REPRESENTATIONS.join(', ')}`);
      res.setHeader('Vary', 'Accept');
      if (type === 'application/json') res.json(def);
      else res.type(`${type}; charset=utf-8`).send(YAML.stringify(def, { lineWidth: 0 }));
    })
    .all(onlyMethods('GET'));

  return router;
}
