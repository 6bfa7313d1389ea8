/**
 * Cleaning a whole HTML page. The page is parsed once (htmlparser2, with source offsets), its
 * visible text cut into blocks at block-level elements (blocks.ts), and the blocks go through the
 * same steps as text — selector rules first (they judge elements, not text), then inline, block
 * and document rules. Removals are mapped back to the HTML source (removals.ts): a whole element
 * where one rule took all its text, its text nodes otherwise.
 */
import { applyBlockRules, applyInlineRules } from '../clean';
import type { AnyNode } from 'domhandler';
import type { CompiledRuleSet } from '../ruleset';
import { collapseWhitespace, isCollapsed, removalsToCodePoints } from '../text';
import type { CleanOptions, CleanResult, Removal } from '../types';
import { extractBlocks, type ElementTest, type ExtractedPage } from './blocks';
import { HtmlDocContext } from './context';
import { containerMask } from './container';
import { parseHtml } from './parse';
import { cssPath, htmlRemovals } from './removals';
import { articleHtml } from './article';
import { keepTableCells } from './tables';
import { wholeArticlePage } from './whole-article';
import { giveBack, giveBackPageRelative } from '../article-shape';

export interface HtmlCleanOptions extends CleanOptions {
  format?: 'text' | 'html';
}
export interface HtmlRemoval extends Removal {
  /** CSS path of the removed element (or of the element holding the removed text). */
  path: string;
}
export interface HtmlCleanResult extends CleanResult {
  removed: HtmlRemoval[];
  /** The article as sanitised HTML, when format === 'html'. */
  html?: string;
}

export { HtmlDocContext, isHtmlDoc } from './context';

/**
 * Kinds whose verdicts stop at the page's main content container. They judge runs of short lines
 * and repeated lines, which in a text dump are menus and page furniture; inside the container the
 * markup has already said what they are (an article's own subheadings, lists and repeated recipe
 * lines). 5-fold cross-validation over both dev sets: F1 aeb-dev 0.9586 → 0.9597, readability-dev
 * 0.9364 → 0.9388.
 */
const PROTECTED_KINDS: ReadonlySet<string> = new Set(['menu', 'duplicate']);

/** Selector rules of the set, as tests the block builder runs on every element. */
function selectorTests(ruleset: CompiledRuleSet): ElementTest[] {
  const tests: ElementTest[] = [];
  ruleset.rules.forEach((rule, index) => {
    if (!rule.matches) return;
    const selector = String(rule.def.selector);
    tests.push({ rule: index, test: rule.matches, reason: `${rule.def.description} (selector "${selector}")` });
  });
  return tests;
}

/**
 * The set without its inline residue rules. Residue is what a scraper leaves when it turns markup
 * into text (stray tags, attributes, undecoded entities, style and script text); a parsed page has
 * none, so text that looks like it is text the page shows ("<div>" in an article about HTML).
 * 5-fold cross-validation over both dev sets: F1 aeb-dev 0.9643 → 0.9647, readability-dev
 * 0.9416 → 0.9434. Block residue rules (a line of only symbols) still apply.
 */
function withoutInlineResidue(ruleset: CompiledRuleSet): CompiledRuleSet {
  const inline = ruleset.inline.filter((i) => ruleset.rules[i].category !== 'residue');
  return inline.length === ruleset.inline.length ? ruleset : { ...ruleset, inline };
}

/**
 * Steps up to the scorer's verdicts: the page as a document whose blocks' fates are decided.
 * Training passes `spareArticles` false, as for text: the scorer learns on pages as the rules leave them.
 */
export function runHtmlRules(html: string, ruleset: CompiledRuleSet, lang?: string, spareArticles = true): HtmlDocContext {
  const source = typeof html === 'string' ? html : '';
  const page = extractBlocks(source, parseHtml(source), selectorTests(ruleset));
  const doc = new HtmlDocContext(page, source, lang);
  // One scan of the page's text answers every rule's `requires`, as in text mode; without it each
  // rule lower-cased and searched the whole text.
  doc.requirements = ruleset.requirements;
  for (let i = 0; i < page.blocks.length; i++) {
    const sel = page.html[i].selectedBy;
    if (sel >= 0) {
      page.blocks[i].removedBy = sel;
      page.blocks[i].reason = page.html[i].selectorReason;
    }
  }
  applyInlineRules(doc, withoutInlineResidue(ruleset));
  applyBlockRules(doc, ruleset);
  spareArticleLeads(doc, ruleset);
  // A page that is one clean article keeps all but its explicit furniture (whole-article.ts).
  if (spareArticles && wholeArticlePage(doc)) {
    doc.articleShaped = true;
    giveBackPageRelative(doc, ruleset);
  }
  applyHtmlDocumentRules(doc, ruleset);
  keepTableCells(page);
  return doc;
}

/** A teaser is a link to another story: this share of the block's text in links at least. */
const TEASER_LINK_SHARE = 0.5;

/**
 * A `teaser` verdict (a line trailing off in "…" on a topic the article's prose does not share)
 * is taken back for a block inside the main content container that is not a link: in a page
 * the article's own lead of a paywalled story, or a paragraph quoting a speaker who trails off,
 * ends that way; teasers of other stories link to them. The block rules after the teaser rule
 * judge it instead. HTML leave-one-source-out (100 pages a source), held-out F1 with the rule
 * everywhere -> spared in the container: readability-dev 0.949 -> 0.950, dragnet 0.927 ->
 * 0.929, l3s-gn1 0.955 -> 0.954, aeb-dev 0.953 = , cleanportaleval 0.964 = ; CleanEval 0.891 ->
 * 0.894 (apart). Tried: the rule off on pages altogether: aeb-dev 0.954, dragnet 0.932, but
 * l3s-gn1 0.952 (its linked teasers stay) and readability-dev 0.949.
 */
function spareArticleLeads(doc: HtmlDocContext, ruleset: CompiledRuleSet): void {
  let inContainer: Uint8Array | undefined;
  for (const b of doc.blocks) {
    if (b.removedBy < 0 || ruleset.rules[b.removedBy].def.kind !== 'teaser') continue;
    inContainer ??= containerMask(doc);
    if (inContainer[b.index] && doc.page.html[b.index].linkChars < b.rest.trim().length * TEASER_LINK_SHARE) giveBack(doc, b, ruleset);
  }
}

/**
 * Document rules, as in text mode, except that a set with an HTML scorer (a scorer with a `dom`
 * model) uses it instead of its text scorers: two scorers would each remove what the other kept.
 */
export function applyHtmlDocumentRules(doc: HtmlDocContext, ruleset: CompiledRuleSet): void {
  const isScorer = (i: number) => ruleset.rules[i].def.kind === 'scorer';
  const hasDom = (i: number) => isScorer(i) && ruleset.rules[i].def.dom !== undefined;
  const htmlScorer = ruleset.document.some(hasDom);
  let inContainer: Uint8Array | undefined;
  for (const ruleIndex of ruleset.document) {
    const rule = ruleset.rules[ruleIndex];
    if (rule.matches) continue;
    if (htmlScorer && isScorer(ruleIndex) && !hasDom(ruleIndex)) continue;
    const guarded = PROTECTED_KINDS.has(rule.def.kind);
    if (guarded) inContainer ??= containerMask(doc);
    rule.document!(doc, (i, reason) => {
      const b = doc.blocks[i];
      if (guarded && inContainer![i]) return;
      if (b && b.removedBy < 0) {
        b.removedBy = ruleIndex;
        b.reason = reason;
      }
    });
  }
}

export function cleanHtml(html: string, ruleset: CompiledRuleSet, options: HtmlCleanOptions = {}): HtmlCleanResult {
  const started = performance.now();
  const source = typeof html === 'string' ? html : '';
  const doc = runHtmlRules(source, ruleset, options.lang);
  const page: ExtractedPage = doc.page;
  const kept: string[] = [];
  let removedBlocks = 0;
  for (const b of page.blocks) {
    if (b.removedBy >= 0) {
      removedBlocks++;
      continue;
    }
    const text = isCollapsed(b.rest) ? b.rest : collapseWhitespace(b.rest);
    if (text) kept.push(text);
    else removedBlocks++;
  }
  const spans = htmlRemovals(source, page.root.children, page.blocks, page.html);
  const removed: HtmlRemoval[] = new Array(spans.length);
  let removedChars = 0;
  const paths = new Map<AnyNode, string>();
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i];
    const rule = ruleset.rules[s.rule];
    removedChars += s.end - s.start;
    removed[i] = {
      start: s.start,
      end: s.end,
      text: source.slice(s.start, s.end),
      rule: rule.id,
      category: rule.category,
      reason: s.reason,
      path: cssPath(s.node, paths),
    };
  }
  if (options.offsets === 'codepoint') removalsToCodePoints(source, removed);
  const text = kept.join('\n\n');
  const result: HtmlCleanResult = {
    text,
    removed,
    stats: { inputChars: source.length, outputChars: text.length, removedChars, blocks: page.blocks.length, removedBlocks, elapsedMs: 0 },
    ruleset: { id: ruleset.id, version: ruleset.version },
    lang: doc.lang,
  };
  if (options.id !== undefined) result.id = options.id;
  if (options.format === 'html') result.html = articleHtml(source, page, text);
  result.stats.elapsedMs = Math.round((performance.now() - started) * 1000) / 1000;
  return result;
}
