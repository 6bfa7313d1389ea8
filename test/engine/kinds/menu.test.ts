/** kind: menu — runs of short lines that share no vocabulary with the article. */
import { cleanText, compileRuleSet, validateRuleSet, RuleSetError } from '../../../src/engine';
import { contractViolation } from '../../helpers';

const ex = { remove: [], keep: [] };
const menuRule = (extra: Record<string, unknown> = {}) => ({
  id: 'menu',
  category: 'navigation',
  description: 'Site menu.',
  kind: 'menu',
  examples: ex,
  ...extra,
});
const setOf = (...rules: Record<string, unknown>[]) => compileRuleSet(validateRuleSet({ id: 't', version: 1, rules }));

const PROSE = [
  'The Steelers spent Monday trying to distance themselves from the fight that led to suspensions for Browns pass rusher Myles Garrett and Pittsburgh center Maurkice Pouncey.',
  'Browns defensive lineman Sheldon Richardson said quarterback Mason Rudolph should be disciplined by the league for his role in the fight with Garrett.',
].join('\n');

describe('menu kind', () => {
  test('a run of short off-topic lines goes, each with the rule and a reason naming the run', () => {
    const input = `Scores\nSchedule\nStandings\nPower Rankings\n${PROSE}`;
    const r = cleanText(input, setOf(menuRule()));
    expect(contractViolation(input, r)).toBeNull();
    expect(r.removed.map((s) => s.text)).toEqual(['Scores', 'Schedule', 'Standings', 'Power Rankings']);
    expect(r.removed[0].reason).toMatch(/4 short lines in a row/);
    expect(r.text).toBe(PROSE.replace('\n', '\n\n'));
  });

  test('a run shorter than minRun stays', () => {
    const input = `Scores\nSchedule\nStandings\n${PROSE}`;
    expect(cleanText(input, setOf(menuRule())).removed).toEqual([]);
    expect(cleanText(input, setOf(menuRule({ minRun: 3 }))).removed).toHaveLength(3);
  });

  test("a list that reuses the article's words stays", () => {
    const input = `${PROSE}\nMyles Garrett\nMaurkice Pouncey\nMason Rudolph\nSheldon Richardson`;
    expect(cleanText(input, setOf(menuRule())).removed).toEqual([]);
  });

  test('lines ending like sentences, lines with digits and long lines break a run', () => {
    for (const breaker of ['He left.', 'Meal 3', 'A much longer line that reads like a headline of a story']) {
      const input = `Scores\nSchedule\n${breaker}\nStandings\nPower Rankings\n${PROSE}`;
      expect(cleanText(input, setOf(menuRule())).removed).toEqual([]);
    }
  });

  test('lines already removed by another rule count towards the run but keep their own rule', () => {
    const phrase = { id: 'nav', category: 'navigation', description: 'Known menu item.', kind: 'phrase', phrases: ['Home', 'Search'], examples: ex };
    const input = `Home\nSearch\nStandings\nPower Rankings\n${PROSE}`;
    const r = cleanText(input, setOf(phrase, menuRule()));
    expect(r.removed.map((s) => [s.text, s.rule])).toEqual([
      ['Home', 'nav'],
      ['Search', 'nav'],
      ['Standings', 'menu'],
      ['Power Rankings', 'menu'],
    ]);
  });

  test('a post count after an archive or category link does not break the run', () => {
    const input = `Scores (12)\nSchedule (3)\nStandings (40)\nPower Rankings (7)\n${PROSE}`;
    expect(cleanText(input, setOf(menuRule())).removed).toHaveLength(4);
  });

  test('a line emptied by inline rules counts towards the run', () => {
    const attr = { id: 'attr', category: 'residue', description: 'Attribute.', kind: 'pattern', scope: 'inline', pattern: '<div>', examples: ex };
    const input = `<div>\n<div>\nStandings\nPower Rankings\n${PROSE}`;
    const r = cleanText(input, setOf(attr, menuRule()));
    expect(contractViolation(input, r)).toBeNull();
    expect(r.removed.map((s) => [s.text, s.rule])).toEqual([
      ['<div>', 'attr'],
      ['<div>', 'attr'],
      ['Standings', 'menu'],
      ['Power Rankings', 'menu'],
    ]);
  });

  test('a run of removed lines alone removes nothing more', () => {
    const phrase = {
      id: 'nav',
      category: 'navigation',
      description: 'Known menu item.',
      kind: 'phrase',
      phrases: ['Home', 'Search', 'Menu', 'Close'],
      examples: ex,
    };
    const r = cleanText(`Home\nSearch\nMenu\nClose\n${PROSE}`, setOf(phrase, menuRule()));
    expect(r.removed.every((s) => s.rule === 'nav')).toBe(true);
  });

  test('unknown fields are refused', () => {
    expect(() => validateRuleSet({ id: 't', version: 1, rules: [menuRule({ minRuns: 3 })] })).toThrow(RuleSetError);
  });
});
