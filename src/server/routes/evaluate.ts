/**
 * POST /v1/rulesets/{id}/evaluate and POST /v1/evaluate: clean labelled documents with a rule set
 * and score them (src/rulesets/evaluation.ts), so a change can be judged before it is saved.
 * Documents are cleaned in the worker pool under the per-document time budget, whether the set
 * is stored or sent inline (which the workers also check and compile): evaluation is where
 * untried patterns meet many documents. Scoring runs there too, as one task under the same
 * budget: matching 100k snippets held the event loop for 16 s when it ran here. The body is
 * admitted before it is read (admission.ts).
 */
import express, { Router, type Request, type Response } from 'express';
import type { CleaningPool } from '../../batch/pool';
import { cleanText } from '../../engine';
import { chooseRuleSet, isDeferred, isPlainObject, readLabelledDocuments, type ChosenSet, type RuleSetChoice } from '../../requests';
import { scoreEvaluation, type EvalDocument, type EvalOutcome } from '../../rulesets/evaluation';
import { isJsonType, mediaTypeOf, onlyMethods } from '../http';
import { HttpProblem, invalidRequest, requestProblem } from '../problems';
import { admitBody, type Ticket } from '../admission';
import { compiledHere, failureProblem, poolFor, whenGone } from '../offload';
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

function ruleSetFor(deps: AppDeps, choice: RuleSetChoice): ChosenSet {
  const chosen = chooseRuleSet(deps.registry, choice);
  if (!chosen.ok) throw requestProblem(chosen.error);
  return chosen.set;
}

/** The id and version a score names: an inline set's as it says them (the workers validated it). */
function nameOf(set: ChosenSet): { id: string; version: number } {
  if (!isDeferred(set)) return { id: set.id, version: set.version };
  const def = JSON.parse(set.json) as { id?: unknown; version?: unknown };
  return { id: String(def.id), version: Number(def.version) };
}

type LineOutcome = { line: string } | { error: { code: string; detail: string } };

/** Cleans every document in the pool; a refused inline set (or one too costly to check) refuses the request. */
async function cleanAll(pool: CleaningPool, set: ChosenSet, docs: EvalDocument[], signal: AbortSignal): Promise<LineOutcome[]> {
  return Promise.all(
    docs.map(async (d): Promise<LineOutcome> => {
      const outcome = await pool.clean({ id: d.id, text: d.text, ruleset: set, lang: d.lang, url: d.url }, signal);
      if (outcome.ok) return { line: outcome.line };
      if (outcome.reason === 'refused' || (outcome.reason === 'timeout' && outcome.phase === 'ruleset')) throw failureProblem(outcome, '');
      return { error: { code: outcome.reason === 'timeout' ? 'clean-timeout' : outcome.reason, detail: outcome.detail } };
    }),
  );
}

/** The evaluation's answer as JSON text, cleaned and scored in the pool. */
async function scoredInPool(pool: CleaningPool, set: ChosenSet, docs: EvalDocument[], signal: AbortSignal): Promise<string> {
  const outcomes = await cleanAll(pool, set, docs, signal);
  const scored = await pool.job({ job: 'score', ruleset: nameOf(set), docs, outcomes }, undefined, signal);
  if (scored.ok && 'text' in scored) return scored.text;
  if (scored.ok) throw new Error('the worker answered a score with a definition');
  throw failureProblem(scored, 'scoring the documents is too costly (fewer documents, or fewer snippets a document)');
}

/** The same in this thread: only where no pool can run (a dev tree). */
function scoredHere(deps: AppDeps, chosen: ChosenSet, docs: EvalDocument[]): string {
  const set = compiledHere(deps, chosen);
  const outcomes: EvalOutcome[] = docs.map((d) => ({ result: cleanText(d.text, set, { lang: d.lang, url: d.url }) }));
  return JSON.stringify(scoreEvaluation(set, docs, outcomes));
}

async function evaluate(deps: AppDeps, req: Request, res: Response, set: ChosenSet, docs: EvalDocument[], baseline?: ChosenSet): Promise<void> {
  (res.locals.admission as Ticket | undefined)?.resize(docs.length * (baseline ? 2 : 1), Number(req.headers['content-length']) || 0);
  const pool = poolFor(deps);
  const gone = whenGone(res);
  try {
    const score = (s: ChosenSet) => (pool ? scoredInPool(pool, s, docs, gone.signal) : Promise.resolve(scoredHere(deps, s, docs)));
    const answer = await score(set);
    if (gone.signal.aborted) return;
    if (baseline) {
      const base = await score(baseline);
      if (gone.signal.aborted) return;
      // Both are serialised objects: the baseline goes in as the answer's last member.
      res.type('application/json').send(`${answer.slice(0, -1)},"baseline":${base}}`);
      return;
    }
    res.type('application/json').send(answer);
  } finally {
    gone.done();
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
    .post(admitBody(deps.pool.admission, '/v1/rulesets/:id/evaluate', EVALUATE_MAX_BYTES), json, async (req: Request, res: Response) => {
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
    .post(admitBody(deps.pool.admission, '/v1/evaluate', EVALUATE_MAX_BYTES), json, async (req: Request, res: Response) => {
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
