/**
 * The page's main content container, Readability's strongest signal: containers are scored by the
 * prose of the paragraphs directly inside them (commas, length), and the best container,
 * discounted by its link density, holds the article; siblings that look like article text join it.
 * The HTML scorer's features (dom-features.ts) and the guard on menu and duplicate verdicts
 * (index.ts) both read it.
 */
import type { Element } from 'domhandler';
import type { Marks } from './blocks';
import type { HtmlDocContext } from './context';
import * as V from './vocabulary';

export type Marked = Element & Marks;

/** Paragraphs shorter than this are not prose: Readability's cut for scoring a paragraph. */
const MIN_PARAGRAPH_CHARS = 25;
/** Ancestors that receive a paragraph's score: Readability's five levels. */
const SCORED_LEVELS = 5;
/** A container's own weight by tag, as in Readability: divs hold articles, lists and forms rarely do. */
const TAG_WEIGHT: Readonly<Record<string, number>> = {
  div: 5,
  article: 5,
  section: 3,
  main: 5,
  pre: 3,
  td: 3,
  blockquote: 3,
  address: -3,
  ol: -3,
  ul: -3,
  dl: -3,
  dd: -3,
  dt: -3,
  li: -3,
  form: -3,
  h1: -5,
  h2: -5,
  h3: -5,
  h4: -5,
  h5: -5,
  h6: -5,
  th: -5,
};
/** Named as content, or as something else: Readability's ±25 for class and id words. */
const NAME_WEIGHT = 25;
const NEGATIVE_NAMES =
  V.NAMED_COMMENT |
  V.NAMED_FOOTER |
  V.NAMED_SIDEBAR |
  V.NAMED_RELATED |
  V.NAMED_SHARE |
  V.NAMED_AD |
  V.NAMED_NAV |
  V.NAMED_SUBSCRIBE |
  V.NAMED_LEGAL |
  V.NAMED_HEADER |
  V.NAMED_HIDDEN;

export interface MainContainer {
  best: Marked | null;
  bestScore: number;
  scores: Map<Element, number>;
  /** The container and the siblings that join it. */
  members: Set<Element>;
}

function initialScore(el: Marked): number {
  const own = el.dcOwn ?? 0;
  let s = TAG_WEIGHT[el.name] ?? 0;
  if (own & V.NAMED_CONTENT) s += NAME_WEIGHT;
  if (own & NEGATIVE_NAMES) s -= NAME_WEIGHT;
  return s;
}

export function linkDensityOf(el: Marked): number {
  const chars = el.dcChars ?? 0;
  return chars > 0 ? (el.dcLinks ?? 0) / chars : 0;
}

/**
 * A paragraph inside an element named as readers' comments (and not also as content: a
 * "comment-body" of an opinion page, "entry-comments" of a blog's post) casts no vote, as
 * Readability drops such "unlikely candidates" before scoring: a long thread under a short
 * article otherwise makes the thread, or a wrapper holding article and thread, the container,
 * and nothing inside the container is pruned as comments (prune.ts). HTML leave-one-source-out
 * (100 pages a source), held-out F1 without -> with: dragnet 0.920 -> 0.924 (containers that were
 * one comment); three pages of all six sources change container, no dev page; readability-dev
 * 0.949 -> 0.947 by a refit of the other sources alone, back to 0.949 with the thread pruned
 * inside the container (prune.ts, COMMENTS_LEAD_PARAGRAPHS).
 */
function inComments(owner: Marked): boolean {
  for (let n: Marked | null = owner; n && n.type === 'tag'; n = n.parent as Marked | null) {
    const own = n.dcOwn ?? 0;
    if (own & V.NAMED_COMMENT && !(own & V.NAMED_CONTENT)) return true;
  }
  return false;
}

export function mainContainer(doc: HtmlDocContext): MainContainer {
  return doc.memo(mainContainer, () => {
    const raw = new Map<Element, number>();
    const { blocks, html } = doc.page;
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i];
      const info = html[i];
      if (info.selectedBy >= 0 || b.text.length < MIN_PARAGRAPH_CHARS || !info.owner || info.bits & V.IN_HEADING) continue;
      if (info.bits & V.NAMED_COMMENT && inComments(info.owner as Marked)) continue;
      let commas = 0;
      for (let k = 0; k < b.text.length; k++) if (b.text.charCodeAt(k) === 44) commas++;
      const score = 1 + commas + Math.min(3, Math.floor(b.text.length / 100));
      let el = info.owner.parent as Marked | null;
      for (let level = 0; level < SCORED_LEVELS && el && el.type === 'tag'; level++) {
        const divider = level === 0 ? 1 : level === 1 ? 2 : level * 3;
        const prev = raw.get(el) ?? initialScore(el);
        raw.set(el, prev + score / divider);
        el = el.parent as Marked | null;
      }
    }
    let best: Marked | null = null;
    let bestScore = 0;
    const scores = new Map<Element, number>();
    for (const [el, s] of raw) {
      const final = s * (1 - linkDensityOf(el as Marked));
      scores.set(el, final);
      if (final > bestScore) {
        bestScore = final;
        best = el as Marked;
      }
    }
    if (best) best = widen(best, bestScore, scores);
    const members = best ? members_(best, bestScore, scores, doc) : new Set<Element>();
    return { best, bestScore, scores, members };
  });
}

/** Readability's "alternative candidates": others scoring at least this share of the best... */
const ALTERNATIVE_SHARE = 0.75;
/** ... of which this many inside one ancestor make that ancestor the container (an article cut into sections). */
const MIN_ALTERNATIVES = 3;
/** How many of the strongest other candidates are looked at. */
const TOP_CANDIDATES = 5;

/**
 * When the article is cut into several containers (steps, sections, pages of a slideshow), the
 * best one holds only part of it: the ancestor holding three strong candidates is the container.
 */
function widen(best: Marked, bestScore: number, scores: Map<Element, number>): Marked {
  const strong = [...scores]
    .filter(([el, s]) => el !== best && s >= bestScore * ALTERNATIVE_SHARE)
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP_CANDIDATES)
    .map(([el]) => el);
  if (strong.length < MIN_ALTERNATIVES) return best;
  for (let up = best.parent as Marked | null; up && up.type === 'tag' && up.name !== 'body'; up = up.parent as Marked | null) {
    let inside = 0;
    for (const el of strong) {
      for (let n = el.parent; n; n = n.parent)
        if (n === up) {
          inside++;
          break;
        }
    }
    if (inside >= MIN_ALTERNATIVES) return up;
  }
  return best;
}

/** A sibling joins the container when it scores at least this share of the container (Readability's). */
const SIBLING_SHARE = 0.2;
/** ... and never below this score, so a weak page does not take in every sibling. */
const SIBLING_MIN_SCORE = 10;
/** A sibling paragraph this long with little link text is article text (Readability's 80 characters, 25% links). */
const SIBLING_PARAGRAPH_CHARS = 80;
const SIBLING_PARAGRAPH_LINKS = 0.25;

/** The container and those of its siblings that belong to the article too (Readability's sibling pass). */
function members_(best: Marked, bestScore: number, scores: Map<Element, number>, doc: HtmlDocContext): Set<Element> {
  const out = new Set<Element>([best]);
  const parent = best.parent;
  if (!parent || parent.type !== 'tag') return out;
  const threshold = Math.max(SIBLING_MIN_SCORE, bestScore * SIBLING_SHARE);
  const bestClass = best.attribs.class ?? '';
  for (const node of (parent as Element).children) {
    if (node === best || node.type !== 'tag') continue;
    const el = node as Marked;
    let score = scores.get(el) ?? 0;
    if (bestClass && el.attribs.class === bestClass) score += bestScore * SIBLING_SHARE;
    if (score >= threshold) out.add(el);
    else if (el.name === 'p' && el.dcFirst !== undefined) {
      const chars = el.dcChars ?? 0;
      const links = linkDensityOf(el);
      const text = doc.page.blocks[el.dcFirst].text;
      if ((chars >= SIBLING_PARAGRAPH_CHARS && links < SIBLING_PARAGRAPH_LINKS) || (links === 0 && /\.( |$)/.test(text))) out.add(el);
    }
  }
  return out;
}

/** Per block: 1 when it lies inside the main content container or a sibling that joined it. */
export function containerMask(doc: HtmlDocContext): Uint8Array {
  return doc.memo(containerMask, () => {
    const { members } = mainContainer(doc);
    const mask = new Uint8Array(doc.page.blocks.length);
    for (const el of members) {
      const m = el as Marked;
      if (m.dcFirst === undefined) continue;
      for (let i = m.dcFirst; i <= m.dcLast!; i++) mask[i] = 1;
    }
    // A block only partly inside (text before a member element in the same line) is not protected.
    const html = doc.page.html;
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue;
      let inside = false;
      for (let n = html[i].owner as Element | null; n && !inside; n = n.parent as Element | null) if (members.has(n)) inside = true;
      if (!inside) mask[i] = 0;
    }
    return mask;
  });
}
