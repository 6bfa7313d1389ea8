/**
 * The evaluation metrics of ../shared/eval/score.mjs, ported so that `declutter eval`, training,
 * the evaluate API and the dashboard report exactly the figures the shared scorer gives:
 * - gold sets: word 4-gram shingles (tokens are runs of letters, digits and underscores), TP/FP/FN
 *   per shingle normalised per document; precision and recall averaged over documents, F1 their
 *   harmonic mean;
 * - with/without sets: each `with` snippet found is a TP, missing a FN; each `without` found a FP;
 *   summed over the set (whitespace-normalised substring match).
 * No imports, Node's or the engine's: Vite bundles this module into the dashboard as it is.
 */

const TOKEN = /[\p{L}\p{N}_]+/gu;
export const SHINGLE = 4;

export function tokens(text: string): string[] {
  return (text || '').match(TOKEN) ?? [];
}

export function shingles(text: string, n = SHINGLE): Map<string, number> {
  const t = tokens(text);
  const counts = new Map<string, number>();
  for (let i = 0; i < Math.max(1, t.length - n + 1); i++) {
    const key = t.slice(i, i + n).join('\u0001');
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Normalised [tp, fp, fn] of one document (they sum to 1, or are all 0 when both are empty). */
export function shingleMatch(gold: string, text: string, goldShingles = shingles(gold)): [number, number, number] {
  const p = shingles(text);
  let tp = 0,
    fp = 0,
    fn = 0;
  for (const [key, a] of goldShingles) {
    const b = p.get(key) ?? 0;
    tp += Math.min(a, b);
    fn += Math.max(0, a - b);
  }
  for (const [key, b] of p) fp += Math.max(0, b - (goldShingles.get(key) ?? 0));
  const s = tp + fp + fn;
  return s > 0 ? [tp / s, fp / s, fn / s] : [0, 0, 0];
}

export function precisionOf(tp: number, fp: number, fn: number): number {
  return fp === 0 && fn === 0 ? 1 : tp === 0 && fp === 0 ? 0 : tp / (tp + fp);
}
export function recallOf(tp: number, fp: number, fn: number): number {
  return fp === 0 && fn === 0 ? 1 : tp === 0 && fn === 0 ? 0 : tp / (tp + fn);
}
export function f1Of(p: number, r: number): number {
  return p + r > 0 ? (2 * p * r) / (p + r) : 0;
}
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

export interface Scores {
  docs: number;
  precision: number;
  recall: number;
  f1: number;
}

/** score.mjs's "shingle" figures over documents already matched. */
export function aggregateShingles(perDoc: [number, number, number][]): Scores {
  const p = mean(perDoc.filter(([tp, fp]) => tp + fp > 0).map((x) => precisionOf(...x)));
  const r = mean(perDoc.filter(([tp, , fn]) => tp + fn > 0).map((x) => recallOf(...x)));
  return { docs: perDoc.length, precision: p, recall: r, f1: f1Of(p, r) };
}

export interface SnippetCounts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export function snippetMatch(withSnippets: string[], without: string[], text: string): SnippetCounts {
  const t = norm(text);
  const tp = withSnippets.filter((w) => t.includes(norm(w))).length;
  const fp = without.filter((w) => t.includes(norm(w))).length;
  return { tp, fp, fn: withSnippets.length - tp, tn: without.length - fp };
}

/**
 * One with/without document's own figures, which score.mjs does not give (it prints the counts): a
 * side with nothing to find (no `with` kept or missed, no snippet kept at all) counts as perfect,
 * so a document that asks nothing of the cleaner does not read as a failure.
 */
export function snippetDocumentScores(c: SnippetCounts): { precision: number; recall: number; f1: number } {
  const precision = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 1;
  const recall = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 1;
  return { precision, recall, f1: f1Of(precision, recall) };
}

export function aggregateSnippets(perDoc: SnippetCounts[]): Scores & SnippetCounts {
  const c = perDoc.reduce((a, d) => ({ tp: a.tp + d.tp, fp: a.fp + d.fp, fn: a.fn + d.fn, tn: a.tn + d.tn }), { tp: 0, fp: 0, fn: 0, tn: 0 });
  const p = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 0;
  const r = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 0;
  return { docs: perDoc.length, ...c, precision: p, recall: r, f1: f1Of(p, r) };
}
