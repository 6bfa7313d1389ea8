/**
 * The answer of POST /v1/rulesets/{id}/evaluate (docs/rulesets-api.md): the labelled set scored
 * by src/scoring (the figures of ../shared/eval/score.mjs, each document's own, hits and removed
 * characters per rule and per category), with the rule set and the removals ranked for a person
 * tuning rules. Pure: the cleaning happens elsewhere (in the worker pool).
 */
import { scoreLabelledSet, type CleaningOutcome, type EvaluationAnswer, type LabelledDocument } from '../scoring/labelled-set';

/** A labelled document as the API takes it: `url` and `lang` are used for cleaning, as in /v1/clean. */
export interface EvalDocument extends LabelledDocument {
  url?: string;
  lang?: string;
}

/** One document's cleaning: a result, or why there is none (scored as an empty prediction). */
export type EvalOutcome = CleaningOutcome;

/** The answer's shape lives with the scorer, so the dashboard reads it with the same type. */
export type { EvaluationAnswer };

const byRemovedChars = <T extends { removedChars: number; hits: number }>(a: T, b: T) => b.removedChars - a.removedChars || b.hits - a.hits;

export function scoreEvaluation(ruleset: { id: string; version: number }, docs: EvalDocument[], outcomes: EvalOutcome[]): EvaluationAnswer {
  const scored = scoreLabelledSet(docs, outcomes);
  return {
    ruleset: { id: ruleset.id, version: ruleset.version },
    metrics: scored.metrics,
    rules: scored.rules.sort(byRemovedChars),
    categories: scored.categories.sort(byRemovedChars),
    documents: scored.documents,
    failed: scored.failed,
  };
}
