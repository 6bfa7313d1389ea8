/**
 * Character-level helpers shared by the steps. "Whitespace" is exactly JavaScript's `\s`, so that
 * the contract's invariant (input minus removed spans, whitespace collapsed, equals `text`) can be
 * checked by anyone with a one-line `replace(/\s+/g, ' ')`.
 */
import { isBidiControl, isUnspaced, segmentWords, type WordSegments } from './words';

/** True for every code unit matched by `/\s/`. */
export function isWhitespace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** Line breaks that end a block. Only characters inside `\s`, for the invariant's sake. */
export function isLineBreak(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c || c === 0x2028 || c === 0x2029;
}

const WS_RUN = /\s+/g;
/** Collapses every whitespace run to one space and trims: the contract's normalisation. */
export function collapseWhitespace(s: string): string {
  return s.replace(WS_RUN, ' ').trim();
}

/** True when collapseWhitespace(s) === s: saves a copy for the common, already-clean block. */
export function isCollapsed(s: string): boolean {
  if (s.length === 0) return true;
  if (isWhitespace(s.charCodeAt(0)) || isWhitespace(s.charCodeAt(s.length - 1))) return false;
  let prevSpace = false;
  for (let i = 1; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20) {
      if (prevSpace) return false;
      prevSpace = true;
    } else if (isWhitespace(c)) return false;
    else prevSpace = false;
  }
  return true;
}

/**
 * Converts sorted UTF-16 offsets to code point offsets in one pass. `sorted` must be ascending;
 * the answer is in the same order.
 */
export function toCodePointOffsets(input: string, sorted: number[]): number[] {
  const out = new Array<number>(sorted.length);
  let unit = 0;
  let points = 0;
  for (let k = 0; k < sorted.length; k++) {
    const target = sorted[k];
    while (unit < target) {
      const c = input.charCodeAt(unit);
      // A high surrogate followed by a low one is one code point; a lone surrogate counts as one.
      if (c >= 0xd800 && c <= 0xdbff && unit + 1 < input.length) {
        const d = input.charCodeAt(unit + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          // A span boundary never falls inside a pair (rules run with the `u` flag), but guard anyway.
          unit += unit + 2 <= target ? 2 : 1;
          points++;
          continue;
        }
      }
      unit++;
      points++;
    }
    out[k] = points;
  }
  return out;
}

/** Number of letters in the string; words and sentence-likeness are measured on letters. */
export function countLetters(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && !isWhitespace(c))) n++;
  }
  return n;
}

/** Converts removals' UTF-16 offsets into code-point offsets of the same input, in place. */
export function removalsToCodePoints(input: string, removed: { start: number; end: number }[]): void {
  const offsets: number[] = [];
  for (const r of removed) offsets.push(r.start, r.end);
  const points = toCodePointOffsets(input, offsets);
  for (let i = 0; i < removed.length; i++) {
    removed[i].start = points[2 * i];
    removed[i].end = points[2 * i + 1];
  }
}

/**
 * Words as runs of non-space characters (ASCII whitespace and the no-break space separate them);
 * bidi controls are not words by themselves. Text in a script written without spaces (Chinese,
 * Japanese, Thai…) counts the words Intl.Segmenter finds (engine/words.ts), from the document's
 * `segments` when the caller has them.
 */
export function countWords(s: string, segments?: WordSegments): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x61c) {
      if (isBidiControl(c)) continue;
      if (c >= 0xe00 && isUnspaced(c)) return segmentWords(s, segments).length;
    }
    const space = c === 32 || (c >= 9 && c <= 13) || c === 0xa0;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}
