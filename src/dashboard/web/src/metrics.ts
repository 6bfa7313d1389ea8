/**
 * The scorer's metrics (../shared/eval/score.mjs) for the browser: the shingle metric is the
 * command line's own (src/train/metrics.ts); this module adds the per-set averaging the page
 * shows, kept in step with score.mjs (test/dashboard/metrics.test.ts compares the two).
 */

// One implementation of the shingle metric for the command line, training and the browser:
// src/train/metrics.ts has no imports, so Vite bundles it as it is.
import { f1Of as f1, precisionOf as precision, recallOf as recall, shingleMatch } from '../../../train/metrics';

export { shingleMatch };

export interface GoldDoc {
  id: string;
  text: string;
  gold: string;
}
export interface SnippetDoc {
  id: string;
  text: string;
  with: string[];
  without?: string[];
}
export type LabelledDoc = GoldDoc | SnippetDoc;

export const isGoldDoc = (d: LabelledDoc): d is GoldDoc => typeof (d as GoldDoc).gold === 'string';

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

export interface DocScore {
  id: string;
  /** Per-document precision, recall and F1: shingles for gold documents, snippets otherwise. */
  precision: number;
  recall: number;
  f1: number;
  kind: 'gold' | 'snippets';
  /** Snippet documents: "with" kept / total, "without" leaked / total. */
  with?: string;
  withoutLeaked?: string;
}

export interface SetScore {
  shingle?: { docs: number; precision: number; recall: number; f1: number };
  snippets?: { docs: number; tp: number; fp: number; fn: number; tn: number; precision: number; recall: number; f1: number };
  perDoc: DocScore[];
}

/** Scores predictions (id → clean text; a missing id is an empty prediction) as score.mjs does. */
export function scoreSet(set: LabelledDoc[], pred: Map<string, string>): SetScore {
  const shingleDocs: [number, number, number][] = [];
  const chunk = { tp: 0, fp: 0, fn: 0, tn: 0, docs: 0 };
  const perDoc: DocScore[] = [];
  for (const doc of set) {
    const text = pred.get(String(doc.id)) ?? '';
    if (isGoldDoc(doc)) {
      const m = shingleMatch(doc.gold, text);
      shingleDocs.push(m);
      const p = precision(...m);
      const r = recall(...m);
      perDoc.push({ id: doc.id, kind: 'gold', precision: p, recall: r, f1: f1(p, r) });
    } else if (Array.isArray(doc.with)) {
      const t = norm(text);
      const without = doc.without || [];
      const tp = doc.with.filter((w) => t.includes(norm(w))).length;
      const fp = without.filter((w) => t.includes(norm(w))).length;
      const fn = doc.with.length - tp;
      chunk.tp += tp;
      chunk.fp += fp;
      chunk.fn += fn;
      chunk.tn += without.length - fp;
      chunk.docs++;
      // Per document the set-level formulas: a document with nothing to find scores 0, as in the sums.
      const p = tp + fp ? tp / (tp + fp) : 0;
      const r = tp + fn ? tp / (tp + fn) : 0;
      perDoc.push({
        id: doc.id,
        kind: 'snippets',
        precision: p,
        recall: r,
        f1: f1(p, r),
        with: `${tp}/${doc.with.length}`,
        withoutLeaked: `${fp}/${without.length}`,
      });
    }
  }
  const result: SetScore = { perDoc };
  if (shingleDocs.length) {
    const p = mean(shingleDocs.filter(([tp, fp]) => tp + fp > 0).map((x) => precision(...x)));
    const r = mean(shingleDocs.filter(([tp, , fn]) => tp + fn > 0).map((x) => recall(...x)));
    result.shingle = { docs: shingleDocs.length, precision: p, recall: r, f1: f1(p, r) };
  }
  if (chunk.docs) {
    const p = chunk.tp + chunk.fp ? chunk.tp / (chunk.tp + chunk.fp) : 0;
    const r = chunk.tp + chunk.fn ? chunk.tp / (chunk.tp + chunk.fn) : 0;
    result.snippets = { ...chunk, precision: p, recall: r, f1: f1(p, r) };
  }
  return result;
}
