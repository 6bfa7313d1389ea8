/**
 * One pass over a block's characters: the counts that boilerpipe-style "shallow text features"
 * are made of. Pure and allocation-free except for the lower-cased word list, which the topic
 * and stopword features share (as word ids when the scorer passes its document's word table).
 */
import { foldHash, type WordIds } from './word-ids';
import {
  isBidiControl,
  isCjk,
  isClauseSpace,
  isScriptSentenceStop,
  isUnspacedNonCjk,
  MIN_CJK_CLAUSE_WORDS,
  segmentClauses,
  stripBidi,
  wordSegmentsOf,
  type WordSegments,
} from '../words';

export interface BlockShape {
  chars: number;
  /** Ideographs, kana and hangul: each says about as much as a short word of a spaced script. */
  cjk: number;
  /**
   * Runs of letters or digits; each CJK character counts as a word of its own; in Thai, Lao,
   * Khmer and Burmese, the words Intl.Segmenter finds (engine/words.ts). CJK stays by character
   * here because the scorer's weights were learnt that way: with segmented CJK words the dev sets'
   * Chinese and Japanese pages gained (readability-dev pixnet text F1 0.161 → 0.228, aeb-dev's
   * Japanese page 0.865 → 0.894) but pixnet's HTML fell 0.677 → 0.634 and leave-one-source-out
   * aeb-dev 0.891 → 0.885, under its floor (0.887): it needs the text model retrained with them.
   * Word counts elsewhere (countWords) and the topic vocabulary use the segmenter for CJK too, and
   * so does the title echo (`segmented`).
   */
  words: number;
  /** Words that contain a letter. */
  letterWords: number;
  /** Letter words whose first letter is upper case. */
  titleWords: number;
  letters: number;
  digits: number;
  /** . ! ? followed by a space and a capital or digit: a sentence boundary inside the block. */
  innerSentenceEnds: number;
  commas: number;
  /** | • · » › and friends: what menus and breadcrumbs are glued with. */
  separators: number;
  /** The last visible character closes a sentence (. ! ? … possibly inside quotes or brackets). */
  endsSentence: boolean;
  /** Starts with a bullet, a dash or "1." / "2)". */
  listMarker: boolean;
  /** Lower-cased words, for stopword and topic lookups (empty when shapeOf was given a word table: see `ids`). */
  lower: string[];
  /** With a word table: the table's ids of the words `lower` would hold, in order; null without one. */
  ids: number[] | null;
  /**
   * `lower` with each run of CJK characters cut into the segmenter's words (null without CJK, or
   * when shapeOf was asked for no CJK words): the words a line shares with the page title. By character, any Chinese line shared 的, 家 or
   * 新 with any title.
   */
  segmented: string[] | null;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
/**
 * Letters outside ASCII, approximately: Latin-1 letters and everything above the general
 * punctuation, symbol and CJK punctuation ranges. Exactness does not matter for the features;
 * speed does.
 */
function isOtherLetter(c: number): boolean {
  if (c < 0xc0) return c === 0xaa || c === 0xb5 || c === 0xba;
  if (c === 0xd7 || c === 0xf7) return false;
  if (c >= 0x2000 && c <= 0x2bff) return false;
  if (c >= 0x3000 && c <= 0x303f) return false;
  if (c >= 0xfe30 && c <= 0xfe4f) return false;
  if (c >= 0xff00 && c <= 0xff20) return false;
  if (c >= 0xd800 && c <= 0xdfff) return false; // emoji halves
  // Punctuation of other scripts: the danda and its kin end sentences (isSentenceEnd), the
  // Arabic comma and semicolon separate clauses; none is part of a word.
  if (c >= 0x589 && c <= 0x17d5 && (isScriptSentenceStop(c) || c === 0x60c || c === 0x61b)) return false;
  return true;
}
function isSeparator(c: number): boolean {
  // | • · » « › ‹ ▪ ► ◄ ★ ☆
  return (
    c === 0x7c ||
    c === 0x2022 ||
    c === 0xb7 ||
    c === 0xbb ||
    c === 0xab ||
    c === 0x203a ||
    c === 0x2039 ||
    c === 0x25aa ||
    c === 0x25ba ||
    c === 0x25c4 ||
    c === 0x2605 ||
    c === 0x2606
  );
}
function isSentenceEnd(c: number): boolean {
  return c === 0x2e || c === 0x21 || c === 0x3f || c === 0x2026 || c === 0x3002 || c === 0xff01 || c === 0xff1f || (c >= 0x589 && isScriptSentenceStop(c));
}
/**
 * A letter with no upper and lower case (Arabic, Hebrew, Devanagari…): a sentence may start with
 * any. CJK is left out: its sentences end with 。, counted apart, and the scorer's CJK weights were
 * learnt without this (readability-dev's pixnet page lost precision with it).
 */
function isCaseless(c: number): boolean {
  if (isCjk(c)) return false;
  const ch = String.fromCharCode(c);
  return ch.toUpperCase() === ch && ch.toLowerCase() === ch;
}
/** Quotes and closing brackets that may follow the full stop of a sentence. */
function isCloser(c: number): boolean {
  return c === 0x22 || c === 0x27 || c === 0x29 || c === 0x5d || c === 0x201d || c === 0x2019 || c === 0xbb || c === 0x300d;
}
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || (c >= 0x2000 && c <= 0x200a);
}

/**
 * `s.toLowerCase()`, written once outside shapeOf's loop. With the call in the loop's body, V8
 * (Node 20's TurboFan, after the HTML engine's mix of pages had optimised shapeOf) scheduled the
 * lower-casing, a pure operation to it, inside the loop: a copy of the whole block at every letter,
 * quadratic in the block's length (an 866-character paragraph allocated 1.5 MB). cleanHtml on
 * aeb-dev: 4.99 -> 1.39 MB allocated a page (inspector heap sampling with collected objects).
 * Results are the same strings.
 */
function lowerCased(s: string): string {
  return s.toLowerCase();
}

/**
 * `cjkWords`: read Chinese and Japanese in the segmenter's words as well (`segmented`, and clauses
 * parted by spaces); false for the HTML scorer (DocContext.scorerCjkWords). `table`: give the
 * words as its ids (`ids`) instead of strings. `source`, `at`: where the same characters stand in
 * one flat string, `text === source.slice(at, at + text.length)` (a block's line in the document's
 * input): a block's text is a slice of the input, and reading a slice costs an indirection a
 * character (three times the time of reading the input itself). `segments`: the document's
 * segmenter words (DocContext), so that a CJK line is segmented once for every use.
 */
export function shapeOf(text: string, cjkWords = true, table?: WordIds, source = text, at = 0, segments?: WordSegments): BlockShape {
  const n = text.length;
  // The block lower-cased, made at its first letter beyond ASCII: lower-casing a line of a page
  // with any character beyond Latin-1 (a curly quote) takes the slow path and was a third of this
  // pass, while an ASCII letter lower-cases by itself. Until then every word is ASCII.
  let lowerText: string | null = null;
  // Lower-casing may change the length (rare: "İ"); then words are lower-cased one at a time.
  let aligned = true;
  // (No closure here: a variable any closure reads lives in a heap context, and the loop reads these.)
  const lower: string[] = [];
  const ids: number[] | null = table ? [] : null;

  let words = 0,
    letterWords = 0,
    titleWords = 0,
    letters = 0,
    digits = 0,
    cjk = 0;
  let innerSentenceEnds = 0,
    commas = 0,
    separators = 0;
  let wordStart = -1;
  let wordHasLetter = false;
  let wordHasBidi = false;
  let unspaced = false;
  let thai = false;
  // The current word's hash over its lower-cased codes, for the table (word-ids.ts).
  let hash = 0;
  for (let i = 0; i < n; i++) {
    const c = source.charCodeAt(at + i);
    let ascii: boolean, letter: boolean;
    let cjkChar = false;
    // ASCII, most of every page, is no bidi mark, no unspaced script and no CJK: two tests, not ten.
    if (c < 0x80) ascii = letter = isAsciiLetter(c);
    else {
      // Right-to-left marks and controls are neither letters nor word breaks: "كلمة\u200fأخرى" is
      // one word with an invisible mark in it, and a mark alone is no word.
      if (c >= 0x61c && isBidiControl(c)) {
        if (wordStart >= 0) wordHasBidi = true;
        continue;
      }
      if (c >= 0xe00 && !unspaced && isUnspacedNonCjk(c)) {
        unspaced = true;
        thai = c <= 0xeff;
      }
      cjkChar = isCjk(c);
      ascii = false;
      letter = !cjkChar && isOtherLetter(c);
      if (letter && lowerText === null) {
        lowerText = lowerCased(text);
        aligned = lowerText.length === n;
      }
    }
    const digit = !letter && isDigit(c);
    if (letter || digit) {
      if (wordStart < 0) {
        wordStart = i;
        wordHasLetter = false;
        wordHasBidi = false;
        hash = 0;
        if (letter) {
          const upper = ascii ? c <= 0x5a : aligned && lowerText!.charCodeAt(i) !== c;
          if (upper) titleWords++;
        }
      }
      // An ASCII letter or digit lower-cases by setting one bit; others as toLowerCase did.
      if (ids !== null) hash = foldHash(hash, c < 0x80 ? c | 0x20 : lowerText!.charCodeAt(i));
      if (letter) {
        wordHasLetter = true;
        letters++;
      } else digits++;
      continue;
    }
    if (wordStart >= 0) {
      words++;
      if (wordHasLetter) letterWords++;
      if (ids !== null) ids.push(wordId(table!, text, lowerText, aligned, wordStart, i, wordHasBidi, hash, source, at));
      else lower.push(wordOf(text, lowerText, aligned, wordStart, i, wordHasBidi));
      wordStart = -1;
    }
    if (cjkChar) {
      words++;
      letterWords++;
      letters++;
      cjk++;
      if (ids !== null) ids.push(table!.idOfRange(text, i, i + 1, foldHash(0, c)));
      else lower.push(text[i]);
      continue;
    }
    if (c === 0x2c || c === 0x3001 || c === 0xff0c || c === 0x60c) commas++;
    else if (isSeparator(c)) separators++;
    else if (isSentenceEnd(c) && i + 2 < n && isSpace(text.charCodeAt(i + 1))) {
      const next = text.charCodeAt(i + 2);
      // A capital after the stop, or a letter of a script without capitals (Hebrew, Arabic,
      // Devanagari), where every sentence would otherwise run into the next.
      if (
        isDigit(next) ||
        (isAsciiLetter(next)
          ? next <= 0x5a
          : isOtherLetter(next) && (aligned = (lowerText ??= lowerCased(text)).length === n) && (lowerText!.charCodeAt(i + 2) !== next || isCaseless(next)))
      )
        innerSentenceEnds++;
    } else if (c === 0x3002) innerSentenceEnds++;
  }
  if (wordStart >= 0) {
    words++;
    if (wordHasLetter) letterWords++;
    if (ids !== null) ids.push(wordId(table!, text, lowerText, aligned, wordStart, n, wordHasBidi, hash, source, at));
    else lower.push(wordOf(text, lowerText, aligned, wordStart, n, wordHasBidi));
  }
  let last = n - 1;
  while (last >= 0 && (isSpace(text.charCodeAt(last)) || isCloser(text.charCodeAt(last)))) last--;
  let endsSentence = last >= 0 && isSentenceEnd(text.charCodeAt(last));
  if (unspaced) {
    // Thai and its neighbours: the words are the segmenter's, and so are the counts made of
    // them (the other counts do not depend on where words end).
    const segmented = segmentClauses((lowerText ??= text.toLowerCase()));
    lower.length = 0;
    if (ids !== null) ids.length = 0;
    letterWords = 0;
    for (const w of segmented.words) {
      if (ids !== null) ids.push(table!.idOf(w));
      else lower.push(w);
      if (hasLetter(w)) letterWords++;
    }
    words = segmented.words.length;
    // Thai and Lao write no full stop: their sentences end at spaces (words.ts). Without this,
    // no Thai paragraph ended like a sentence or held one, and the scorer dropped most of them.
    if (thai && innerSentenceEnds === 0 && !endsSentence) {
      innerSentenceEnds = segmented.clauseBreaks;
      endsSentence = segmented.endsClause;
    }
  }
  let segmented: string[] | null = null;
  if (cjkWords && cjk > 0 && !unspaced) {
    // One pass of the segmenter over the block: its words, and the clauses of Chinese parted by
    // spaces (words.ts MIN_CJK_CLAUSE_WORDS), counted in CJK words since the last such space.
    lowerText ??= text.toLowerCase();
    aligned = lowerText.length === n;
    const { seg, stretchWords, clauseBreaks } = cjkClauses(text, lowerText, aligned, segments);
    segmented = seg;
    if (clauseBreaks > 0 && innerSentenceEnds === 0 && !endsSentence) {
      // The last stretch ends a sentence when it is a clause and ends in CJK: a date or a name
      // after it ("…の憂鬱 現代ビジネス 3/9(木) 18:01") is a teaser's or a dateline's end.
      innerSentenceEnds = clauseBreaks;
      endsSentence = stretchWords >= MIN_CJK_CLAUSE_WORDS && last >= 0 && isCjk(text.charCodeAt(last));
    }
  }
  return {
    chars: n,
    cjk,
    words,
    letterWords,
    titleWords,
    letters,
    digits,
    innerSentenceEnds,
    commas,
    separators,
    endsSentence,
    listMarker: startsWithListMarker(text),
    lower,
    ids,
    segmented: unspaced ? null : segmented,
  };
}

/** The segmenter's words of a block with CJK (lower-cased: `lower`), and its clauses of Chinese parted by spaces. */
function cjkClauses(
  text: string,
  lower: string,
  aligned: boolean,
  segments: WordSegments | undefined,
): { seg: string[]; stretchWords: number; clauseBreaks: number } {
  const seg: string[] = [];
  let stretchWords = 0,
    clauseBreaks = 0,
    cjkEnd = -1;
  const { words, starts } = wordSegmentsOf(lower, segments);
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    const at = starts[k];
    seg.push(w);
    if (!aligned || !isCjk(w.charCodeAt(0))) continue;
    if (cjkEnd >= 0 && at > cjkEnd && onlyClauseSpaces(text, cjkEnd, at)) {
      if (stretchWords >= MIN_CJK_CLAUSE_WORDS) clauseBreaks++;
      stretchWords = 0;
    }
    stretchWords++;
    cjkEnd = at + w.length;
  }
  return { seg, stretchWords, clauseBreaks };
}

/** The word text[start, end) lower-cased, without its bidi marks. */
function wordOf(text: string, lowerText: string | null, aligned: boolean, start: number, end: number, bidi: boolean): string {
  const w = lowerText !== null && aligned ? lowerText.slice(start, end) : text.slice(start, end).toLowerCase();
  return bidi ? stripBidi(w) : w;
}

/** The table's id of that word: found by its letters in place, unless lower-casing or bidi marks make it a string of its own. */
function wordId(
  table: WordIds,
  text: string,
  lowerText: string | null,
  aligned: boolean,
  start: number,
  end: number,
  bidi: boolean,
  hash: number,
  source: string,
  at: number,
): number {
  if (bidi) return table.idOf(wordOf(text, lowerText, aligned, start, end, bidi));
  // Not lower-cased yet: the word is ASCII letters and digits, compared lower-cased in place.
  if (lowerText === null) return table.idOfRange(source, at + start, at + end, hash, true);
  if (aligned) return table.idOfRange(lowerText, start, end, hash);
  return table.idOf(wordOf(text, lowerText, aligned, start, end, bidi));
}

/** Between two runs of CJK, only spaces: where a clause of Chinese written without punctuation ends. */
function onlyClauseSpaces(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isClauseSpace(text.charCodeAt(i))) return false;
  return true;
}

function hasLetter(w: string): boolean {
  for (let i = 0; i < w.length; i++) if (!isDigit(w.charCodeAt(i))) return true;
  return false;
}

function startsWithListMarker(text: string): boolean {
  const c = text.charCodeAt(0);
  // - * • ▪ ► ✓ – —
  if (c === 0x2d || c === 0x2a || c === 0x2022 || c === 0x25aa || c === 0x25ba || c === 0x2713 || c === 0x2013 || c === 0x2014) {
    return text.length > 1 && isSpace(text.charCodeAt(1));
  }
  let i = 0;
  while (i < text.length && i < 3 && isDigit(text.charCodeAt(i))) i++;
  if (i === 0 || i >= text.length) return false;
  const after = text.charCodeAt(i);
  return (after === 0x2e || after === 0x29) && i + 1 < text.length && isSpace(text.charCodeAt(i + 1));
}
