/**
 * Scoring cleaning results against labelled documents, for POST /v1/rulesets/{id}/evaluate: the
 * metrics of ../shared/eval/score.mjs (through src/train/metrics.ts, which ports them), plus what
 * a person tuning rules looks at: hits and removed characters per rule and per category, and
 * every document's own figures. Pure: the cleaning happens elsewhere (in the worker pool).
 */
import type { CleanResult } from '../engine';
import {
  aggregateShingles,
  aggregateSnippets,
  f1Of,
  precisionOf,
  recallOf,
  shingleMatch,
  snippetMatch,
  type Scores,
  type SnippetCounts,
} from '../train/metrics';

/** A labelled document: `gold` (the article body), or `with`/`without` snippets. */
export interface EvalDocument {
  id: string;
  text: string;
  url?: string;
  lang?: string;
  gold?: string;
  with?: string[];
  without?: string[];
}

/** One document's cleaning: a result, or why there is none (scored as an empty prediction, as score.mjs scores a missing one). */
export type EvalOutcome = { result: CleanResult } | { error: { code: string; detail: string } };

export interface DocumentScore {
  id: string;
  precision: number;
  recall: number;
  f1: number;
  removedChars: number;
  hits: Record<string, number>;
  tp?: number;
  fp?: number;
  fn?: number;
  tn?: number;
  error?: { code: string; detail: string };
}

export interface EvaluationAnswer {
  ruleset: { id: string; version: number };
  metrics: { shingle?: Scores; snippets?: Scores & SnippetCounts };
  rules: { rule: string; category: string; hits: number; removedChars: number }[];
  categories: { category: string; hits: number; removedChars: number }[];
  documents: DocumentScore[];
  /** Documents that could not be cleaned (time budget, engine failure). */
  failed: number;
}

export function scoreEvaluation(ruleset: { id: string; version: number }, docs: EvalDocument[], outcomes: EvalOutcome[]): EvaluationAnswer {
  const shingleDocs: [number, number, number][] = [];
  const snippetDocs: SnippetCounts[] = [];
  const rules = new Map<string, { rule: string; category: string; hits: number; removedChars: number }>();
  const categories = new Map<string, { category: string; hits: number; removedChars: number }>();
  const documents: DocumentScore[] = [];
  let failed = 0;
  docs.forEach((doc, i) => {
    const outcome = outcomes[i];
    const result = 'result' in outcome ? outcome.result : undefined;
    if (!result) failed++;
    const text = result?.text ?? '';
    const hits: Record<string, number> = {};
    let removedChars = 0;
    for (const r of result?.removed ?? []) {
      const n = r.end - r.start;
      removedChars += n;
      hits[r.rule] = (hits[r.rule] ?? 0) + 1;
      const rule = rules.get(r.rule) ?? { rule: r.rule, category: r.category, hits: 0, removedChars: 0 };
      rule.hits++;
      rule.removedChars += n;
      rules.set(r.rule, rule);
      const cat = categories.get(r.category) ?? { category: r.category, hits: 0, removedChars: 0 };
      cat.hits++;
      cat.removedChars += n;
      categories.set(r.category, cat);
    }
    let score: DocumentScore;
    if (typeof doc.gold === 'string') {
      const m = shingleMatch(doc.gold, text);
      shingleDocs.push(m);
      const p = precisionOf(...m),
        r = recallOf(...m);
      score = { id: doc.id, precision: p, recall: r, f1: f1Of(p, r), removedChars, hits };
    } else {
      const c = snippetMatch(doc.with ?? [], doc.without ?? [], text);
      snippetDocs.push(c);
      // A document's own figures; a side with nothing to find counts as perfect, as in `declutter eval`.
      const p = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 1,
        r = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 1;
      score = { id: doc.id, precision: p, recall: r, f1: f1Of(p, r), removedChars, hits, ...c };
    }
    if ('error' in outcome) score.error = outcome.error;
    documents.push(score);
  });
  const metrics: EvaluationAnswer['metrics'] = {};
  if (shingleDocs.length) metrics.shingle = aggregateShingles(shingleDocs);
  if (snippetDocs.length) metrics.snippets = aggregateSnippets(snippetDocs);
  const byChars = <T extends { removedChars: number; hits: number }>(a: T, b: T) => b.removedChars - a.removedChars || b.hits - a.hits;
  return {
    ruleset: { id: ruleset.id, version: ruleset.version },
    metrics,
    rules: [...rules.values()].sort(byChars),
    categories: [...categories.values()].sort(byChars),
    documents,
    failed,
  };
}
