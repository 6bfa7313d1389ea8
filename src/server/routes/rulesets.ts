/**
 * The rule-set resource (docs/rulesets-api.md): reads are open; PUT and DELETE need the admin
 * token. The handlers read the request and map outcomes to statuses; validation, versions, the
 * files and the live sets all belong to the registry.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import YAML from 'yaml';
import { describeIssues, RuleSetError, type RuleSetDef } from '../../engine';
import { RuleSetInUse, UnknownRuleSet } from '../../rulesets/registry';
import { StoreUnavailable } from '../../rulesets/set-store';
import { isDiskFull, StoreBusy, StoreConflict, type Expectation } from '../../rulesets/store';
import { rulesetIdError } from '../../requests/ruleset-id';
import { isJsonType, mediaTypeOf, onlyMethods } from '../http';
import { authFailuresFor, clientAddress } from '../security';
import { HttpProblem } from '../problems';
import type { AppDeps } from '../types';

// JSON first, so "Accept: any" and browsers get JSON; the YAML types are the ones in use.
const REPRESENTATIONS = ['application/json', 'application/yaml', 'application/x-yaml', 'text/yaml'];
const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']);

/** A store that is down (a database restarting) is usually back within seconds; the listener retries every second. */
const STORE_RETRY_AFTER_S = 2;

/** A rule set is a few hundred rules at most; 1 MB is ten times the packaged default set. */
export const RULESET_BODY_LIMIT = '1mb';

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Writes need `Authorization: Bearer <DECLUTTER_ADMIN_TOKEN>`; compared in constant time. */
export function requireAdmin(deps: AppDeps) {
  const failures = authFailuresFor(deps.config);
  return (req: Request, _res: Response, next: NextFunction) => {
    const token = deps.config.adminToken;
    if (!token) return next(new HttpProblem('writes-disabled', 'rule-set writes are disabled: the service has no DECLUTTER_ADMIN_TOKEN'));
    const address = clientAddress(req);
    const blocked = failures?.blocked(address);
    if (blocked) return next(blocked);
    const m = /^Bearer[ \t]+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    // Hashing both sides first gives equal lengths, so the comparison leaks neither length nor content.
    if (!m || !timingSafeEqual(digest(m[1]), digest(token))) {
      const tooMany = req.headers.authorization === undefined ? undefined : failures?.failed(address);
      if (tooMany) return next(tooMany);
      return next(new HttpProblem('unauthorized', 'send Authorization: Bearer <admin token>', { headers: { 'WWW-Authenticate': 'Bearer realm="declutter"' } }));
    }
    next();
  };
}

/** What If-Match / If-None-Match ask of the write. */
function expectation(req: Request, id: string): Expectation {
  const none = req.headers['if-none-match'];
  if (none !== undefined) {
    if (none.trim() !== '*')
      throw new HttpProblem('invalid-request', 'If-None-Match on a write may only be *', { errors: [{ field: 'If-None-Match', message: 'must be *' }] });
    return 'absent';
  }
  const match = req.headers['if-match'];
  if (match === undefined) return undefined;
  if (match.trim() === '*') return 'exists';
  for (const tag of match.split(',')) {
    const m = /^\s*(?:W\/)?"([^"@]+)@(\d+)"\s*$/.exec(tag);
    if (m && m[1] === id) return { version: Number(m[2]) };
  }
  throw new HttpProblem('precondition-failed', `If-Match ${match} names no version of rule set "${id}" (ETags look like "${id}@3")`);
}

function send(req: Request, res: Response, def: RuleSetDef, extra: Record<string, unknown> = {}): void {
  const type = req.accepts(REPRESENTATIONS);
  if (!type) throw new HttpProblem('not-acceptable', `rule sets are available as ${REPRESENTATIONS.join(', ')}`);
  res.setHeader('Vary', 'Accept');
  if (type === 'application/json') res.json({ ...def, ...extra });
  // Quoted for YAML 1.1 readers too (PyYAML reads a plain `yes` or `off` phrase as a boolean).
  else res.type(`${type}; charset=utf-8`).send(YAML.stringify({ ...def, ...extra }, { lineWidth: 0, compat: 'yaml-1.1' }));
}

/** The write outcomes the registry and store raise, as problems. */
function asProblem(e: unknown, id: string): unknown {
  if (e instanceof RuleSetError) {
    return new HttpProblem('invalid-ruleset', `rule set "${id}" is invalid: ${describeIssues(e.issues)}`, { errors: e.issues });
  }
  if (e instanceof StoreConflict)
    return new HttpProblem('precondition-failed', e.message, e.currentVersion === undefined ? {} : { currentEtag: `"${id}@${e.currentVersion}"` });
  if (e instanceof StoreBusy) return new HttpProblem('ruleset-busy', e.message, { headers: { 'Retry-After': '1' } });
  if (e instanceof StoreUnavailable) return new HttpProblem('store-unavailable', e.message, { headers: { 'Retry-After': String(STORE_RETRY_AFTER_S) } });
  // The save was taken back: the set on disk and in service is still the previous version.
  if (isDiskFull(e))
    return new HttpProblem('insufficient-storage', `rule set "${id}" was not saved: the rules directory's volume is full; the previous version stays live`);
  if (e instanceof RuleSetInUse) return new HttpProblem('ruleset-in-use', e.message);
  if (e instanceof UnknownRuleSet) return new HttpProblem('unknown-ruleset', `${e.message} (GET /v1/rulesets lists them)`);
  return e;
}

function readBody(req: Request): unknown {
  const type = mediaTypeOf(req);
  if (isJsonType(type)) return req.body;
  if (YAML_TYPES.has(type)) {
    try {
      return YAML.parse(typeof req.body === 'string' ? req.body : '');
    } catch (e) {
      throw new HttpProblem('malformed-yaml', `the body does not parse as YAML: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  throw new HttpProblem('unsupported-media-type', `${type || 'a body without Content-Type'} is not accepted here; send application/json or application/yaml`);
}

export function ruleSetsRouter(deps: AppDeps): Router {
  const router = Router();
  const admin = requireAdmin(deps);
  const json = express.json({ type: (req) => isJsonType(mediaTypeOf(req as Request)), limit: RULESET_BODY_LIMIT });
  const yaml = express.text({ type: (req) => YAML_TYPES.has(mediaTypeOf(req as Request)), limit: RULESET_BODY_LIMIT, defaultCharset: 'utf-8' });

  // Before anything else reads the id (a file name on disk): too long an id is the request's fault.
  router.param('id', (_req: Request, _res: Response, next: NextFunction, id: string) => {
    const error = rulesetIdError(String(id));
    next(error ? new HttpProblem('invalid-request', `the rule-set id in the path ${error.message}`, { errors: [error] }) : undefined);
  });

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
      res.setHeader('ETag', deps.registry.etag(id)!);
      send(req, res, def, req.query.effective === 'true' ? { effectiveRules: deps.registry.effectiveRules(id) } : {});
    })
    .put(admin, json, yaml, async (req: Request, res: Response) => {
      const id = String(req.params.id);
      const expect = expectation(req, id);
      const body = readBody(req);
      let outcome;
      try {
        outcome = await deps.registry.save(id, body, expect);
      } catch (e) {
        throw asProblem(e, id);
      }
      deps.logger.info({ ruleset: id, version: outcome.saved.version }, 'rule set saved');
      res.status(outcome.created ? 201 : 200).setHeader('ETag', `"${id}@${outcome.saved.version}"`);
      if (outcome.created) res.setHeader('Location', `/v1/rulesets/${id}`);
      send(req, res, outcome.saved);
    })
    .delete(admin, async (req: Request, res: Response) => {
      const id = String(req.params.id);
      try {
        await deps.registry.remove(id, expectation(req, id));
      } catch (e) {
        throw asProblem(e, id);
      }
      deps.logger.info({ ruleset: id }, 'rule set deleted (kept in history)');
      res.status(204).end();
    })
    .all(onlyMethods('GET', 'PUT', 'DELETE'));

  router
    .route('/v1/rulesets/:id/versions')
    .get(async (req: Request, res: Response) => {
      const id = String(req.params.id);
      let versions;
      try {
        versions = await deps.registry.versions(id);
      } catch (e) {
        throw asProblem(e, id);
      }
      if (!versions.length) throw new HttpProblem('unknown-ruleset', `no rule set "${id}" and no history of one`);
      res.json({ id, versions });
    })
    .all(onlyMethods('GET'));

  router
    .route('/v1/rulesets/:id/versions/:version')
    .get(async (req: Request, res: Response) => {
      const id = String(req.params.id);
      const raw = String(req.params.version);
      let def;
      try {
        def = /^\d{1,9}$/.test(raw) ? await deps.registry.version(id, Number(raw)) : undefined;
      } catch (e) {
        throw asProblem(e, id);
      }
      if (!def) throw new HttpProblem('not-found', `rule set "${id}" has no version ${raw} (GET /v1/rulesets/${id}/versions lists them)`);
      res.setHeader('ETag', `"${id}@${def.version}"`);
      send(req, res, def);
    })
    .all(onlyMethods('GET'));

  return router;
}
