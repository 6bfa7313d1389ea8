/**
 * The checks a rule set from a request goes through, as pure functions of the stored sets they
 * are checked against, so that the worker threads can run them (src/batch/worker.ts) as well as
 * the registry: validating and compiling an inline set, and everything a PUT must pass before its
 * set is stored. Both cost time in proportion to the set (the ReDoS checker, compiling, the rule
 * tester), which is why the service never runs them on its event loop.
 */
import { compileRuleSet, RuleSetError, validateRuleSet, type CompiledRuleSet, type CompileOptions, type RuleSetDef, type ValidationIssue } from '../engine';
import { RULE_ID_PATTERN } from '../engine/schema';
import { isPlainObject } from '../plain-object';
import { resolveModels, type ModelData } from './models';
import { knownLiterals } from './prechecked';
import { SAFE_REGEX, unsafePatternIssues } from './safe-regex';
import { testRuleSet } from './tester';

/** What a set from a request is checked against: the stored sets as the engine runs them, and the models they may name. */
export interface StoredSets {
  readonly defs: ReadonlyMap<string, RuleSetDef>;
  readonly models: ReadonlyMap<string, ModelData>;
}

/** Any set a registry holds may have been written by a user (the API, a shared directory): its patterns run on RE2. */
export const USER_SETS: CompileOptions = { regex: SAFE_REGEX, knownLiterals };

/** Compiled under this id so that an inline set may extend the stored set of its own id. */
const INLINE_ID = '(inline)';
const ID = new RegExp(RULE_ID_PATTERN);

/** A set sent through the API with its models filled in: only models loaded from `models/` can be named. */
function withModels(stored: StoredSets, def: RuleSetDef): RuleSetDef {
  return resolveModels(def, (ref) => stored.models.get(ref), 'ruleset');
}

/**
 * Validates and compiles a rule set sent with a request; its `extends` is resolved against the
 * stored sets. Its patterns must be safe (see safe-regex.ts). Throws RuleSetError naming the
 * rule and field, or RuleSetTooCostly.
 */
export function compileInlineSet(stored: StoredSets, input: unknown): CompiledRuleSet {
  const def = validateRuleSet(input, 'ruleset', USER_SETS);
  const unsafe = unsafePatternIssues(def);
  if (unsafe.length) throw new RuleSetError(unsafe, 'ruleset');
  try {
    const compiled = compileRuleSet({ ...withModels(stored, def), id: INLINE_ID }, (id) => stored.defs.get(id), USER_SETS);
    return { ...compiled, id: def.id };
  } catch (e) {
    if (e instanceof RuleSetError) throw new RuleSetError(e.issues, 'ruleset');
    throw e;
  }
}

/**
 * Checks a set written through the API: its schema, its patterns, that it compiles against the
 * stored sets, that its own rules pass their examples (tester.ts), and that every stored set
 * extending it still compiles with it. `currentVersion`: the stored set's version (the store
 * numbers versions; the input's does not matter). Answers the definition to save, as written (a
 * scorer names its model).
 */
export function checkWrite(stored: StoredSets, id: string, input: unknown, currentVersion: number | undefined): RuleSetDef {
  if (!ID.test(id)) throw new RuleSetError([{ field: 'id', message: `"${id}" is not a valid rule-set id (${RULE_ID_PATTERN})` }], 'ruleset');
  const raw = isPlainObject(input) ? { ...input } : input;
  if (isPlainObject(raw)) {
    raw.id ??= id;
    if (raw.id !== id) throw new RuleSetError([{ field: 'id', message: `is "${String(raw.id)}" but the path says "${id}"` }], 'ruleset');
    raw.version = (currentVersion ?? 0) + 1;
  }
  const def = validateRuleSet(raw, 'ruleset', USER_SETS);
  const unsafe = unsafePatternIssues(def);
  if (unsafe.length) throw new RuleSetError(unsafe, 'ruleset');
  const resolved = withModels(stored, def);
  const defs = new Map(stored.defs);
  defs.set(id, resolved);
  compileRuleSet(resolved, (x) => defs.get(x), USER_SETS);
  // The set's own rules must do what their examples say; inherited ones passed when their set was saved.
  const failing = testRuleSet(resolved, USER_SETS);
  if (failing.length) throw new RuleSetError(failing, 'ruleset');
  const issues: ValidationIssue[] = [];
  for (const other of defs.values()) {
    if (other.id === id || !extendsFrom(other, id, defs)) continue;
    try {
      compileRuleSet(other, (x) => defs.get(x), USER_SETS);
    } catch (e) {
      issues.push({ field: 'rules', message: `rule set "${other.id}" extends this one and would break: ${(e as Error).message}` });
    }
  }
  if (issues.length) throw new RuleSetError(issues, 'ruleset');
  return def;
}

function extendsFrom(def: RuleSetDef, base: string, defs: ReadonlyMap<string, RuleSetDef>): boolean {
  const seen = new Set<string>();
  for (let d: RuleSetDef | undefined = def; d?.extends && !seen.has(d.id); d = defs.get(d.extends)) {
    if (d.extends === base) return true;
    seen.add(d.id);
  }
  return false;
}
