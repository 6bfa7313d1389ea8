/**
 * The rule-set resource (docs/rulesets-api.md): reads are open; PUT and DELETE need the admin
 * token. The handlers read the request and map outcomes to statuses; validation, versions, the
 * files and the live sets all belong to the registry.
 *
 * What costs CPU runs in the worker pool (offload.ts): a PUT's body is parsed (YAML), capped,
 * validated, checked for ReDoS, compiled and tested there, under the time budget, and only the
 * definition to save comes back; YAML answers are rendered there too, and every answer is kept per
 * id, version and representation, so reading a large set again costs a lookup. Before a YAML
 * body goes anywhere, a one-pass scan bounds its nesting (caps.ts): a deep text is refused at once.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import YAML from 'yaml';
import { describeIssues, RuleSetError, type RuleSetDef } from '../../engine';
import type { Refusal } from '../../batch/protocol';
import { nestingBeyond, yamlDepthBound } from '../../rulesets/caps';
import { RuleSetInUse, UnknownRuleSet } from '../../rulesets/registry';
import { StoreUnavailable } from '../../rulesets/set-store';
import { isDiskFull, StoreBusy, StoreConflict, type Expectation } from '../../rulesets/store';
import { rulesetIdError } from '../../requests/ruleset-id';
import { isJsonType, mediaTypeOf, onlyMethods } from '../http';
import { authFailuresFor, clientAddress } from '../security';
import { HttpProblem } from '../problems';
import { poolFor, whenGone } from '../offload';
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

/** Rendered answers by id, version and representation: a set's text only changes with its version. */
const RENDERED_MAX = 64;
const rendered = new Map<string, string>();

function renderHere(type: string, value: unknown): string {
  // Quoted for YAML 1.1 readers too (PyYAML reads a plain `yes` or `off` phrase as a boolean).
  return type === 'application/json' ? JSON.stringify(value) : YAML.stringify(value, { lineWidth: 0, compat: 'yaml-1.1' });
}

/** The value as JSON (here: stringifying is quick) or YAML (in the pool: a large set costs a quarter of a second). */
async function render(deps: AppDeps, res: Response, type: string, value: unknown): Promise<string | undefined> {
  const pool = type === 'application/json' ? undefined : poolFor(deps);
  if (!pool) return renderHere(type, value);
  const gone = whenGone(res);
  try {
    const outcome = await pool.job({ job: 'yaml', value }, undefined, gone.signal);
    if (outcome.ok && 'text' in outcome) return outcome.text;
    if (gone.signal.aborted) return undefined;
    throw new Error(`rendering YAML failed: ${outcome.ok ? 'unexpected answer' : outcome.detail}`);
  } finally {
    gone.done();
  }
}

/** Answers a set in the representation asked for; `key` (id@version and what is shown) keeps the text for the next read. */
async function send(deps: AppDeps, req: Request, res: Response, def: RuleSetDef, extra: Record<string, unknown> = {}, key?: string): Promise<void> {
  const type = req.accepts(REPRESENTATIONS);
  if (!type) throw new HttpProblem('not-acceptable', `rule sets are available as ${REPRESENTATIONS.join(', ')}`);
  res.setHeader('Vary', 'Accept');
  const kind = type === 'application/json' ? type : 'yaml';
  const cacheKey = key === undefined ? undefined : `${key}\u0000${kind}`;
  let text = cacheKey === undefined ? undefined : rendered.get(cacheKey);
  if (text === undefined) {
    text = await render(deps, res, type, { ...def, ...extra });
    if (text === undefined) return; // the client went away
    if (cacheKey !== undefined) {
      rendered.set(cacheKey, text);
      if (rendered.size > RENDERED_MAX) rendered.delete(rendered.keys().next().value!);
    }
  }
  res.type(type === 'application/json' ? 'application/json' : `${type}; charset=utf-8`).send(text);
}

/** A rule set the worker refused, as the problem a PUT answers with. */
function refusalProblem(r: Refusal, id: string): HttpProblem {
  switch (r.code) {
    case 'invalid-ruleset':
      return new HttpProblem('invalid-ruleset', `rule set "${id}" is invalid: ${describeIssues(r.issues ?? [])}`, { errors: r.issues ?? [] });
    case 'malformed-yaml':
      return new HttpProblem('malformed-yaml', `the body does not parse as YAML: ${r.message}`);
    case 'ruleset-too-large':
      return new HttpProblem('ruleset-too-large', `rule set "${id}" is too large: ${r.message}`);
    case 'ruleset-too-costly':
      return new HttpProblem('ruleset-too-costly', `rule set "${id}" is too costly to check: ${r.message}`);
  }
}

/**
 * A PUT's body checked as checkWrite does (parsed first when YAML), in the pool under the time
 * budget; answers the definition to save. In-process only where no pool can run (a dev tree).
 */
async function checkedBody(deps: AppDeps, req: Request, res: Response, id: string): Promise<RuleSetDef | undefined> {
  const caps = deps.registry.caps;
  const type = mediaTypeOf(req);
  let body: unknown;
  let yaml: string | undefined;
  if (isJsonType(type)) {
    body = req.body;
    // Walked here, iteratively: a deep value would overflow the copy to the worker.
    if (nestingBeyond(body, caps.maxDepth))
      throw refusalProblem({ code: 'ruleset-too-large', message: `it is nested deeper than ${caps.maxDepth} levels (DECLUTTER_RULESET_MAX_DEPTH)` }, id);
  } else if (YAML_TYPES.has(type)) {
    yaml = typeof req.body === 'string' ? req.body : '';
    if (yamlDepthBound(yaml) > caps.maxDepth)
      throw refusalProblem({ code: 'ruleset-too-large', message: `it is nested deeper than ${caps.maxDepth} levels (DECLUTTER_RULESET_MAX_DEPTH)` }, id);
  } else {
    throw new HttpProblem('unsupported-media-type', `${type || 'a body without Content-Type'} is not accepted here; send application/json or application/yaml`);
  }
  const pool = poolFor(deps);
  if (!pool) {
    if (yaml !== undefined) body = parseYamlHere(yaml);
    try {
      return deps.registry.checkWrite(id, body);
    } catch (e) {
      throw asProblem(e, id);
    }
  }
  const stored = deps.registry.stored().payload;
  const gone = whenGone(res);
  try {
    const outcome = await pool.job({ job: 'check-write', id, body, yaml, currentVersion: deps.registry.get(id)?.version, caps }, stored, gone.signal);
    if (outcome.ok && 'def' in outcome) return outcome.def;
    if (gone.signal.aborted) return undefined;
    if (outcome.ok) throw new Error('the worker answered a check with text');
    if (outcome.reason === 'refused' && outcome.refusal) throw refusalProblem(outcome.refusal, id);
    if (outcome.reason === 'timeout')
      throw new HttpProblem('ruleset-too-costly', `checking rule set "${id}": ${outcome.detail}; split it, or give its rules fewer or smaller examples`);
    if (outcome.reason === 'cancelled')
      throw new HttpProblem('not-ready', `the service is shutting down: ${outcome.detail}`, { headers: { 'Retry-After': '5' } });
    throw new Error(`worker failed: ${outcome.detail}`);
  } finally {
    gone.done();
  }
}

function parseYamlHere(text: string): unknown {
  try {
    return YAML.parse(text, { maxAliasCount: 100 });
  } catch (e) {
    throw new HttpProblem('malformed-yaml', `the body does not parse as YAML: ${(e as Error).message.split('\n')[0]}`);
  }
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

/** One number per object (a definition, a compiled set), for keys that must change when the object does. */
const objectKeys = new WeakMap<object, number>();
let nextObjectKey = 0;
function keyOfObject(o: object): string {
  let k = objectKeys.get(o);
  if (k === undefined) objectKeys.set(o, (k = ++nextObjectKey));
  return `#${k}`;
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
    .get(async (req: Request, res: Response) => {
      const id = String(req.params.id);
      const def = deps.registry.definition(id);
      if (!def) throw new HttpProblem('unknown-ruleset', `no rule set "${id}" (GET /v1/rulesets lists them)`);
      const etag = deps.registry.etag(id)!;
      res.setHeader('ETag', etag);
      const effective = req.query.effective === 'true';
      // The ETag names id and version; a hand edit that keeps the version, or (for the effective
      // rules) a change to a set it extends, gives a new object on reload, so that is in the key too.
      const key = `${etag}${effective ? ` effective${keyOfObject(deps.registry.get(id)!)}` : keyOfObject(def)}`;
      await send(deps, req, res, def, effective ? { effectiveRules: deps.registry.effectiveRules(id) } : {}, key);
    })
    .put(admin, json, yaml, async (req: Request, res: Response) => {
      const id = String(req.params.id);
      const expect = expectation(req, id);
      const def = await checkedBody(deps, req, res, id);
      if (!def) return; // the client went away
      let outcome;
      try {
        outcome = await deps.registry.saveChecked(def, expect);
      } catch (e) {
        throw asProblem(e, id);
      }
      deps.logger.info({ ruleset: id, version: outcome.saved.version }, 'rule set saved');
      res.status(outcome.created ? 201 : 200).setHeader('ETag', `"${id}@${outcome.saved.version}"`);
      if (outcome.created) res.setHeader('Location', `/v1/rulesets/${id}`);
      await send(deps, req, res, outcome.saved);
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
      await send(deps, req, res, def);
    })
    .all(onlyMethods('GET'));

  return router;
}
