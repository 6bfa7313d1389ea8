/**
 * declutter as a library:
 *
 *   import { clean } from 'declutter';
 *   const result = clean(scrapedText);            // the default rule set shipped in rules/
 *   const r2 = clean(text, { ruleset: mySet });   // a compiled set of your own
 */
import { cleanText, compileRuleSet, type CleanOptions, type CleanResult, type CompiledRuleSet, type RuleSetDef } from './engine';
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

export function clean(text: string, options: LibraryCleanOptions = {}): CleanResult {
  const { ruleset, ...rest } = options;
  const compiled = !ruleset ? defaultRuleSet() : 'rules' in ruleset && 'inline' in ruleset ? (ruleset as CompiledRuleSet) : compileRuleSet(ruleset as RuleSetDef);
  return cleanText(text, compiled, rest);
}
