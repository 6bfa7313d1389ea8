/**
 * Patterns written by users (rule sets saved through the API, inline sets) must not be able to
 * hang the service. A pattern is accepted when
 * - RE2 compiles it: RE2 matches in linear time, and a set compiled with `SAFE_REGEX` runs it
 *   with RE2 (the native addon when installed, else re2js: see `loadRE2`); or
 * - RE2 cannot (lookbehind, lookahead, backreferences) and a ReDoS checker finds no input that
 *   makes a backtracking engine blow up; it then runs as a JavaScript RegExp.
 * Anything else is refused, naming the rule and field. The per-document time budget of the worker
 * pool stays the last guard for what the checker misses.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RedosDetectorResult } from 'redos-detector';
import type { RegexEngine, RuleSetDef, ValidationIssue } from '../engine';
import { patternSource } from '../engine/kinds/pattern';
import { PACKAGED_RULES_DIR } from './load';
import { prechecked } from './prechecked';
import { yaml } from './yaml-parser';

type RE2Constructor = new (source: string, flags?: string) => RegExp;

let re2: { implementation: 'native' | 're2js'; RE2: RE2Constructor } | undefined;

/**
 * The RE2 constructor: the native addon when the user installed it (`npm install re2`, compiled
 * from C++ at install time), otherwise re2js, a pure JavaScript port: both match in linear time,
 * the native one faster, so a default install compiles nothing and loses no safety.
 */
export function loadRE2(): RE2Constructor {
  return (re2 ??= pickRE2()).RE2;
}

/** Which RE2 runs user patterns in this process. */
export function re2Implementation(): 'native' | 're2js' {
  return (re2 ??= pickRE2()).implementation;
}

function pickRE2(): NonNullable<typeof re2> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return { implementation: 'native', RE2: require('re2') as RE2Constructor };
  } catch {
    // Loaded here, not at the top: the packaged sets' patterns are reviewed and run on JavaScript's
    // engine, so `declutter clean` with them never needs re2js.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { LinearRegExp } = require('./re2js-regex') as typeof import('./re2js-regex');
    return { implementation: 're2js', RE2: LinearRegExp as unknown as RE2Constructor };
  }
}

/** Flags as the pattern kind uses them: case-insensitive and Unicode unless the rule says otherwise. */
export const DEFAULT_PATTERN_FLAGS = 'iu';

/** What JavaScript's \s matches; RE2's \s is ASCII only, and scraped text is full of no-break spaces. */
const JS_SPACE = '\\t\\n\\v\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}';
/** What JavaScript's `.` refuses without the s flag; RE2's `.` refuses only \n. */
const JS_LINE_END = '\\n\\r\\x{2028}\\x{2029}';

/**
 * The pattern rewritten so that RE2 matches what JavaScript would: `\s`, `\S` and `.` spelled
 * out as JavaScript defines them. Undefined when a construct has no faithful rewrite (`\S`
 * inside a class); the pattern then stays with the JavaScript engine.
 */
export function toRE2Source(source: string, flags: string): string | undefined {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const n = source[i + 1];
      i++;
      if (n === 's') out += inClass ? JS_SPACE : `[${JS_SPACE}]`;
      else if (n === 'S') {
        if (inClass) return undefined;
        out += `[^${JS_SPACE}]`;
      } else out += c + (n ?? '');
    } else if (c === '[' && !inClass) {
      inClass = true;
      out += c;
      // A ] right after [ or [^ is a literal in neither engine the same way: leave it to JavaScript.
      if (source[i + 1] === ']' || (source[i + 1] === '^' && source[i + 2] === ']')) return undefined;
    } else if (c === ']' && inClass) {
      inClass = false;
      out += c;
    } else if (c === '.' && !inClass && !flags.includes('s')) {
      out += `[^${JS_LINE_END}]`;
    } else out += c;
  }
  return out;
}

/** An RE2 regex matching as the JavaScript one would, or undefined when RE2 cannot express it. */
export function re2Regex(source: string, flags: string): RegExp | undefined {
  const translated = toRE2Source(source, flags);
  if (translated === undefined) return undefined;
  try {
    return new (loadRE2())(translated, flags);
  } catch {
    return undefined;
  }
}

/**
 * How the service and the CLI run patterns: RE2 wherever it can express the pattern, JavaScript's
 * engine for the rest (lookaround, backreferences), which only sets that passed the ReDoS check
 * (API and inline) or were reviewed (the packaged files) contain.
 */
export function safeRegex(source: string, flags: string): RegExp {
  if (isReviewed(source)) return new RegExp(source, flags);
  return re2Regex(source, flags) ?? new RegExp(source, flags);
}

let reviewed: Set<string> | undefined;

/**
 * Patterns of the rule files shipped with the package: reviewed code, whose examples the test
 * suite runs. They keep JavaScript's engine (on RE2 the default set cleans 1.3-1.7x slower: bench/re2-cost.js),
 * in the packaged sets and wherever a user's set inherits or copies them.
 */
export function isReviewed(source: string): boolean {
  if (!reviewed) {
    reviewed = new Set();
    try {
      for (const name of readdirSync(PACKAGED_RULES_DIR)) {
        if (!/\.ya?ml$/.test(name)) continue;
        const text = readFileSync(join(PACKAGED_RULES_DIR, name), 'utf8');
        const data = (prechecked('set:yaml', text, 'js') ?? yaml().parse(text)) as { rules?: { pattern?: unknown }[] };
        for (const r of data?.rules ?? []) if (isPattern(r?.pattern)) reviewed.add(patternSource(r.pattern));
      }
    } catch {
      // no packaged rules readable: every pattern counts as user-written, which is only slower
    }
  }
  return reviewed.has(source);
}

/**
 * The engine for rule sets that come from users, passed to `compileRuleSet` and `validateRuleSet`
 * by the registry, the CLI and the batch workers (which find it by its name).
 */
export const SAFE_REGEX: RegexEngine = { name: 'safe', compile: safeRegex };

/**
 * How long the ReDoS checker may explore one pattern before it answers "unsafe": 1 s bounds what
 * one PUT can cost per pattern, and the patterns rules are made of (a few hundred characters at
 * most) are decided in milliseconds.
 */
const CHECK_TIMEOUT_MS = 1000;

export type PatternVerdict = { ok: true; engine: 're2' | 'js' } | { ok: false; message: string };

export function checkPattern(source: string, flags = DEFAULT_PATTERN_FLAGS, budgetMs = CHECK_TIMEOUT_MS): PatternVerdict {
  if (isReviewed(source)) return { ok: true, engine: 'js' };
  if (re2Regex(source, flags)) return { ok: true, engine: 're2' };
  return checkForBacktracking(source, flags, budgetMs);
}

/** The verdict for a pattern RE2 cannot run, remembered when it is final. */
function checkForBacktracking(source: string, flags: string, budgetMs: number): PatternVerdict {
  const key = `${flags}\u0000${source}`;
  const known = verdicts.get(key);
  if (known) return known;
  const verdict = checkBacktracking(source, flags, Math.max(1, budgetMs));
  // Only a finished verdict is worth keeping: one cut short by the set's budget may pass alone.
  if (verdict.ok || budgetMs >= CHECK_TIMEOUT_MS) remember(key, verdict);
  return verdict;
}

/**
 * Verdicts kept, so that the dashboard sending the same inline set again and again pays for the
 * checker once; 1000 patterns are a few hundred KB at most.
 */
const MAX_VERDICTS = 1000;
const verdicts = new Map<string, PatternVerdict>();
function remember(key: string, verdict: PatternVerdict): void {
  verdicts.set(key, verdict);
  if (verdicts.size > MAX_VERDICTS) verdicts.delete(verdicts.keys().next().value!);
}

function checkBacktracking(source: string, flags: string, budgetMs: number): PatternVerdict {
  // Only patterns RE2 cannot run come here, and the packaged sets' never do: loaded on first use.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { isSafePattern } = require('redos-detector') as typeof import('redos-detector');
  try {
    new RegExp(source, flags);
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  const unicode = flags.includes('u');
  // The checker cannot combine case folding with Unicode mode: check the Unicode reading as
  // written, and the case-folded reading without Unicode whenever the pattern parses that way
  // (only \p{..} and \u{..} escapes need Unicode mode, and they do not change how letters fold).
  const readings: { unicode: boolean; caseInsensitive: boolean }[] = [{ unicode, caseInsensitive: flags.includes('i') && !unicode }];
  if (unicode && flags.includes('i') && parsesWithout(source, flags)) readings.push({ unicode: false, caseInsensitive: true });
  for (const reading of readings) {
    let verdict: RedosDetectorResult;
    try {
      // Multi-line: the pattern kind scans inline patterns line by line with the m flag.
      verdict = isSafePattern(source, { ...reading, multiLine: true, dotAll: flags.includes('s'), timeout: budgetMs });
    } catch (e) {
      return {
        ok: false,
        message: `could not be checked for catastrophic backtracking (${(e as Error).message}); rewrite it without lookaround or backreferences so that it runs on RE2`,
      };
    }
    if (verdict.safe) continue;
    const why =
      verdict.error === 'hitMaxSteps' || verdict.error === 'timedOut'
        ? 'is too complex to prove free of catastrophic backtracking'
        : 'can backtrack catastrophically (some text can be matched in many ways under a repetition)';
    const where = verdict.trails[0]?.trail[0]?.a.node.source;
    return {
      ok: false,
      message: `${why}${where ? ` around "${where}"` : ''}; RE2 cannot run it instead (it uses lookaround or backreferences), so it is refused`,
    };
  }
  return { ok: true, engine: 'js' };
}

function parsesWithout(source: string, flags: string): boolean {
  try {
    new RegExp(source, flags.replace('u', ''));
    return true;
  } catch {
    return false;
  }
}

/**
 * All patterns of one set share 2 s of checker time, and at most 64 of them may need the checker
 * at all (those RE2 cannot run: lookaround, backreferences). The checker's own timeout is not a
 * bound on one call (each costs several milliseconds to set up, however small its timeout), so the
 * deadline is looked at before every call and nothing is started past it: a set of 600 lookbehind
 * patterns costs 2 s, not ten. The set is then refused as too costly (RuleSetTooCostly), not as
 * invalid: nothing in it is wrong, there is only too much of it. Sets are checked in the worker
 * pool, under the per-document time budget, so even this never holds the event loop.
 */
export const SET_CHECK_BUDGET_MS = 2000;
export const MAX_CHECKED_PATTERNS = 64;

/** A set whose patterns would take too long to check: answered as `ruleset-too-costly`. */
export class RuleSetTooCostly extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleSetTooCostly';
  }
}

/**
 * Issues for every pattern of the set's own rules (inherited ones were checked where they were
 * written). Throws RuleSetTooCostly when the set's checking would go past its budget.
 */
export function unsafePatternIssues(def: RuleSetDef, budgetMs = SET_CHECK_BUDGET_MS): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const deadline = Date.now() + budgetMs;
  let checked = 0;
  for (const rule of def.rules) {
    if (!isPattern(rule.pattern)) continue;
    const flags = typeof rule.flags === 'string' ? rule.flags : DEFAULT_PATTERN_FLAGS;
    const source = patternSource(rule.pattern);
    if (isReviewed(source) || re2Regex(source, flags)) continue;
    if (++checked > MAX_CHECKED_PATTERNS) {
      throw new RuleSetTooCostly(
        `more than ${MAX_CHECKED_PATTERNS} of its patterns need RE2-incompatible features (lookaround, backreferences), each checked for catastrophic backtracking; rewrite them for RE2 or split the set`,
      );
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new RuleSetTooCostly(`checking its patterns for catastrophic backtracking took more than ${budgetMs} ms (at rule "${rule.id}")`);
    const verdict = checkForBacktracking(source, flags, Math.min(CHECK_TIMEOUT_MS, left));
    if (!verdict.ok) issues.push({ rule: rule.id, field: 'pattern', message: verdict.message });
  }
  return issues;
}

/** A pattern as a rule may write it: one source, or a list of alternatives. */
function isPattern(p: unknown): p is string | string[] {
  return typeof p === 'string' || (Array.isArray(p) && p.every((x) => typeof x === 'string'));
}
