/**
 * From the blocks' fates back to the HTML source: a removal is, where possible, a whole element
 * from its start tag to its end tag (the outermost element all of whose text one rule removed);
 * otherwise the text nodes of removed blocks, and inline removals mapped into their text node.
 * Spans come out sorted, disjoint and trimmed, each naming its rule and reason.
 */
import type { AnyNode, Element, Text } from 'domhandler';
import type { Block, Span } from '../segment';
import { isWhitespace } from '../text';
import type { HtmlBlock, Marks, Piece } from './blocks';
import { nodeEnd } from './parse';

/** Rule index that took the block whole, or -1 when (some of) its text stays. */
function fateOf(b: Block): { rule: number; reason: string } | null {
  if (b.removedBy >= 0) return { rule: b.removedBy, reason: b.reason };
  if (b.inline && b.rest.trim() === '') return { rule: b.inline[0].rule, reason: b.inline[0].reason };
  return null;
}

function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

export interface HtmlSpan extends Span {
  /** The removed element, or the element holding the removed text. */
  node: AnyNode;
}

/** Class names in a path: the first few identify an element; long utility-class lists only add noise. */
const PATH_CLASSES = 3;

/** "html > body > div#main.sidebar > ul": the element's tag, id and first classes, from the root. */
export function cssPath(node: AnyNode, memo?: Map<AnyNode, string>): string {
  // The elements up to the root, or up to one whose path is known: a page's removals share most
  // of their ancestors, and with `memo` each element's part is made once.
  const chain: Element[] = [];
  let known = '';
  let n: AnyNode | null = node.type === 'text' ? node.parent : node;
  while (n && isElement(n)) {
    const path = memo?.get(n);
    if (path !== undefined) {
      known = path;
      break;
    }
    chain.push(n);
    n = n.parent;
  }
  let path = known;
  for (let i = chain.length - 1; i >= 0; i--) {
    const part = pathPart(chain[i]);
    path = path ? `${path} > ${part}` : part;
    memo?.set(chain[i], path);
  }
  return path;
}

function pathPart(el: Element): string {
  let part = el.name;
  const id = el.attribs.id?.trim();
  if (id && !/\s/.test(id)) part += `#${id}`;
  const cls = el.attribs.class?.trim();
  if (cls) for (const c of cls.split(/\s+/).slice(0, PATH_CLASSES)) part += `.${c}`;
  return part;
}

export function htmlRemovals(html: string, roots: readonly AnyNode[], blocks: readonly Block[], info: readonly HtmlBlock[]): HtmlSpan[] {
  const fates = blocks.map(fateOf);
  const spans: HtmlSpan[] = [];
  let owner: AnyNode = roots[0];
  const push = (start: number, end: number, rule: number, reason: string) => {
    while (start < end && isWhitespace(html.charCodeAt(start))) start++;
    while (end > start && isWhitespace(html.charCodeAt(end - 1))) end--;
    if (end > start) spans.push({ start, end, rule, reason, node: owner });
  };
  /** The rule removing every block in [first, last], or -1. */
  const wholeRule = (first: number, last: number): number => {
    const f = fates[first];
    if (!f) return -1;
    for (let i = first + 1; i <= last; i++) if (fates[i]?.rule !== f.rule) return -1;
    return f.rule;
  };
  const stack: AnyNode[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push(roots[i]);
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'text') {
      const at = (node as Text & Marks).dcBlock;
      const f = at === undefined ? null : fates[at];
      if (f) {
        owner = node;
        push(node.startIndex ?? 0, nodeEnd(html, node), f.rule, f.reason);
      }
      continue;
    }
    if (!isElement(node)) continue;
    const m = node as Element & Marks;
    if (m.dcFirst === undefined) continue; // no text inside: nothing a reader would miss
    const rule = wholeRule(m.dcFirst, m.dcLast!);
    if (rule >= 0) {
      owner = node;
      push(node.startIndex ?? 0, nodeEnd(html, node), rule, fates[m.dcFirst]!.reason);
      continue;
    }
    const c = node.children;
    for (let i = c.length - 1; i >= 0; i--) stack.push(c[i]);
  }
  // Inline removals inside the blocks that stay.
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (fates[i] || !b.inline) continue;
    for (const s of b.inline) {
      owner = info[i].pieces[0].node;
      const start = toSource(html, info[i].pieces, s.start - b.start, false);
      const end = toSource(html, info[i].pieces, s.end - b.start, true);
      if (start >= 0 && end > start) push(start, end, s.rule, s.reason);
    }
  }
  return mergeSpans(html, disjoint(html, spans));
}

/**
 * The source offset of a position in a block's text. Verbatim pieces map exactly; a piece with
 * entities or squeezed whitespace snaps outwards to its text node's edges, so the removal still
 * covers what the rule matched.
 */
function toSource(html: string, pieces: readonly Piece[], pos: number, isEnd: boolean): number {
  for (let k = 0; k < pieces.length; k++) {
    const p = pieces[k];
    const inside = isEnd ? pos > p.at && pos <= p.at + p.len : pos >= p.at && pos < p.at + p.len;
    if (!inside) {
      // A position on the space between two pieces belongs to the next piece's start (or the previous one's end).
      if (!isEnd && pos < p.at) return p.exact ? p.src : (p.node.startIndex ?? 0);
      continue;
    }
    if (p.exact) return p.src + (pos - p.at);
    return isEnd ? nodeEnd(html, p.node) : (p.node.startIndex ?? 0);
  }
  if (isEnd && pieces.length) {
    const last = pieces[pieces.length - 1];
    return last.exact ? last.src + last.len : nodeEnd(html, last.node);
  }
  return -1;
}

/** Sorted, and each span clipped to start after the previous one ends (then trimmed again). */
function disjoint(html: string, spans: HtmlSpan[]): HtmlSpan[] {
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: HtmlSpan[] = [];
  let lastEnd = -1;
  for (const s of spans) {
    if (s.end <= lastEnd) continue;
    if (s.start < lastEnd) {
      s.start = lastEnd;
      while (s.start < s.end && isWhitespace(html.charCodeAt(s.start))) s.start++;
      if (s.start >= s.end) continue;
    }
    out.push(s);
    lastEnd = s.end;
  }
  return out;
}

/** Neighbouring spans of one rule and reason with only whitespace between them become one. */
function mergeSpans(html: string, spans: HtmlSpan[]): HtmlSpan[] {
  const out: HtmlSpan[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && last.rule === s.rule && last.reason === s.reason && onlyWhitespace(html, last.end, s.start)) {
      last.end = s.end;
      // Two elements merged: the path names their common parent.
      if (last.node !== s.node) last.node = commonParent(last.node, s.node);
      continue;
    }
    out.push(s);
  }
  return out;
}

function onlyWhitespace(html: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isWhitespace(html.charCodeAt(i))) return false;
  return true;
}

function commonParent(a: AnyNode, b: AnyNode): AnyNode {
  const seen = new Set<AnyNode>();
  for (let n: AnyNode | null = a; n; n = n.parent) seen.add(n);
  for (let n: AnyNode | null = b.parent; n; n = n.parent) if (seen.has(n)) return n;
  return a;
}
