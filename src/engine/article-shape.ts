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
 * labelled sources (scripts/clean-input-damage.js, scripts/cross-validate.js): with them the
 * gold bodies of aeb-dev / readability-dev / l3s-gn1 lose 8.8% / 11.2% / 5.2% of their
 * characters -> about 3.3% / 6.5% / 0.9%, and the dumps' F1 moves by less than 0.005 on every
 * source (a dump that passes is nearly all article anyway). Prose share 0.6 or 0.75 protected
 * fewer bodies at no gain on dumps; furniture 0.04 cost dragnet and l3s-gn1 0.004; 0.01 kept less.
 */
/** Explicit rules removed at most this share of the text's non-space characters: no furniture found. */
const MAX_FURNITURE = 0.02;
/** At least this share of the remaining characters is in prose blocks. */
const MIN_PROSE = 0.5;
/** A prose block: a sentence or more. */
const PROSE_WORDS = 12;
/** No run of more short non-sentence lines than this: a menu is longer. */
const MAX_SHORT_RUN = 6;
/** A line of at most this many words that does not end like a sentence is a menu item candidate. */
const SHORT_WORDS = 5;
/** A text of this few blocks with no furniture is a fragment of an article, never a page dump. */
const FEW_BLOCKS = 3;

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
    const words = countWords(rest);
    const sentence = SENTENCE_END.test(rest);
    if (words >= PROSE_WORDS && sentence) prose += left;
    if (words <= SHORT_WORDS && !sentence) longest = Math.max(longest, ++run);
    else run = 0;
  }
  if (total === 0 || removed > MAX_FURNITURE * total) return false;
  if (blocks <= FEW_BLOCKS) return true;
  return prose >= MIN_PROSE * kept && longest <= MAX_SHORT_RUN;
}
