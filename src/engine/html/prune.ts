/**
 * Whole subtrees inside and after the main content container that are not the article, decided
 * as the best HTML extractors decide them: on the element, not block by block. Once the container
 * is chosen (container.ts), an element in it or after it goes with everything inside when its
 * shape says what it is:
 * - `comments`: named as comments (class or id: comments, disqus, respond, replies);
 * - `link-list`: a list, table or grid of short items that are mostly link text (teaser cards,
 *   "more stories", headline lists, tag and category strips);
 * - `widget`: a small element named as sharing or as a newsletter, sign-up or login prompt;
 * - `ad`: an element named as advertising or promotion (its own class or id);
 * - `side-box`: inside the container, an `<aside>` or an element named as a sidebar or widget
 *   (a wide container takes in the side column's boxes).
 * The container itself and its ancestors never go, nor an element inside it holding half its
 * text or more (unless a comment section under the article's paragraphs): the article is never
 * inside what is pruned.
 */
import type { AnyNode, Element } from 'domhandler';
import type { Marks } from './blocks';
import { BLOCK_LEVEL } from './elements';
import { mainContainer } from './container';
import type { HtmlDocContext } from './context';
import * as V from './vocabulary';

export const SUBTREE_SHAPES = ['comments', 'link-list', 'widget', 'ad', 'side-box'] as const;
export type SubtreeShape = (typeof SUBTREE_SHAPES)[number];

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
/**
 * A comment section inside the container may hold most of its text (a long thread under a short
 * article) when this many paragraphs of prose stand in the container before it: the article.
 * Held-out F1 (HTML leave-one-source-out) without -> with: dragnet 0.924 -> 0.927,
 * readability-dev 0.947 -> 0.949, the others equal; CleanEval 0.893 -> 0.891 (apart).
 */
const COMMENTS_LEAD_PARAGRAPHS = 3;
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

/** A paragraph of prose: this long, with little link text. */
const PROSE_CHARS = 100;
const PROSE_LINK_SHARE = 0.25;

/**
 * Per page, what the shapes ask of a range of blocks, each answered in constant time (a walk over
 * the range for every element would be quadratic on deeply nested pages): counts of long blocks
 * and of quoted blocks before each block, and the next paragraph of prose from each block on.
 */
interface BlockIndex {
  longBefore: Int32Array;
  proseBefore: Int32Array;
  quotedBefore: Int32Array;
  nextProse: Int32Array;
}

function blockIndex(doc: HtmlDocContext): BlockIndex {
  return doc.memo(blockIndex, () => {
    const { blocks, html } = doc.page;
    const n = blocks.length;
    const longBefore = new Int32Array(n + 1);
    const proseBefore = new Int32Array(n + 1);
    const quotedBefore = new Int32Array(n + 1);
    const nextProse = new Int32Array(n + 1).fill(n);
    for (let i = 0; i < n; i++) {
      longBefore[i + 1] = longBefore[i] + (blocks[i].text.length > MAX_LIST_ITEM_CHARS ? 1 : 0);
      quotedBefore[i + 1] = quotedBefore[i] + (html[i].bits & V.IN_QUOTE ? 1 : 0);
    }
    for (let i = n - 1; i >= 0; i--) {
      const len = blocks[i].text.length;
      nextProse[i] = len >= PROSE_CHARS && html[i].linkChars < len * PROSE_LINK_SHARE ? i : nextProse[i + 1];
    }
    for (let i = 0; i < n; i++) proseBefore[i + 1] = proseBefore[i] + (nextProse[i] === i ? 1 : 0);
    return { longBefore, proseBefore, quotedBefore, nextProse };
  });
}

const LIST_ELEMENTS = new Set(['ul', 'ol', 'dl', 'menu', 'table', 'tbody', 'div', 'section', 'aside', 'footer', 'nav', 'article', 'header']);

function shapeOf(el: Marked, shape: SubtreeShape, ix: BlockIndex, containerLast: number): string | null {
  const own = el.dcOwn ?? 0;
  const chars = el.dcChars ?? 0;
  const first = el.dcFirst!;
  const last = el.dcLast!;
  const blocks = last - first + 1;
  switch (shape) {
    case 'comments':
      // One block is a line about comments ("Comments are moderated"), which the scorer judges.
      return own & V.NAMED_COMMENT && blocks >= MIN_COMMENT_BLOCKS
        ? `a comment section (<${el.name}> named as comments, ${blocks} block${blocks === 1 ? '' : 's'})`
        : null;
    case 'widget':
      // Embedded posts (tweets) are block quotations the article quotes, whatever their box is named.
      if (chars > MAX_WIDGET_CHARS || ix.quotedBefore[last + 1] > ix.quotedBefore[first]) return null;
      // Buttons are links, or a word or two.
      if (own & V.NAMED_SHARE && ((el.dcLinks ?? 0) >= chars * MIN_WIDGET_LINK_SHARE || chars <= MAX_BUTTON_CHARS))
        return `a sharing widget (<${el.name}> named as sharing)`;
      if (own & V.NAMED_SUBSCRIBE) return `a sign-up or login prompt (<${el.name}> named as newsletter or login)`;
      return null;
    case 'ad':
      // Its own class or id names it: a name on a wrapper above the container says nothing here,
      // and the outermost such element goes whole. The blocks of these elements in or after the
      // container (100 pages a source, seed 1) hold gold for 4% of their words in aeb-dev, 6% in
      // readability-dev, 0% in CleanEval, dragnet and l3s-gn1 (none in cleanportaleval).
      return own & V.NAMED_AD ? `an advertisement or promotion (<${el.name}> named as advertising)` : null;
    case 'side-box':
      // Inside the container only: after it, the scorer's afterContainer judges side columns.
      // Its own name or tag, as for `ad`: a wrapper named "content-with-sidebar" above the
      // article's paragraphs inside the container holds mostly gold (52% of the words in aeb-dev).
      // Gold for 5% of the words in aeb-dev, 2% in readability-dev and cleanportaleval, 0% in
      // dragnet (none in CleanEval and l3s-gn1). Held-out figures: default.yaml, html-ad-box.
      if (first > containerLast) return null;
      return el.name === 'aside' || own & V.NAMED_SIDEBAR
        ? `a side box in the article's container (<${el.name}> ${el.name === 'aside' ? 'element' : 'named as sidebar or widget'})`
        : null;
    case 'link-list': {
      if (!LIST_ELEMENTS.has(el.name) || blocks < MIN_LIST_BLOCKS) return null;
      if (chars === 0 || (el.dcLinks ?? 0) < chars * MIN_LIST_LINK_SHARE) return null;
      if (ix.longBefore[last + 1] > ix.longBefore[first]) return null;
      // A list the article's prose goes on after is the article's own (software it names, sources).
      if (ix.nextProse[last + 1] <= containerLast) return null;
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
  const ix = blockIndex(doc);
  // Depth-first, iteratively (pages nest deep); a pruned element's inside is not looked at again.
  const stack: AnyNode[] = [...doc.page.root.children].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type !== 'tag') continue;
    const el = node as Marked;
    if (el.dcFirst === undefined || el.dcLast! < start) continue;
    // Inside the container an element holding most of its text is the article, whatever its name.
    const inside = el.dcFirst <= top.dcLast!;
    const small =
      !inside ||
      (el.dcChars ?? 0) <= containerChars * MAX_CONTAINER_SHARE ||
      (shape === 'comments' && ix.proseBefore[el.dcFirst] - ix.proseBefore[start] >= COMMENTS_LEAD_PARAGRAPHS);
    const candidate = !above.has(el) && BLOCK_LEVEL.has(el.name) && el.dcFirst >= start && small;
    const reason = candidate ? shapeOf(el, shape, ix, top.dcLast!) : null;
    if (reason) {
      out.push({ el, first: el.dcFirst, last: el.dcLast!, reason });
      continue;
    }
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]);
  }
  return out;
}
