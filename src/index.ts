/**
 * declutter as a library:
 *
 *   import { clean } from 'declutter';
 *   const result = clean(scrapedText);            // the default rule set shipped in rules/
 *   const r2 = clean(text, { ruleset: mySet });   // a compiled set of your own
 */
import {
  cleanHtml as cleanHtmlWith,
  cleanText,
  compileRuleSet,
  type CleanOptions,
  type CleanResult,
  type CompiledRuleSet,
  type HtmlCleanOptions,
  type HtmlCleanResult,
  type RuleSetDef,
} from './engine';
import { loadRuleSets, PACKAGED_RULES_DIR } from './rulesets/load';

export * from './engine';
export { loadRuleSets, parseRuleSetText, readRuleSetFile } from './rulesets/load';

let packagedDefault: CompiledRuleSet | undefined;

/** The `default` rule set shipped with the package, loaded once. */
export function defaultRuleSet(): CompiledRuleSet {
  if (!packagedDefault) {
    const loaded = loadRuleSets(PACKAGED_RULES_DIR);
    const set = loaded.compiled.get('default');
    if (!set) throw new Error(`the packaged default rule set is missing or broken: ${loaded.errors.map((e) => e.message).join('; ')}`);
    packagedDefault = set;
  }
  return packagedDefault;
}

export interface LibraryCleanOptions extends CleanOptions {
  /** A compiled rule set, or rule-set data to compile; the packaged default when absent. */
  ruleset?: CompiledRuleSet | RuleSetDef;
}

function compiledSet(ruleset: LibraryCleanOptions['ruleset']): CompiledRuleSet {
  return !ruleset ? defaultRuleSet() : 'rules' in ruleset && 'inline' in ruleset ? (ruleset as CompiledRuleSet) : compileRuleSet(ruleset as RuleSetDef);
}

export function clean(text: string, options: LibraryCleanOptions = {}): CleanResult {
  const { ruleset, ...rest } = options;
  return cleanText(text, compiledSet(ruleset), rest);
}

export interface LibraryHtmlCleanOptions extends HtmlCleanOptions {
  ruleset?: CompiledRuleSet | RuleSetDef;
}

/** Cleans a whole HTML page; offsets in the result index the HTML source. */
export function cleanHtml(html: string, options: LibraryHtmlCleanOptions = {}): HtmlCleanResult {
  const { ruleset, ...rest } = options;
  return cleanHtmlWith(html, compiledSet(ruleset), rest);
}
