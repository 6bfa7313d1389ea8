/**
 * One document of either kind through the engine, with the optional HTML rendering of its article:
 * the single place where "text or HTML in, text or HTML out" is decided, shared by POST /v1/clean,
 * the batch workers and `declutter clean`, so all three answer the same document the same way.
 */
// Modules, not the engine's index: the index loads the HTML engine, which text never needs.
import { cleanText } from '../engine/clean';
import type { CleanOptions, CleanResult, CompiledRuleSet } from '../engine';
import type { HtmlCleanResult } from '../engine/html';
import { removalsToCodePoints } from '../engine/text';

type HtmlEngine = typeof import('../engine/html');
let htmlEngine: HtmlEngine | undefined;

/**
 * The HTML engine (a parser and its tables) is loaded on the first page, so a service or command
 * that only ever sees text does not pay for it at start-up.
 */
export function loadHtmlEngine(): HtmlEngine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  htmlEngine ??= require('../engine/html') as HtmlEngine;
  return htmlEngine;
}

type Sanitizer = typeof import('../engine/html/sanitize');
let sanitizer: Sanitizer | undefined;

/** The sanitiser (sanitize-html and its CSS parser) is loaded when an article is first asked for as HTML. */
function loadSanitizer(): Sanitizer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  sanitizer ??= require('../engine/html/sanitize') as Sanitizer;
  return sanitizer;
}

export type InputKind = 'text' | 'html';
export type OutputFormat = 'text' | 'html';

export interface CleanOneOptions extends CleanOptions {
  /** 'html' adds the article as sanitised HTML (`html` in the result). */
  format?: OutputFormat;
}

/** A result; `html` is present when format is 'html'. HTML input's removals also carry `path`. */
export type CleanOneResult = (CleanResult | HtmlCleanResult) & { html?: string };

export function cleanOne(input: string, kind: InputKind, ruleset: CompiledRuleSet, options: CleanOneOptions = {}): CleanOneResult {
  const { format, ...rest } = options;
  if (kind === 'html') {
    const result: CleanOneResult = loadHtmlEngine().cleanHtml(input, ruleset, format === 'html' ? { ...rest, format } : rest);
    // The engine builds the article from the page's own markup and passes it through
    // sanitizeArticleHtml (engine/html/article.ts); test/server/html.test.ts sends XSS through it.
    if (format === 'html' && result.html === undefined) result.html = loadSanitizer().textToArticleHtml(result.text);
    return result;
  }
  if (format !== 'html') return cleanText(input, ruleset, rest);
  // The article is built from UTF-16 removals; code points are counted after.
  const result: CleanOneResult = cleanText(input, ruleset, { ...rest, offsets: 'utf16' });
  result.html = loadSanitizer().textInputArticleHtml(input, result.removed);
  if (rest.offsets === 'codepoint') removalsToCodePoints(input, result.removed);
  return result;
}
