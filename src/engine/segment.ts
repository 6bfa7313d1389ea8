/**
 * Step 1: cut the raw text into blocks. A block is one line with its surrounding whitespace
 * trimmed; blank lines are separators. Scrapers write one paragraph, menu item or teaser a line,
 * so the line is the unit that rules judge. Offsets are exact UTF-16 indices into the input.
 */
import { countWords, isLineBreak, isWhitespace } from './text';
import type { WordSegments } from './words';

export interface Span {
  start: number;
  end: number;
  rule: number; // index into the compiled rule list
  reason: string;
}

export interface Block {
  index: number;
  /** Trimmed extent in the input: input.slice(start, end) is the block's text. */
  start: number;
  end: number;
  text: string;
  /** Spans removed inside the block by inline rules, sorted and disjoint; null when none. */
  inline: Span[] | null;
  /** Set when the whole block goes: the rule index and the reason. */
  removedBy: number;
  reason: string;
  /** The text left after inline removals (equals `text` when there are none). */
  rest: string;
  /** `rest` squashed for phrase lookups (see kinds/phrase.ts), computed once for all phrase rules. */
  squashed?: string;
  /** countWords of `wordsOf`, the `rest` it was counted on (restWords). */
  words?: number;
  wordsOf?: string;
}

/**
 * The words of the block's `rest` (countWords), counted once for the topic, the article test,
 * the menus and the wrapped-prose lines, which all ask. Counted again if `rest` has changed since.
 * `segments`: the document's (DocContext), so that a CJK line is segmented once for every use.
 */
export function restWords(b: Block, segments?: WordSegments): number {
  if (b.wordsOf !== b.rest || b.words === undefined) {
    b.words = countWords(b.rest, segments);
    b.wordsOf = b.rest;
  }
  return b.words;
}

/** The block's text with its inline spans cut out. */
export function restOf(input: string, b: Block): string {
  let rest = '';
  let at = b.start;
  for (const s of b.inline!) {
    rest += input.slice(at, s.start);
    at = s.end;
  }
  return rest + input.slice(at, b.end);
}

export function segment(input: string): Block[] {
  const blocks: Block[] = [];
  const n = input.length;
  let i = 0;
  while (i < n) {
    // Skip whitespace, including line breaks, up to the next block's first character.
    while (i < n && isWhitespace(input.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isLineBreak(input.charCodeAt(i))) i++;
    let end = i;
    while (end > start && isWhitespace(input.charCodeAt(end - 1))) end--;
    const text = input.slice(start, end);
    // Every field from the start, the lazy ones too: blocks that gained them in different orders
    // had six hidden classes, and every rule's loop over blocks read them megamorphically.
    blocks.push({
      index: blocks.length,
      start,
      end,
      text,
      inline: null,
      removedBy: -1,
      reason: '',
      rest: text,
      squashed: undefined,
      words: undefined,
      wordsOf: undefined,
    });
  }
  return blocks;
}
