/**
 * User-written patterns: refused, or run on RE2; never a hang. One suite, run on whichever RE2 the
 * process picks (safe-regex.test.ts: the native addon when installed) and on re2js with the native
 * addon hidden (safe-regex-re2js.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { cleanText, compileRuleSet, JS_REGEX, RuleSetError } from '../../src/engine';
import { patternSource } from '../../src/engine/kinds/pattern';
import { resolveRuleSet } from '../../src/cli/rulesets';
import {
  checkPattern,
  isReviewed,
  loadRE2,
  re2Regex,
  RuleSetTooCostly,
  SAFE_REGEX,
  safeRegex,
  toRE2Source,
  unsafePatternIssues,
} from '../../src/rulesets/safe-regex';
import { RuleSetRegistry } from '../../src/rulesets/registry';
import { makeRulesDir, REPO } from '../server/helpers';

/** Known catastrophic patterns with an input that makes a backtracking engine take for ever. */
const CATASTROPHIC: [string, string][] = [
  ['^(a+)+$', `${'a'.repeat(40)}!`],
  ['(x+x+)+y', 'x'.repeat(40)],
  ['(\\w|\\d)+$', `${'1'.repeat(40)}!`],
  ['^(\\s*,?\\s*)+$', `${' ,'.repeat(30)}x`],
  ['(?<=\\s)(\\w+\\s?)+$', ` ${'ab '.repeat(30)}!`], // lookbehind: RE2 cannot, the checker must refuse
  ['(a|aa)+\\1$', `${'a'.repeat(40)}!`], // backreference
];

const rule = (pattern: string, id = 'user-rule') => ({
  id,
  category: 'boilerplate',
  description: 'A user-written pattern.',
  kind: 'pattern',
  scope: 'inline',
  pattern,
  examples: { remove: [], keep: [] },
});

export function describeSafeRegex(): void {
  describe('RE2', () => {
    it('matches what JavaScript matches: \\s includes no-break spaces, . stops at \\r and U+2028', () => {
      const cases: [string, string, string][] = [
        ['^\\s+$', '\u00a0\u2003', 'iu'],
        ['^\\S+$', 'ab\u00a0', 'iu'],
        ['^a.b$', 'a\rb', 'iu'],
        ['^a.b$', 'a\u2028b', 'iu'],
        ['^[\\s,]+$', ' ,\u00a0', 'iu'],
        ['^photo: .*$', 'Photo: AP', 'iu'],
        ['^a.b$', 'a\nb', 'ius'],
      ];
      for (const [p, s, f] of cases) expect([p, s, re2Regex(p, f)!.test(s)]).toEqual([p, s, new RegExp(p, f).test(s)]);
      expect(toRE2Source('[^\\S]', 'iu')).toBeUndefined(); // no faithful rewrite: left to JavaScript
    });
  });

  describe('catastrophic patterns', () => {
    it.each(CATASTROPHIC)('%s is refused or runs on RE2, never hanging', (pattern, input) => {
      const verdict = checkPattern(pattern);
      if (verdict.ok) {
        expect(verdict.engine).toBe('re2');
        const re = safeRegex(pattern, 'giu');
        expect(re).toBeInstanceOf(loadRE2());
        re.test(input.repeat(1000)); // linear: returns at once whatever the answer
      } else {
        expect(verdict.message).toMatch(/backtrack|complex/);
      }
    });

    it('refuses them in a set with the rule and field named', () => {
      const issues = unsafePatternIssues({ id: 'x', version: 1, rules: [rule('(?<=\\s)(\\w+\\s?)+$', 'bad'), rule('photo: \\w+', 'fine')] as never });
      expect(issues).toEqual([expect.objectContaining({ rule: 'bad', field: 'pattern' })]);
    });

    it('an inline set with one is refused by the registry (422 in HTTP); an RE2 one cleans a hostile input', () => {
      const rules = makeRulesDir();
      try {
        const registry = RuleSetRegistry.fromDir(rules.dir);
        expect(() => registry.compileInline({ id: 'x', version: 1, extends: 'default', rules: [rule('(?<=\\s)(\\w+\\s?)+$')] })).toThrow(RuleSetError);
        const set = registry.compileInline({ id: 'x', version: 1, extends: 'default', rules: [rule('^(a+)+$')] });
        const result = cleanText(`Story.\n\n${'a'.repeat(5000)}!`, set, {});
        expect(result.text).toContain('Story.');
      } finally {
        rules.cleanup();
      }
    });

    it('accepts lookbehind the checker can prove safe, and patterns of the packaged rules as reviewed', () => {
      expect(checkPattern('(?<![a-z])foo')).toEqual({ ok: true, engine: 'js' });
      const packaged = YAML.parse(readFileSync(join(REPO, 'rules', 'default.yaml'), 'utf8')) as { rules: { pattern?: string | string[] }[] };
      // A pattern written as a list is reviewed as the regex it compiles to.
      expect(packaged.rules.some((r) => Array.isArray(r.pattern) && !re2Regex(patternSource(r.pattern), 'iu'))).toBe(true);
      const lookbehind = packaged.rules.flatMap((r) => (r.pattern === undefined ? [] : [patternSource(r.pattern)])).filter((p) => !re2Regex(p, 'iu'));
      expect(lookbehind.length).toBeGreaterThan(0);
      for (const p of lookbehind) {
        expect(isReviewed(p)).toBe(true);
        expect(checkPattern(p)).toEqual({ ok: true, engine: 'js' });
        expect(safeRegex(p, 'iu')).toBeInstanceOf(RegExp);
      }
      expect(isReviewed('no such pattern in the packaged rules')).toBe(false);
    });

    it('enforces the set budget before each check: more than 64 lookbehind patterns, or a spent budget, refuse the set as too costly', () => {
      const many = Array.from({ length: 600 }, (_, i) => rule(`(?<=x${i})y${i}`, `r${i}`));
      expect(() => unsafePatternIssues({ id: 'x', version: 1, rules: many as never })).toThrow(RuleSetTooCostly);
      expect(() => unsafePatternIssues({ id: 'x', version: 1, rules: many.slice(0, 3) as never }, 0)).toThrow(/took more than 0 ms/);
      // Patterns RE2 runs need no checker, so any number of them costs no budget.
      expect(unsafePatternIssues({ id: 'x', version: 1, rules: Array.from({ length: 200 }, (_, i) => rule(`a${i}b`, `r${i}`)) as never }, 0)).toEqual([]);
    });

    it('checks a pattern written as a list as the regex it compiles to', () => {
      const rule = { id: 'r', category: 'ad', description: 'd', kind: 'pattern', scope: 'inline', examples: { remove: [], keep: [] } };
      const issues = unsafePatternIssues({ id: 'x', version: 1, rules: [{ ...rule, pattern: ['fine', '(?<=a)(b+)+c'] }] });
      expect(issues).toEqual([expect.objectContaining({ rule: 'r', field: 'pattern' })]);
    });
  });

  describe('who runs user patterns on RE2', () => {
    it('the registry and the CLI choose SAFE_REGEX; importing them changes nothing for the library', () => {
      const rules = makeRulesDir();
      try {
        const registry = RuleSetRegistry.fromDir(rules.dir);
        expect(registry.get('default')!.regex).toBe(SAFE_REGEX);
        expect(registry.compileInline({ id: 'x', version: 1, rules: [rule('photo: \\w+')] }).regex).toBe(SAFE_REGEX);
        expect(resolveRuleSet(join(REPO, 'rules', 'default.yaml')).regex).toBe(SAFE_REGEX);
        expect(compileRuleSet({ id: 'x', version: 1, rules: [rule('photo: \\w+')] as never }).regex).toBe(JS_REGEX);
      } finally {
        rules.cleanup();
      }
    });
  });
}
