/**
 * `format: 'html'`: the article as HTML, built from the source of the elements whose text stayed
 * (headings, paragraphs, lists and tables keep their markup), then passed through the article
 * allowlist (sanitize.ts). An element whose every block stayed goes in whole; an element mixing
 * kept and removed text is opened up, and the kept inline text directly inside it becomes a
 * paragraph of its own.
 */
import type { AnyNode, Element, Text } from 'domhandler';
import type { ExtractedPage, Marks } from './blocks';
import { BLOCK_LEVEL, KEEP_WRAPPER, STRUCTURE, TABLE_SECTIONS } from './elements';
import { nodeEnd } from './parse';
import { articleImages } from './images';
import { escapeHtml, sanitizeArticleHtml, textToArticleHtml } from './sanitize';
import { ARTICLE_TABLE_SHARE, isDataTable, keptBlock, keptShare } from './tables';

function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

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
  const images = articleImages(html, page);
  /** A data table most of whose text stayed: one table, the cells that went left empty so the columns still line up. */
  const table = (el: Element): string => {
    let s = '';
    for (const child of el.children) {
      if (!isElement(child)) continue;
      const v = verdict(child);
      if (child.name === 'td' || child.name === 'th') {
        if (v === 1) s += source(child);
        else s += `<${child.name}${spans(child)}></${child.name}>`;
      } else if (child.name === 'caption') {
        if (v === 1) s += source(child);
      } else if (TABLE_SECTIONS.has(child.name)) {
        if (v !== -1) s += `<${child.name}>${table(child)}</${child.name}>`;
      }
    }
    return s;
  };
  // Depth first with an explicit stack (a page may nest elements thousands deep). Opening an
  // element flushes the run around it, so one run serves every level; a kept wrapper (a list)
  // closes when its frame is popped.
  let run = '';
  const flushRun = () => {
    if (run.trim()) out.push(`<p>${run}</p>`);
    run = '';
  };
  const stack: { children: AnyNode[]; next: number; close?: string }[] = [{ children: page.root.children ?? [], next: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.next >= top.children.length) {
      flushRun();
      if (top.close) out.push(top.close);
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
    if (v === -1 && isElement(child) && (child as Element & Marks).dcFirst === undefined) {
      // No text at all: a picture, kept when the article goes on around it.
      const pictures = images(child);
      if (pictures && inline && run.trim()) run += pictures;
      else if (pictures) {
        flushRun();
        out.push(pictures);
      }
      continue;
    }
    flushRun();
    const el = child as Element;
    if (v === 1 && STRUCTURE.has(el.name)) out.push(source(child));
    else if (v === 0 && el.name === 'table' && isDataTable(el) && keptShare(el, blocks) >= ARTICLE_TABLE_SHARE) out.push(`<table>${table(el)}</table>`);
    else if (v >= 0 && KEEP_WRAPPER.has(el.name)) {
      out.push(`<${el.name}>`);
      stack.push({ children: el.children ?? [], next: 0, close: `</${el.name}>` });
    } else if (v >= 0) stack.push({ children: el.children ?? [], next: 0 });
  }
  return out.join('\n');
}

/** A cell's span, the only attributes a table cell keeps. */
function spans(el: Element): string {
  let s = '';
  for (const name of ['colspan', 'rowspan']) {
    const value = el.attribs[name];
    if (value !== undefined && /^\d{1,4}$/.test(value.trim())) s += ` ${name}="${value.trim()}"`;
  }
  return s;
}
