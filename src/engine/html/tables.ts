/**
 * Tables whose cells are the article's own content (a table of figures, a timetable, results), as
 * opposed to tables that lay out a page. A layout table holds blocks of its own inside its cells
 * (divs, lists, headings, other tables); a data table holds rows of short cells. The first is
 * opened up like any wrapper; the second is kept as one table (article.ts) and its single cells
 * are not taken by text rules (`keepTableCells`).
 */
import type { AnyNode, Element } from 'domhandler';
import type { Block } from '../segment';
import type { ExtractedPage, Marks } from './blocks';
import { BLOCK_LEVEL, TABLE_PARTS } from './elements';

function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

/** True when `table` lays out no blocks of its own: only rows of cells (iterative: any depth is safe). */
export function isDataTable(table: Element): boolean {
  const stack: AnyNode[] = [...table.children];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!isElement(node)) continue;
    if (BLOCK_LEVEL.has(node.name) && !TABLE_PARTS.has(node.name)) return false;
    for (const child of node.children) stack.push(child);
  }
  return true;
}

export const keptBlock = (b: Block): boolean => b.removedBy < 0 && b.rest.trim() !== '';

/** Share of the table's text blocks that stayed; 0 for a table without text. */
export function keptShare(table: Element, blocks: readonly Block[]): number {
  const m = table as Element & Marks;
  if (m.dcFirst === undefined || m.dcLast === undefined || m.dcFirst > m.dcLast) return 0;
  let kept = 0,
    all = 0;
  for (let i = m.dcFirst; i <= m.dcLast; i++) {
    if (blocks[i].text.trim() === '') continue;
    all++;
    if (keptBlock(blocks[i])) kept++;
  }
  return all === 0 ? 0 : kept / all;
}

/** A data table at least this much of which stayed is article content: kept whole, as a table. */
export const ARTICLE_TABLE_SHARE = 0.5;

/**
 * The data tables among the tables the block walk went into. A data table holds no other table,
 * so none of them is inside another. Tables inside skipped or hidden elements have no blocks, so
 * `keptShare` of one would be 0 anyway: the walk's list spares a second walk over the whole page.
 */
export function dataTables(page: ExtractedPage): Element[] {
  return page.tables.filter(isDataTable);
}

/**
 * Text rules judge one line at a time; in a data table a line is one cell, and a "Share" column
 * header or a "40m" result cell looks like page furniture to them. In a table that is mostly
 * article, such single cells go back in: the table is read as a whole. Selector rules, which
 * judged the element itself, still hold.
 */
export function keepTableCells(page: ExtractedPage): void {
  for (const table of dataTables(page)) {
    if (keptShare(table, page.blocks) < ARTICLE_TABLE_SHARE) continue;
    const m = table as Element & Marks;
    for (let i = m.dcFirst!; i <= m.dcLast!; i++) {
      const b = page.blocks[i];
      if (b.removedBy < 0 || page.html[i].selectedBy >= 0) continue;
      b.removedBy = -1;
      b.reason = '';
    }
  }
}
