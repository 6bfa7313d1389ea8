/**
 * The `holdsOthers` feature: for each block, the share of its characters made of other blocks of
 * the page, verbatim. A block that is mostly copies of other blocks repeats text the page already
 * has (the whole article flattened into one line by a structured-data copy or a print version):
 * keeping it doubles the article.
 *
 * Asking every long block whether it contains every other block costs long blocks × blocks
 * substring searches: nothing on a page, but hours on a 10 MB dump of thousands of pages. Past a
 * small page, the blocks that could be held are indexed by a hash of their first characters, and
 * each long block is read once with a rolling hash of that width; a hash hit is confirmed by
 * comparing the text. Both ways give the same numbers (test/engine/features/copies.test.ts).
 */

/**
 * Only blocks this long can hold several paragraphs: the whole article flattened into one line is
 * thousands of characters; ordinary paragraphs rarely pass 600.
 */
export const HOLDER_MIN_CHARS = 600;
/** Blocks shorter than a sentence ("Home", a name) occur inside any text by chance. */
export const HELD_MIN_CHARS = 80;
/** Up to this many (holder, candidate) pairs the plain search is the cheaper. */
const PAIRWISE_MAX_PAIRS = 4096;

/** Share of each text (0..1) made of the other texts it contains, each counted once per copy of it in `texts`. */
export function heldShares(texts: readonly string[], pairwiseMaxPairs = PAIRWISE_MAX_PAIRS): Float64Array {
  let holders = 0;
  let candidates = 0;
  for (const t of texts) {
    if (t.length >= HELD_MIN_CHARS) candidates++;
    if (t.length >= HOLDER_MIN_CHARS) holders++;
  }
  const out = new Float64Array(texts.length);
  // A holder is a candidate too, and never holds itself: one candidate holds nothing.
  if (holders === 0 || candidates < 2) return out;
  return holders * candidates <= pairwiseMaxPairs ? pairwise(texts, out) : indexed(texts, out);
}

/** The reference: every holder searched for every candidate. */
function pairwise(texts: readonly string[], out: Float64Array): Float64Array {
  const candidates: number[] = [];
  for (let r = 0; r < texts.length; r++) if (texts[r].length >= HELD_MIN_CHARS) candidates.push(r);
  for (let r = 0; r < texts.length; r++) {
    const text = texts[r];
    if (text.length < HOLDER_MIN_CHARS) continue;
    let held = 0;
    for (const c of candidates) {
      if (c === r) continue;
      const other = texts[c];
      if (other.length < text.length && text.includes(other)) held += other.length;
    }
    out[r] = Math.min(1, held / text.length);
  }
  return out;
}

/** Polynomial hash base (odd, so multiplying by it loses nothing modulo 2^32). */
const BASE = 0x01000193;
/** Width of the hashed window: every candidate is at least this long. */
const WIDTH = HELD_MIN_CHARS;
/** BASE^(WIDTH-1) modulo 2^32: the weight of the character leaving the window. */
const LEAVING = (() => {
  let p = 1;
  for (let i = 1; i < WIDTH; i++) p = Math.imul(p, BASE);
  return p;
})();
/** A bitmap over hashes, so that most windows cost no map lookup. */
const FILTER_BITS = 1 << 20;

function prefixHash(s: string): number {
  let h = 0;
  for (let i = 0; i < WIDTH; i++) h = (Math.imul(h, BASE) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * Identical candidates are searched once and counted as often as they occur; a candidate as long
 * as the holder (the holder itself, or a copy of it) is never counted, as in the pairwise search.
 */
function indexed(texts: readonly string[], out: Float64Array): Float64Array {
  const copies = new Map<string, number>();
  for (const t of texts) if (t.length >= HELD_MIN_CHARS) copies.set(t, (copies.get(t) ?? 0) + 1);
  const distinct = [...copies.keys()];
  const byHash = new Map<number, number[]>();
  const filter = new Uint8Array(FILTER_BITS >>> 3);
  distinct.forEach((s, j) => {
    const h = prefixHash(s);
    const bucket = byHash.get(h);
    if (bucket) bucket.push(j);
    else byHash.set(h, [j]);
    const bit = h & (FILTER_BITS - 1);
    filter[bit >>> 3] |= 1 << (bit & 7);
  });
  // foundIn[j]: the last holder found to contain distinct[j], so each is counted once per holder.
  const foundIn = new Int32Array(distinct.length).fill(-1);
  for (let r = 0; r < texts.length; r++) {
    const text = texts[r];
    const n = text.length;
    if (n < HOLDER_MIN_CHARS) continue;
    let held = 0;
    let h = prefixHash(text);
    for (let i = 0; ; i++) {
      const bit = h & (FILTER_BITS - 1);
      if (filter[bit >>> 3] & (1 << (bit & 7))) {
        const bucket = byHash.get(h);
        if (bucket) {
          for (const j of bucket) {
            const other = distinct[j];
            if (foundIn[j] === r || other.length >= n || i + other.length > n || !text.startsWith(other, i)) continue;
            foundIn[j] = r;
            held += copies.get(other)! * other.length;
          }
        }
      }
      if (i + WIDTH >= n) break;
      h = (Math.imul(h - Math.imul(text.charCodeAt(i), LEAVING), BASE) + text.charCodeAt(i + WIDTH)) | 0;
    }
    out[r] = Math.min(1, held / n);
  }
  return out;
}
