/**
 * From a parsed page to the blocks the text engine judges. Block-level elements (p, div, li,
 * h1-h6, td, pre, blockquote, figcaption...) and line breaks end a block; inline elements (a,
 * span, em...) join their text into the block around them, as a browser lays them out. Every
 * block remembers the text nodes it came from (to map removals back to source offsets), the
 * element that holds it and what its ancestors say about it (vocabulary.ts).
 *
 * The engine's input is the blocks' text, one block a line: every text rule, and the text
 * scorer's features, then apply to HTML unchanged.
 */
import type { AnyNode, Document, Element, Text } from 'domhandler';
import type { Block, Span } from '../segment';
import { IN_LINK, NAMED_ALL, NAMED_CONTENT, namedBits, ROLE_BITS, TAG_BITS } from './vocabulary';
import { BLOCK_LEVEL, SKIPPED } from './elements';
import { isJsonLd, isShown, structuredBody } from './structured';

const HIDDEN_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden/i;

/** A stretch of one text node inside a block's text. */
export interface Piece {
  node: Text;
  /** Offset of the stretch in the block's text, and its length there. */
  at: number;
  len: number;
  /** Source offset of the node's first character that the stretch shows. */
  src: number;
  /** True when the stretch is the source verbatim (no entity, no squeezed whitespace): offsets map one to one. */
  exact: boolean;
}

export interface HtmlBlock {
  /** The innermost block-level element holding the text (or the one a selector matched). */
  owner: Element | null;
  /** Ancestry and naming bits (vocabulary.ts) where the block starts. */
  bits: number;
  /** Element depth where the block starts. */
  depth: number;
  /** Characters of the block's text inside links. */
  linkChars: number;
  pieces: Piece[];
  /** Index of the selector rule that removed the block's element, or -1. */
  selectedBy: number;
  selectorReason: string;
}

/** What a selector rule needs from the walk: a test for one element. */
export interface ElementTest {
  rule: number;
  test(el: Element): boolean;
  reason: string;
}

export interface Marks {
  /** First and last block index whose text lies inside the node; first > last when none. */
  dcFirst?: number;
  dcLast?: number;
  /** The block a text node belongs to. */
  dcBlock?: number;
  /** Characters of text inside the element, and of those inside links. */
  dcChars?: number;
  dcLinks?: number;
  /** The element's own bits (its tag, role, class and id; not its ancestors'). */
  dcOwn?: number;
}

export interface ExtractedPage {
  /** The engine's input: one block a line. */
  input: string;
  blocks: Block[];
  html: HtmlBlock[];
  root: Document;
  /** The text of the page's <title>, for recognising the headline. */
  title?: string;
  /** Elements left out as invisible or not text (scripts, hidden elements), in document order. */
  skipped: Element[];
  /** The `<table>` elements the walk went into, in document order. */
  tables: Element[];
}

function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

function isHidden(el: Element): boolean {
  const a = el.attribs;
  if (a.hidden !== undefined) return true;
  if (a['aria-hidden'] === 'true') return true;
  const style = a.style;
  return style !== undefined && style.length >= 12 && HIDDEN_STYLE.test(style);
}

/**
 * schema.org microdata naming the element that holds an article's body (`itemprop="articleBody"`,
 * `reviewBody` on reviews): the page's own statement of where its article is, counted as
 * a name for article content. 61 of the labelled pages have one (aeb-dev 19, readability-dev 18,
 * dragnet 24). Leave-one-source-out HTML (100 pages a source): aeb-dev 0.950 -> 0.952, every
 * other source unchanged.
 */
const ARTICLE_BODY_PROP = /(?:^|\s)(?:articlebody|reviewbody)(?:\s|$)/i;

/** Pages repeat a few class names on most elements: each distinct name is matched once per page. */
type NameCache = Map<string, number>;

function ownBits(el: Element, cache: NameCache): number {
  let bits = TAG_BITS[el.name] ?? 0;
  const a = el.attribs;
  const role = a.role;
  if (role) bits |= ROLE_BITS[role.toLowerCase()] ?? 0;
  if (a.itemprop !== undefined && ARTICLE_BODY_PROP.test(a.itemprop)) bits |= NAMED_CONTENT;
  const cls = a.class,
    id = a.id;
  if (cls || id) {
    const names = cls ? (id ? `${cls} ${id}` : cls) : id!;
    let named = cache.get(names);
    if (named === undefined) {
      named = namedBits(names.toLowerCase());
      cache.set(names, named);
    }
    bits |= named;
  }
  return bits;
}

const WS = /\s+/g;
/** Whitespace that collapsing changes: any but a space, or two in a row. */
const NOT_COLLAPSED = /[^\S ]| {2}/;

/** The text directly inside an element (a <title> holds nothing else). */
function textOf(el: Element): string {
  let s = '';
  for (const c of el.children) if (c.type === 'text') s += (c as Text).data;
  return s.replace(WS, ' ').trim();
}

/**
 * The walk's blocks, their HTML side and their pieces are made by constructors, not object
 * literals, and the pieces' arrays by `NO_PIECES.slice()`, not `[]`: V8 learns to allocate what a
 * literal site makes straight in the old generation when most of it outlives a scavenge, as these
 * do (they live as long as their page). Old and dead, they still pointed at their page's young
 * text nodes, which kept the whole young tree alive at every scavenge until the next full
 * collection (see `NO_NODES` in linear-parser.ts). Constructors and `slice` have no such site.
 */
class PageBlock implements Block {
  inline: Span[] | null = null;
  removedBy = -1;
  reason = '';
  rest: string;
  constructor(
    public index: number,
    public start: number,
    public end: number,
    public text: string,
  ) {
    this.rest = text;
  }
}

class PagePiece implements Piece {
  constructor(
    public node: Text,
    public at: number,
    public len: number,
    public src: number,
    public exact: boolean,
  ) {}
}

class PageHtmlBlock implements HtmlBlock {
  constructor(
    public owner: Element | null,
    public bits: number,
    public depth: number,
    public linkChars: number,
    public pieces: Piece[],
    public selectedBy: number,
    public selectorReason: string,
  ) {}
}

const NO_PIECES: Piece[] = [];

/** An open element of the walk. */
interface Frame {
  el: Element;
  /** Its ancestry and naming bits: its ancestors' and its own. */
  bits: number;
  /** Pieces appended before the element began (the serial of its first piece). */
  serial: number;
  own: number;
  isBlock: boolean;
  /** The selector rule that took it or an ancestor (-1 for none), and its reason. */
  selected: number;
  reason: string;
  /** Characters of text inside it so far, and of those inside links. */
  chars: number;
  links: number;
}

/**
 * The page's blocks as the walk finds them. Three parts of state, each with its own fields: the
 * page so far, the block being built, and the open elements. The walk calls `enter` and `exit`
 * around every element, `addText` for every text node and `endBlock` at a line break.
 */
class BlockBuilder {
  // The page so far.
  private readonly lines: string[] = [];
  private readonly blocks: Block[] = [];
  private readonly html: HtmlBlock[] = [];
  /** Block index of every piece, by serial. */
  private readonly pieceBlock: number[] = [];
  private inputLength = 0;
  private title: string | undefined = undefined;
  private readonly skipped: Element[] = [];
  private readonly tables: Element[] = [];

  // The block being built.
  private text = '';
  private pieces: Piece[] = NO_PIECES.slice();
  /** Whitespace ended the last text: a space goes before the next words. */
  private pendingSpace = false;
  private linkChars = 0;
  /** Where the block starts: the ancestry bits and depth there, and the innermost block-level element. */
  private startBits = 0;
  private startDepth = 0;
  private owner: Element | null = null;
  /** The selector rule that took the block's element (-1 for none), and its reason. */
  private selected = -1;
  private selectedReason = '';

  // The open elements, innermost last.
  private readonly frames: Frame[] = [];
  private readonly names: NameCache = new Map();

  constructor(
    private readonly source: string,
    private readonly tests: readonly ElementTest[],
    title?: string,
  ) {
    this.title = title;
  }

  /** An element opens. False when its content is left out: skipped, hidden, or a line break. */
  enter(el: Element): boolean {
    const name = el.name;
    if (name === 'title' && this.title === undefined) this.title = textOf(el);
    if (SKIPPED.has(name) || isHidden(el)) {
      this.skipped.push(el);
      return false;
    }
    const parent = this.innermost();
    let sel = parent ? parent.selected : -1;
    let reason = parent ? parent.reason : '';
    if (sel < 0) {
      for (const t of this.tests)
        if (t.test(el)) {
          sel = t.rule;
          reason = t.reason;
          break;
        }
    }
    const matchedHere = sel >= 0 && (!parent || parent.selected !== sel);
    const isBlock = BLOCK_LEVEL.has(name) || matchedHere;
    if (isBlock) this.endBlock();
    if (name === 'br' || name === 'hr') return false;
    if (name === 'table') this.tables.push(el);
    const own = ownBits(el, this.names);
    this.frames.push({ el, bits: (parent ? parent.bits : 0) | own, own, serial: this.pieceBlock.length, isBlock, selected: sel, reason, chars: 0, links: 0 });
    if (matchedHere || isBlock) {
      this.selected = sel;
      this.selectedReason = reason;
    }
    return true;
  }

  /** The innermost open element closes: it is marked with what the walk learnt about it. */
  exit(): void {
    const f = this.frames.pop()!;
    const m = f.el as Element & Marks;
    m.dcOwn = f.own;
    m.dcChars = f.chars;
    m.dcLinks = f.links;
    const parent = this.innermost();
    if (parent) {
      parent.chars += f.chars;
      parent.links += f.links;
    }
    const pieceBlock = this.pieceBlock;
    if (pieceBlock.length > f.serial) {
      m.dcFirst = pieceBlock[f.serial];
      m.dcLast = pieceBlock[pieceBlock.length - 1];
    }
    if (f.isBlock) {
      this.endBlock();
      this.selected = parent ? parent.selected : -1;
      this.selectedReason = parent ? parent.reason : '';
    }
  }

  /** A text node: its words, whitespace collapsed, join the block being built. */
  addText(node: Text): void {
    const data = node.data;
    // Most text nodes have no whitespace but single spaces: they stay as they are, uncopied.
    const collapsed = NOT_COLLAPSED.test(data) ? data.replace(WS, ' ') : data;
    let from = 0,
      to = collapsed.length;
    const leading = collapsed.charCodeAt(0) === 32;
    const trailing = to > 0 && collapsed.charCodeAt(to - 1) === 32;
    if (leading) from = 1;
    if (trailing && to > from) to--;
    if (to <= from) {
      // Whitespace only: a space between words, if any words came before.
      if (collapsed.length && this.text.length) this.pendingSpace = true;
      return;
    }
    const top = this.innermost();
    if (this.pieces.length === 0) {
      this.startBits = top ? top.bits : 0;
      this.startDepth = this.frames.length;
      this.owner = this.nearestBlockElement();
    }
    if (this.text.length && (this.pendingSpace || leading)) this.text += ' ';
    const at = this.text.length;
    const shown = collapsed.slice(from, to);
    this.text += shown;
    this.pendingSpace = trailing;
    const src = node.startIndex ?? 0;
    const exact = collapsed === data && this.source.startsWith(data, src);
    this.pieces.push(new PagePiece(node, at, shown.length, src + from, exact));
    if (top) {
      top.chars += shown.length;
      if (top.bits & IN_LINK) {
        top.links += shown.length;
        this.linkChars += shown.length;
      }
    }
    (node as Text & Marks).dcBlock = this.blocks.length;
    this.pieceBlock.push(this.blocks.length);
  }

  /** Ends the block being built; a block without text is dropped. */
  endBlock(): void {
    if (this.pieces.length === 0) {
      this.text = '';
      this.pendingSpace = false;
      return;
    }
    const index = this.blocks.length;
    const text = this.text;
    // One block a line, no blank lines. With a blank line between blocks (each its own paragraph,
    // <br> lines sharing one) 5-fold cross-validation gave F1 aeb-dev 0.957 against 0.964 (and
    // readability-dev 0.948 against 0.942): the HTML scorer has the markup for what paragraphs tell.
    const separator = index === 0 ? '' : '\n';
    const start = this.inputLength + separator.length;
    this.blocks.push(new PageBlock(index, start, start + text.length, text));
    this.lines.push(separator, text);
    this.inputLength = start + text.length;
    this.html.push(new PageHtmlBlock(this.owner, this.startBits, this.startDepth, this.linkChars, this.pieces, this.selected, this.selectedReason));
    this.text = '';
    this.pieces = NO_PIECES.slice();
    this.pendingSpace = false;
    this.linkChars = 0;
  }

  /** The page, once the walk is over. */
  finish(root: Document): ExtractedPage {
    this.endBlock();
    if (ignorePageWideNames(root)) this.rebuildBits();
    this.addStructuredBody();
    return { input: this.lines.join(''), blocks: this.blocks, html: this.html, root, title: this.title, skipped: this.skipped, tables: this.tables };
  }

  /**
   * The article body the page's JSON-LD states, as the last blocks (one a paragraph), when the
   * visible text does not show it (a page drawn by scripts): the scorer then judges them like
   * any other block. Their one piece is the script's text node, inexact, so a removal inside one
   * maps to the node's edges; a block removed whole has no span (its text was never shown).
   */
  private addStructuredBody(): void {
    for (const el of this.skipped) {
      if (!isJsonLd(el)) continue;
      const body = structuredBody(el);
      if (!body || isShown(body.text, this.lines.join(''))) continue;
      for (const text of body.paragraphs) {
        this.pieces = NO_PIECES.slice();
        this.pieces.push(new PagePiece(body.node, 0, text.length, body.node.startIndex ?? 0, false));
        this.text = text;
        this.owner = el;
        this.startBits = 0;
        this.startDepth = 0;
        this.linkChars = 0;
        this.selected = -1;
        this.endBlock();
      }
      return;
    }
  }

  /** Every block's bits again from its ancestors' own bits, after some of those changed. */
  private rebuildBits(): void {
    for (const info of this.html) {
      let bits = 0;
      for (let n = info.pieces[0].node.parent; n && n.type !== 'root'; n = n.parent) bits |= (n as Element & Marks).dcOwn ?? 0;
      info.bits = bits;
    }
  }

  private innermost(): Frame | undefined {
    return this.frames[this.frames.length - 1];
  }

  private nearestBlockElement(): Element | null {
    const frames = this.frames;
    for (let i = frames.length - 1; i >= 0; i--) if (frames[i].isBlock) return frames[i].el;
    return null;
  }
}

/** An element holding at least this share of the page's text covers the page (Readability's wrappers, body classes). */
const PAGE_WIDE_SHARE = 0.9;

/**
 * Class and id words of elements that cover (nearly) the whole page say nothing about any part of
 * it: `<body class="single-post cookies-not-set">`, `<div id="content-wrapper">` around header,
 * article and footer. They are dropped from those elements' own bits (so from every block's and
 * from the container scores). On the dev sets 138 of 221 pages had such a name, mostly a
 * "content" word, which taught the scorer that "named as content" counts against a block.
 * Leave-one-source-out (100 pages a source, models trained on the other sources): mean F1 0.940
 * with and without; aeb-dev 0.934 → 0.941, l3s-gn1 0.958 → 0.965, but readability-dev
 * 0.935 → 0.925, dragnet 0.912 → 0.910, CleanEval 0.878 → 0.854. Kept because a word on the
 * body ("cookies-not-set") otherwise puts every block of the page in that concept, and a reason
 * would say so. True when some name was dropped.
 */
function ignorePageWideNames(root: Document): boolean {
  let total = 0;
  for (const c of root.children) total += (c as Element & Marks).dcChars ?? 0;
  let dropped = false;
  let node: AnyNode = root;
  for (;;) {
    let widest: (Element & Marks) | null = null;
    for (const c of (node as Element).children) {
      const m = c as Element & Marks;
      if (m.dcChars !== undefined && (!widest || m.dcChars > widest.dcChars!)) widest = m;
    }
    if (!widest || widest.dcChars! < total * PAGE_WIDE_SHARE || total === 0) return dropped;
    if (widest.dcOwn! & NAMED_ALL) {
      widest.dcOwn! &= ~NAMED_ALL;
      dropped = true;
    }
    node = widest;
  }
}

export function extractBlocks(html: string, root: Document & { dcTitle?: string }, tests: readonly ElementTest[] = []): ExtractedPage {
  const builder = new BlockBuilder(html, tests, root.dcTitle);
  // Depth-first, iteratively: malformed pages nest elements tens of thousands deep.
  const stack: AnyNode[] = [];
  const kids = root.children;
  for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  const exits: number[] = []; // stack heights at which an element's exit is due
  while (stack.length) {
    while (exits.length && exits[exits.length - 1] === stack.length) {
      exits.pop();
      builder.exit();
    }
    const node = stack.pop()!;
    if (node.type === 'text') {
      builder.addText(node as Text);
      continue;
    }
    if (!isElement(node)) continue;
    if (!builder.enter(node)) {
      if (node.name === 'br') builder.endBlock();
      continue;
    }
    exits.push(stack.length);
    const c = node.children;
    for (let i = c.length - 1; i >= 0; i--) stack.push(c[i]);
  }
  while (exits.length) {
    exits.pop();
    builder.exit();
  }
  return builder.finish(root);
}
