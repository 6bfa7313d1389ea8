/**
 * kind: menu. Site menus, footers and link lists reach the text as runs of very short lines
 * ("Politics", "Real Estate", "Contact us") with no sentence between them. One short line
 * proves nothing (articles have subheadings), but several in a row whose words the article's
 * prose does not use are a menu. Lines other rules already removed count as part of a run, so
 * a menu item no phrase list knows goes with its known neighbours.
 */
import { MAX_SHORT_RUN, SHORT_WORDS, sparedBlock } from '../article-shape';
import { isParagraph } from '../headline';
import { isHtmlDoc } from '../html/context';
import { Type } from '../typebox';
import { documentRule, type CompiledRule, type RuleDefBase, type RuleKind } from '../rule';
import { countWords, isWhitespace } from '../text';
import type { WordSegments } from '../words';
import { restWords, type Block } from '../segment';

interface MenuDef extends RuleDefBase {
  minRun?: number;
  maxWords?: number;
  maxChars?: number;
  maxTopicOverlap?: number;
}

/** Four items: a subheading and a one-line paragraph or two are shorter runs than any menu. */
const DEFAULT_MIN_RUN = 4;
/** Menu items are one to three words ("Real Estate", "Letters to the editor" is the long end). */
const DEFAULT_MAX_WORDS = 4;
/** Four words of ordinary length; a longer line is a headline or a sentence. */
const DEFAULT_MAX_CHARS = 40;
/**
 * A list that belongs to the article (ingredients, the names it discusses) reuses the words of
 * its prose; a site menu shares almost none. A third leaves room for the odd "World" or "China"
 * a menu shares by chance with an article about the world or China.
 */
const DEFAULT_MAX_OVERLAP = 1 / 3;

/** A post count after a category or archive link ("Politics (12)") is part of the menu item. */
const COUNT_SUFFIX = /\s*\(\d{1,6}\)$/u;
/**
 * Ends like a sentence, a quotation or a lead-in: prose, not a menu item. Every one is a single
 * code unit, so the last code unit decides (a regex anchored at the end tried every position).
 */
const SENTENCE_END = new Set([...'.!?…:;,"”。！？」।॥؟۔،'].map((ch) => ch.charCodeAt(0)));
/**
 * Digits mark data (prices, times, quantities, scores), which articles list line by line;
 * scripts written without spaces defeat the word count. Such lines never count as menu items.
 */
const NOT_AN_ITEM = /[\p{N}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

/** NOT_AN_ITEM's answer: an ASCII line is read in a loop (in ASCII it matches only the digits); any other line asks the regex. */
function hasNonItemChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return NOT_AN_ITEM.test(text);
    if (c >= 0x30 && c <= 0x39) return true;
  }
  return false;
}

const BLANK = 0x7fffffff;

/**
 * What every menu rule asks of a line, read once per document for all of them: the length and
 * word count of the line trimmed and without its count suffix, and whether it is free of sentence
 * ends and of what is never an item. Lines are read when a rule first asks.
 */
class ItemLines {
  /** -1 until read; BLANK for a blank line. */
  readonly chars: Int32Array;
  readonly words: Int32Array;
  readonly plain: Uint8Array;
  constructor(
    n: number,
    private readonly segments: WordSegments,
  ) {
    this.chars = new Int32Array(n).fill(-1);
    this.words = new Int32Array(n);
    this.plain = new Uint8Array(n);
  }
  read(b: Block): void {
    const trimmed = b.rest.trim();
    if (trimmed === '') {
      this.chars[b.index] = BLANK;
      return;
    }
    // Only a line ending in ")" can end in a count: the regex would try every position of the others.
    const text = trimmed.charCodeAt(trimmed.length - 1) === 0x29 ? trimmed.replace(COUNT_SUFFIX, '') : trimmed;
    this.chars[b.index] = text.length;
    this.words[b.index] = text === b.rest ? restWords(b, this.segments) : countWords(text, this.segments);
    this.plain[b.index] = !SENTENCE_END.has(text.charCodeAt(text.length - 1)) && !hasNonItemChar(text) ? 1 : 0;
  }
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isWhitespace(s.charCodeAt(i))) return false;
  return true;
}

export const menuKind: RuleKind = {
  kind: 'menu',
  summary: 'A run of very short lines (a site menu or link list) that shares little vocabulary with the article.',
  get properties() {
    return {
      minRun: Type.Optional(Type.Integer({ minimum: 2, description: `Fewest consecutive short lines that make a menu; default ${DEFAULT_MIN_RUN}.` })),
      maxWords: Type.Optional(Type.Integer({ minimum: 1, description: `A line with more words is not a menu item; default ${DEFAULT_MAX_WORDS}.` })),
      maxChars: Type.Optional(Type.Integer({ minimum: 1, description: `A longer line is not a menu item; default ${DEFAULT_MAX_CHARS}.` })),
      maxTopicOverlap: Type.Optional(
        Type.Number({
          minimum: 0,
          maximum: 1,
          description: `A run sharing more of its content words with the article's prose stays; default ${DEFAULT_MAX_OVERLAP.toFixed(2)}.`,
        }),
      ),
    };
  },
  required: [],
  compile(raw): CompiledRule {
    const def = raw as MenuDef;
    const minRun = def.minRun ?? DEFAULT_MIN_RUN;
    const maxWords = def.maxWords ?? DEFAULT_MAX_WORDS;
    const maxChars = def.maxChars ?? DEFAULT_MAX_CHARS;
    const maxOverlap = def.maxTopicOverlap ?? DEFAULT_MAX_OVERLAP;
    // The count suffix "(12)" is at most a dozen characters: longer lines cannot shrink to an item.
    const longest = maxChars + 12;
    const isItem = (b: Block, wrapped: Uint8Array, lines: ItemLines) => {
      if (b.removedBy >= 0) return true;
      if (wrapped[b.index]) return false;
      if (b.rest.length > longest) return false;
      const i = b.index;
      if (lines.chars[i] < 0) lines.read(b);
      if (lines.chars[i] === BLANK) return true;
      return lines.chars[i] > 0 && lines.chars[i] <= maxChars && lines.words[i] <= maxWords && lines.plain[i] === 1;
    };
    // Text that already reads as an article keeps its lines (engine/article-shape.ts), but only
    // from rules of menu items (more than MAX_SHORT_RUN lines of up to SHORT_WORDS words), which
    // a clean body's lists are shaped like. A rule of longer items (teaser-list's headlines of up
    // to 12 words) sees runs such as a list of other stories' headlines after a clean article,
    // so it still runs (its own remove example is one).
    // Every menu rule spares a run inside an article's core with more of its text after it: a
    // list between two of its paragraphs is the article's (ablation in article-shape.ts); a run
    // after the last long line (a footer menu) is still judged.
    const sparesArticles = maxWords <= SHORT_WORDS && minRun > MAX_SHORT_RUN;
    return documentRule(def, {
      document(doc, remove) {
        if (sparesArticles && doc.articleShaped) return;
        const blocks = doc.blocks;
        const wrapped = doc.wrappedProse;
        const lines = doc.memo(ItemLines, () => new ItemLines(blocks.length, doc.segments));
        let i = 0;
        while (i < blocks.length) {
          if (!isItem(blocks[i], wrapped, lines)) {
            i++;
            continue;
          }
          let j = i + 1;
          while (j < blocks.length && isItem(blocks[j], wrapped, lines)) j++;
          const run = blocks.slice(i, j);
          // Lines already gone (removed by an earlier rule, or emptied by inline rules) are furniture.
          const open = run.filter((b) => b.removedBy < 0 && !isBlank(b.rest));
          if (run.length >= minRun && open.length > 0) {
            const overlap = doc.topicOverlap(open.map((b) => b.rest).join(' '));
            if (overlap <= maxOverlap) {
              const reason = `${def.description} One of ${run.length} short lines in a row; they share ${Math.round(overlap * 100)}% of their content words with the article (at most ${Math.round(maxOverlap * 100)}% allowed).`;
              // On a page, a run whose one open line stands right above a paragraph is the menu the
              // selectors removed and the headline under it: the scorer judges that line. (In text
              // dumps the same test kept as many bylines and captions as headlines: dragnet 1 of 3
              // lines in the gold, l3s-gn1 0 of 2.)
              const headline =
                isHtmlDoc(doc) && open.length === 1 && open[0].index === j - 1 && j < blocks.length && blocks[j].removedBy < 0 && isParagraph(blocks[j].rest);
              if (!headline) for (const b of open) if (!sparedBlock(doc, b.index, true)) remove(b.index, reason);
            }
          }
          i = j;
        }
      },
    });
  },
};
