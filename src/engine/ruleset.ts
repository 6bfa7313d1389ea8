/**
 * From rule-set data to something the pipeline runs: layering (`extends`, overrides by id,
 * `disable`), then compiling every enabled rule with its kind.
 */
import { RULE_KINDS } from './kinds';
import { BlockStageFilter } from './prefilter/stage';
import { RequirementIndex } from './prefilter/requirements';
import { kindOptions, type CompileOptions, type RegexEngine } from './regex';
import type { CompiledRule, RuleDefBase } from './rule';
import { RuleSetError, type RuleSetDef } from './schema';

export interface CompiledRuleSet {
  readonly id: string;
  readonly version: number;
  readonly hosts: readonly string[];
  /** The effective rules after layering, in order, including disabled ones (for display). */
  readonly defs: readonly RuleDefBase[];
  readonly rules: readonly CompiledRule[];
  readonly inline: readonly number[];
  readonly block: readonly number[];
  readonly document: readonly number[];
  /** The engine its patterns were compiled with: whoever compiles the set again uses the same. */
  readonly regex: RegexEngine;
  /** Which block rules can remove a block, found in one pass (prefilter/stage.ts); absent, all run. */
  readonly blockFilter?: BlockStageFilter;
  /** Every rule's `requires` needles, found in one scan per document; absent, each rule searches alone. */
  readonly requirements?: RequirementIndex;
}

/** Finds a rule set by id, for `extends`. */
export type RuleSetLookup = (id: string) => RuleSetDef | undefined;

/**
 * The effective rule list of a set: its base's rules, with rules of the same id replaced in place,
 * new rules appended, and `disable`d ids switched off.
 */
export function resolveRules(def: RuleSetDef, lookup: RuleSetLookup, chain: string[] = []): RuleDefBase[] {
  if (chain.includes(def.id)) {
    throw new RuleSetError([{ field: 'extends', message: `cycle: ${[...chain, def.id].join(' → ')}` }], def.id);
  }
  let rules: RuleDefBase[] = [];
  if (def.extends) {
    const base = lookup(def.extends);
    if (!base) throw new RuleSetError([{ field: 'extends', message: `unknown rule set "${def.extends}"` }], def.id);
    rules = resolveRules(base, lookup, [...chain, def.id]);
  }
  const position = new Map(rules.map((r, i) => [r.id, i]));
  for (const r of def.rules) {
    const at = position.get(r.id);
    if (at === undefined) {
      position.set(r.id, rules.length);
      rules.push(r);
    } else rules[at] = r;
  }
  if (def.disable?.length) {
    const off = new Set(def.disable);
    const unknown = def.disable.filter((id) => !position.has(id));
    if (unknown.length) throw new RuleSetError([{ field: 'disable', message: `no such rule: ${unknown.join(', ')}` }], def.id);
    rules = rules.map((r) => (off.has(r.id) ? { ...r, enabled: false } : r));
  }
  return rules;
}

/** Compiles every enabled rule; `options.regex` chooses the engine patterns run on (JavaScript's by default). */
export function compileRuleSet(def: RuleSetDef, lookup: RuleSetLookup = () => undefined, options: CompileOptions = {}): CompiledRuleSet {
  const defs = resolveRules(def, lookup);
  const resolved = kindOptions(options);
  const rules: CompiledRule[] = [];
  for (const r of defs) {
    if (r.enabled === false) continue;
    rules.push(RULE_KINDS.get(r.kind)!.compile(r, resolved));
  }
  const byStage = (stage: string) => rules.flatMap((r, i) => (r.stage === stage ? [i] : []));
  const block = byStage('block');
  return {
    id: def.id,
    version: def.version,
    hosts: def.hosts ?? [],
    defs,
    rules,
    inline: byStage('inline'),
    block,
    document: byStage('document'),
    regex: resolved.regex,
    ...(options.prefilter === false ? {} : prefilters(rules, block)),
  };
}

/** The stages' prefilters: the block stage's, and the one scan of the document that serves it, the inline rules and the requirements. */
function prefilters(rules: readonly CompiledRule[], block: readonly number[]): { blockFilter: BlockStageFilter; requirements: RequirementIndex } {
  const blockFilter = new BlockStageFilter(block.map((i) => rules[i]));
  const requirements = new RequirementIndex(
    rules.flatMap((r) => (r.requires ? [r.requires] : [])),
    rules.flatMap((r) => (r.literalSites ? [r.literalSites] : [])),
    blockFilter.literalLists,
  );
  return { blockFilter, requirements };
}
