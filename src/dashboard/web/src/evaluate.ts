/**
 * Runs the uploaded corpus through the saved set and the edited set and scores both. Uses
 * POST /v1/rulesets/{id}/evaluate when the service offers it; otherwise cleans through
 * /v1/clean/batch and scores in the browser with the ported score.mjs metrics (in a worker).
 */
import { api, ApiError, type RuleSetDef } from './api';
import type { LabelledDoc, SetScore } from './metrics';

export interface RunReport {
  label: string;
  version: number | string;
  score: SetScore;
  rules: Map<string, { category: string; hits: number; chars: number }>;
  categories: Map<string, number>;
  /** Per document: removed characters (documents missing from the answer failed). */
  docChars: Map<string, number>;
  failures: string[];
}

export interface CorpusRun {
  before: RunReport;
  after: RunReport;
  via: 'evaluate' | 'batch';
}

/**
 * Documents per batch request: small enough that progress moves and one slow document does not
 * hold the whole run, large enough that request overhead stays small against cleaning time.
 */
const BATCH_DOCS = 16;
/** Bytes of text per batch request, so a corpus of huge pages still goes in several requests. */
const BATCH_CHARS = 2_000_000;

function scoreInWorker(set: LabelledDoc[], pred: Map<string, string>): Promise<SetScore> {
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
    worker.postMessage({ set, pred: [...pred] });
  });
}

async function viaBatch(
  docs: LabelledDoc[],
  ruleset: string | RuleSetDef,
  label: string,
  version: number | string,
  progress: (done: number) => void,
  signal: AbortSignal,
): Promise<RunReport> {
  const pred = new Map<string, string>();
  const rules = new Map<string, { category: string; hits: number; chars: number }>();
  const categories = new Map<string, number>();
  const docChars = new Map<string, number>();
  const failures: string[] = [];
  let done = 0;
  for (let i = 0; i < docs.length;) {
    const group: LabelledDoc[] = [];
    let chars = 0;
    while (i < docs.length && group.length < BATCH_DOCS && (group.length === 0 || chars + docs[i].text.length <= BATCH_CHARS)) {
      chars += docs[i].text.length;
      group.push(docs[i++]);
    }
    const results = await api.batch(
      group.map((d) => ({ id: d.id, text: d.text })),
      ruleset,
      signal,
    );
    for (const r of results) {
      if ('error' in r) {
        failures.push(`${r.id}: ${r.error.detail}`);
        continue;
      }
      const id = String(r.id);
      pred.set(id, r.text);
      docChars.set(id, r.stats.removedChars);
      for (const s of r.removed) {
        const row = rules.get(s.rule) ?? { category: s.category, hits: 0, chars: 0 };
        row.hits++;
        row.chars += s.end - s.start;
        rules.set(s.rule, row);
        categories.set(s.category, (categories.get(s.category) ?? 0) + s.end - s.start);
      }
    }
    done += group.length;
    progress(done);
  }
  return { label, version, score: await scoreInWorker(docs, pred), rules, categories, docChars, failures };
}

function fromEvaluate(answer: Awaited<ReturnType<typeof api.evaluate>>, label: string): RunReport {
  const kindOf = new Map<string, 'gold' | 'snippets'>();
  return {
    label,
    version: answer.ruleset.version,
    score: {
      shingle: answer.metrics.shingle,
      snippets: answer.metrics.snippets,
      perDoc: answer.documents.map((d) => ({ id: d.id, precision: d.precision, recall: d.recall, f1: d.f1, kind: kindOf.get(d.id) ?? 'gold' })),
    },
    rules: new Map(answer.rules.map((r) => [r.rule, { category: r.category, hits: r.hits, chars: r.removedChars }])),
    categories: new Map(answer.categories.map((c) => [c.category, c.removedChars])),
    docChars: new Map(answer.documents.map((d) => [d.id, d.removedChars])),
    failures: [],
  };
}

/** `edited` is the set to compare with the saved one: the editor's overlay (or a whole set). */
export async function runCorpus(
  docs: LabelledDoc[],
  saved: RuleSetDef,
  edited: RuleSetDef,
  progress: (done: number, total: number) => void,
  signal: AbortSignal,
): Promise<CorpusRun> {
  const total = docs.length * 2;
  try {
    const before = fromEvaluate(await api.evaluate(saved.id, docs, undefined, signal), 'saved');
    progress(docs.length, total);
    const after = fromEvaluate(await api.evaluate(saved.id, docs, edited, signal), 'edited');
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
