/**
 * `format: 'html'`: the article as HTML, built from the source of the elements whose text stayed
 * (headings, paragraphs, lists and tables keep their markup), then passed through the article
 * allowlist (sanitize.ts). An element whose every block stayed goes in whole; an element mixing
 * kept and removed text is opened up, and the kept inline text directly inside it becomes a
 * paragraph of its own.
 */
import type { AnyNode, Element, Text } from 'domhandler';
import type { Block } from '../segment';
import type { ExtractedPage, Marks } from './blocks';
import { BLOCK_LEVEL } from './blocks';
import { nodeEnd } from './parse';
import { escapeHtml, sanitizeArticleHtml, textToArticleHtml } from './sanitize';

/**
 * Elements copied whole when all their text stays: they carry the article's structure. Other
 * containers (div, section, span...) are opened up instead, so that the sanitiser gets flat
 * markup and no wrapper's hidden or skipped content rides along.
 */
const STRUCTURE = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'dl',
  'table',
  'pre',
  'blockquote',
  'figure',
  'li',
  'dd',
  'dt',
  'figcaption',
  'caption',
  'address',
]);

function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

const keptBlock = (b: Block) => b.removedBy < 0 && b.rest.trim() !== '';

export function articleHtml(html: string, page: ExtractedPage, fallbackText: string): string {
  try {
    return sanitizeArticleHtml(rawArticle(html, page));
  } catch {
    // A page nested too deeply to walk: the text as paragraphs is still the article.
    return textToArticleHtml(fallbackText);
  }
}

function rawArticle(html: string, page: ExtractedPage): string {
  const blocks = page.blocks;
  const out: string[] = [];
  /** 1: every block inside stays; 0: some stay; -1: none (or no text at all). */
  const verdict = (node: AnyNode): number => {
    if (node.type === 'text') {
      const at = (node as Text & Marks).dcBlock;
      return at !== undefined && keptBlock(blocks[at]) ? 1 : -1;
    }
    if (!isElement(node)) return -1;
    const m = node as Element & Marks;
    if (m.dcFirst === undefined) return -1;
    let any = false,
      all = true;
    for (let i = m.dcFirst; i <= m.dcLast!; i++) {
      if (keptBlock(blocks[i])) any = true;
      else all = false;
    }
    return all ? 1 : any ? 0 : -1;
  };
  // Source ranges of skipped elements (scripts, hidden text), cut out of every copied element.
  const cuts = page.skipped.map((el) => [el.startIndex ?? 0, nodeEnd(html, el)] as const);
  const slice = (from: number, to: number) => {
    let out = '';
    let at = from;
    // First cut that ends after `from` (cuts are in document order and never overlap).
    let lo = 0,
      hi = cuts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cuts[mid][1] <= from) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < cuts.length && cuts[k][0] < to; k++) {
      if (cuts[k][0] < at) continue;
      out += html.slice(at, cuts[k][0]);
      at = Math.min(to, cuts[k][1]);
    }
    return out + html.slice(at, to);
  };
  const source = (node: AnyNode) => (node.type === 'text' ? escapeHtml((node as Text).data) : slice(node.startIndex ?? 0, nodeEnd(html, node)));
  // Depth first with an explicit stack (a page may nest elements thousands deep). Opening an
  // element flushes the run around it, so one run serves every level.
  let run = '';
  const flushRun = () => {
    if (run.trim()) out.push(`<p>${run}</p>`);
    run = '';
  };
  const stack: { children: AnyNode[]; next: number }[] = [{ children: page.root.children ?? [], next: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.next >= top.children.length) {
      flushRun();
      stack.pop();
      continue;
    }
    const child = top.children[top.next++];
    const v = verdict(child);
    const inline = child.type === 'text' || (isElement(child) && !BLOCK_LEVEL.has(child.name));
    if (v === 1 && inline) {
      run += source(child);
      continue;
    }
    flushRun();
    if (v === 1 && STRUCTURE.has((child as Element).name)) out.push(source(child));
    else if (v >= 0) stack.push({ children: (child as Element).children ?? [], next: 0 });
  }
  return out.join('\n');
}
