/**
 * Parsing a page into domhandler nodes with source offsets. htmlparser2 is a forgiving tokenizer
 * (it never throws on broken markup) and several times faster than an HTML5 tree builder, which
 * matters at a hundred pages a second; the price is that implied end tags (`<p>a<p>b`, `<li>`
 * without `</li>`) leave `endIndex` pointing at whatever closed the element, so extents are
 * recomputed here.
 */
import { parseDocument } from 'htmlparser2';
import type { AnyNode, Document, Element } from 'domhandler';

export type { AnyNode, Document, Element };

export function parseHtml(html: string): Document {
  // decodeEntities: text nodes carry the characters a reader sees; offsets still index the source.
  return parseDocument(html, { withStartIndices: true, withEndIndices: true, decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
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
