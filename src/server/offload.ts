/**
 * What the routes share to hand their CPU-bound steps to the worker pool (src/batch/pool.ts): the
 * pool itself (or nothing, in a dev tree where the worker is not built: the step then runs
 * in-process, as it did before), the signal of a client that went away, and the problem each
 * way a task can fail answers with.
 */
import type { Response } from 'express';
import type { CleaningPool, PoolFailure } from '../batch/pool';
import { refusalError } from '../batch/pool';
import { RuleSetError, type CompiledRuleSet } from '../engine';
import { isDeferred, type ChosenSet } from '../requests';
import { readSetsToSend } from '../rulesets/read-sets';
import type { SetReader } from '../rulesets/registry';
import { RuleSetTooCostly } from '../rulesets/safe-regex';
import { HttpProblem, requestProblem } from './problems';
import type { AppDeps } from './types';

let warned = false;

/** The worker pool, or undefined when it cannot start (worker not built: a dev tree before `npm run build`). */
export function poolFor(deps: AppDeps): CleaningPool | undefined {
  try {
    return deps.pool.start();
  } catch (e) {
    if (!warned) deps.logger.warn({ err: e }, 'no worker pool: requests are cleaned and checked in-process, without a time budget');
    warned = true;
    return undefined;
  }
}

/** Aborted when the response closes before it was finished (the client went away); `done()` stops listening. */
export function whenGone(res: Response): { signal: AbortSignal; done(): void } {
  const gone = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) gone.abort();
  };
  res.once('close', onClose);
  return { signal: gone.signal, done: () => res.off('close', onClose) };
}

/**
 * The problem for a task that did not succeed. `hint`: what to look at when the work itself (not
 * a rule set's checks) ran out of time.
 */
export function failureProblem(outcome: PoolFailure, hint: string): Error {
  if (outcome.reason === 'refused' && outcome.refusal) return requestProblem(refusalError(outcome.refusal));
  if (outcome.reason === 'timeout') {
    if (outcome.phase === 'ruleset') return new HttpProblem('ruleset-too-costly', `${outcome.detail}; split the rule set, or rewrite its patterns for RE2`);
    return new HttpProblem('clean-timeout', `${outcome.detail}; ${hint}`);
  }
  if (outcome.reason === 'cancelled')
    return new HttpProblem('not-ready', `the service is shutting down: ${outcome.detail}`, { headers: { 'Retry-After': '5' } });
  return new Error(`worker failed: ${outcome.detail}`);
}

/** A chosen set compiled in this thread: only where no pool can run (a dev tree). */
export function compiledHere(deps: AppDeps, set: ChosenSet): CompiledRuleSet {
  if (!isDeferred(set)) return set;
  try {
    return deps.registry.compileInline(JSON.parse(set.json));
  } catch (e) {
    if (e instanceof RuleSetError) return thrown(refusalError({ code: 'invalid-ruleset', message: e.message, issues: e.issues }));
    if (e instanceof RuleSetTooCostly) return thrown(refusalError({ code: 'ruleset-too-costly', message: e.message }));
    throw e;
  }
}

function thrown(error: Parameters<typeof requestProblem>[0]): never {
  throw requestProblem(error);
}

/**
 * Where the registry parses and compiles a reload (a changed file, a PUT, a DELETE): in the pool
 * under the time budget, each set with a budget of its own, so that a large stored set compiling
 * never holds the event loop; in this thread only where no pool can run (a dev tree).
 */
export function setReader(deps: AppDeps): SetReader {
  return async (base, input) => {
    const pool = poolFor(deps);
    if (!pool) return readSetsToSend(base, input);
    const outcome = await pool.job({ job: 'read-sets', base, input });
    if (outcome.ok && 'sets' in outcome) return outcome.sets;
    if (outcome.ok) return { failed: 'the worker answered a reload with something else' };
    return { failed: outcome.detail };
  };
}
