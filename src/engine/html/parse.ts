/**
 * Parsing a page into domhandler nodes with source offsets. htmlparser2 is a forgiving tokenizer
 * (it never throws on broken markup) and several times faster than an HTML5 tree builder, which
 * matters at a hundred pages a second; the price is that implied end tags (`<p>a<p>b`, `<li>`
 * without `</li>`) leave `endIndex` pointing at whatever closed the element, so extents are
 * recomputed here.
 */
import type { AnyNode, Document, Element } from 'domhandler';
import { parseDocumentLinear } from './linear-parser';

export type { AnyNode, Document, Element };

/** A parsed page; `dcTitle` is the title of a page whose `<title>` was never closed (see below). */
export type ParsedPage = Document & { dcTitle?: string };

const OPTIONS = { withStartIndices: true, withEndIndices: true, decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true };

export function parseHtml(html: string): ParsedPage {
  // decodeEntities: text nodes carry the characters a reader sees; offsets still index the source.
  const doc: ParsedPage = parseDocumentLinear(html, OPTIONS);
  const title = unclosedTitle(html, doc);
  if (!title) return doc;
  // A <title> never closed swallows the rest of the page as its text (a browser shows a blank
  // page). The page's own markup follows it, so it is read again with the title ended at its
  // first tag: the source is patched at the same length ("<title" → "<meta ", the title's words
  // → spaces), which keeps every offset the removals report pointing into the real source.
  const start = title.startIndex!;
  const open = html.indexOf('>', start) + 1;
  const close = html.indexOf('<', open);
  const patched = html.slice(0, start) + '<meta ' + html.slice(start + 6, open) + ' '.repeat(close - open) + html.slice(close);
  const again: ParsedPage = parseDocumentLinear(patched, OPTIONS);
  again.dcTitle = html.slice(open, close).replace(/\s+/g, ' ').trim();
  return again;
}

/** The page's <title> when it has no end tag and its text holds markup (a tag follows it). */
function unclosedTitle(html: string, doc: Document): Element | null {
  // The title sits in <html>, in <head> or at the top: three levels are enough to find it.
  const queue: { node: AnyNode; depth: number }[] = doc.children.map((node) => ({ node, depth: 0 }));
  for (let i = 0; i < queue.length; i++) {
    const { node, depth } = queue[i];
    if (!isElement(node)) continue;
    if (node.name === 'title') {
      if (closesItself(html, node)) return null;
      const open = html.indexOf('>', node.startIndex ?? 0) + 1;
      const close = open > 0 ? html.indexOf('<', open) : -1;
      return close > 0 &&
        html.slice(node.startIndex ?? 0, (node.startIndex ?? 0) + 6).toLowerCase() === '<title' &&
        /^<\/?[a-z!]/i.test(html.slice(close, close + 2))
        ? node
        : null;
    }
    if (depth < 2) for (const c of node.children) queue.push({ node: c, depth: depth + 1 });
  }
  return null;
}

/** True when the element's own end tag (`</name>`) ends at `endIndex`. */
function closesItself(html: string, el: Element): boolean {
  const end = el.endIndex;
  if (end === null || html.charCodeAt(end) !== 0x3e /* > */) return false;
  const open = html.lastIndexOf('</', end);
  if (open <= (el.startIndex ?? 0)) return false;
  return (
    html
      .slice(open + 2, end)
      .trim()
      .toLowerCase() === el.name
  );
}

/** End of the start tag: the first ">" after the tag's name (attribute values rarely hold one). */
function startTagEnd(html: string, el: Element): number {
  const start = el.startIndex ?? 0;
  const gt = html.indexOf('>', start);
  return gt < 0 ? html.length : gt + 1;
}

function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

/**
 * Exclusive end offset of a node in the source. An element without its own end tag ends where
 * its last descendant ends (or with its start tag when it has none); a loop, not recursion, so
 * a page of a hundred thousand unclosed <div>s cannot overflow the stack.
 */
export function nodeEnd(html: string, node: AnyNode): number {
  let n = node;
  for (;;) {
    if (!isElement(n)) return n.endIndex === null ? (n.startIndex ?? 0) : n.endIndex + 1;
    if (closesItself(html, n)) return n.endIndex! + 1;
    const last = n.children[n.children.length - 1];
    if (!last) return startTagEnd(html, n);
    n = last;
  }
}
