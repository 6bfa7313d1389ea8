/**
 * What the corpus panel shows of one scored run. It is built the same way from the service's
 * evaluate answer and from the browser's own scoring of /v1/clean/batch results (src/scoring in
 * a worker): both have the evaluate answer's shape, so the two routes cannot show different figures.
 */
import type { SetScore } from '../../../scoring/labelled-set';

/** What the panels read of a scored run: the evaluate answer and src/scoring's SetScore both have it. */
export interface ScoredRun {
  metrics: SetScore['metrics'];
  rules: { rule: string; category: string; hits: number; removedChars: number }[];
  categories: { category: string; removedChars: number }[];
  documents: { id: string; precision: number; recall: number; f1: number; error?: { detail: string } }[];
}

export interface RunReport {
  label: string;
  version: number | string;
  /** The set's figures (`shingle`, `snippets`) and each document's. */
  score: ScoredRun['metrics'] & { perDoc: { id: string; precision: number; recall: number; f1: number }[] };
  rules: Map<string, { category: string; hits: number; chars: number }>;
  categories: Map<string, number>;
  /** `id: why` of each document that could not be cleaned (scored as an empty prediction). */
  failures: string[];
}

export function runReport(label: string, version: number | string, run: ScoredRun): RunReport {
  return {
    label,
    version,
    score: {
      shingle: run.metrics.shingle,
      snippets: run.metrics.snippets,
      perDoc: run.documents.map(({ id, precision, recall, f1 }) => ({ id, precision, recall, f1 })),
    },
    rules: new Map(run.rules.map((r) => [r.rule, { category: r.category, hits: r.hits, chars: r.removedChars }])),
    categories: new Map(run.categories.map((c) => [c.category, c.removedChars])),
    failures: run.documents.flatMap((d) => (d.error ? [`${d.id}: ${d.error.detail}`] : [])),
  };
}
