/**
 * Scoring a rule set on a labelled set, with the figures of ../shared/eval/score.mjs plus what a
 * person tuning rules needs: removed characters per category and per rule, the worst documents.
 */
import { cleanText } from '../engine/clean';
import type { CompiledRuleSet } from '../engine/ruleset';
import type { LabelledDoc } from './data';
import { aggregateShingles, aggregateSnippets, f1Of, precisionOf, recallOf, shingleMatch, snippetMatch, type Scores, type SnippetCounts } from './metrics';

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
  const shingleDocs: [number, number, number][] = [];
  const snippetDocs: SnippetCounts[] = [];
  const byCategory: Record<string, number> = {};
  const byRule: Record<string, number> = {};
  const documents: DocEval[] = [];
  let inputChars = 0;
  let elapsedMs = 0;
  for (const d of docs) {
    const started = performance.now();
    const result = clean(d);
    elapsedMs += performance.now() - started;
    // A result's own count: HTML pages are measured in HTML characters (fakes in tests may omit it).
    inputChars += result.stats?.inputChars ?? d.text.length;
    for (const r of result.removed) {
      const n = r.end - r.start;
      byCategory[r.category] = (byCategory[r.category] ?? 0) + n;
      byRule[r.rule] = (byRule[r.rule] ?? 0) + n;
    }
    if (typeof d.gold === 'string') {
      const m = shingleMatch(d.gold, result.text);
      shingleDocs.push(m);
      const p = precisionOf(...m),
        r = recallOf(...m);
      documents.push({ id: d.id, precision: p, recall: r, f1: f1Of(p, r) });
    } else if (Array.isArray(d.with)) {
      const c = snippetMatch(d.with, d.without ?? [], result.text);
      snippetDocs.push(c);
      const p = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 1,
        r = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 1;
      documents.push({ id: d.id, precision: p, recall: r, f1: f1Of(p, r) });
    }
  }
  documents.sort((a, b) => a.f1 - b.f1 || (a.id < b.id ? -1 : 1));
  const report: EvalReport = { removedByCategory: byCategory, removedByRule: byRule, inputChars, documents, elapsedMs };
  if (shingleDocs.length) report.shingle = aggregateShingles(shingleDocs);
  if (snippetDocs.length) report.snippets = aggregateSnippets(snippetDocs);
  return report;
}
