/**
 * How consecutive lines of a dump join. Scrapers that keep <br> breaks cut one paragraph into
 * lines with single line breaks between them, and a break in the middle of a sentence is the
 * mark of wrapped prose: menus and lists never run on from one item into the next.
 */
import { restWords, type Block } from './segment';
import { countWords, isWhitespace } from './text';
import { isScriptSentenceStop, type WordSegments } from './words';

/** True when exactly one line break separates two blocks: they belong to one paragraph. */
export function oneLineBreakBetween(input: string, from: number, to: number): boolean {
  let breaks = 0;
  for (let i = from; i < to; i++) {
    const c = input.charCodeAt(i);
    if (c === 0x0a) breaks++;
    else if (c === 0x0d && input.charCodeAt(i + 1) !== 0x0a) breaks++;
    else if (c === 0x2028 || c === 0x2029) breaks++;
    if (breaks > 1) return false;
  }
  return breaks === 1;
}

/** Starts with a lower-case letter: the rest of a sentence, not the start of an item. */
export function startsLowerCase(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c >= 0x61 && c <= 0x7a) return true;
  if (c <= 0x7f) return false;
  const ch = text[0];
  return ch.toLowerCase() === ch && ch.toUpperCase() !== ch;
}

/**
 * Ends like a sentence (. ! ? …, CJK stops and the danda and its kin, perhaps inside closing quotes or brackets):
 * /[.!?…。！？][”"’')\]」»]*\s*$/u, read backwards from the end instead of tried at every position.
 */
export function closesSentence(text: string): boolean {
  let end = text.length;
  while (end > 0 && isWhitespace(text.charCodeAt(end - 1))) end--;
  while (end > 0 && isSentenceCloser(text.charCodeAt(end - 1))) end--;
  if (end === 0) return false;
  const c = text.charCodeAt(end - 1);
  return c === 0x2e || c === 0x21 || c === 0x3f || c === 0x2026 || c === 0x3002 || c === 0xff01 || c === 0xff1f || (c >= 0x589 && isScriptSentenceStop(c));
}

/** ” " ’ ' ) ] 」 » */
function isSentenceCloser(c: number): boolean {
  return c === 0x201d || c === 0x22 || c === 0x2019 || c === 0x27 || c === 0x29 || c === 0x5d || c === 0x300d || c === 0xbb;
}

/**
 * A line break that cuts a sentence: the first line does not close a sentence and the next one
 * starts with a lower-case letter. Menu items start with capitals or digits; wrapped prose
 * continues mid-sentence.
 */
export function runsOn(firstEndsSentence: boolean, nextText: string): boolean {
  return !firstEndsSentence && startsLowerCase(nextText);
}

/**
 * A wrapped paragraph this long is prose whatever its lines look like; shorter groups of
 * lower-case lines ("mom / style / food", a menu written in lower case) are not.
 */
const WRAPPED_MIN_WORDS = 20;

/**
 * For every block, whether it is a line of wrapped prose: its paragraph (lines joined by single
 * breaks) has a sentence running on over a line break next to it, and is long enough to be
 * prose. Such a line is never a menu item or a repeated caption, however short.
 */
export function wrappedProseLines(input: string, blocks: readonly Block[], segments?: WordSegments): Uint8Array {
  const n = blocks.length;
  const out = new Uint8Array(n);
  // joint[i]: block i runs on into block i + 1.
  const joint = new Uint8Array(n);
  for (let i = 0; i + 1 < n; i++) {
    if (!oneLineBreakBetween(input, blocks[i].end, blocks[i + 1].start)) continue;
    joint[i] = 2; // same paragraph
    if (runsOn(closesSentence(blocks[i].text), blocks[i + 1].text)) joint[i] = 1 | 2 | 4;
  }
  let first = 0;
  while (first < n) {
    let last = first;
    while (last + 1 < n && joint[last] & 2) last++;
    if (last > first) {
      let words = 0;
      let anyRunOn = false;
      for (let i = first; i <= last; i++) {
        words += blocks[i].text === blocks[i].rest ? restWords(blocks[i], segments) : countWords(blocks[i].text, segments);
        if (i < last && joint[i] & 4) anyRunOn = true;
      }
      if (anyRunOn && words >= WRAPPED_MIN_WORDS) {
        for (let i = first; i <= last; i++) {
          if ((i < last && joint[i] & 4) || (i > first && joint[i - 1] & 4)) out[i] = 1;
        }
      }
    }
    first = last + 1;
  }
  return out;
}
