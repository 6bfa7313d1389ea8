/** The engine's public surface: pure functions from text and rule-set data to a result. */
export { cleanText } from './clean';
export type { HtmlCleanOptions, HtmlCleanResult, HtmlRemoval } from './html';
export { compileRuleSet, resolveRules, type CompiledRuleSet, type RuleSetLookup } from './ruleset';
export { validateRuleSet, ruleSetSchema, ruleSchema, RuleSetError, describeIssues, type RuleSetDef, type ValidationIssue } from './schema';
export { RULE_KINDS } from './kinds';
export { JS_REGEX, type CompileOptions, type RegexEngine } from './regex';
export { collapseWhitespace } from './text';
export type { CompiledRule, RuleDefBase, RuleKind, RemoveExample, KeepExample } from './rule';
export * from './types';

import type { CompiledRuleSet } from './ruleset';
import type { HtmlCleanOptions, HtmlCleanResult } from './html';

/**
 * Cleans a whole HTML page (./html). The HTML engine (parser, sanitiser, PostCSS) is loaded on the
 * first call: it was two thirds of `require('declutter')`, which text-only users never need.
 */
export function cleanHtml(html: string, ruleset: CompiledRuleSet, options?: HtmlCleanOptions): HtmlCleanResult {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./html') as typeof import('./html')).cleanHtml(html, ruleset, options);
}
