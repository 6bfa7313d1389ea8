/**
 * The first-line rule (issue 14, item 4): whether the line the scorer dropped just above the
 * article is the page's `<title>` or the article's headline.
 *
 * A whole-page dump begins with the page's `<title>` ("Bridge to close - The Daily Example"), and
 * the headline further down repeats it; the labelled sets' gold bodies leave both out, and the
 * trained scorer learnt to drop a short line standing before the main text. But a scraped text
 * need not begin with a title: a short document (a headline and a few paragraphs, perhaps under
 * a menu line and a breadcrumb the explicit rules take) begins with its headline, which is the
 * article's. So the scorer's verdict is overruled for the first line it judged (or the second,
 * after a dropped first line of the input: a menu no phrase list knows) when that line
 *  - is shaped like a headline (no full stop, at most MAX_HEADLINE_CHARS) and stands right above
 *    the article's first paragraph, which the scorer kept, with nothing between them;
 *  - repeats no other line of the text and no other line repeats it (a title and its headline);
 *  - speaks of the article's subject (shares a content word, its stem or a compound's head);
 *  - and, when it is the input's very first line (where a dump puts the `<title>`), the text has
 *    no menu: no line of links joined by separators and no run of short lines, furniture the
 *    explicit rules removed included.
 *
 * Measured on every page of the six labelled sources (text) and the multilingual fixtures:
 *  - the first judged line alone, any line of under 12 words: fixture text recall 0.8-0.9 -> 1.0
 *    in most languages, CJK headlines (12 segmenter words) missed, no labelled page changed.
 *  - the line above the first kept row wherever it stands: aeb-dev F1 0.9205 -> 0.9180, 44
 *    lines kept of which 3 in the gold (datelines, bylines, captions, other stories' headlines
 *    stand there in a dump); rejected for the first or second line only.
 *  - the second line without the subject test: aeb-dev kept "Zurück zur Übersicht" twice. A bare
 *    five-letter prefix as the stem met "übers(tellung)"; hence the stem rule below.
 *  - without "nothing between it and a paragraph with a sentence": dragnet kept two menu lines.
 *  - the menu test on the first line: with it, cleaneval keeps 9 more lines, 7 of them in its
 *    gold, and no other source changes; without it 13, 9 in the gold. Kept: a dump's first line
 *    is its title unless there is reason to think otherwise.
 */
import type { DocContext } from './context';
import { MAX_SHORT_RUN, MENU_SEPARATORS, PROSE_WORDS, SENTENCE_END, SHORT_WORDS, squashWords } from './article-shape';
import { countWords } from './text';
import { shapeOf, type BlockShape } from './features/shape';
import { hasUnspacedScript, isCjk, segmentWords, type WordSegments } from './words';
import { DOM_COLUMN, DOM_FEATURES } from './html/dom-features';

/** A headline may ask or exclaim, but a line closed by a full stop is a sentence. */
const FULL_STOP = /[.。।॥۔][”"’')\]」»]*$/u;
/** Headlines run to about a dozen words; 120 characters is a long one. */
const MAX_HEADLINE_CHARS = 120;
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
/** A line this short repeating inside the headline ("News", "Home") proves nothing. */
const MIN_ECHO_CHARS = 10;

/**
 * The row of `active` (the scorer's rows: block indices) to keep as the article's headline
 * although the scorer dropped it, or -1. `keep` is the scorer's verdict per row.
 */
export function headlineRow(doc: DocContext, active: readonly number[], keep: Uint8Array): number {
  const lead = keep.indexOf(1);
  // The headline is the first line judged, or the second after a dropped first line of the input.
  if (lead < 1 || lead > 2 || (lead === 2 && active[0] !== 0)) return -1;
  const row = lead - 1;
  const blocks = doc.blocks;
  const line = blocks[active[row]].rest.trim();
  if (!headlineShaped(line)) return -1;
  // Right above the first paragraph, with nothing between them (not even removed furniture).
  if (active[lead] !== active[row] + 1 || !isParagraph(blocks[active[lead]].rest)) return -1;
  const key = squashWords(line);
  if (key.length === 0) return -1;
  for (const b of blocks) {
    if (b.index === active[row]) continue;
    const other = squashWords(b.text);
    if (other.includes(key) || (other.length >= MIN_ECHO_CHARS && key.includes(other))) return -1;
  }
  if (active[row] === 0 && hasMenu(doc)) return -1;
  // A headline speaks of the article's subject; "Back to the overview", "More" or a dateline do not.
  if (!sharesSubject(doc, line, active, keep)) return -1;
  return row;
}

/** A paragraph of prose: PROSE_WORDS words or more and a sentence in them (Thai's too: features/shape.ts). */
export function isParagraph(text: string): boolean {
  const words = countWords(text);
  return words >= PROSE_WORDS && isParagraphShape(words, shapeOf(text));
}

/** isParagraph of a block whose word count and shape are known (the scorer's rows). */
export function isParagraphShape(words: number, shape: Pick<BlockShape, 'endsSentence' | 'innerSentenceEnds'>): boolean {
  return words >= PROSE_WORDS && (shape.endsSentence || shape.innerSentenceEnds > 0);
}

/** Inflection and compounding change a word's end: the shortest stem or compound head compared. */
const MIN_STEM = 5;
/** Letters an inflection may change at a word's end ("Streuseln" / "Streusel"). */
const ENDING = 3;

/**
 * True when one of the line's content words (not a stopword, two letters or more; the
 * segmenter's words in scripts without spaces) is a word of the text the scorer kept, or
 * shares its stem with one (all but its last three letters, at least five), or ends with one
 * of five letters or more (a compound's head: "Bográcsgulyás" / "gulyás", "Zwetschgenkuchen" /
 * "Kuchen"). A bare five-letter prefix was too loose: German "übers(icht)" met "übers(tellung)".
 */
function sharesSubject(doc: DocContext, line: string, active: readonly number[], keep: Uint8Array): boolean {
  const stop = doc.stopwords;
  const content = wordsOf(line, doc.segments).filter((w) => w.length >= 2 && !stop.has(w) && !/^\p{N}+$/u.test(w));
  if (content.length === 0) return false;
  const article = new Set<string>();
  for (let r = 0; r < active.length; r++) if (keep[r]) for (const w of wordsOf(doc.blocks[active[r]].rest, doc.segments)) article.add(w);
  for (const w of content) {
    if (article.has(w)) return true;
    for (let k = w.length - MIN_STEM; k > 0; k--) if (article.has(w.slice(k))) return true;
  }
  for (const a of article) for (const w of content) if (sameStem(w, a)) return true;
  return false;
}

/** Two words that agree on all but the last ENDING letters of the shorter one, and on MIN_STEM at least. */
function sameStem(a: string, b: string): boolean {
  const need = Math.max(MIN_STEM, Math.min(a.length, b.length) - ENDING);
  if (a.length < need || b.length < need) return false;
  for (let i = 0; i < need; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return true;
}

function wordsOf(text: string, segments: WordSegments): readonly string[] {
  const lower = text.toLowerCase();
  return hasUnspacedScript(lower) ? segmentWords(lower, segments) : (lower.match(WORD) ?? []);
}

/**
 * A headline: a line of at most MAX_HEADLINE_CHARS (a CJK character counting as three, as the
 * scorer measures length) that does not end with a full stop and is no menu line. Counted in
 * words, a Japanese or Chinese headline has as many as a paragraph's first sentence.
 */
function headlineShaped(line: string): boolean {
  if (line.length === 0 || FULL_STOP.test(line) || MENU_SEPARATORS.test(line)) return false;
  let length = 0;
  for (let i = 0; i < line.length; i++) length += isCjk(line.charCodeAt(i)) ? 3 : 1;
  return length <= MAX_HEADLINE_CHARS;
}

/** A line of links joined by separators, or more than MAX_SHORT_RUN short lines in a row. */
function hasMenu(doc: DocContext): boolean {
  let run = 0;
  for (const b of doc.blocks) {
    const text = b.text;
    if (MENU_SEPARATORS.test(text)) return true;
    if (countWords(text, doc.segments) <= SHORT_WORDS && !SENTENCE_END.test(text)) {
      if (++run > MAX_SHORT_RUN) return true;
    } else run = 0;
  }
  return false;
}

/**
 * HTML pages: the row to keep as the headline, or -1. A page's `<title>` is in its head, not
 * among its blocks, so the block that repeats it (the h1) is the headline; it stays when it
 * stands right above the first block the scorer kept. The labelled sets disagree on headlines:
 * 100-page samples (150 for the training sources), HTML F1 cleanportaleval +0.0016, dragnet
 * +0.0024, l3s-gn1 +0.0010, cleaneval +0.0003, but aeb-dev -0.0017 and readability-dev -0.0009,
 * whose gold leaves every headline out; the multilingual fixtures, whose gold has them, 0.8-0.9
 * -> 1.0 recall in nine languages. Two or three rows above: aeb-dev -0.008 (teasers' titles).
 */
export function pageHeadlineRow(dom: Float64Array, keep: Uint8Array): number {
  const lead = keep.indexOf(1);
  if (lead < 1) return -1;
  return dom[(lead - 1) * DOM_FEATURES.length + DOM_COLUMN.titleLike] === 1 ? lead - 1 : -1;
}

/**
 * Keeps the headline the scorer dropped (either kind of document), and drops a text dump's first
 * line the scorer kept when it is the page's `<title>`: the one place the engine's scorer rule and
 * training's replay of it (train.ts keptBy, which leave-one-source-out scores with) decide it.
 * `dom`: an HTML page's DOM feature rows. Returns the row dropped as the page's title, or -1.
 */
export function keepHeadline(doc: DocContext, active: readonly number[], keep: Uint8Array, threshold: number, dom?: Float64Array): number {
  const h = dom ? pageHeadlineRow(dom, keep) : headlineRow(doc, active, keep);
  if (h >= 0) keep[h] = 1;
  // A scorer set to keep everything (threshold 0) keeps the first line too.
  if (dom || threshold <= 0) return -1;
  const title = pageTitleRow(doc, active, keep);
  if (title >= 0) keep[title] = 0;
  return title;
}

/** Why the scorer rule removes the row pageTitleRow found. */
export const PAGE_TITLE_REASON = "the input's first line, headline-shaped, in a page dump with a menu: the page's <title>, not the article";

/**
 * Text: the row of the input's first line when the scorer kept it although it is the page's
 * `<title>` by the rule above (a headline-shaped line, no paragraph, at the top of a dump that has
 * a menu), or -1. The trained scorer usually drops that line itself; this makes the decision the
 * issue asks for (item 4) hold whatever threshold training fits, instead of leaving it to the
 * line's score (a retrained threshold of 0.45 kept such lines).
 * Measured, stop 28: it fires on no dev-set page and on 48 train pages (cleaneval 32, dragnet 13,
 * l3s-gn1 2, cleanportaleval 1), 22 of whose lines the gold keeps (sets differ on titles). Text
 * leave-one-source-out held-out F1 (100 pages a source): aeb-dev 0.907 -> 0.909, cleanportaleval
 * 0.956 -> 0.955, the others and the mean (0.928) unchanged; both models reproduced as they were.
 */
function pageTitleRow(doc: DocContext, active: readonly number[], keep: Uint8Array): number {
  if (active.length < 2 || active[0] !== 0 || !keep[0]) return -1;
  const line = doc.blocks[0].rest.trim();
  if (!headlineShaped(line) || isParagraph(line) || !hasMenu(doc)) return -1;
  return 0;
}
