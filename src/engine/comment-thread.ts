/**
 * The comment thread after the article (issue 14, "wrong region"): a page dump's readers'
 * comments are prose, as long and as topical as the article they answer, so the trained scorer
 * keeps them; the labelled sets' gold bodies (Dragnet, L3S-GN1, CleanPortalEval, the dev sets)
 * leave them out. What gives a thread away is its shape, not its words: three or more short
 * header lines cut to one pattern (a name and a date or time, "Jane says:"), each followed by a
 * reply in prose. The scorer's kept blocks from the thread's first header on go.
 *
 * A header's pattern is the line with its numbers, month and weekday names, and runs of other
 * words each made one placeholder, keeping the words a comment system writes ("at", "pm",
 * "ago", "says"): "August 9th, 2012 at 2:00 pm" and "Jane Doe | Nov 12, 2012 9:13 AM | Reply"
 * are each one pattern for the whole thread; a dot, apostrophe or hyphen after a word is part of
 * the name ("Peter K.", "O'Brien").
 *
 * Guards, each from a class of pages that a simpler test cut wrongly (text, shipped scorer,
 * 100-page samples; F1 of the six sources before -> after):
 *  - the article comes first: at least LEAD_WORDS of kept prose stand before the thread's first
 *    header, and the thread's median reply is at most half that prose. Without them, archive
 *    lists and "Recommended" boxes with dates before or inside the article were cut with it
 *    (readability-dev 0.9225 -> 0.9092, dragnet lost 3 pages to 0), and blog front pages whose
 *    posts end in "Posted by X at 10:14 PM" lost every post after the first (CleanEval).
 *  - a bare date is no header ("Nov 18", "22 August 2019": teaser lists and photo galleries
 *    write them; aeb-dev lost 0.0013), nor a line opening with a dash (an embedded post's
 *    attribution, "— Name (@handle) November 18, 2019", which stands inside the article);
 *  - of the "X wrote:" family, only "says:" heads a thread: "wrote:" and "said:" quote people
 *    inside articles and blog posts (readability-dev 0.0012 lost on a post quoting readers);
 *  - the lines between headers are prose, not more date lines (a reference list or an archive).
 * With them: aeb-dev 0.9205 = , readability-dev 0.9225 = , l3s-gn1 0.9361 -> 0.9394,
 * cleanportaleval 0.9534 -> 0.9563, dragnet 0.8247 -> 0.8514; CleanEval, whose gold counts
 * comments and forum posts as content, 0.9070 -> 0.8911 (reported apart).
 * Leave-one-source-out (`cross-validate.js --loso --sample 100`, held-out F1 before -> after):
 * aeb-dev 0.892 = , readability-dev 0.901 = , cleanportaleval 0.951 -> 0.956, dragnet 0.848 ->
 * 0.874, l3s-gn1 0.942 -> 0.945 (mean 0.907 -> 0.914); CleanEval 0.899 -> 0.883 (apart).
 * Tried and left out: also cutting the short lines just above the first header (a "46 Comments"
 * heading, the first commenter's name): dragnet +0.0005, nothing elsewhere.
 * Tried and left out (branch s28-comments2-signatures-tried): posts signed "Name, Place" ("- Lee,
 * Coventry", "Jane Doe, Leeds, UK"; two or three capitalised parts, no digits, not a dateline's
 * capitals or a "By" byline) as a third header kind, one group per run of signatures at most 10
 * blocks apart, cut from the post above the first signature when they stand under their posts.
 * Shipped scorer, whole sets: it fired on 3 of 612 l3s-gn1 pages (0.475 -> 0.856, 0.679 -> 0.886,
 * and a column of readers' letters the gold keeps 0.982 -> 0.883; set 0.945 = ), 4 CleanEval pages
 * (0.887 -> 0.885, apart), no page of Dragnet, CleanPortalEval or the dev sets; most "Name, Place"
 * runs there are lists inside the article (towns, homes for sale) or sidebars above it. LOSO
 * (--sample 50): l3s-gn1 0.949 -> 0.952, every other source unchanged; --sample 100: l3s-gn1
 * 0.952 -> 0.953, CleanEval 0.884 -> 0.879 (apart; under its floor), the rest and the mean 0.928
 * unchanged. One source, two pages, a loss on a page whose readers' letters are the article: not
 * a class that holds across sources.
 */
import type { DocContext } from './context';
import type { Block } from './segment';
import { restWords } from './segment';
import { isWhitespace } from './text';

/** A comment header is a short line: a name, a date, a time, a link or two. */
const MAX_HEADER_WORDS = 20;
/** Three posts make a thread; two headers of one pattern are too often a dateline and an update. */
const MIN_POSTS = 3;
/** A block of this many words is prose (a reply, a paragraph), not a header or a button. */
const PROSE_WORDS = 8;
/** Kept prose that must stand before the thread: the article it answers. */
const LEAD_WORDS = 50;
/** A thread's typical reply is shorter than the article: at most this share of the prose before it. */
const MAX_REPLY_SHARE = 0.5;
/** At most this share of the lines between a thread's headers may look like headers themselves. */
const MAX_HEADERS_BETWEEN = 0.3;
/** At least this share of the stretches between headers must hold some prose (a reply). */
const MIN_REPLIES = 0.5;

/** A time, "10:34AM" too, or "3 hours ago". */
const TIME = /\b\d{1,2}:\d\d(?!\d)|\b\d+\s+(?:minutes?|hours?|days?|weeks?|months?)\s+ago\b/i;
const NUMERIC_DATE = /\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b/;
const MONTH_DATE =
  /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i;
/** `/^[—–-]/`. */
function opensWithDash(s: string): boolean {
  const c = s.charCodeAt(0);
  return c === 0x2014 || c === 0x2013 || c === 0x2d;
}
const MONTH = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december)$/;
const WEEKDAY = /^(?:mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/;
/** Words a comment system writes around the name and the date: kept as they are in the pattern. */
const SYSTEM_WORD = /^(?:at|on|says|said|wrote|writes|reply|ago|minutes?|hours?|days?|weeks?|months?|years?|by|posted|permalink|edt|est|pdt|pst|gmt|utc)$/;
/**
 * Morning and evening are one placeholder: a thread's posts span both ("Jan 10, 2008 4:49:12 PM",
 * "Jan 11, 2008 12:44:52 AM"), and two patterns split it into two groups, neither of which passed
 * the guards (the other half's headers stood between its own). Shipped scorer, text F1 (dev sets
 * whole, 100-page samples of the others): l3s-gn1 0.9434 -> 0.9461, dragnet 0.8615 -> 0.8642,
 * cleaneval 0.8949 -> 0.8974 (apart), aeb-dev, readability-dev, cleanportaleval unchanged.
 * Leave-one-source-out (--loso, 100 pages a source), held-out F1: aeb-dev 0.906 -> 0.907,
 * dragnet 0.895 -> 0.898, l3s-gn1 0.946 -> 0.949, readability-dev and cleanportaleval unchanged
 * (mean 0.922 -> 0.923); cleaneval 0.877 -> 0.883 (apart).
 */
const AM_PM = /^(?:am|pm)$/;
const NAME_MARK = /^[.'’_@-]$/;
const ORDINAL = /^(?:st|nd|rd|th)$/;
const PART = /\d+|[\p{L}\p{M}]+|[^\s\p{L}\p{M}\d]/gu;

/**
 * What MONTH, WEEKDAY, AM_PM and SYSTEM_WORD make of a word, in that order, found by one lookup
 * instead of four regexes a word (headerPattern reads every word of every dated line).
 */
const WORD_CLASS: ReadonlyMap<string, string> = (() => {
  const words = (re: RegExp) =>
    re.source
      .slice(4, -2)
      .split('|')
      .flatMap((w) => (w.endsWith('s?') ? [w.slice(0, -2), w.slice(0, -1)] : [w]));
  const classes = new Map<string, string>();
  const add = (re: RegExp, p: (w: string) => string) => {
    for (const w of words(re)) if (!classes.has(w) && re.test(w)) classes.set(w, p(w));
  };
  add(MONTH, () => 'M');
  add(WEEKDAY, () => 'W');
  add(AM_PM, () => '<am/pm>');
  add(SYSTEM_WORD, (w) => `<${w}>`);
  return classes;
})();
const ANY_LETTER = /\p{L}/u;

/** The header's pattern: see the module comment. */
export function headerPattern(line: string): string {
  let out = '';
  for (const part of line.toLowerCase().match(PART) ?? []) {
    const c = part.charCodeAt(0);
    let p: string;
    if (c >= 48 && c <= 57) p = '0';
    else if (ORDINAL.test(part) && out.endsWith('0')) continue;
    else {
      const known = WORD_CLASS.get(part);
      if (known !== undefined) p = known;
      // A part is a run of letters and marks or one other character: an ASCII letter first is a word.
      else if ((c >= 0x61 && c <= 0x7a) || (c >= 0x80 && ANY_LETTER.test(part))) p = 'x';
      // Inside a name ("Peter K.", "O'Brien", "site.com") a dot, an apostrophe or a hyphen is the name's.
      else if (NAME_MARK.test(part) && out.endsWith('x')) continue;
      else p = part;
    }
    if (p === 'x' && out.endsWith('x')) continue;
    out += p;
  }
  return out;
}

/**
 * `/\d/`: an ASCII digit anywhere in s.slice(from, to). Loops instead of regexes here: nearly every
 * line of a page is short enough to be asked. Read in place: a block's line from the document's
 * input rather than from its slice of it (an indirection a character).
 */
function hasDigit(s: string, from = 0, to = s.length): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) return true;
  }
  return false;
}

/** `/\bsays\s*:?\s*$/i`, read back from the line's end instead of trying every position of the line. */
function endsWithSays(s: string): boolean {
  let end = s.length;
  while (end > 0 && isWhitespace(s.charCodeAt(end - 1))) end--;
  if (end > 0 && s.charCodeAt(end - 1) === 0x3a) {
    end--;
    while (end > 0 && isWhitespace(s.charCodeAt(end - 1))) end--;
  }
  const from = end - 4;
  if (from < 0 || (s.charCodeAt(from) | 0x20) !== 0x73 || (s.charCodeAt(from + 1) | 0x20) !== 0x61) return false;
  if ((s.charCodeAt(from + 2) | 0x20) !== 0x79 || (s.charCodeAt(from + 3) | 0x20) !== 0x73) return false;
  // \b before it: the line's start or a character outside \w.
  return from === 0 || !isAsciiWordChar(s.charCodeAt(from - 1));
}

function isAsciiWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/**
 * The header's pattern (headerPattern) when the block reads as a comment header, else null.
 * `input`: the document's input, of which each block's text is input.slice(start, end).
 */
function headerOf(b: Block, input?: string): string | null {
  if (restWords(b) > MAX_HEADER_WORDS || opensWithDash(b.text)) return null;
  // Times and dates have digits: most lines are done with one cheap test.
  if (!(input === undefined ? hasDigit(b.text) : hasDigit(input, b.start, b.end))) return endsWithSays(b.text) ? headerPattern(b.text) : null;
  if (TIME.test(b.text) || endsWithSays(b.text)) return headerPattern(b.text);
  if (!NUMERIC_DATE.test(b.text) && !MONTH_DATE.test(b.text)) return null;
  // A bare date heads teaser lists and galleries; a comment's date stands beside a name.
  const p = headerPattern(b.text);
  return p.includes('x') ? p : null;
}

export interface Thread {
  /** The block index of its first header: the thread's kept blocks from here on go. */
  from: number;
  posts: number;
  /** The first header's text, for the removal reason. */
  header: string;
}

/**
 * The comment thread after the article, or null. `kept[i]` says whether block i is kept so far
 * (the scorer's verdict): the article the thread answers must be among them, before it.
 */
export function findThread(blocks: readonly Block[], kept: ArrayLike<number>, input?: string): Thread | null {
  const n = blocks.length;
  const words = new Int32Array(n);
  const header = new Uint8Array(n);
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const b = blocks[i];
    words[i] = restWords(b);
    const p = headerOf(b, input);
    if (p === null) continue;
    header[i] = 1;
    const g = groups.get(p);
    if (g) g.push(i);
    else groups.set(p, [i]);
  }
  const prose = (from: number, to: number, keptOnly: boolean) => {
    let s = 0;
    for (let k = from; k < to; k++) if (words[k] >= PROSE_WORDS && (!keptOnly || kept[k])) s += words[k];
    return s;
  };
  let best: number[] | null = null;
  for (const members of groups.values()) {
    if (members.length < MIN_POSTS || (best && members.length <= best.length)) continue;
    const lead = prose(0, members[0], true);
    if (lead < LEAD_WORDS) continue;
    const replies = members.slice(1).map((at, k) => prose(members[k] + 1, at, false));
    const sorted = replies.slice().sort((a, b) => a - b);
    if (sorted[sorted.length >> 1] > MAX_REPLY_SHARE * lead) continue;
    if (replies.filter((w) => w > 0).length < MIN_REPLIES * replies.length) continue;
    let between = 0;
    let headersBetween = 0;
    const last = members[members.length - 1];
    for (let k = members[0] + 1, m = 1; k < last; k++) {
      if (k === members[m]) {
        m++;
        continue;
      }
      between++;
      headersBetween += header[k];
    }
    if (headersBetween > MAX_HEADERS_BETWEEN * between) continue;
    best = members;
  }
  return best ? { from: best[0], posts: best.length, header: blocks[best[0]].text } : null;
}

/**
 * A comments section's heading ("46 Comments", "Leave a Reply", "2 Responses to …"): the kept
 * blocks under it are the readers', whatever their headers look like. Bare plurals only
 * ("Response" and "Comment" head sections of articles and blog posts: readability-dev lost 0.003,
 * and a clean blog post sent as text a third of its text), in the languages the comment-count rule
 * knows. Only a heading the scorer dropped: one it kept reads as the text's own (a page whose
 * article includes its discussion; its clean body sent as text lost 43% without this).
 * With the thread above (shipped scorer, 100-page samples, F1 of the thread alone -> both):
 * aeb-dev 0.9205 -> 0.922, readability-dev 0.9225 -> 0.923, l3s-gn1 0.9394 -> 0.943,
 * cleanportaleval 0.9563 -> 0.961, dragnet 0.8514 -> 0.861. A lead of 50 words instead of 100:
 * dragnet 0.870 but aeb-dev 0.915, readability-dev 0.912 (bylines' comment links). With kept
 * headings left alone: 75 words dragnet 0.864 (one source, the rest unchanged), 150 no change.
 * Leave-one-source-out, held-out F1 of the thread alone -> both: aeb-dev 0.892 -> 0.897,
 * readability-dev 0.901 = , cleanportaleval 0.956 -> 0.960, dragnet 0.874 -> 0.885, l3s-gn1
 * 0.945 -> 0.947 (mean 0.914 -> 0.918); CleanEval 0.883 -> 0.879 (apart). Cutting under kept
 * headings too: aeb-dev 0.899, dragnet 0.892, but readability-dev 0.899 and the clean-input loss.
 */
const COMMENTS_HEADING =
  /^(?:\d+\s+)?(?:comments|responses|replies|reader comments|kommentare|commentaires|comentarios|commenti|comentários|reacties|komentarze)\b[^.!?]{0,60}$|^(?:leave|post|add|write) (?:a|your) (?:reply|comment|response)\b[^.!?]{0,40}$|^join the discussion\b[^.!?]{0,40}$|^\d+ (?:thoughts|responses|comments|replies) (?:on|to)\b|^1 (?:comment|response|reply)$/i;
/** Kept prose above a comments heading: the article. A byline's "3 comments" link stands higher. */
const HEADING_LEAD_WORDS = 100;

/** The first comments heading under at least HEADING_LEAD_WORDS of kept prose and over some more, or -1. */
export function commentsHeading(blocks: readonly Block[], kept: ArrayLike<number>): number {
  let lead = 0;
  let heading = -1;
  for (let i = 0; i < blocks.length; i++) {
    const w = restWords(blocks[i]);
    if (heading >= 0) {
      if (kept[i] && w >= PROSE_WORDS) return heading;
      continue;
    }
    if (!kept[i] && lead >= HEADING_LEAD_WORDS && w <= MAX_HEADER_WORDS && COMMENTS_HEADING.test(blocks[i].text)) heading = i;
    else if (kept[i] && w >= PROSE_WORDS) lead += w;
  }
  return -1;
}

/** Where the readers' part of the page begins, and what shows it. */
export interface CommentsCut {
  from: number;
  reason: string;
}

/**
 * The readers' part after the article kept by the scorer's verdict `keep` (rows are blocks
 * `active[r]`): from its comments heading or its thread's first header, whichever comes first.
 * None in a text that found no furniture (article-shape.ts, `doc.articleCore`): a clean article
 * sent with its readers' comments keeps them, as its sender chose.
 */
export function commentsAfter(doc: DocContext, active: readonly number[], keep: Uint8Array): CommentsCut | null {
  if (doc.articleCore) return null;
  const blocks = doc.blocks;
  const kept = new Uint8Array(blocks.length);
  for (let r = 0; r < active.length; r++) if (keep[r]) kept[active[r]] = 1;
  const heading = commentsHeading(blocks, kept);
  const thread = findThread(blocks, kept, doc.input);
  if (heading >= 0 && (!thread || heading <= thread.from))
    return { from: heading, reason: `after the article: under the comments heading "${blocks[heading].text}"` };
  if (thread) return { from: thread.from, reason: `after the article: a comment thread of ${thread.posts} posts headed like "${thread.header}"` };
  return null;
}

/** Drops the readers' rows from `keep`, as the scorer rule does (training decides the same way). */
export function cutComments(doc: DocContext, active: readonly number[], keep: Uint8Array): void {
  const cut = commentsAfter(doc, active, keep);
  if (cut) for (let r = 0; r < active.length; r++) if (active[r] >= cut.from) keep[r] = 0;
}
