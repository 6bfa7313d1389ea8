/**
 * A rule set sent inline with a request (tuning, the dashboard): compiled against the registry,
 * or a 422 problem naming each rule and field. Shared by /v1/clean and the evaluation routes.
 */
import { describeIssues, RuleSetError, type CompiledRuleSet } from '../engine';
import { HttpProblem } from './problems';
import type { AppDeps } from './types';

export function compileInlineRuleSet(deps: AppDeps, def: unknown): CompiledRuleSet {
  try {
    return deps.registry.compileInline(def);
  } catch (e) {
    if (!(e instanceof RuleSetError)) throw e;
    throw new HttpProblem('invalid-ruleset', `the inline rule set (field "ruleset") is invalid: ${describeIssues(e.issues)}`, { errors: e.issues });
  }
}
