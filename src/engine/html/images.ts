/**
 * Pictures of the article for `format=html`. An image has no text, so no rule judges it; it is
 * kept when the article goes on around it: the nearest text before it and after it both stayed.
 * Tracking pixels are not pictures: the sanitiser drops them wherever they are (sanitize.ts).
 */
import type { AnyNode, Element } from 'domhandler';
import type { ExtractedPage } from './blocks';
import { nodeEnd } from './parse';
import { isTrackingPixel } from './sanitize';
import { keptBlock } from './tables';

function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

/**
 * For a subtree without text, the source of its images when both neighbouring blocks stayed
 * ('' otherwise). Images inside skipped elements (noscript fallbacks, templates) are not shown by
 * the page, so they are not the article's either.
 */
export function articleImages(html: string, page: ExtractedPage): (el: Element) => string {
  let starts: number[] | undefined;
  let order: number[] | undefined;
  const skipped = new Set<AnyNode>(page.skipped);
  const neighboursKept = (at: number): boolean => {
    if (!starts) {
      starts = [];
      order = [];
      page.html.forEach((b, i) => {
        if (b.pieces.length === 0) return;
        starts!.push(b.pieces[0].src);
        order!.push(i);
      });
    }
    let lo = 0,
      hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] < at) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0 || lo >= starts.length) return false;
    return keptBlock(page.blocks[order![lo - 1]]) && keptBlock(page.blocks[order![lo]]);
  };
  return (el) => {
    const found: Element[] = [];
    const stack: AnyNode[] = [el];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (!isElement(node) || skipped.has(node)) continue;
      if (node.name === 'img' && !isTrackingPixel(node.attribs)) found.push(node);
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    }
    if (found.length === 0 || !neighboursKept(el.startIndex ?? 0)) return '';
    return found.map((img) => html.slice(img.startIndex ?? 0, nodeEnd(html, img))).join('');
  };
}
