/**
 * POST /v1/rulesets/{id}/evaluate and POST /v1/evaluate: clean labelled documents with a rule set
 * and score them (src/rulesets/evaluation.ts), so a change can be judged before it is saved.
 * Documents are cleaned in the worker pool under the per-document time budget, whether the set
 * is stored or sent inline: evaluation is where untried patterns meet many documents.
 */
import express, { Router, type Request, type Response } from 'express';
import { cleanText, type CleanResult, type CompiledRuleSet } from '../../engine';
import { chooseRuleSet, isPlainObject, readLabelledDocuments, type RuleSetChoice } from '../../requests';
import { scoreEvaluation, type EvalDocument, type EvalOutcome } from '../../rulesets/evaluation';
import { isJsonType, mediaTypeOf, onlyMethods } from '../http';
import { HttpProblem, invalidRequest, requestProblem } from '../problems';
import type { AppDeps } from '../types';

/**
 * 500 documents and 16 MB a request: the labelled dev sets' pages average ~100 KB, so a request
 * is a few minutes of one core's cleaning at most and its answer a few MB. Beyond: 413.
 */
export const EVALUATE_MAX_DOCUMENTS = 500;
export const EVALUATE_MAX_BYTES = 16 * 1024 * 1024;

/** The labelled documents of the body, each read as every document is (../../requests). */
function readDocuments(body: Record<string, unknown>): EvalDocument[] {
  const docs = body.documents;
  if (!Array.isArray(docs) || docs.length === 0) {
    throw invalidRequest([
      { in: 'body', field: 'documents', message: 'must be a non-empty array of labelled documents ({id, text, gold} or {id, text, with, without})' },
    ]);
  }
  if (docs.length > EVALUATE_MAX_DOCUMENTS) {
    throw new HttpProblem('body-too-large', `${docs.length} documents; an evaluation takes at most ${EVALUATE_MAX_DOCUMENTS} (split the set)`);
  }
  const read = readLabelledDocuments(docs);
  if (!read.ok) throw invalidRequest(read.errors);
  return read.docs;
}

function ruleSetFor(deps: AppDeps, choice: RuleSetChoice): CompiledRuleSet {
  const chosen = chooseRuleSet(deps.registry, choice);
  if (!chosen.ok) throw requestProblem(chosen.error);
  return chosen.set;
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
  if (!isPlainObject(req.body)) throw invalidRequest([{ in: 'body', field: '(body)', message: 'must be an object {documents: [...]}' }]);
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
      if (body.ruleset !== undefined && !isPlainObject(body.ruleset))
        throw invalidRequest([{ in: 'body', field: 'ruleset', message: 'must be a whole rule set (the stored one is in the path)' }]);
      const stored = body.ruleset === undefined || body.baseline === true ? ruleSetFor(deps, { ruleset: id }) : undefined;
      const set = body.ruleset !== undefined ? ruleSetFor(deps, { ruleset: body.ruleset }) : stored!;
      await evaluate(deps, req, res, set, docs, body.ruleset !== undefined && body.baseline === true ? stored : undefined);
    })
    .all(onlyMethods('POST'));

  router
    .route('/v1/evaluate')
    .post(json, async (req: Request, res: Response) => {
      const body = requireJson(req);
      const docs = readDocuments(body);
      const r = body.ruleset ?? 'default';
      if (typeof r !== 'string' && !isPlainObject(r))
        throw invalidRequest([{ in: 'body', field: 'ruleset', message: 'must be a rule-set id (string) or a whole rule set (object)' }]);
      await evaluate(deps, req, res, ruleSetFor(deps, { ruleset: r }), docs);
    })
    .all(onlyMethods('POST'));

  return router;
}
