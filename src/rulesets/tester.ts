/**
 * The rule tester: a rule's examples are its spec, as in ESLint's RuleTester. Each rule runs
 * alone (a one-rule set), so an example proves what that rule does, not what its neighbours
 * happen to catch:
 * - a `remove` example loses something to the rule (a block-stage rule, a whole block), or each
 *   listed substring lies inside the rule's spans;
 * - a `keep` example loses nothing to it, or keeps each listed substring;
 * - the result keeps the contract (src/engine/contract.ts) either way.
 * The test suite runs it over the shipped sets, and every save runs it over the saved set's own
 * rules, so a set whose examples fail is never stored.
 */
import {
  cleanHtml,
  cleanText,
  compileRuleSet,
  type CleanResult,
  type CompileOptions,
  type RuleDefBase,
  type RuleSetDef,
  type ValidationIssue,
} from '../engine';
import { contractViolation, htmlContractViolation } from '../engine/contract';
import { isHtmlRule } from '../engine/kinds/selector';
import { segment } from '../engine/segment';

/** One example of a rule, ready to run. */
export interface ExampleCase {
  /** Where the example sits in the rule: `examples/remove/0`. */
  field: string;
  expect: 'remove' | 'keep';
  text: string;
  /** Runs the rule on the example: answers what went wrong, or null. */
  run(): string | null;
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
/** Messages quote this much of a text: enough to find it in the file. */
const EXCERPT_CHARS = 60;

export function excerpt(text: string): string {
  const c = collapse(text);
  return JSON.stringify(c.length > EXCERPT_CHARS ? `${c.slice(0, EXCERPT_CHARS)}…` : c);
}

/**
 * Cleans `input` with `rule` alone (a rule as the engine runs it: its model filled in); rules that
 * only judge HTML (selectors, the HTML scorer) have pages as examples.
 */
function runAlone(rule: RuleDefBase, input: string, options: CompileOptions): { result: CleanResult; blockStage: boolean; violation: string | null } {
  const compiled = compileRuleSet({ id: `(tester)--${rule.id}`, version: 1, rules: [{ ...rule, enabled: true }] }, undefined, options);
  if (isHtmlRule(rule)) {
    const result = cleanHtml(input, compiled);
    return { result, blockStage: true, violation: htmlContractViolation(input, result) };
  }
  const result = cleanText(input, compiled);
  return { result, blockStage: compiled.rules[0].stage !== 'inline', violation: contractViolation(input, result) };
}

/**
 * True when some occurrence of `needle` has every non-space character inside spans of `rule`
 * (spaces between two spans of one removal belong to no span, by the contract's trimming).
 */
function insideSpansOf(input: string, result: CleanResult, rule: string, needle: string): boolean {
  const covered = new Uint8Array(input.length);
  for (const r of result.removed) if (r.rule === rule) covered.fill(1, r.start, r.end);
  for (let at = input.indexOf(needle); at >= 0; at = input.indexOf(needle, at + 1)) {
    let all = true;
    for (let i = at; i < at + needle.length && all; i++) if (!covered[i] && !/\s/.test(input[i])) all = false;
    if (all) return true;
  }
  return false;
}

/** Blocks of the example that the rule removed entirely. */
function wholeBlocksRemoved(input: string, result: CleanResult, rule: string): number {
  const kept = collapse(result.text);
  return segment(input).filter((b) => {
    const spans = result.removed.filter((r) => r.rule === rule && r.start < b.end && r.end > b.start);
    return spans.length > 0 && spans[0].start <= b.start && spans[spans.length - 1].end >= b.end && !kept.includes(collapse(b.text));
  }).length;
}

function checkRemove(rule: RuleDefBase, example: RuleDefBase['examples']['remove'][number], options: CompileOptions): string | null {
  const input = typeof example === 'string' ? example : example.text;
  const { result, blockStage, violation } = runAlone(rule, input, options);
  if (violation) return `breaks the result contract: ${violation}`;
  const mine = result.removed.filter((r) => r.rule === rule.id);
  if (mine.length === 0) return 'the rule removes nothing from this example';
  if (mine.some((r) => !r.reason.trim())) return 'a removal has an empty reason';
  if (typeof example === 'string') {
    // A block rule's promise is whole blocks; inline rules and HTML rules remove what they match.
    if (blockStage && !isHtmlRule(rule) && wholeBlocksRemoved(input, result, rule.id) === 0) {
      return 'the rule removes no whole block of this example';
    }
    return null;
  }
  const missed = (example.removed ?? []).filter((s) => !insideSpansOf(input, result, rule.id, s));
  return missed.length ? `the rule does not remove ${missed.map(excerpt).join(', ')}` : null;
}

function checkKeep(rule: RuleDefBase, example: RuleDefBase['examples']['keep'][number], options: CompileOptions): string | null {
  const input = typeof example === 'string' ? example : example.text;
  const { result, violation } = runAlone(rule, input, options);
  if (violation) return `breaks the result contract: ${violation}`;
  if (typeof example === 'string') {
    return result.removed.length ? `the rule removes ${result.removed.map((r) => excerpt(r.text)).join(', ')}` : null;
  }
  const out = collapse(result.text);
  const lost = (example.kept ?? []).filter((s) => !out.includes(collapse(s)));
  return lost.length ? `the rule removes ${lost.map(excerpt).join(', ')}` : null;
}

/** The examples of a rule as cases to run; `options.regex` is the engine its patterns run on (as for compileRuleSet). */
export function exampleCases(rule: RuleDefBase, options: CompileOptions = {}): ExampleCase[] {
  return [
    ...rule.examples.remove.map((example, i) => ({
      field: `examples/remove/${i}`,
      expect: 'remove' as const,
      text: typeof example === 'string' ? example : example.text,
      run: () => checkRemove(rule, example, options),
    })),
    ...rule.examples.keep.map((example, i) => ({
      field: `examples/keep/${i}`,
      expect: 'keep' as const,
      text: typeof example === 'string' ? example : example.text,
      run: () => checkKeep(rule, example, options),
    })),
  ];
}

/** Every failing example of one rule, as issues naming the rule and the example. */
export function testRule(rule: RuleDefBase, options: CompileOptions = {}): ValidationIssue[] {
  return exampleCases(rule, options).flatMap((c) => {
    let message: string | null;
    try {
      message = c.run();
    } catch (e) {
      message = `the rule fails on this example: ${(e as Error).message}`;
    }
    return message ? [{ rule: rule.id, field: c.field, message: `${message} (${c.expect} example ${excerpt(c.text)})` }] : [];
  });
}

/**
 * The failing examples of a set's own enabled and disabled rules (inherited ones were tested
 * when their set was saved). `def` is the set as the engine runs it: models filled in.
 */
export function testRuleSet(def: RuleSetDef, options: CompileOptions = {}): ValidationIssue[] {
  return def.rules.flatMap((rule) => testRule(rule, options));
}
