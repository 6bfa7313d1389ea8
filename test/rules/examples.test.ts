/**
 * The rule tester: every example of every rule of every shipped rule set is a test. Each rule
 * runs alone (a one-rule set), so an example proves what that rule does, not what its
 * neighbours happen to catch. Like ESLint's RuleTester, the examples are the rule's spec.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cleanHtml, cleanText, compileRuleSet, type CleanResult, type RuleDefBase, type RuleSetDef } from '../../src/engine';
import { isHtmlRule } from '../../src/engine/kinds/selector';
import { htmlContractViolation } from '../engine/html/contract';
import { segment } from '../../src/engine/segment';
import { readRuleSetFile } from '../../src/rulesets/load';
import { contractViolation } from '../helpers';
import { REPO_ROOT } from '../paths';

const RULES_DIR = join(REPO_ROOT, 'rules');
const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
/** Test names show this much of the example: enough to find it in the file. */
const EXCERPT_CHARS = 50;

function excerpt(text: string): string {
  const c = collapse(text);
  return JSON.stringify(c.length > EXCERPT_CHARS ? `${c.slice(0, EXCERPT_CHARS)}…` : c);
}

const files = readdirSync(RULES_DIR).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.startsWith('.')).sort();
const sets: RuleSetDef[] = files.map((f) => readRuleSetFile(join(RULES_DIR, f)));

/**
 * Cleans `input` with `rule` alone; `blockStage` tells whether the rule judges whole blocks.
 * Rules that only judge HTML (selectors, the HTML scorer) have pages as examples.
 */
function runAlone(set: RuleSetDef, rule: RuleDefBase, input: string): { result: CleanResult; blockStage: boolean; html: boolean } {
  const compiled = compileRuleSet({ id: `${set.id}--${rule.id}`, version: 1, rules: [{ ...rule, enabled: true }] });
  if (isHtmlRule(rule)) return { result: cleanHtml(input, compiled), blockStage: true, html: true };
  return { result: cleanText(input, compiled), blockStage: compiled.rules[0].stage !== 'inline', html: false };
}

function violation(input: string, result: CleanResult, html: boolean): string | null {
  return html ? htmlContractViolation(input, result as ReturnType<typeof cleanHtml>) : contractViolation(input, result);
}

const text = (e: string | { text: string }) => (typeof e === 'string' ? e : e.text);

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

test('there is at least one rule set and the default set is among them', () => {
  expect(sets.map((s) => s.id)).toContain('default');
});

for (const set of sets) {
  describe(set.id, () => {
    test('rule ids are unique', () => {
      const ids = set.rules.map((r) => r.id);
      expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    });

    test('every block-scope pattern has a maxChars bound, so a long paragraph is never judged by it', () => {
      const unbounded = set.rules.filter((r) => r.kind === 'pattern' && r.scope === 'block' && typeof r.maxChars !== 'number');
      expect(unbounded.map((r) => r.id)).toEqual([]);
    });

    for (const rule of set.rules) {
      describe(rule.id, () => {
        test(`${set.id}/${rule.id} has a description and at least one remove and one keep example`, () => {
          expect(rule.description.trim().length).toBeGreaterThan(10);
          expect(rule.examples.remove.length).toBeGreaterThanOrEqual(1);
          expect(rule.examples.keep.length).toBeGreaterThanOrEqual(1);
        });

        for (const example of rule.examples.remove) {
          test(`${set.id}/${rule.id} removes ${excerpt(text(example))}`, () => {
            const input = text(example);
            const { result, blockStage, html } = runAlone(set, rule, input);
            expect(violation(input, result, html)).toBeNull();
            const mine = result.removed.filter((r) => r.rule === rule.id);
            expect(mine.length).toBeGreaterThan(0);
            for (const r of mine) expect(r.reason.trim()).not.toBe('');
            if (typeof example === 'string') {
              if (blockStage && !html) expect(wholeBlocksRemoved(input, result, rule.id)).toBeGreaterThan(0);
            } else {
              const missed = (example.removed ?? []).filter((s) => !insideSpansOf(input, result, rule.id, s));
              expect(missed).toEqual([]);
            }
          });
        }

        for (const example of rule.examples.keep) {
          test(`${set.id}/${rule.id} keeps ${excerpt(text(example))}`, () => {
            const input = text(example);
            const { result, html } = runAlone(set, rule, input);
            expect(violation(input, result, html)).toBeNull();
            if (typeof example === 'string') {
              expect(result.removed.map((r) => r.text)).toEqual([]);
            } else {
              const out = collapse(result.text);
              const lost = (example.kept ?? []).filter((s) => !out.includes(collapse(s)));
              expect(lost).toEqual([]);
            }
          });
        }
      });
    }
  });
}
