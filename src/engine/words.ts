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

/**
 * Sentence stops of scripts that do not use the full stop: the Devanagari danda and double danda
 * (Hindi, Marathi, Nepali, and Bengali writes them too), the Arabic question mark and the Urdu full
 * stop, the Armenian full stop, the Ethiopic full stop, the Burmese section marks and the Khmer
 * khan. Read as letters, they glued themselves to the last word of every Hindi sentence ("है।"
 * missed the stopword list) and no Hindi paragraph ever ended like a sentence.
 */
export function isScriptSentenceStop(c: number): boolean {
  return (
    c === 0x0964 || c === 0x0965 || c === 0x061f || c === 0x06d4 || c === 0x0589 || c === 0x1362 || c === 0x104a || c === 0x104b || c === 0x17d4 || c === 0x17d5
  );
}

/** Han, kana and hangul: each character says about as much as a short word of a spaced script. */
export function isCjk(c: number): boolean {
  return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff);
}

/**
 * A Chinese or Japanese word is one to two characters where an English one is five or six with
 * its space: a CJK character counts as three characters wherever a length decides (the scorer's
 * length features, a topic word's length, the duplicate rule's bounds, a headline's length).
 */
export const CJK_CHAR_WEIGHT = 3;

/** `s.length` with each CJK character counted as CJK_CHAR_WEIGHT characters. */
export function weightedLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x3040 && isCjk(c)) n += CJK_CHAR_WEIGHT - 1;
  }
  return n;
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
 * One segmenter for every document (it holds no state between texts: made once, as a constant
 * would be, only on the first text that needs it). The locale is fixed so that results do not depend on the
 * machine's; ICU picks the dictionary by script, not by locale (the same words for zh, ja, th
 * under "en" as under their own locales).
 */
let SEGMENTER: Intl.Segmenter | undefined;

/** A text's word-like segments (bidi controls taken out, none empty) and where each starts in it. */
export interface SegmentWords {
  words: readonly string[];
  starts: readonly number[];
}

/**
 * The segmenter's words of the texts one document has segmented, by text. A line of Chinese or
 * Japanese is segmented three times a document: its word count (countWords, on the line), its
 * shape (the scorer, lower-cased) and its topic words (lower-cased, bidi marks out), and these are
 * the same string when the line has no capital or mark, as CJK lines mostly do. The segmenter
 * costs about a microsecond a character (ICU), so it was a twentieth of the engine's time on the
 * dev texts; the same text gives the same segments, so the answers do not change. One cache a
 * document (DocContext owns it), so the engine keeps no state between documents and a
 * long-running process holds nothing once a document is done.
 */
export class WordSegments {
  private readonly byText = new Map<string, SegmentWords>();

  /** The segmenter's words of `text` and where each starts, segmented once a document. */
  of(text: string): SegmentWords {
    let found = this.byText.get(text);
    if (found === undefined) {
      found = segmentedWords(text);
      this.byText.set(text, found);
      this.keepLowerCased(text, found);
    }
    return found;
  }

  /**
   * A line is asked for as it stands (its word count) and lower-cased (its shape, topic and
   * headline words): when lower-casing changes only letters, one for one, the lower-cased line's
   * segments are the same stretches lower-cased, for a word boundary does not depend on a letter's
   * case. Kept without a second pass of the segmenter, which was a fifth of the characters it read
   * on the dev texts (Latin names and acronyms in CJK lines). Not for a line with bidi marks, whose
   * words are shorter than their segments.
   */
  private keepLowerCased(text: string, found: SegmentWords): void {
    const lower = text.toLowerCase();
    if (lower === text || lower.length !== text.length || this.byText.has(lower) || stripBidi(text) !== text) return;
    const { words, starts } = found;
    const lowered = new Array<string>(words.length);
    for (let k = 0; k < words.length; k++) lowered[k] = lower.slice(starts[k], starts[k] + words[k].length);
    this.byText.set(lower, { words: lowered, starts });
  }
}

function segmentedWords(text: string): SegmentWords {
  SEGMENTER ??= new Intl.Segmenter('en', { granularity: 'word' });
  const words: string[] = [];
  const starts: number[] = [];
  for (const s of SEGMENTER.segment(text)) {
    if (!s.isWordLike) continue;
    const w = stripBidi(s.segment);
    if (w.length === 0) continue;
    words.push(w);
    starts.push(s.index);
  }
  return { words, starts };
}

/**
 * The word-like segments of `text` (letters or digits), bidi controls taken out (shared: not to be
 * changed); from the document's `segments` when the caller has them, else segmented afresh.
 */
export function segmentWords(text: string, segments?: WordSegments): readonly string[] {
  return wordSegmentsOf(text, segments).words;
}

/** The word-like segments of `text` and where each starts (as segmentWords gives them). */
export function wordSegmentsOf(text: string, segments?: WordSegments): SegmentWords {
  return segments ? segments.of(text) : segmentedWords(text);
}

/**
 * A stretch between spaces of at least this many words is a clause. Thai menus, labels and tags
 * are one or two words a stretch ("หน้าแรก สูตรอาหาร ขนม"); a clause has a subject and a verb.
 */
const MIN_CLAUSE_WORDS = 3;

export interface SegmentedText {
  words: string[];
  /** Spaces that close a clause with more text after them: Thai's and Lao's sentence breaks. */
  clauseBreaks: number;
  /** The text has a clause break and its last stretch is a clause: it ends like a sentence. */
  endsClause: boolean;
}

/**
 * Words as segmentWords finds them and, for Thai and Lao, which write no sentence punctuation
 * (a space is where a full stop or a comma would be), the clause breaks between them. A single
 * stretch (a headline, a label) never ends like a sentence: only prose has a break in it.
 */
export function segmentClauses(text: string): SegmentedText {
  SEGMENTER ??= new Intl.Segmenter('en', { granularity: 'word' });
  const words: string[] = [];
  let clauseBreaks = 0,
    stretch = 0,
    closed = false,
    pending = false;
  for (const s of SEGMENTER.segment(text)) {
    if (!s.isWordLike) {
      if (stretch > 0 && isWhitespace(s.segment)) {
        pending = stretch >= MIN_CLAUSE_WORDS;
        stretch = 0;
      }
      continue;
    }
    const w = stripBidi(s.segment);
    if (w.length === 0) continue;
    if (pending) {
      clauseBreaks++;
      closed = true;
      pending = false;
    }
    words.push(w);
    stretch++;
  }
  return { words, clauseBreaks, endsClause: closed && stretch >= MIN_CLAUSE_WORDS };
}

function isWhitespace(s: string): boolean {
  return s.trim().length === 0;
}

/**
 * Chinese as blogs and forums often write it, with a space where the comma or the full stop would
 * be: a stretch of Chinese or Japanese between spaces (isClauseSpace) that holds at least this
 * many CJK words is a clause, as a Thai one is (segmentClauses), and the space after it a sentence
 * break (features/shape.ts). Without this, every line of such an article read as a label (no
 * sentence end) and the scorer dropped the article (readability-dev pixnet).
 * Measured with the shipped weights on the dev sets (text F1, title echo in words before): with
 * four, readability-dev pixnet 0.253 → 0.789 and gmw 0.982 → 0.968 (its dateline "来源：
 * 网易科学人 作者： …" stays), nothing else moved; with three, pixnet 0.785, youth 1.0 → 0.971
 * and readability-dev's HTML F1 under its floor (0.9622 → 0.9619). Counting every word (dates, Latin names) and ending a clause on a
 * digit kept Japanese news teasers ("…の憂鬱 現代ビジネス 3/9(木) 18:01"): yahoo-4 0.952 → 0.833.
 */
export const MIN_CJK_CLAUSE_WORDS = 4;

/** The space, the no-break space and the ideographic space: what parts two clauses of Chinese. */
export function isClauseSpace(c: number): boolean {
  return c === 0x20 || c === 0xa0 || c === 0x3000;
}
