/**
 * `declutter eval` and the quality gate: cleans a labelled set with a rule set and scores it with
 * src/scoring (the figures of ../shared/eval/score.mjs), reporting what a person tuning rules reads:
 * removed characters per category and per rule, and the worst documents.
 */
import { cleanText } from '../engine/clean';
import type { CompiledRuleSet } from '../engine/ruleset';
import type { Scores, SnippetCounts } from '../scoring/metrics';
import { LabelledSetScorer } from '../scoring/labelled-set';
import type { LabelledDoc } from './data';

export interface DocEval {
  id: string;
  precision: number;
  recall: number;
  f1: number;
}

export interface EvalReport {
  shingle?: Scores;
  snippets?: Scores & SnippetCounts;
  removedByCategory: Record<string, number>;
  removedByRule: Record<string, number>;
  inputChars: number;
  /** Worst first. */
  documents: DocEval[];
  elapsedMs: number;
}

export function evaluate(
  docs: LabelledDoc[],
  ruleset: CompiledRuleSet,
  clean = (d: LabelledDoc) => cleanText(d.text, ruleset, { lang: undefined }),
): EvalReport {
  const scorer = new LabelledSetScorer();
  let elapsedMs = 0;
  for (const d of docs) {
    const started = performance.now();
    const result = clean(d);
    elapsedMs += performance.now() - started;
    scorer.add(d, { result });
  }
  const scored = scorer.score();
  const documents = scored.documents.map(({ id, precision, recall, f1 }) => ({ id, precision, recall, f1 }));
  documents.sort((a, b) => a.f1 - b.f1 || (a.id < b.id ? -1 : 1));
  const report: EvalReport = {
    removedByCategory: Object.fromEntries(scored.categories.map((c) => [c.category, c.removedChars])),
    removedByRule: Object.fromEntries(scored.rules.map((r) => [r.rule, r.removedChars])),
    inputChars: scored.inputChars,
    documents,
    elapsedMs,
  };
  if (scored.metrics.shingle) report.shingle = scored.metrics.shingle;
  if (scored.metrics.snippets) report.snippets = scored.metrics.snippets;
  return report;
}
