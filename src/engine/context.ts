/**
 * What rules may know about the document as a whole: its language, its stopwords and the
 * vocabulary of its main topic. Everything is computed lazily, once, on first use.
 */
import { restWords, type Block } from './segment';
import type { DocRequirement, LiteralSites, RequirementIndex } from './prefilter/requirements';
import { detectLanguage, stopwordsFor } from './lang';
import { wrappedProseLines } from './lines';
import { isWordUnit } from './unicode-classes';
import { hasUnspacedScript, isBidiControl, isUnspaced, segmentWords, stripBidi, weightedLength, WordSegments } from './words';
import { foldHash, WordIds } from './features/word-ids';

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
  private _topic: TopicVocabulary | undefined;
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
  /** The segmenter's words of this document's CJK and Thai lines, segmented once each (words.ts). */
  readonly segments = new WordSegments();

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
  private _sites: number[][] | null = null;
  private _blockMarks: Uint8Array | null = null;

  /** The requirements' scan of the document (RequirementIndex.scanDocument), once. */
  private scanRequirements(): void {
    const found = this.requirements!.scanDocument(this.input, this.blocks);
    this._required = found.marks;
    this._sites = found.sites;
    this._blockMarks = found.blockMarks;
  }

  /**
   * The block stage's literal marks of every block, from the requirements' scan of the document
   * (RequirementIndex.scanDocument); null when it does not give them.
   */
  blockLiteralMarks(): Uint8Array | null {
    if (!this.requirements) return null;
    if (this._required === undefined) this.scanRequirements();
    return this._blockMarks;
  }

  /**
   * Where the input holds the inline rule's literals (start offsets, ascending), found by the
   * requirements' scan; null when that scan does not record them (the rule searches itself).
   */
  literalSites(site: LiteralSites): readonly number[] | null {
    const k = this.requirements?.siteOf(site);
    if (k === undefined) return null;
    if (this._required === undefined) this.scanRequirements();
    return this._sites?.[k] ?? null;
  }

  /** True when the document mentions one of the requirement's needles (case ignored); `needles` is its regex form. */
  mentionsRequired(requirement: DocRequirement, needles: RegExp): boolean {
    const slot = this.requirements?.slotOf(requirement);
    if (slot !== undefined) {
      if (this._required === undefined) this.scanRequirements();
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
    return (this._wrapped ??= wrappedProseLines(this.input, this.blocks, this.segments));
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
   * Kept by word id (features/word-ids.ts): `count[id]` for a content word, 0 for any other.
   */
  get topic(): TopicVocabulary {
    if (this._topic) return this._topic;
    const vocabulary = new TopicVocabulary(this.stopwords, this.segments);
    // A word counts once a block: the last block that counted it, by id.
    let last = new Int32Array(256).fill(-1);
    const count = (b: Block, n: number): void => {
      const ids = vocabulary.ids;
      for (let k = 0; k < n; k++) {
        const id = ids[k];
        if (id >= last.length) last = grown(last, id, -1);
        if (last[id] === b.index) continue;
        last[id] = b.index;
        vocabulary.count = vocabulary.count.length > id ? vocabulary.count : grown(vocabulary.count, id, 0);
        vocabulary.count[id]++;
      }
    };
    let prose: Block[] = [];
    for (const b of this.blocks) {
      // A block of ASCII words read in place whose words nobody has counted yet: one pass counts
      // them (restWords) and finds its content words, kept as ids only if the block is prose.
      if (b.inline === null && (b.wordsOf !== b.rest || b.words === undefined)) {
        const words = vocabulary.countAndScan(this.input, b.start, b.end);
        if (words >= 0) {
          b.words = words;
          b.wordsOf = b.rest;
          if (words >= TOPIC_BLOCK_MIN_WORDS) {
            prose.push(b);
            count(b, vocabulary.scanned(this.input));
          }
          continue;
        }
      }
      if (restWords(b, this.segments) < TOPIC_BLOCK_MIN_WORDS) continue;
      prose.push(b);
      // A block without inline removals is input.slice(start, end): read in place (not from the slice).
      count(b, b.inline === null ? vocabulary.contentWords(this.input, b.start, b.end) : vocabulary.contentWords(b.rest, 0, b.rest.length));
    }
    // A short document has no long paragraphs: fall back to its longest third.
    if (prose.length === 0) {
      prose = [...this.blocks].sort((a, b) => b.rest.length - a.rest.length).slice(0, Math.max(1, Math.ceil(this.blocks.length / 3)));
      for (const b of prose) {
        count(b, b.inline === null ? vocabulary.contentWords(this.input, b.start, b.end) : vocabulary.contentWords(b.rest, 0, b.rest.length));
      }
    }
    this._proseBlocks = new Set(prose.map((b) => b.index));
    this._topic = vocabulary;
    return vocabulary;
  }

  /**
   * Share of a text's content words that belong to the topic vocabulary, 0..1. `self` is the
   * block the text comes from: when it is prose, its own words are in the vocabulary once because
   * of itself, which proves nothing, so they must appear in another prose block too.
   */
  topicOverlap(text: string, self?: Block): number {
    const topic = this.topic;
    const needed = self && this._proseBlocks!.has(self.index) ? 1 : 0;
    const n = topic.contentWords(text, 0, text.length);
    const ids = topic.ids;
    const count = topic.count;
    let shared = 0;
    for (let k = 0; k < n; k++) {
      const id = ids[k];
      if (id < count.length && count[id] > needed) shared++;
    }
    return n === 0 ? 0 : shared / n;
  }
}

/** `a` grown to hold index `id`, the new slots `fill`. */
function grown(a: Int32Array, id: number, fill: number): Int32Array<ArrayBuffer> {
  let size = a.length * 2;
  while (size <= id) size *= 2;
  const out = new Int32Array(size).fill(fill);
  out.set(a);
  return out;
}

/**
 * The topic vocabulary by word id, and the loop that reads a text's content words as ids: the
 * lower-cased words of at least MIN_TOPIC_WORD letters that are not stopwords, each occurrence
 * (forEachContentWord's words, one id per distinct string).
 */
export class TopicVocabulary {
  readonly table = new WordIds(1024);
  /** Per id: in how many prose blocks the word occurs (0 beyond the array, and for a stopword). */
  count = new Int32Array(1024);
  /** Per id: 0 not asked yet, 1 a content word, 2 a stopword. */
  private kind = new Uint8Array(1024);
  /** The last text's content-word ids (contentWords), reused from text to text. */
  ids = new Int32Array(256);
  private n = 0;

  constructor(
    private readonly stop: Set<string>,
    private readonly segments?: WordSegments,
  ) {}

  /** Whether the word `w` is in the vocabulary (some prose block uses it). */
  has(w: string): boolean {
    const id = this.table.idOf(w);
    return id < this.count.length && this.count[id] > 0;
  }

  /** The vocabulary's words, by id (first seen first). */
  *keys(): IterableIterator<string> {
    for (let id = 0; id < this.table.size && id < this.count.length; id++) if (this.count[id] > 0) yield this.table.words[id];
  }

  /**
   * Reads source[start, end) into `ids` (its content words as ids, in order, repeats included)
   * and returns how many. A text of ASCII words (beyond ASCII only separators: curly quotes,
   * dashes, no-break spaces) is read in place, each word hashed as it is read and found without a
   * string of its own; any other text as forEachContentWord reads it.
   */
  contentWords(source: string, start: number, end: number): number {
    this.n = 0;
    if (!this.asciiWords(source, start, end)) {
      this.n = 0;
      forEachContentWord(start === 0 && end === source.length ? source : source.slice(start, end), (w) => this.push(this.table.idOf(w)), this.segments);
    }
    return this.n;
  }

  /** Long words of the last countAndScan: start, end and hash of each. */
  private pending = new Int32Array(192);
  private pendingN = 0;

  /**
   * countWords of source[start, end) (text.ts: runs parted by whitespace) when the text is ASCII
   * words as asciiWords reads them, its words of at least MIN_TOPIC_WORD letters kept for
   * `scanned`; -1, having stopped, at a character that needs the general paths (a letter,
   * mark or digit beyond ASCII, a bidi mark, a surrogate, a script written without spaces).
   */
  countAndScan(source: string, start: number, end: number): number {
    this.pendingN = 0;
    let words = 0;
    let inWord = false;
    let i = start;
    while (i < end) {
      let c = source.charCodeAt(i);
      if (!isAsciiAlnum(c)) {
        if (c >= 0x80 && ((c >= 0xd800 && c <= 0xdfff) || isBidiControl(c) || isWordUnit(c) || (c >= 0xe00 && isUnspaced(c)))) return -1;
        const space = c === 32 || (c >= 9 && c <= 13) || c === 0xa0;
        if (!space && !inWord) words++;
        inWord = !space;
        i++;
        continue;
      }
      if (!inWord) words++;
      inWord = true;
      const from = i;
      let hash = 0;
      do {
        hash = foldHash(hash, c | 0x20);
        i++;
      } while (i < end && isAsciiAlnum((c = source.charCodeAt(i))));
      if (i - from >= MIN_TOPIC_WORD) {
        if (this.pendingN + 3 > this.pending.length) this.pending = grown(this.pending, this.pendingN + 3, 0);
        this.pending[this.pendingN++] = from;
        this.pending[this.pendingN++] = i;
        this.pending[this.pendingN++] = hash;
      }
    }
    return words;
  }

  /** Reads the last countAndScan's words (of `source`) into `ids` as contentWords does, and returns how many. */
  scanned(source: string): number {
    this.n = 0;
    const p = this.pending;
    for (let k = 0; k < this.pendingN; k += 3) this.push(this.table.idOfRange(source, p[k], p[k + 1], p[k + 2], true));
    return this.n;
  }

  /** False, having stopped, at a character beyond ASCII that is part of a word, a bidi mark or a surrogate. */
  private asciiWords(source: string, start: number, end: number): boolean {
    let i = start;
    while (i < end) {
      let c = source.charCodeAt(i);
      if (!isAsciiAlnum(c)) {
        // Beyond ASCII, a character that is no letter, mark or digit lower-cases to none either
        // (checked over the BMP): it parts words as it does in the lower-cased text.
        if (c >= 0x80 && ((c >= 0xd800 && c <= 0xdfff) || isBidiControl(c) || isWordUnit(c))) return false;
        i++;
        continue;
      }
      const from = i;
      let hash = 0;
      do {
        // An ASCII letter or digit lower-cases by setting one bit.
        hash = foldHash(hash, c | 0x20);
        i++;
      } while (i < end && isAsciiAlnum((c = source.charCodeAt(i))));
      if (i - from >= MIN_TOPIC_WORD) this.push(this.table.idOfRange(source, from, i, hash, true));
    }
    return true;
  }

  /** Keeps the word `id` when it is no stopword. */
  private push(id: number): void {
    if (id >= this.kind.length) {
      const kind = new Uint8Array(Math.max(id + 1, this.kind.length * 2));
      kind.set(this.kind);
      this.kind = kind;
    }
    let k = this.kind[id];
    if (k === 0) k = this.kind[id] = this.stop.has(this.table.words[id]) ? 2 : 1;
    if (k === 2) return;
    if (this.n === this.ids.length) this.ids = grown(this.ids, this.n, 0);
    this.ids[this.n++] = id;
  }
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a);
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
 * Calls `fn` for each lower-cased word of at least MIN_TOPIC_WORD letters (stopwords too: TopicVocabulary leaves them out):
 * the runs `/[\p{L}\p{M}\p{N}]{4,}/gu` finds in the lower-cased text, read in one loop so that short
 * words and most characters cost neither a regex step nor a string. In scripts written without
 * spaces, the words are the segmenter's (words.ts).
 */
function forEachContentWord(text: string, fn: (w: string) => void, segments?: WordSegments): void {
  const lower = stripBidi(text.toLowerCase());
  if (hasUnspacedScript(lower)) {
    for (const w of segmentWords(lower, segments)) if (weightedLength(w) >= MIN_TOPIC_WORD) fn(w);
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
    fn(lower.slice(start, i));
  }
}
