/**
 * Words of scripts written without spaces, and the invisible marks of right-to-left text.
 *
 * Chinese, Japanese, Thai (and Lao, Khmer, Burmese) put no space between words: split on spaces,
 * a Thai paragraph is one giant token and a Chinese one is either that or, counted by character,
 * three times as many "words" as it has. `Intl.Segmenter` (ICU's dictionaries) finds the words.
 * Korean is spaced, but its old treatment counted each syllable as a word: it takes the same path.
 * Only text that holds one of these scripts does: everything else keeps the fast character loops.
 *
 * Bidi controls and marks (LRM, RLM, ALM, the embeddings, overrides and isolates) steer how
 * right-to-left text is displayed; they are neither words nor word breaks.
 */

/** U+061C, U+200E–F, U+202A–E, U+2066–9: bidi marks and controls. */
export function isBidiControl(c: number): boolean {
  return c === 0x200e || c === 0x200f || c === 0x061c || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The text without its bidi controls (the same string when it has none). */
export function stripBidi(s: string): string {
  // Scanning first saves the regex and the copy for the usual text, which has none.
  for (let i = 0; i < s.length; i++) {
    if (isBidiControl(s.charCodeAt(i))) return s.replace(BIDI, '');
  }
  return s;
}

/** Han, kana and hangul: each character says about as much as a short word of a spaced script. */
export function isCjk(c: number): boolean {
  return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff);
}

/** Scripts whose words need a dictionary to find: Thai, Lao, Khmer, Burmese, and CJK. */
export function isUnspaced(c: number): boolean {
  return isCjk(c) || isUnspacedNonCjk(c);
}

/** Thai, Lao, Khmer and Burmese: unspaced scripts outside CJK, where splitting on spaces gives whole clauses. */
export function isUnspacedNonCjk(c: number): boolean {
  return (c >= 0x0e00 && c <= 0x0eff) || (c >= 0x1780 && c <= 0x17ff) || (c >= 0x1000 && c <= 0x109f);
}

export function hasUnspacedScript(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xe00 && isUnspaced(c)) return true;
  }
  return false;
}

/**
 * One segmenter for every document. The locale is fixed so that results do not depend on the
 * machine's; ICU picks the dictionary by script, not by locale (the same words for zh, ja, th
 * under "en" as under their own locales).
 */
let SEGMENTER: Intl.Segmenter | undefined;

/** The word-like segments of `text` (letters or digits), bidi controls taken out. */
export function segmentWords(text: string): string[] {
  SEGMENTER ??= new Intl.Segmenter('en', { granularity: 'word' });
  const out: string[] = [];
  for (const s of SEGMENTER.segment(text)) {
    if (!s.isWordLike) continue;
    const w = stripBidi(s.segment);
    if (w.length > 0) out.push(w);
  }
  return out;
}
