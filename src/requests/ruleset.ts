/**
 * Which rule set cleans a document: the stored set it names by id; the set it sends inline,
 * compiled; else the batch's own (`?ruleset=`, `--ruleset`); else the set for its url's host,
 * else `default`. One choice for POST /v1/clean, batches and evaluations, with one set of refusals:
 * `unknown-ruleset`, `invalid-ruleset` (naming each rule and field), `ruleset-too-large` and
 * `not-ready`.
 *
 * A source that can (the service's registry) defers an inline set: the choice then carries the
 * set as text, checked only against the size caps here, and validated, checked and compiled where
 * it runs, in a worker thread under the time budget (src/batch/worker.ts).
 */
import { describeIssues, RuleSetError, type CompiledRuleSet } from '../engine';
import type { RequestError } from './document';

/** Where rule sets come from: the service's registry, or the CLI's rules directory. */
export interface RuleSetSource {
  get(id: string): CompiledRuleSet | undefined;
  forUrl(url: string | undefined): CompiledRuleSet | undefined;
  compileInline(def: unknown): CompiledRuleSet;
  /** An inline set to be compiled where it runs; a refusal when it is over the size caps. */
  deferInline?(def: unknown): DeferredRuleSet | RequestError;
}

/** An inline set not yet compiled: its JSON, and what it is checked against (opaque here). */
export interface DeferredRuleSet {
  readonly deferred: true;
  /** Names the set and the stored sets it is compiled against, for the workers' caches. */
  readonly key: string;
  readonly json: string;
  readonly stored: { readonly key: string };
}

/** A set ready to clean with, or one to compile first. */
export type ChosenSet = CompiledRuleSet | DeferredRuleSet;

export function isDeferred(set: ChosenSet): set is DeferredRuleSet {
  return 'deferred' in set;
}

export interface RuleSetChoice {
  /** A stored set's id, or a whole rule set sent inline. */
  ruleset?: string | Record<string, unknown>;
  url?: string;
}

export type ChosenRuleSet = { ok: true; set: ChosenSet; inline: boolean } | { ok: false; error: RequestError };

/** `fallback`: the set for documents that name none, instead of choosing by url. */
export function chooseRuleSet(source: RuleSetSource, choice: RuleSetChoice, fallback?: CompiledRuleSet): ChosenRuleSet {
  const { ruleset } = choice;
  if (typeof ruleset === 'object') {
    if (source.deferInline) {
      const deferred = source.deferInline(ruleset);
      return 'deferred' in deferred ? { ok: true, set: deferred, inline: true } : { ok: false, error: deferred };
    }
    try {
      return { ok: true, set: source.compileInline(ruleset), inline: true };
    } catch (e) {
      if (!(e instanceof RuleSetError)) throw e;
      const detail = `the inline rule set (field "ruleset") is invalid: ${describeIssues(e.issues)}`;
      return { ok: false, error: { code: 'invalid-ruleset', detail, errors: e.issues } };
    }
  }
  if (ruleset !== undefined) {
    const set = source.get(ruleset);
    return set ? { ok: true, set, inline: false } : { ok: false, error: { code: 'unknown-ruleset', detail: `no rule set "${ruleset}"` } };
  }
  const set = fallback ?? source.forUrl(choice.url);
  return set ? { ok: true, set, inline: false } : { ok: false, error: { code: 'not-ready', detail: 'the default rule set is not loaded' } };
}
