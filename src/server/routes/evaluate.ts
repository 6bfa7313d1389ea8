/**
 * POST /v1/rulesets/{id}/evaluate and POST /v1/evaluate: clean labelled documents with a rule set
 * and score them (src/rulesets/evaluation.ts), so a change can be judged before it is saved.
 * Documents are cleaned in the worker pool under the per-document time budget, whether the set
 * is stored or sent inline: evaluation is where untried patterns meet many documents.
 */
import express, { Router, type Request, type Response } from 'express';
import { cleanText, type CleanResult, type CompiledRuleSet } from '../../engine';
import { scoreEvaluation, type EvalDocument, type EvalOutcome } from '../../rulesets/evaluation';
import { isJsonType, mediaTypeOf, onlyMethods } from '../http';
import type { FieldError } from '../../errors';
import { HttpProblem } from '../problems';
import type { AppDeps } from '../types';
import { compileInlineRuleSet } from '../inline-ruleset';

/**
 * 500 documents and 16 MB a request: the labelled dev sets' pages average ~100 KB, so a request
 * is a few minutes of one core's cleaning at most and its answer a few MB. Beyond: 413.
 */
export const EVALUATE_MAX_DOCUMENTS = 500;
export const EVALUATE_MAX_BYTES = 16 * 1024 * 1024;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** The labelled documents of the body, each checked; problems name `documents/<i>/<field>`. */
function readDocuments(body: Record<string, unknown>): EvalDocument[] {
  const docs = body.documents;
  if (!Array.isArray(docs) || docs.length === 0) {
    throw invalid([
      { in: 'body', field: 'documents', message: 'must be a non-empty array of labelled documents ({id, text, gold} or {id, text, with, without})' },
    ]);
  }
  if (docs.length > EVALUATE_MAX_DOCUMENTS) {
    throw new HttpProblem('body-too-large', `${docs.length} documents; an evaluation takes at most ${EVALUATE_MAX_DOCUMENTS} (split the set)`);
  }
  const errors: FieldError[] = [];
  const out: EvalDocument[] = [];
  docs.forEach((d, i) => {
    const at = `documents/${i}`;
    if (!isObject(d)) return void errors.push({ in: 'body', field: at, message: 'must be an object' });
    if (typeof d.text !== 'string') errors.push({ in: 'body', field: `${at}/text`, message: 'must be a string' });
    const hasGold = typeof d.gold === 'string';
    if (d.gold !== undefined && !hasGold) errors.push({ in: 'body', field: `${at}/gold`, message: 'must be a string' });
    if (d.with !== undefined && !isStrings(d.with)) errors.push({ in: 'body', field: `${at}/with`, message: 'must be an array of strings' });
    if (d.without !== undefined && !isStrings(d.without)) errors.push({ in: 'body', field: `${at}/without`, message: 'must be an array of strings' });
    if (!hasGold && d.with === undefined && d.without === undefined)
      errors.push({ in: 'body', field: `${at}`, message: 'needs gold, or with/without snippets' });
    for (const f of ['url', 'lang'] as const)
      if (d[f] !== undefined && typeof d[f] !== 'string') errors.push({ in: 'body', field: `${at}/${f}`, message: 'must be a string' });
    out.push({
      id: typeof d.id === 'string' || typeof d.id === 'number' ? String(d.id) : String(i),
      text: String(d.text ?? ''),
      ...(hasGold ? { gold: d.gold as string } : { with: isStrings(d.with) ? d.with : [], without: isStrings(d.without) ? d.without : [] }),
      ...(typeof d.url === 'string' ? { url: d.url } : {}),
      ...(typeof d.lang === 'string' ? { lang: d.lang.split(/[-_]/)[0].toLowerCase() } : {}),
    });
  });
  if (errors.length) throw invalid(errors);
  return out;
}

function invalid(errors: FieldError[]): HttpProblem {
  return new HttpProblem('invalid-request', errors.map((e) => `field "${e.field}" ${e.message}`).join('; '), { errors });
}

function storedSet(deps: AppDeps, id: string): CompiledRuleSet {
  const set = deps.registry.get(id);
  if (!set) throw new HttpProblem('unknown-ruleset', `no rule set "${id}" (GET /v1/rulesets lists them)`);
  return set;
}

/** Cleans every document in the pool (in-process when no pool can start: a dev tree without dist/). */
async function cleanAll(deps: AppDeps, set: CompiledRuleSet, docs: EvalDocument[], signal: AbortSignal): Promise<EvalOutcome[]> {
  let pool;
  try {
    pool = deps.pool.start();
  } catch (e) {
    deps.logger.warn({ err: e }, 'no worker pool: evaluation runs in-process, without a time budget');
  }
  if (!pool) return docs.map((d) => ({ result: cleanText(d.text, set, { lang: d.lang, url: d.url }) }));
  const p = pool;
  return Promise.all(
    docs.map(async (d): Promise<EvalOutcome> => {
      const outcome = await p.clean({ id: d.id, text: d.text, ruleset: set, lang: d.lang, url: d.url }, signal);
      if (outcome.ok) {
        const { id: _id, ...result } = JSON.parse(outcome.line) as CleanResult & { id: unknown };
        return { result: result as CleanResult };
      }
      return { error: { code: outcome.reason === 'timeout' ? 'clean-timeout' : outcome.reason, detail: outcome.detail } };
    }),
  );
}

async function evaluate(deps: AppDeps, req: Request, res: Response, set: CompiledRuleSet, docs: EvalDocument[], baseline?: CompiledRuleSet): Promise<void> {
  const gone = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) gone.abort();
  };
  res.once('close', onClose);
  try {
    const answer = scoreEvaluation(set, docs, await cleanAll(deps, set, docs, gone.signal));
    if (gone.signal.aborted) return;
    if (baseline) {
      const base = scoreEvaluation(baseline, docs, await cleanAll(deps, baseline, docs, gone.signal));
      if (gone.signal.aborted) return;
      res.json({ ...answer, baseline: base });
      return;
    }
    res.json(answer);
  } finally {
    res.off('close', onClose);
  }
}

function requireJson(req: Request): Record<string, unknown> {
  if (!isJsonType(mediaTypeOf(req))) throw new HttpProblem('unsupported-media-type', 'send the documents as application/json {documents: [...]}');
  if (!isObject(req.body)) throw invalid([{ in: 'body', field: '(body)', message: 'must be an object {documents: [...]}' }]);
  return req.body;
}

export function evaluateRouter(deps: AppDeps): Router {
  const router = Router();
  const json = express.json({ type: (req) => isJsonType(mediaTypeOf(req as Request)), limit: EVALUATE_MAX_BYTES });

  router
    .route('/v1/rulesets/:id/evaluate')
    .post(json, async (req: Request, res: Response) => {
      const body = requireJson(req);
      const id = String(req.params.id);
      const docs = readDocuments(body);
      if (body.ruleset !== undefined && !isObject(body.ruleset))
        throw invalid([{ in: 'body', field: 'ruleset', message: 'must be a whole rule set (the stored one is in the path)' }]);
      const stored = body.ruleset === undefined || body.baseline === true ? storedSet(deps, id) : undefined;
      const set = body.ruleset !== undefined ? compileInlineRuleSet(deps, body.ruleset) : stored!;
      await evaluate(deps, req, res, set, docs, body.ruleset !== undefined && body.baseline === true ? stored : undefined);
    })
    .all(onlyMethods('POST'));

  router
    .route('/v1/evaluate')
    .post(json, async (req: Request, res: Response) => {
      const body = requireJson(req);
      const docs = readDocuments(body);
      const r = body.ruleset ?? 'default';
      if (typeof r !== 'string' && !isObject(r)) throw invalid([{ in: 'body', field: 'ruleset', message: 'must be a rule-set id or a whole rule set' }]);
      await evaluate(deps, req, res, typeof r === 'string' ? storedSet(deps, r) : compileInlineRuleSet(deps, r), docs);
    })
    .all(onlyMethods('POST'));

  return router;
}
