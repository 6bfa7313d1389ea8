/**
 * The document's language and its stopwords.
 *
 * Detection: the script decides where it is sure (CJK, Thai, Greek, Hebrew; Arabic and Cyrillic
 * choose only among the languages of their script); otherwise `tinyld`, a maintained n-gram
 * detector (62 languages, CommonJS, synchronous, no database to load), judges a bounded sample of
 * the document's prose. bench/lang-detectors.js compares it with eld, franc-min, cld3-asm and the
 * stopword-hit method used before; the README's "Languages" section says why tinyld.
 *
 * Stopwords: `stopwords-iso`, per language, reduced to single words (a lookup is one word).
 */
import type { Block } from './segment';
import { isLetterUnit } from './unicode-classes';
import { stripBidi } from './words';

/** Codes the detector or requests use for a language we file under another tag. */
const ALIAS: Record<string, string> = { no: 'nb', iw: 'he', in: 'id', ji: 'yi' };

/**
 * The languages with a stopword list: issue 17's 29, the four the previous lists also had
 * (sk, ca, hr, sl), and Latin, which tinyld finds in lorem-ipsum placeholder text (30 pages of
 * readability-dev, taken for Swedish before). BCP 47 primary tags; Norwegian is Bokmål (tinyld's model and the list are).
 */
export const STOPWORD_LANGUAGES = [
  'en', 'de', 'fr', 'es', 'it', 'pt', 'nl', 'pl', 'ru', 'uk', 'cs', 'sk', 'sv', 'da', 'nb', 'fi', 'hu', 'ro', 'el', 'tr',
  'ar', 'fa', 'he', 'hi', 'id', 'vi', 'zh', 'ja', 'ko', 'th', 'ca', 'hr', 'sl', 'la',
] as const; // prettier-ignore

/** stopwords-iso files Bokmål under the macrolanguage. */
const ISO_KEY: Record<string, string> = { nb: 'no' };

/**
 * Where the `stopword` package's list stays, measured against stopwords-iso's on the dev sets
 * (per-document F1, scripts/cross-validate.js beside): English, on which the scorer was trained
 * (stopwords-iso's 1,298 entries include content words such as "information" and "world"), and
 * Spanish, whose two readability-dev pages fell with stopwords-iso's 732 words (cnet-svg-classes
 * 0.928 → 0.910, nytimes-5 0.345 → 0.330). The other languages of the dev sets (de, fr, pt, cs,
 * ro, ru, id) came out the same with either list.
 */
const KEEP_STOPWORD_PACKAGE: Record<string, 'eng' | 'spa'> = { en: 'eng', es: 'spa' };

/** A list entry the engine can hit: one word of letters, digits and marks (ZWNJ joins Persian words). */
const SINGLE_WORD = /^[\p{L}\p{N}\p{M}\u200c]+$/u;

const SETS = new Map<string, Set<string>>();

/** The lists of STOPWORD_LANGUAGES as the two packages give them, by language (one without a list is left out). */
export function packagedStopwordLists(): Record<string, string[]> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const iso = require('stopwords-iso') as Record<string, string[]>;
  const sw = require('stopword') as typeof import('stopword');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const lists: Record<string, string[]> = {};
  for (const lang of STOPWORD_LANGUAGES) {
    const keep = KEEP_STOPWORD_PACKAGE[lang];
    const list = keep ? sw[keep] : iso[ISO_KEY[lang] ?? lang];
    if (list) lists[lang] = list;
  }
  return lists;
}

/** The words of a stopword list the engine can hit: lower-cased, without bidi controls, single words, each once, in the list's order. */
export function stopwordWords(list: readonly string[]): string[] {
  return [...new Set(list.map((w) => stripBidi(w.toLowerCase())).filter((w) => SINGLE_WORD.test(w)))];
}

/**
 * The build's extract (scripts/stopword-lists.js writes stopword-words.json beside this module):
 * each language's words as stopwordWords makes them, and the Latin languages' word index. The
 * packages hold every language's lists, and loading them was a tenth of a `declutter clean` of a
 * small file; making the words and the index from the lists, another tenth.
 */
export interface StopwordExtract {
  /** How the words and the index were made (stopwordRecipe): an extract made otherwise is not used. */
  recipe: string;
  /**
   * Each language's words joined by spaces (a stopword holds none: SINGLE_WORD): a long string
   * costs JSON.parse a scan, where an array costs it a string a word.
   */
  words: Record<string, string>;
  /** latinIndex's answer, as its words and their masks (base 36) joined by spaces, in the same order. */
  latinIndex: { words: string; masks: string };
  /**
   * The sizes of the Latin languages' lists (LATIN_STOPWORD_LANGUAGES' order), and latinIndex's
   * ASCII entries alone, as latinIndex: what the stopword count of an ASCII text needs, read without
   * splitting every list or making the whole index (about 40 ms of a `declutter clean` of a small file).
   */
  latinSizes?: number[];
  latinAscii?: { words: string; masks: string };
}

/** The code and data the extract's content follows from, but the packages' lists themselves. */
function stopwordRecipe(): string {
  return [stopwordWords.toString(), SINGLE_WORD.source, latinIndex.toString(), asciiEntries.toString(), LATIN_STOPWORD_LANGUAGES.join()].join('\n');
}

/** The extract made from the packages (what the build writes). */
export function stopwordExtract(): StopwordExtract {
  const lists = packagedStopwordLists();
  const words: Record<string, string[]> = {};
  for (const [lang, list] of Object.entries(lists)) words[lang] = stopwordWords(list);
  const latin = LATIN_STOPWORD_LANGUAGES.map((lang) => words[lang] ?? words.en);
  const index = latinIndex(latin);
  const joined = (entries: [string, number][]) => ({ words: entries.map(([w]) => w).join(' '), masks: entries.map(([, m]) => m.toString(36)).join(' ') });
  return {
    recipe: stopwordRecipe(),
    words: Object.fromEntries(Object.entries(words).map(([lang, list]) => [lang, list.join(' ')])),
    latinIndex: joined([...index]),
    latinSizes: latin.map((list) => list.length),
    latinAscii: joined(asciiEntries(index)),
  };
}

let EXTRACT: StopwordExtract | null | undefined;
function extract(): StopwordExtract | null {
  if (EXTRACT === undefined) {
    EXTRACT = null;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const e = require('./stopword-words.json') as StopwordExtract;
      // One made by other code (an edit compiled without running the build's script) is not this code's answer.
      if (e.recipe === stopwordRecipe()) EXTRACT = e;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
    }
  }
  return EXTRACT;
}

let LISTS: Record<string, string[]> | undefined;
const WORDS = new Map<string, readonly string[]>();

/** A language's stopwords (stopwordWords of its list), or undefined when it has no list. */
function wordsOf(lang: string): readonly string[] | undefined {
  if (!(STOPWORD_LANGUAGES as readonly string[]).includes(lang)) return undefined;
  let words = WORDS.get(lang);
  if (!words) {
    const e = extract();
    if (e) {
      const joined = e.words[lang];
      words = joined === undefined ? undefined : joined === '' ? [] : joined.split(' ');
    } else {
      LISTS ??= packagedStopwordLists();
      words = LISTS[lang] && stopwordWords(LISTS[lang]);
    }
    if (!words) return undefined;
    WORDS.set(lang, words);
  }
  return words;
}

/** The primary tag the engine files `lang` under ("no" → "nb", "iw" → "he"). */
export function canonicalLanguage(lang: string): string {
  const l = lang.toLowerCase();
  return ALIAS[l] ?? l;
}

export function stopwordsFor(lang: string): Set<string> {
  const key = canonicalLanguage(lang);
  let set = SETS.get(key);
  if (!set) {
    // Unknown languages fall back to English, the most common language of scraped pages.
    set = new Set(wordsOf(key) ?? wordsOf('en')!);
    SETS.set(key, set);
  }
  return set;
}

/** True when the language has a stopword list of its own (the others use the document's frequent words). */
export function hasStopwordList(lang: string): boolean {
  return wordsOf(canonicalLanguage(lang)) !== undefined;
}

/**
 * How much prose detection reads. The answer settles quickly while the time grows with the text:
 * on the dev sets' 221 pages the engine's answer on this sample differs from its answer on all
 * their prose (every block of 80 characters or more) on 4 pages (two lorem-ipsum pages, a page of
 * formulas, a 40-character test page), on 9 with 1,000 characters and 10 with 500.
 */
const SAMPLE_CHARS = 2000;
/** Blocks shorter than this are mostly menus, names and buttons, whose words mislead. */
const PROSE_MIN_CHARS = 80;
/** A block is cut to this much, so that one huge block (a flattened page) does not fill the sample alone with its first words. */
const BLOCK_CHARS = 1000;

/**
 * The document's prose for detection: its longest blocks, longest first, up to SAMPLE_CHARS.
 * Long blocks are paragraphs; menus, names and buttons are short and in any language (an English
 * "Login" on a Chinese page).
 */
export function proseSample(blocks: readonly Pick<Block, 'rest'>[]): string {
  const top = longestBlocks(blocks);
  const parts: string[] = [];
  let taken = 0;
  for (const i of top) {
    if (taken >= SAMPLE_CHARS) break;
    // Menus, names and buttons only when the page has next to no prose.
    if (blocks[i].rest.length < PROSE_MIN_CHARS && taken >= SAMPLE_CHARS / 4) break;
    const text = blocks[i].rest.slice(0, Math.min(BLOCK_CHARS, SAMPLE_CHARS - taken));
    parts.push(text);
    taken += text.length;
  }
  return stripBidi(parts.join('\n'));
}

/**
 * The blocks the sample can read, in its order (longest first, then in document order): the
 * fewest of that order whose lengths, each cut to BLOCK_CHARS, reach SAMPLE_CHARS (all of them
 * when they do not), for the sample stops there. Kept as the blocks are read, each inserted at
 * its place and the order's tail dropped once the rest reach SAMPLE_CHARS without it, so that a
 * page costs a pass over its blocks and a few insertions rather than a sort of all of them (a
 * sort of numeric keys was a hundredth of the text engine's time on the dev sets).
 */
function longestBlocks(blocks: readonly Pick<Block, 'rest'>[]): number[] {
  const top: number[] = [];
  let sum = 0;
  for (let i = 0; i < blocks.length; i++) {
    const length = blocks[i].rest.length;
    if (length === 0) continue;
    // A block no longer than the last kept comes after it (a later block of the same length too).
    if (sum >= SAMPLE_CHARS && length <= blocks[top[top.length - 1]].rest.length) continue;
    let at = top.length;
    while (at > 0 && blocks[top[at - 1]].rest.length < length) at--;
    top.splice(at, 0, i);
    sum += Math.min(length, BLOCK_CHARS);
    while (top.length > 1) {
      const last = Math.min(blocks[top[top.length - 1]].rest.length, BLOCK_CHARS);
      if (sum - last < SAMPLE_CHARS) break;
      sum -= last;
      top.pop();
    }
  }
  return top;
}

interface ScriptCounts {
  latin: number;
  cyrillic: number;
  greek: number;
  arabic: number;
  hebrew: number;
  thai: number;
  han: number;
  kana: number;
  hangul: number;
  other: number;
}

function countScripts(text: string): ScriptCounts {
  const s: ScriptCounts = { latin: 0, cyrillic: 0, greek: 0, arabic: 0, hebrew: 0, thai: 0, han: 0, kana: 0, hangul: 0, other: 0 };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x41) continue;
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || (c >= 0x1e00 && c <= 0x1eff))
      s.latin++;
    else if (c >= 0x0400 && c <= 0x052f) s.cyrillic++;
    else if ((c >= 0x0370 && c <= 0x03ff) || (c >= 0x1f00 && c <= 0x1fff)) s.greek++;
    else if ((c >= 0x0600 && c <= 0x06ff) || (c >= 0x0750 && c <= 0x077f) || (c >= 0xfb50 && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfeff)) s.arabic++;
    else if (c >= 0x0590 && c <= 0x05ff) s.hebrew++;
    else if (c >= 0x0e00 && c <= 0x0e7f) s.thai++;
    else if (c >= 0x3040 && c <= 0x30ff) s.kana++;
    else if ((c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff)) s.han++;
    else if (c >= 0xac00 && c <= 0xd7af) s.hangul++;
    else if (c >= 0xc0 && !(c >= 0x2000 && c <= 0x2bff) && !(c >= 0x3000 && c <= 0x303f) && !(c >= 0xff00 && c <= 0xff20) && !(c >= 0xd800 && c <= 0xdfff))
      s.other++;
  }
  return s;
}

/** A script "decides" when it has at least this share of the sample's letters: Latin brand names and menu words around the prose stay below. */
const SCRIPT_SHARE = 0.6;
const ARABIC_SCRIPT = ['ar', 'fa', 'ur'];
const CYRILLIC_SCRIPT = ['ru', 'uk', 'bg', 'be', 'sr', 'mk', 'kk', 'mn', 'tt'];

/** The language the script alone tells, a list to choose from, or null when the script does not decide. */
function byScript(s: ScriptCounts): string | string[] | null {
  const cjk = s.han + s.kana + s.hangul;
  const letters = cjk + s.latin + s.cyrillic + s.greek + s.arabic + s.hebrew + s.thai + s.other;
  if (letters === 0) return null;
  // Chinese, Japanese and Korean words are one to three characters where a Latin name is five
  // to ten letters: CJK wins at half the share.
  if (cjk > letters - cjk) {
    // Japanese mixes kanji with kana; even a few percent of kana rules out Chinese.
    if (s.kana >= 0.05 * cjk) return 'ja';
    return s.hangul >= s.han ? 'ko' : 'zh';
  }
  const share = (n: number) => n >= SCRIPT_SHARE * letters;
  if (share(s.greek)) return 'el';
  if (share(s.hebrew)) return 'he';
  if (share(s.thai)) return 'th';
  if (share(s.arabic)) return ARABIC_SCRIPT;
  if (share(s.cyrillic)) return CYRILLIC_SCRIPT;
  return null;
}

/**
 * tinyld reads at most this much of the sample: its time grows with the text (about 0.7 ms per
 * 1,000 characters here, where the stopword count takes a tenth of that for 2,000), and it judges
 * only the pages the stopword count leaves open. On the dev sets, tinyld alone on 1,000 characters
 * differs from tinyld on all the prose on 7 pages of 221, on 2,000 on 4 (bench/lang-detectors.js).
 */
const DETECTOR_CHARS = 1000;

/**
 * tinyld, loaded on first use: loading it costs about 230 ms of CPU (its n-gram tables), which a
 * CLI run or worker on English pages, settled by the stopword count, need never pay. The build
 * writes a copy that loads in a small part of that and answers the same (scripts/fast-tinyld.js);
 * without it (running from sources, or another tinyld) tinyld itself is loaded.
 */
let TINYLD: (typeof import('tinyld') & { loadTable?: () => void }) | undefined;

function detector(): typeof import('tinyld') & { loadTable?: () => void } {
  TINYLD ??= fastCopy() ?? (require('tinyld') as typeof import('tinyld')); // eslint-disable-line @typescript-eslint/no-require-imports
  return TINYLD;
}

/**
 * Loads the detector now rather than on the first page that needs it: a worker does so before a
 * document's time budget starts, as it loads the HTML engine, since the load is not the page's
 * doing. The build's copy looks its table up gram by gram until a process has asked for many,
 * then reads it whole; this reads it whole at once, so that no page's budget pays for it either.
 */
export function loadLanguageDetector(): typeof import('tinyld') {
  const d = detector();
  d.loadTable?.();
  return d;
}

function fastCopy(): typeof import('tinyld') | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('./tinyld/tinyld.js') as typeof import('tinyld');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}

/**
 * tinyld knows Klingon and Volapük, which no page of the labelled sets is written in; its only
 * answers in them were for a 40-character test page of "abc def ghi" (readability-dev).
 */
const CONSTRUCTED = new Set(['tlh', 'vol']);

/** The best of the detector's guesses (among `among` when given), as a primary tag. */
function guess(text: string, among?: readonly string[]): string | null {
  for (const { lang } of detector().detectAll(text.slice(0, DETECTOR_CHARS))) {
    const l = canonicalLanguage(lang);
    if (CONSTRUCTED.has(l)) continue;
    if (!among || among.includes(l)) return l;
  }
  return null;
}

/**
 * Languages of the Latin script whose stopwords can settle a clear case before the detector runs.
 * Close pairs (Danish and Norwegian, Czech and Slovak, Spanish and Catalan…) share so many
 * function words that they never pass the margin below and go to the detector.
 */
export const LATIN_STOPWORD_LANGUAGES = [
  'en',
  'de',
  'fr',
  'es',
  'it',
  'pt',
  'nl',
  'pl',
  'cs',
  'sk',
  'sv',
  'da',
  'nb',
  'fi',
  'hu',
  'ro',
  'tr',
  'id',
  'vi',
  'ca',
  'hr',
  'sl',
];
/**
 * Each Latin-script stopword → the lists that hold it, as a mask: bit li for
 * LATIN_STOPWORD_LANGUAGES[li] (a small integer where an array a word cost a CLI run its making).
 */
let WORD_TO_LANGS: Map<string, number> | undefined;
/** Per language index, its list size to the LIST_SIZE_DAMPING power: the hit count's divisor. */
let DAMPED_SIZES: number[] = [];
/** The ASCII entries of WORD_TO_LANGS, found by the letters of a word in place (AsciiWords). */
let ASCII_WORDS: AsciiWords | undefined;
/**
 * Readies the stopword count: the list sizes and ASCII_WORDS, from the build's extract when it has
 * them (the whole index is then made only when a word beyond ASCII is looked up), else made here.
 */
function readyStopwords(): void {
  if (ASCII_WORDS) return;
  const e = extract();
  if (e?.latinSizes && e.latinAscii) {
    DAMPED_SIZES = e.latinSizes.map((n) => Math.pow(n, LIST_SIZE_DAMPING));
    const masks = e.latinAscii.masks.split(' ');
    ASCII_WORDS = new AsciiWords(e.latinAscii.words.split(' ').map((w, i) => [w, parseInt(masks[i], 36)]));
  } else stopwordIndex();
}

function stopwordIndex(): Map<string, number> {
  if (WORD_TO_LANGS) return WORD_TO_LANGS;
  const e = extract();
  // A Latin language without a list of its own counts with English's, as stopwordsFor gives it.
  const latin = () => LATIN_STOPWORD_LANGUAGES.map((lang) => wordsOf(lang) ?? wordsOf('en')!);
  if (!ASCII_WORDS) DAMPED_SIZES = latin().map((list) => Math.pow(list.length, LIST_SIZE_DAMPING));
  if (e) {
    WORD_TO_LANGS = new Map();
    const ws = e.latinIndex.words.split(' ');
    const masks = e.latinIndex.masks.split(' ');
    for (let i = 0; i < ws.length; i++) WORD_TO_LANGS.set(ws[i], parseInt(masks[i], 36));
  } else WORD_TO_LANGS = latinIndex(latin());
  ASCII_WORDS ??= new AsciiWords(asciiEntries(WORD_TO_LANGS));
  return WORD_TO_LANGS;
}

/** Each word of the Latin languages' lists (`words[li]`, in LATIN_STOPWORD_LANGUAGES' order) → the mask of the lists that hold it. */
function latinIndex(words: readonly (readonly string[])[]): Map<string, number> {
  if (words.length > 31) throw new Error('a mask holds 31 languages');
  const index = new Map<string, number>();
  words.forEach((list, li) => {
    for (const w of list) index.set(w, (index.get(w) ?? 0) | (1 << li));
  });
  return index;
}

/**
 * The stopwords written in ASCII, looked up by a stretch of the text without a string made for it:
 * a hash of its letters lower-cased as they are read, then a comparison letter by letter. Most
 * words of a Latin-script sample are ASCII, and a slice and a lower-cased copy of each was most
 * of the stopword count's time. Its answers are those of the map for the lower-cased slice: an
 * ASCII word lower-cases letter by letter, and only an ASCII entry can equal it.
 */
class AsciiWords {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly words: string[] = [];
  /** Each entry's mask of lists, as WORD_TO_LANGS holds it. */
  private readonly masks: number[] = [];

  constructor(ascii: readonly [string, number][]) {
    let size = 16;
    while (size < ascii.length * 4) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (const [w, mask] of ascii) {
      let at = hashAscii(w, 0, w.length) & this.mask;
      while (this.slots[at] !== 0) at = (at + 1) & this.mask;
      this.words.push(w);
      this.masks.push(mask);
      this.slots[at] = this.words.length;
    }
  }

  /** The entry for text[start, end) lower-cased (ASCII letters only), or undefined. */
  get(text: string, start: number, end: number): number | undefined {
    let at = hashAscii(text, start, end) & this.mask;
    for (let e = this.slots[at]; e !== 0; at = (at + 1) & this.mask, e = this.slots[at]) {
      const w = this.words[e - 1];
      if (w.length !== end - start) continue;
      let k = 0;
      while (k < w.length && w.charCodeAt(k) === lowerAscii(text.charCodeAt(start + k))) k++;
      if (k === w.length) return this.masks[e - 1];
    }
    return undefined;
  }
}

/** The entries of a word → mask index whose word is all ASCII, in the index's order. */
function asciiEntries(index: Map<string, number>): [string, number][] {
  return [...index].filter(([w]) => /^\p{ASCII}+$/u.test(w));
}

function lowerAscii(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

function hashAscii(s: string, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + lowerAscii(s.charCodeAt(i))) | 0;
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * The stopword count settles a language when it has at least this many hits and this many times
 * the score of the runner-up. Below, the detector decides. On the dev sets' 221 pages the count
 * settles 175 (English prose has dozens of hits in 2,000 characters); where its answer differs
 * from tinyld's (5 pages), tinyld was wrong: English news read as Hindi or Czech because of the
 * names in it, Indonesian as Czech. The count costs a tenth of tinyld's time (bench/lang-detectors.js).
 */
const DECISIVE_HITS = 12;
const DECISIVE_MARGIN = 2;
/**
 * A long list hits more words by chance: hits are divided by the list's size to this power
 * (from the stopword method this replaces: 0.3 removed English read as German or Norwegian, 0.5
 * or more favoured the shortest lists).
 */
const LIST_SIZE_DAMPING = 0.3;
const ASTRAL_LETTER = /^\p{L}$/u;

/** Code units taken by the letter (`\p{L}`) at `i`, or 0 when there is none. */
function letterAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) ? 1 : 0;
  if (c >= 0xd800 && c <= 0xdfff) {
    if (c > 0xdbff || i + 1 >= s.length) return 0;
    const d = s.charCodeAt(i + 1);
    return d >= 0xdc00 && d <= 0xdfff && ASTRAL_LETTER.test(s.slice(i, i + 2)) ? 2 : 0;
  }
  return isLetterUnit(c) ? 1 : 0;
}

function byStopwords(text: string): string | null {
  readyStopwords();
  // Counts in an array, and the languages in the order of their first hit, which is the order
  // ties were broken in when the counts were a Map (the same answers, without a Map update a hit).
  const hits = new Int32Array(LATIN_STOPWORD_LANGUAGES.length);
  const order: number[] = [];
  // The runs /\p{L}+/gu finds, read in one loop: ASCII costs no regex step and no match object.
  const n = text.length;
  const ascii = ASCII_WORDS!;
  let i = 0;
  while (i < n) {
    let width = letterAt(text, i);
    if (width === 0) {
      i++;
      continue;
    }
    const start = i;
    let high = 0;
    do {
      high |= text.charCodeAt(i);
      i += width;
    } while (i < n && (width = letterAt(text, i)) !== 0);
    // Stopwords are short; longer words cannot hit, so skip the lower-casing and the lookup.
    if (i - start > 12) continue;
    const mask = high < 0x80 ? ascii.get(text, start, i) : stopwordIndex().get(text.slice(start, i).toLowerCase());
    // The lists that hold the word, lowest index first (the order ties were broken in).
    if (mask !== undefined)
      for (let m = mask; m !== 0; m &= m - 1) {
        const l = 31 - Math.clz32(m & -m);
        if (hits[l]++ === 0) order.push(l);
      }
  }
  let best: string | null = null;
  let bestScore = 0;
  let secondScore = 0;
  for (const l of order) {
    const n = hits[l];
    const score = n / DAMPED_SIZES[l];
    if (score > bestScore) {
      secondScore = bestScore;
      bestScore = score;
      best = n >= DECISIVE_HITS ? LATIN_STOPWORD_LANGUAGES[l] : null;
    } else if (score > secondScore) secondScore = score;
  }
  return best !== null && bestScore >= DECISIVE_MARGIN * secondScore ? best : null;
}

/** Detects the language of a sample of prose (proseSample's output, or any short text). */
export function detectTextLanguage(text: string): string {
  const script = byScript(countScripts(text));
  if (typeof script === 'string') return script;
  if (script) return guess(text, script) ?? script[0];
  return byStopwords(text) ?? guess(text) ?? 'und';
}

/** The language of the document's prose as a BCP 47 primary tag, or 'und' when nothing fits. */
export function detectLanguage(blocks: readonly Pick<Block, 'rest'>[]): string {
  return detectTextLanguage(proseSample(blocks));
}
