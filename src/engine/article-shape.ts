/**
 * Do no harm to clean input. A client may send text that is already the article (a clean body
 * copied from a CMS, an earlier declutter result): no page furniture, mostly prose, no menus.
 * The article scorer and the structural rules (menu runs, repeated blocks) were learnt on whole
 * page dumps and would cut such a text's short lines, lists and first line (which they read as
 * the page's `<title>`). For text shaped like an article only the explicit furniture rules (the
 * phrase and pattern lists, which name what they remove) apply.
 */
import type { DocContext } from './context';
import { countWords } from './text';

/*
 * The cut-offs below were chosen on the gold bodies (clean) and the page dumps of all six
 * labelled sources (scripts/clean-input-damage.js, scripts/cross-validate.js): with them the gold
 * bodies of aeb-dev / readability-dev / l3s-gn1 lose 8.8% / 11.2% / 5.2% of their non-space
 * characters -> 3.9% / 7.6% / 1.5%, and the dumps' F1 moves by less than 0.005 on every source (a
 * dump that passes is nearly all article anyway). Prose share 0.6 or 0.75 spared fewer bodies at
 * no gain on dumps; furniture 0.04 cost dragnet and l3s-gn1 0.004; 0.01 spared fewer.
 */
/** Explicit rules removed at most this share of the text's non-space characters: no furniture found. */
const MAX_FURNITURE = 0.02;
/** At least this share of the remaining characters is in prose blocks. */
const MIN_PROSE = 0.5;
/** A prose block: a sentence or more. */
const PROSE_WORDS = 12;
/**
 * No run of more short non-sentence lines than this: four is where the menu kind starts to look
 * (kinds/menu.ts), so a text with a run it could judge is not spared. (6 spared a few more list
 * articles but also a page dump with a five-item menu at each end.)
 */
export const MAX_SHORT_RUN = 3;
/** A line of at most this many words that does not end like a sentence is a menu item candidate. */
export const SHORT_WORDS = 5;
/**
 * Fewer blocks than this are not spared: a short page dump (a title, a heading or two and a few
 * paragraphs) reads like prose too. Sparing every text of three blocks or more took readability-dev
 * precision to 0.921 (floor 0.93: its test pages put a title and headings the gold leaves out above
 * a few paragraphs); 6 gives 0.933, 10 gives 0.935 but spares fewer bodies (aeb-dev 5.1% lost).
 */
const MIN_BLOCKS = 6;

/** Two or more menu separators between words. */
const MENU_SEPARATORS = /\s[|•·]\s.*\s[|•·]\s/u;
/** A post count after a category or archive link ("Politics (12)"), as kinds/menu.ts reads it. */
// No leading \s*: tried at every position of a long run of spaces (a line whose matches were
// removed), it made this pass quadratic; the space before the count is trimmed after instead.
const COUNT_SUFFIX = /\(\d{1,6}\)$/u;
const SENTENCE_END = /[.!?…:;"”’)\]»。！？」]$/u;
const nonSpace = (s: string) => {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xa0) n++;
  }
  return n;
};

/**
 * True when what the explicit rules left reads as an article rather than a page dump. Called once
 * per text document, after the inline and block rules and before the document rules.
 */
export function looksLikeArticle(doc: DocContext): boolean {
  let total = 0,
    removed = 0,
    prose = 0,
    kept = 0,
    blocks = 0,
    run = 0,
    longest = 0;
  for (const b of doc.blocks) {
    const all = nonSpace(b.text);
    total += all;
    if (b.removedBy >= 0) {
      removed += all;
      continue;
    }
    const rest = b.rest.trim();
    const left = nonSpace(rest);
    removed += all - left;
    if (left === 0) continue;
    blocks++;
    kept += left;
    // A line of links joined by separators ("Privacy | Terms | Contact") is a menu by itself.
    if (MENU_SEPARATORS.test(rest)) return false;
    const item = rest.replace(COUNT_SUFFIX, '').trimEnd();
    const words = countWords(item);
    const sentence = SENTENCE_END.test(item);
    if (words >= PROSE_WORDS && sentence) prose += left;
    if (words <= SHORT_WORDS && !sentence) longest = Math.max(longest, ++run);
    else run = 0;
  }
  if (total === 0 || removed > MAX_FURNITURE * total) return false;
  if (blocks < MIN_BLOCKS) return false;
  return prose >= MIN_PROSE * kept && longest <= MAX_SHORT_RUN;
}
