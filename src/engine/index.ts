/** The engine's public surface: pure functions from text and rule-set data to a result. */
export { cleanText } from './clean';
export { cleanHtml, type HtmlCleanOptions, type HtmlCleanResult, type HtmlRemoval } from './html';
export { compileRuleSet, resolveRules, type CompiledRuleSet, type RuleSetLookup } from './ruleset';
export { validateRuleSet, ruleSetSchema, ruleSchema, RuleSetError, describeIssues, type RuleSetDef, type ValidationIssue } from './schema';
export { RULE_KINDS } from './kinds';
export { JS_REGEX, type CompileOptions, type RegexEngine } from './regex';
export { collapseWhitespace } from './text';
export type { CompiledRule, RuleDefBase, RuleKind, RemoveExample, KeepExample } from './rule';
export * from './types';
