/**
 * How a rule's pattern becomes a regex: an option of compiling a rule set, never a global, so that
 * two sets compiled in one process can run on different engines and a set says which it uses.
 * The engine itself stays free of native code: by default patterns run on JavaScript's RegExp;
 * a caller running patterns written by strangers (the service, the CLI, the batch workers) passes
 * the RE2-backed engine of src/rulesets/safe-regex.ts, under which a pattern cannot backtrack for ever.
 */
import type { RequiredRead } from './prefilter/literals';

export interface RegexEngine {
  /**
   * Names the engine where a function cannot go: the batch pool sends a set's definition to its
   * worker threads with this name, and each worker compiles it again on the same engine.
   */
  readonly name: string;
  /** A regex with RegExp's `test`, `exec` and `lastIndex`; throws when the pattern is invalid. */
  compile(source: string, flags: string): RegExp;
}

/** JavaScript's own engine: what the library uses unless told otherwise. */
export const JS_REGEX: RegexEngine = { name: 'js', compile: (source, flags) => new RegExp(source, flags) };

/** What compiling or validating a rule set may be told. */
export interface CompileOptions {
  /** The engine patterns run on; JavaScript's RegExp when absent. */
  regex?: RegexEngine;
  /**
   * false compiles the set without its stage prefilters, so that every rule runs on every block:
   * the results are the same, only slower (the tests compare both).
   */
  prefilter?: boolean;
  /**
   * Readings of patterns worked out before (prefilter/literals.ts requiredRead), by pattern source
   * and case: required literals and their lead; undefined for a source it does not know, which
   * is then read. The build works them out for the packaged sets (src/rulesets/prechecked.ts),
   * sparing every start that work (with the inline patterns' leads, about 10 ms of a CLI run).
   */
  knownLiterals?: (source: string, caseSensitive: boolean) => RequiredRead | null | undefined;
}

/** What a rule kind is given when it compiles or checks a rule: every option, resolved. */
export interface KindOptions {
  readonly regex: RegexEngine;
  readonly knownLiterals?: CompileOptions['knownLiterals'];
  /** false: no rule skips work by its literals (CompileOptions.prefilter). */
  readonly prefilter: boolean;
}

export function kindOptions(options: CompileOptions = {}): KindOptions {
  return { regex: options.regex ?? JS_REGEX, knownLiterals: options.knownLiterals, prefilter: options.prefilter !== false };
}
