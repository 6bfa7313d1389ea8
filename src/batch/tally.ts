/**
 * What one document's removals add up to, per rule: small enough to cross from a worker thread
 * with its result line, so the service can count rule hits without parsing the line again.
 */

/** For each rule that removed something: [rule, category, spans, characters]. */
export type SpanTally = [rule: string, category: string, spans: number, chars: number][];

export interface TalliedSpan {
  start: number;
  end: number;
  rule: string;
  category: string;
}

export function tallyOf(removed: readonly TalliedSpan[]): SpanTally {
  const out: SpanTally = [];
  // A document has a handful of distinct rules: a linear search over them beats a Map.
  for (const span of removed) {
    let entry: SpanTally[number] | undefined;
    for (const e of out) {
      if (e[0] === span.rule && e[1] === span.category) {
        entry = e;
        break;
      }
    }
    if (!entry) out.push((entry = [span.rule, span.category, 0, 0]));
    entry[2]++;
    entry[3] += span.end - span.start;
  }
  return out;
}
