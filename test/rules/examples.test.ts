/**
 * Every example of every rule of every shipped rule set is a test, run by the rule tester
 * (src/rulesets/tester.ts) that also guards every save: each rule alone, its remove examples
 * removed, its keep examples kept, the result contract held.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RuleSetDef } from '../../src/engine';
import { readRuleSetFile } from '../../src/rulesets/load';
import { exampleCases, excerpt } from '../../src/rulesets/tester';
import { REPO_ROOT } from '../paths';

const RULES_DIR = join(REPO_ROOT, 'rules');

const files = readdirSync(RULES_DIR).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.startsWith('.')).sort();
const sets: RuleSetDef[] = files.map((f) => readRuleSetFile(join(RULES_DIR, f)));

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

        for (const example of exampleCases(rule)) {
          test(`${set.id}/${rule.id} ${example.expect === 'remove' ? 'removes' : 'keeps'} ${excerpt(example.text)}`, () => {
            expect(example.run()).toBeNull();
          });
        }
      });
    }
  });
}
