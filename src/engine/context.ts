/**
 * What rules may know about the document as a whole: its language, its stopwords and the
 * vocabulary of its main topic. Everything is computed lazily, once, on first use.
 */
import { restWords, type Block } from './segment';
import type { DocRequirement, RequirementIndex } from './prefilter/requirements';
import { detectLanguage, stopwordsFor } from './lang';
import { wrappedProseLines } from './lines';
import { isWordUnit } from './unicode-classes';
import { hasUnspacedScript, segmentWords, stripBidi, weightedLength } from './words';

/**
 * Words shorter than this carry little topic: articles, prepositions, short verbs. Lengths count a
 * CJK character as three (words.ts weightedLength), so a two-character Chinese or Japanese word
 * (most are) is a topic word here and a lone character (a particle) is not; before, no Chinese
 * word but a four-character one was, and a Chinese teaser shared nothing with any article. Here
 * (the teaser and menu rules) it moved no dev page. The same minimum in the scorer's topic
 * feature, whose weights were learnt where CJK had no topic words, cost the dev sets' Chinese and
 * Japanese pages: that one stays by character (features/local.ts titleWords).
 */
const MIN_TOPIC_WORD = 4;
/**
 * Blocks with at least this many words count as prose when building the topic vocabulary;
 * menus and teasers are shorter and would otherwise dilute it.
 */
const TOPIC_BLOCK_MIN_WORDS = 25;

const WORD = /[\p{L}\p{N}]+/gu;

export function words(s: string): string[] {
  return s.toLowerCase().match(WORD) ?? [];
}

export class DocContext {
  private _lang: string | undefined;
  private _stop: Set<string> | undefined;
  private _topic: Map<string, number> | undefined;
  private _proseBlocks: Set<number> | undefined;
  private _lower: string | undefined;
  private _memo: Map<object, unknown> | undefined;
  private _wrapped: Uint8Array | undefined;
  /**
   * Set for a text that already reads as an article (article-shape.ts): the scorer and the
   * structural rules leave it alone. Never set for HTML pages.
   */
  articleShaped = false;
  /**
   * For a text that found no furniture but failed the article test (a list article, a short
   * one): the blocks from its headline or first sentence to its end, which the scorer and the
   * structural rules leave alone (article-shape.ts). Null for page dumps and HTML pages.
   */
  articleCore: { first: number; last: number; lastLong: number } | null = null;

  constructor(
    readonly input: string,
    readonly blocks: Block[],
    private readonly requestedLang?: string,
  ) {}

  /** The whole input in lower case, for rules' cheap "does the page mention X at all" checks. */
  get lower(): string {
    return (this._lower ??= this.input.toLowerCase());
  }

  /** True when the lower-cased document contains one of the strings: a list, or an alternation of literals. */
  mentionsAny(needles: readonly string[] | RegExp): boolean {
    const lower = this.lower;
    if (needles instanceof RegExp) return needles.test(lower);
    for (const n of needles) if (lower.includes(n)) return true;
    return false;
  }

  /**
   * The set's index of `requires` needles (prefilter/requirements.ts): set by the pipeline, so
   * that one scan of the document answers every rule's requirement.
   */
  requirements: RequirementIndex | undefined;
  private _required: Uint8Array | null | undefined;

  /** True when the document mentions one of the requirement's needles (case ignored); `needles` is its regex form. */
  mentionsRequired(requirement: DocRequirement, needles: RegExp): boolean {
    const slot = this.requirements?.slotOf(requirement);
    if (slot !== undefined) {
      if (this._required === undefined) this._required = this.requirements!.scan(this.input);
      if (this._required) return this.requirements!.holds(slot, this._required, () => this.lower);
    }
    return this.memo(requirement.key, () => this.mentionsAny(needles));
  }

  /** A value computed once per document for `key` (a rule, usually). */
  memo<T>(key: object, compute: () => T): T {
    const memo = (this._memo ??= new Map());
    if (memo.has(key)) return memo.get(key) as T;
    const value = compute();
    memo.set(key, value);
    return value;
  }

  /**
   * Per block, 1 when it is a line of wrapped prose (a sentence runs on over its line break),
   * which no menu or repeat rule should take for an item. Read from the raw lines, so rules see
   * the same answer whatever ran before them.
   */
  get wrappedProse(): Uint8Array {
    return (this._wrapped ??= wrappedProseLines(this.input, this.blocks));
  }

  /**
   * Whether the scorer's block features read Chinese and Japanese in the segmenter's words (the
   * title echo, clauses parted by spaces: features/shape.ts `cjkWords`). Text documents do; a page
   * (html/context.ts) does not, for the HTML model retrained with them loses its dev floors.
   */
  get scorerCjkWords(): boolean {
    return true;
  }

  get lang(): string {
    if (this._lang === undefined) this._lang = this.requestedLang || detectLanguage(this.blocks);
    return this._lang;
  }

  get stopwords(): Set<string> {
    if (this._stop === undefined) this._stop = stopwordsFor(this.lang);
    return this._stop;
  }

  /**
   * Content words of the document's prose, with how many prose blocks use each. Teasers of
   * unrelated stories share few of these; the article's own short paragraphs share many.
   */
  get topic(): Map<string, number> {
    if (this._topic) return this._topic;
    // One lookup a word: its count and the last block that counted it (a word counts once a block).
    const seen = new Map<string, { count: number; last: number }>();
    const stop = this.stopwords;
    let prose = this.blocks.filter((b) => restWords(b) >= TOPIC_BLOCK_MIN_WORDS);
    // A short document has no long paragraphs: fall back to its longest third.
    if (prose.length === 0) {
      prose = [...this.blocks].sort((a, b) => b.rest.length - a.rest.length).slice(0, Math.max(1, Math.ceil(this.blocks.length / 3)));
    }
    this._proseBlocks = new Set(prose.map((b) => b.index));
    for (const b of prose) {
      forEachContentWord(b.rest, stop, (w) => {
        const entry = seen.get(w);
        if (entry === undefined) seen.set(w, { count: 1, last: b.index });
        else if (entry.last !== b.index) {
          entry.count++;
          entry.last = b.index;
        }
      });
    }
    // In the order words were first seen, as when the counts were kept in this map directly.
    const topic = new Map<string, number>();
    for (const [w, entry] of seen) topic.set(w, entry.count);
    this._topic = topic;
    return topic;
  }

  /**
   * Share of a text's content words that belong to the topic vocabulary, 0..1. `self` is the
   * block the text comes from: when it is prose, its own words are in the vocabulary once because
   * of itself, which proves nothing, so they must appear in another prose block too.
   */
  topicOverlap(text: string, self?: Block): number {
    const topic = this.topic;
    const needed = self && this._proseBlocks!.has(self.index) ? 1 : 0;
    let content = 0;
    let shared = 0;
    forEachContentWord(text, this.stopwords, (w) => {
      content++;
      if ((topic.get(w) ?? 0) > needed) shared++;
    });
    return content === 0 ? 0 : shared / content;
  }
}

/**
 * Combining marks belong to their word: the vowel signs and viramas of Devanagari and the other
 * Indic scripts are marks, and without them a Hindi word fell apart into fragments too short to
 * be topic words ("पुल" read as "प", "ल"), so a Hindi headline shared no word with its article.
 */
const LETTER_OR_DIGIT = /^[\p{L}\p{M}\p{N}]$/u;

/** Code units taken by the letter, mark or digit (`[\p{L}\p{M}\p{N}]`) at `i`, or 0 when there is none. */
function letterOrDigitAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) ? 1 : 0;
  // Latin-1 letters and Latin Extended-A and -B: letters all, but for × and ÷.
  if (c >= 0xc0 && c <= 0x24f) return c === 0xd7 || c === 0xf7 ? 0 : 1;
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return LETTER_OR_DIGIT.test(s.slice(i, i + 2)) ? 2 : 0;
  }
  return isWordUnit(c) ? 1 : 0;
}

/**
 * Calls `fn` for each lower-cased word of at least MIN_TOPIC_WORD letters that is not a stopword:
 * the runs `/[\p{L}\p{M}\p{N}]{4,}/gu` finds in the lower-cased text, read in one loop so that short
 * words and most characters cost neither a regex step nor a string. In scripts written without
 * spaces, the words are the segmenter's (words.ts).
 */
function forEachContentWord(text: string, stop: Set<string>, fn: (w: string) => void): void {
  const lower = stripBidi(text.toLowerCase());
  if (hasUnspacedScript(lower)) {
    for (const w of segmentWords(lower)) if (weightedLength(w) >= MIN_TOPIC_WORD && !stop.has(w)) fn(w);
    return;
  }
  const n = lower.length;
  let i = 0;
  while (i < n) {
    let width = letterOrDigitAt(lower, i);
    if (width === 0) {
      i++;
      continue;
    }
    const start = i;
    let points = 0;
    do {
      i += width;
      points++;
    } while (i < n && (width = letterOrDigitAt(lower, i)) !== 0);
    if (points < MIN_TOPIC_WORD) continue;
    const w = lower.slice(start, i);
    if (!stop.has(w)) fn(w);
  }
}
