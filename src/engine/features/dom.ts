/**
 * Features of a block from the page's markup, for the HTML scorer: where the block sits
 * (semantic elements, lists, tables, headings), what the page's authors named its containers
 * (class and id words by concept, html/vocabulary.ts), how much of it is link text, and whether
 * it lies in the page's main content container — Readability's strongest signal: containers are
 * scored by the prose of the paragraphs directly inside them (commas, length), and the best
 * container, discounted by its link density, holds the article.
 */
import type { Element } from 'domhandler';
import type { HtmlDocContext } from '../html/context';
import type { Marks } from '../html/blocks';
import * as V from '../html/vocabulary';
import type { FeatureInfo } from './local';

/** Ancestry and naming bits, in the order of DOM_FEATURES' first rows. */
const BIT_FEATURES: [number, FeatureInfo][] = [
  [V.IN_NAV, { name: 'inNav', low: 'outside navigation', high: 'inside a nav element' }],
  [V.IN_HEADER, { name: 'inHeader', low: 'outside the page header', high: 'inside a header element' }],
  [V.IN_FOOTER, { name: 'inFooter', low: 'outside the page footer', high: 'inside a footer element' }],
  [V.IN_ASIDE, { name: 'inAside', low: 'outside asides', high: 'inside an aside element' }],
  [V.IN_FORM, { name: 'inForm', low: 'outside forms', high: 'inside a form' }],
  [V.IN_ARTICLE, { name: 'inArticle', low: 'outside an article element', high: 'inside an article element' }],
  [V.IN_MAIN, { name: 'inMain', low: 'outside the main element', high: 'inside the main element' }],
  [V.IN_LIST, { name: 'inList', low: 'not in a list', high: 'in a list' }],
  [V.IN_TABLE, { name: 'inTable', low: 'not in a table', high: 'in a table' }],
  [V.IN_HEADING, { name: 'heading', low: 'not a heading', high: 'a heading' }],
  [V.IN_PRE, { name: 'inPre', low: 'not preformatted', high: 'preformatted text' }],
  [V.IN_QUOTE, { name: 'inQuote', low: 'not a quotation', high: 'a block quotation' }],
  [V.IN_FIGURE, { name: 'inFigure', low: 'not in a figure', high: 'in a figure' }],
  [V.NAMED_NAV, { name: 'namedNav', low: 'container not named as navigation', high: 'container named as navigation' }],
  [V.NAMED_FOOTER, { name: 'namedFooter', low: 'container not named as footer', high: 'container named as footer' }],
  [V.NAMED_SIDEBAR, { name: 'namedSidebar', low: 'container not named as sidebar', high: 'container named as sidebar or widget' }],
  [V.NAMED_COMMENT, { name: 'namedComment', low: 'container not named as comments', high: 'container named as comments' }],
  [V.NAMED_RELATED, { name: 'namedRelated', low: 'container not named as related stories', high: 'container named as related stories' }],
  [V.NAMED_SHARE, { name: 'namedShare', low: 'container not named as sharing', high: 'container named as sharing' }],
  [V.NAMED_AD, { name: 'namedAd', low: 'container not named as advertising', high: 'container named as advertising' }],
  [V.NAMED_LEGAL, { name: 'namedLegal', low: 'container not named as legal or cookies', high: 'container named as legal or cookie notice' }],
  [V.NAMED_SUBSCRIBE, { name: 'namedSubscribe', low: 'container not named as a prompt', high: 'container named as newsletter or login prompt' }],
  [V.NAMED_BYLINE, { name: 'namedByline', low: 'container not named as byline', high: 'container named as byline or metadata' }],
  [V.NAMED_CONTENT, { name: 'namedContent', low: 'container not named as content', high: 'container named as article content' }],
  [V.NAMED_HEADER, { name: 'namedHeader', low: 'container not named as masthead', high: 'container named as masthead' }],
  [V.NAMED_HIDDEN, { name: 'namedHidden', low: 'visible container', high: 'container named as screen-reader only' }],
  [V.NAMED_CAPTION, { name: 'namedCaption', low: 'container not named as caption', high: 'container named as caption or media' }],
];

const NUMERIC_FEATURES: FeatureInfo[] = [
  { name: 'linkDensity', low: 'little link text', high: 'mostly link text' },
  { name: 'parentLinkDensity', low: 'among prose', high: 'among links' },
  { name: 'depth', low: 'shallow in the page', high: 'deep in the page' },
  { name: 'inContainer', low: 'outside the main content container', high: 'inside the main content container' },
  { name: 'beforeContainer', low: 'not before the main container', high: 'before the main content container' },
  { name: 'afterContainer', low: 'not after the main container', high: 'after the main content container' },
  { name: 'containerScore', low: 'in a weak container', high: 'in a strong container' },
  { name: 'titleLike', low: 'unlike the page title', high: 'the page title' },
];

export const DOM_FEATURES: readonly FeatureInfo[] = [...BIT_FEATURES.map(([, f]) => f), ...NUMERIC_FEATURES];
export const DOM_INDEX: ReadonlyMap<string, number> = new Map(DOM_FEATURES.map((f, i) => [f.name, i]));

type Marked = Element & Marks;

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

function linkDensityOf(el: Marked): number {
  const chars = el.dcChars ?? 0;
  return chars > 0 ? (el.dcLinks ?? 0) / chars : 0;
}

export function mainContainer(doc: HtmlDocContext): MainContainer {
  return doc.memo(mainContainer, () => {
    const raw = new Map<Element, number>();
    const { blocks, html } = doc.page;
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i];
      const info = html[i];
      if (info.selectedBy >= 0 || b.text.length < MIN_PARAGRAPH_CHARS || !info.owner || info.bits & V.IN_HEADING) continue;
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

/** Ancestors looked at for the strongest container around a block: its paragraph's parent and two more. */
const CONTAINER_LEVELS = 3;

const squashTitle = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
/** A headline is a few words at least; shorter blocks match a title by chance ("Home"). */
const MIN_TITLE_CHARS = 10;

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

/** DOM feature rows (DOM_FEATURES.length values each) for the given blocks, in order. */
export function domFeatures(doc: HtmlDocContext, active: readonly number[]): Float64Array {
  const F = DOM_FEATURES.length;
  const B = BIT_FEATURES.length;
  const out = new Float64Array(active.length * F);
  const { blocks, html } = doc.page;
  const { best, bestScore, scores, members } = mainContainer(doc);
  const title = squashTitle(doc.page.title ?? '');
  // The blocks the container and its joined siblings span.
  let first = Infinity,
    last = -1;
  for (const el of members) {
    const m = el as Marked;
    if (m.dcFirst === undefined) continue;
    first = Math.min(first, m.dcFirst);
    last = Math.max(last, m.dcLast!);
  }
  for (let r = 0; r < active.length; r++) {
    const i = active[r];
    const info = html[i];
    const row = r * F;
    for (let k = 0; k < B; k++) out[row + k] = info.bits & BIT_FEATURES[k][0] ? 1 : 0;
    const text = blocks[i].text;
    out[row + B] = text.length ? Math.min(1, info.linkChars / text.length) : 0;
    const parent = info.owner?.parent as Marked | null | undefined;
    out[row + B + 1] = parent && parent.type === 'tag' ? linkDensityOf(parent) : 0;
    out[row + B + 2] = Math.log2(1 + info.depth);
    let inside = false;
    let strongest = 0;
    let el = info.owner as Marked | null;
    for (let level = 0; el && el.type === 'tag'; level++) {
      if (members.has(el)) inside = true;
      if (level <= CONTAINER_LEVELS) strongest = Math.max(strongest, scores.get(el) ?? 0);
      if (inside && (level > CONTAINER_LEVELS || el === best || el === best?.parent)) break;
      el = el.parent as Marked | null;
    }
    out[row + B + 3] = inside ? 1 : 0;
    out[row + B + 4] = best && !inside && i < first ? 1 : 0;
    out[row + B + 5] = best && !inside && i > last ? 1 : 0;
    out[row + B + 6] = bestScore > 0 ? Math.min(1, Math.max(0, strongest / bestScore)) : 0;
    let titleLike = 0;
    if (title && text.length >= MIN_TITLE_CHARS && text.length <= title.length * 2 + 20) {
      const t = squashTitle(text);
      if (t.length >= MIN_TITLE_CHARS && (title.includes(t) || t.includes(title))) titleLike = 1;
    }
    out[row + B + 7] = titleLike;
  }
  return out;
}
