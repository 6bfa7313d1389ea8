/**
 * Runs the uploaded corpus through the saved set and the edited set and scores both. Uses
 * POST /v1/rulesets/{id}/evaluate when the service offers it; otherwise cleans through
 * /v1/clean/batch and scores in the browser with the service's own scorer (src/scoring, in a worker).
 */
import type { CleaningOutcome, SetScore } from '../../../scoring/labelled-set';
import { api, ApiError, type RuleSetDef } from './api';
import type { LabelledDoc } from './corpus';
import { runReport, type RunReport } from './scores';

export interface CorpusRun {
  before: RunReport;
  after: RunReport;
  via: 'evaluate' | 'batch' | 'pages';
}

/**
 * Documents per batch request: small enough that progress moves and one slow document does not
 * hold the whole run, large enough that request overhead stays small against cleaning time.
 */
const BATCH_DOCS = 16;
/** Bytes of text per batch request, so a corpus of huge pages still goes in several requests. */
const BATCH_CHARS = 2_000_000;

function scoreInWorker(set: LabelledDoc[], outcomes: CleaningOutcome[]): Promise<SetScore> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./score.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<SetScore>) => {
      worker.terminate();
      resolve(e.data);
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message));
    };
    worker.postMessage({ set, outcomes });
  });
}

async function viaBatch(
  docs: LabelledDoc[],
  ruleset: string | RuleSetDef,
  label: string,
  version: number | string,
  progress: (done: number) => void,
  signal: AbortSignal,
  pages = false,
): Promise<RunReport> {
  const size = (d: LabelledDoc) => (pages && d.html !== undefined ? d.html.length : d.text.length);
  const outcomes = new Map<string, CleaningOutcome>();
  let done = 0;
  for (let i = 0; i < docs.length;) {
    const group: LabelledDoc[] = [];
    let chars = 0;
    while (i < docs.length && group.length < BATCH_DOCS && (group.length === 0 || chars + size(docs[i]) <= BATCH_CHARS)) {
      chars += size(docs[i]);
      group.push(docs[i++]);
    }
    const results = await api.batch(
      group.map((d) => (pages && d.html !== undefined ? { id: d.id, html: d.html } : { id: d.id, text: d.text })),
      ruleset,
      signal,
    );
    for (const r of results) {
      // Only what scoring reads goes to the worker: the spans' text and reasons would be copied for nothing.
      outcomes.set(
        String(r.id),
        'error' in r
          ? { error: { code: r.error.title, detail: r.error.detail } }
          : { result: { text: r.text, removed: r.removed.map(({ rule, category, start, end }) => ({ rule, category, start, end })) } },
      );
    }
    done += group.length;
    progress(done);
  }
  const missing: CleaningOutcome = { error: { code: 'missing', detail: 'not in the batch answer' } };
  return runReport(
    label,
    version,
    await scoreInWorker(
      // The pages stay here: scoring reads the labels and the results, not megabytes of HTML.
      docs.map(({ html: _html, ...d }) => d as LabelledDoc),
      docs.map((d) => outcomes.get(d.id) ?? missing),
    ),
  );
}

/** `edited` is the set to compare with the saved one: the editor's overlay (or a whole set). */
export async function runCorpus(
  docs: LabelledDoc[],
  saved: RuleSetDef,
  edited: RuleSetDef,
  progress: (done: number, total: number) => void,
  signal: AbortSignal,
  pages = false,
): Promise<CorpusRun> {
  const total = docs.length * 2;
  if (pages) {
    // The evaluate endpoint scores text; pages go through the batch endpoint, as `declutter eval --html` does.
    const before = await viaBatch(docs, saved.id, 'saved', saved.version, (d) => progress(d, total), signal, true);
    const after = await viaBatch(docs, edited, 'edited', 'edited', (d) => progress(docs.length + d, total), signal, true);
    return { before, after, via: 'pages' };
  }
  try {
    const savedAnswer = await api.evaluate(saved.id, docs, undefined, signal);
    const before = runReport('saved', savedAnswer.ruleset.version, savedAnswer);
    progress(docs.length, total);
    const editedAnswer = await api.evaluate(saved.id, docs, edited, signal);
    const after = runReport('edited', editedAnswer.ruleset.version, editedAnswer);
    progress(total, total);
    return { before, after, via: 'evaluate' };
  } catch (e) {
    // Not offered yet (issue 5), or this corpus is over its limits: the batch endpoint has none.
    if (!(e instanceof ApiError) || !(e.missing || e.status === 413)) throw e;
  }
  const before = await viaBatch(docs, saved.id, 'saved', saved.version, (d) => progress(d, total), signal);
  const after = await viaBatch(docs, edited, 'edited', 'edited', (d) => progress(docs.length + d, total), signal);
  return { before, after, via: 'batch' };
}
