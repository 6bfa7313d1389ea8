/**
 * Runs of repeated, linked items: the shape teaser grids, "more stories" lists, comment threads
 * and tag strips share whatever the site. An element is an item of such a run when its parent
 * holds at least MIN_ITEMS element children of its shape (tag and class) and most of those hold a
 * link. An article's paragraphs repeat their shape too, but they are `<p>`s and mostly hold no
 * link; its lists (ingredients, steps) hold few links. The HTML scorer learns what a block inside
 * such a run weighs (dom-features.ts, `repeatedItem`), so its reason names it. Leave-one-source-out
 * (scripts/cross-validate.js --loso --html, 100 pages a source): neutral on the mean (0.940 with
 * and without), CleanEval 0.854 → 0.860; it learns a small weight (−0.3) and gives removals of
 * teaser grids and comment threads a reason that names them.
 */
import type { Element } from 'domhandler';
import type { Marks } from './blocks';

type Marked = Element & Marks;

/** Items of one shape under one parent that make a run. */
export const MIN_ITEMS = 4;
/** Share of the items that must hold a link. */
const LINKED_SHARE = 0.5;
/** Ancestors of a block's element looked at for being an item: a card's headline sits a few levels inside it. */
const ITEM_LEVELS = 4;
/** Prose and headings repeat by nature; they are never the items of a run. */
const NOT_ITEMS = new Set(['p', 'br', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'span', 'a', 'em', 'strong', 'b', 'i', 'tr', 'td', 'th', 'tbody']);

const shape = (el: Element) => `${el.name}.${(el.attribs.class ?? '').trim()}`;

/** Per parent: the number of items of each run among its children (shapes not forming a run are absent). */
function runsOf(parent: Element, cache: Map<Element, Map<string, number>>): Map<string, number> {
  let runs = cache.get(parent);
  if (runs) return runs;
  const count = new Map<string, number>();
  const linked = new Map<string, number>();
  for (const c of parent.children) {
    if (c.type !== 'tag' || NOT_ITEMS.has(c.name)) continue;
    const m = c as Marked;
    if (!m.dcChars) continue;
    const s = shape(c);
    count.set(s, (count.get(s) ?? 0) + 1);
    if ((m.dcLinks ?? 0) > 0) linked.set(s, (linked.get(s) ?? 0) + 1);
  }
  runs = new Map();
  for (const [s, n] of count) if (n >= MIN_ITEMS && (linked.get(s) ?? 0) >= n * LINKED_SHARE) runs.set(s, n);
  cache.set(parent, runs);
  return runs;
}

/** The size of the run of repeated linked items the element lies in (0 when none). */
export function repeatedRun(el: Element | null, cache: Map<Element, Map<string, number>>): number {
  let n: Element | null = el;
  for (let level = 0; n && n.type === 'tag' && level < ITEM_LEVELS; level++) {
    const parent = n.parent;
    if (!parent || parent.type !== 'tag') return 0;
    const size = runsOf(parent as Element, cache).get(shape(n));
    if (size) return size;
    n = parent as Element;
  }
  return 0;
}
