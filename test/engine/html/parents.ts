/**
 * Checks article HTML as a validator would: every element whose content model needs a particular
 * parent (a cell in a row, a row in a table, an item in a list, a caption in its table or figure)
 * has it. htmlparser2 builds the tree as written, without the HTML parser's repairs, so an orphan
 * <caption> or <td> shows up here instead of being silently dropped or moved.
 */
import { parseDocument } from 'htmlparser2';
import type { AnyNode, Element } from 'domhandler';

export const ALLOWED_PARENTS: Readonly<Record<string, readonly string[]>> = {
  li: ['ul', 'ol'],
  dt: ['dl'],
  dd: ['dl'],
  caption: ['table'],
  thead: ['table'],
  tbody: ['table'],
  tfoot: ['table'],
  tr: ['table', 'thead', 'tbody', 'tfoot'],
  td: ['tr'],
  th: ['tr'],
  figcaption: ['figure'],
};

/** Elements that may only hold the listed children (text other than white space is not allowed either). */
const ALLOWED_CHILDREN: Readonly<Record<string, readonly string[]>> = {
  ul: ['li'],
  ol: ['li'],
  dl: ['dt', 'dd'],
  table: ['caption', 'thead', 'tbody', 'tfoot', 'tr'],
  thead: ['tr'],
  tbody: ['tr'],
  tfoot: ['tr'],
  tr: ['td', 'th'],
};

/** Every misplaced element of `html`, as "td in p"; empty when the structure is valid. */
export function misplaced(html: string): string[] {
  const problems: string[] = [];
  const stack: AnyNode[] = [...parseDocument(html).children];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type !== 'tag') continue;
    const el = node as Element;
    const parent = el.parent && el.parent.type === 'tag' ? (el.parent as Element).name : '#root';
    const allowed = ALLOWED_PARENTS[el.name];
    if (allowed && !allowed.includes(parent)) problems.push(`${el.name} in ${parent}`);
    const children = ALLOWED_CHILDREN[el.name];
    if (children) {
      for (const c of el.children) {
        if (c.type === 'text' && /\S/.test((c as unknown as { data: string }).data)) problems.push(`text in ${el.name}`);
        if (c.type === 'tag' && !children.includes((c as Element).name)) problems.push(`${(c as Element).name} in ${el.name}`);
      }
    }
    stack.push(...el.children);
  }
  return problems;
}
