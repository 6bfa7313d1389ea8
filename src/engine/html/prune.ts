/**
 * Whole subtrees inside and after the main content container that are not the article, decided
 * as the best HTML extractors decide them: on the element, not block by block. Once the container
 * is chosen (container.ts), an element in it or after it goes with everything inside when its
 * shape says what it is:
 * - `comments`: named as comments (class or id: comments, disqus, respond, replies);
 * - `link-list`: a list, table or grid of short items that are mostly link text (teaser cards,
 *   "more stories", headline lists, tag and category strips);
 * - `widget`: a small element named as sharing or as a newsletter, sign-up or login prompt.
 * The container itself and its ancestors never go, nor an element inside it holding half its
 * text or more: the article is never inside what is pruned.
 */
import type { AnyNode, Element } from 'domhandler';
import { BLOCK_LEVEL, type Marks } from './blocks';
import { mainContainer } from './container';
import type { HtmlDocContext } from './context';
import * as V from './vocabulary';

export type SubtreeShape = 'comments' | 'link-list' | 'widget';
export const SUBTREE_SHAPES: readonly SubtreeShape[] = ['comments', 'link-list', 'widget'];

type Marked = Element & Marks;

export interface PrunedSubtree {
  el: Element;
  /** Its blocks, first to last. */
  first: number;
  last: number;
  reason: string;
}

/** A pruned element holds at most this share of the container's text: more is the article. */
const MAX_CONTAINER_SHARE = 0.5;
/** Blocks a link list has at least: fewer are a line of links an article may hold. */
const MIN_LIST_BLOCKS = 4;
/** Share of a link list's text inside links. */
const MIN_LIST_LINK_SHARE = 0.6;
/** A link list's items are short: headlines, tags, names. */
const MAX_LIST_ITEM_CHARS = 90;
/** A widget is small: a row of buttons, a prompt of a sentence or two. */
const MAX_WIDGET_CHARS = 300;

/** A comment section has a heading and a comment at least. */
const MIN_COMMENT_BLOCKS = 2;
/** Share of a sharing widget's text inside links, unless it is a label of a few words. */
const MIN_WIDGET_LINK_SHARE = 0.5;
const MAX_BUTTON_CHARS = 40;

/** Embedded posts (tweets, Instagram) are block quotations the article quotes, whatever their container is named. */
function holdsQuote(el: Element): boolean {
  const stack: AnyNode[] = [el];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type !== 'tag') continue;
    if ((n as Element).name === 'blockquote') return true;
    for (const c of (n as Element).children) stack.push(c);
  }
  return false;
}

/** A paragraph of prose: this long, with little link text. */
const PROSE_CHARS = 100;
const PROSE_LINK_SHARE = 0.25;

/** True when a block from `from` to `to` (inclusive) is a paragraph of prose. */
function proseBetween(doc: HtmlDocContext, from: number, to: number): boolean {
  const { blocks, html } = doc.page;
  for (let i = from; i <= to && i < blocks.length; i++) {
    const len = blocks[i].text.length;
    if (len >= PROSE_CHARS && html[i].linkChars < len * PROSE_LINK_SHARE) return true;
  }
  return false;
}

const LIST_ELEMENTS = new Set(['ul', 'ol', 'dl', 'menu', 'table', 'tbody', 'div', 'section', 'aside', 'footer', 'nav', 'article', 'header']);

function shapeOf(el: Marked, shape: SubtreeShape, doc: HtmlDocContext, containerLast: number): string | null {
  const own = el.dcOwn ?? 0;
  const chars = el.dcChars ?? 0;
  const blocks = el.dcLast! - el.dcFirst! + 1;
  switch (shape) {
    case 'comments':
      // One block is a line about comments ("Comments are moderated"), which the scorer judges.
      return own & V.NAMED_COMMENT && blocks >= MIN_COMMENT_BLOCKS
        ? `a comment section (<${el.name}> named as comments, ${blocks} block${blocks === 1 ? '' : 's'})`
        : null;
    case 'widget':
      if (chars > MAX_WIDGET_CHARS || holdsQuote(el)) return null;
      // Buttons are links or a word or two; an embedded post ("twitter-tweet") is prose.
      if (own & V.NAMED_SHARE && ((el.dcLinks ?? 0) >= chars * MIN_WIDGET_LINK_SHARE || chars <= MAX_BUTTON_CHARS))
        return `a sharing widget (<${el.name}> named as sharing)`;
      if (own & V.NAMED_SUBSCRIBE) return `a sign-up or login prompt (<${el.name}> named as newsletter or login)`;
      return null;
    case 'link-list': {
      if (!LIST_ELEMENTS.has(el.name) || blocks < MIN_LIST_BLOCKS) return null;
      if (chars === 0 || (el.dcLinks ?? 0) < chars * MIN_LIST_LINK_SHARE) return null;
      let longest = 0;
      for (let i = el.dcFirst!; i <= el.dcLast!; i++) longest = Math.max(longest, doc.page.blocks[i].text.length);
      if (longest > MAX_LIST_ITEM_CHARS) return null;
      // A list the article's prose goes on after is the article's own (software it names, sources).
      if (proseBetween(doc, el.dcLast! + 1, containerLast)) return null;
      return `a list of ${blocks} short linked items (teasers, headlines or tags), ${Math.round((100 * (el.dcLinks ?? 0)) / chars)}% link text`;
    }
  }
}

/**
 * The outermost elements of one shape in or after the main container, in document order; none
 * when the page has no container (nothing to measure "inside" and "after" by).
 */
export function prunedSubtrees(doc: HtmlDocContext, shape: SubtreeShape): PrunedSubtree[] {
  const { best } = mainContainer(doc);
  const top = best as Marked | null;
  if (!top || top.dcFirst === undefined) return [];
  const start = top.dcFirst;
  const containerChars = top.dcChars ?? 0;
  const above = new Set<AnyNode>();
  for (let n: AnyNode | null = top; n; n = n.parent) above.add(n);
  const out: PrunedSubtree[] = [];
  // Depth-first, iteratively (pages nest deep); a pruned element's inside is not looked at again.
  const stack: AnyNode[] = [...doc.page.root.children].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type !== 'tag') continue;
    const el = node as Marked;
    if (el.dcFirst === undefined || el.dcLast! < start) continue;
    // Inside the container an element holding most of its text is the article, whatever its name.
    const inside = el.dcFirst <= top.dcLast!;
    const candidate =
      !above.has(el) && BLOCK_LEVEL.has(el.name) && el.dcFirst >= start && (!inside || (el.dcChars ?? 0) <= containerChars * MAX_CONTAINER_SHARE);
    const reason = candidate ? shapeOf(el, shape, doc, top.dcLast!) : null;
    if (reason) {
      out.push({ el, first: el.dcFirst, last: el.dcLast!, reason });
      continue;
    }
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]);
  }
  return out;
}
