/** The regex engine is an option of compiling a set: no global, each set keeps the one it was compiled with. */
import { cleanText, compileRuleSet, JS_REGEX, validateRuleSet, RuleSetError, type RegexEngine, type RuleSetDef } from '../../src/engine';

const ex = { remove: [], keep: [] };
const def: RuleSetDef = {
  id: 't',
  version: 1,
  rules: [{ id: 'ad', category: 'ad', description: 'Ad marker.', kind: 'pattern', scope: 'block', pattern: '^advertisement$', examples: ex }],
};

/** An engine that records what it was asked to compile and compiles nothing. */
function recording(): RegexEngine & { asked: string[] } {
  const asked: string[] = [];
  return { name: 'recording', asked, compile: (source, flags) => (asked.push(`${source}/${flags}`), /(?!)/) };
}

test("without the option, patterns run on JavaScript's RegExp and the set says so", () => {
  const set = compileRuleSet(def);
  expect(set.regex).toBe(JS_REGEX);
  expect(cleanText('Story.\n\nAdvertisement\n\nMore story.', set).removed.map((r) => r.text)).toEqual(['Advertisement']);
});

test('the engine given compiles the patterns of that set only', () => {
  const engine = recording();
  const mine = compileRuleSet(def, undefined, { regex: engine });
  const other = compileRuleSet(def);
  expect(mine.regex).toBe(engine);
  expect(engine.asked).toEqual(['^advertisement$/iu']);
  expect(cleanText('Advertisement', mine).removed).toEqual([]);
  expect(cleanText('Advertisement', other).removed).toHaveLength(1);
});

test('validation checks patterns on the engine given', () => {
  const refusing: RegexEngine = {
    name: 'refusing',
    compile: () => {
      throw new Error('not on this engine');
    },
  };
  expect(() => validateRuleSet(def)).not.toThrow();
  expect(() => validateRuleSet(def, 'x', { regex: refusing })).toThrow(RuleSetError);
  expect(() => validateRuleSet(def, 'x', { regex: refusing })).toThrow(/not on this engine/);
});
