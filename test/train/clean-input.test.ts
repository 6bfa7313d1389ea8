/**
 * The clean-input measure (train/clean-input.ts): a body's loss split into what the explicit rules
 * named (furniture the body holds) and what the rules that weigh the page judged (damage).
 */
import { resolve } from 'node:path';
import { compileRuleSet } from '../../src/engine';
import { readRuleSetFile } from '../../src/rulesets/load';
import { cleanInputDamage, damageDetail } from '../../src/train/clean-input';

const ruleset = compileRuleSet(readRuleSetFile(resolve(__dirname, '../../rules/default.yaml')));
const PROSE = [
  'The city council voted on Tuesday to close the old harbour bridge for repairs after engineers found cracks in two of its pillars.',
  'Council members said the repairs would take at least eighteen months and cost about twelve million euros from the regional fund.',
  'Ferries will carry commuters across the river in the meantime, and the council promised extra sailings in the morning rush.',
];
const nonSpace = (s: string) => s.replace(/\s+/g, '').length;

test('a copyright line the body holds is named loss, not judged', () => {
  const copyright = '© 2024 Example Media Ltd. All rights reserved.';
  const gold = [...PROSE, copyright].join('\n\n');
  const d = damageDetail(gold, ruleset);
  expect(d.judged).toBe(0);
  expect(d.named).toBeCloseTo(nonSpace(copyright) / nonSpace(gold), 6);
  expect(Object.keys(d.byRule)).toEqual(['copyright-line']);
  expect(d.lost).toBeCloseTo(d.named, 6);
});

test('a body that comes back whole loses nothing, and the report counts judged loss apart', () => {
  const gold = ['Harbour bridge to close for repairs', ...PROSE].join('\n\n');
  expect(damageDetail(gold, ruleset)).toEqual({ lost: 0, named: 0, judged: 0, byRule: {} });
  const copyright = ['Short note', '© 2024 Example Media Ltd. All rights reserved.'].join('\n\n');
  const r = cleanInputDamage(
    [
      { id: 'a', text: '', gold },
      { id: 'b', text: '', gold: copyright },
      { id: 'c', text: '', gold: '' },
    ],
    ruleset,
  );
  expect(r.docs).toBe(2);
  expect(r.over).toBe(1);
  expect(r.worst).toBe('b');
  expect(r.judgedOver).toBe(0);
  expect(r.judgedMean).toBe(0);
});
