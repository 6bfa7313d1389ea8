/**
 * The worker threads compile a set again from its definition: on the engine it was compiled with
 * in the main thread, found by name (needs `npm run build`: the pool runs dist/batch/worker.js).
 */
import { CleaningPool } from '../../src/batch/pool';
import { compileRuleSet, JS_REGEX, type RegexEngine, type RuleSetDef } from '../../src/engine';
import { SAFE_REGEX } from '../../src/rulesets/safe-regex';

// `\z` is a literal z to JavaScript without the u flag, and the end of the text to RE2: the block
// "The end" goes only when the pattern ran on RE2.
const def: RuleSetDef = {
  id: 't',
  version: 1,
  rules: [
    {
      id: 'end',
      category: 'boilerplate',
      description: 'Ends with "end".',
      kind: 'pattern',
      scope: 'block',
      pattern: 'end\\z',
      flags: 'i',
      examples: { remove: [], keep: [] },
    },
  ],
};

let pool: CleaningPool;
beforeAll(() => {
  pool = new CleaningPool({ threads: 1, docTimeoutMs: 10_000 });
});
afterAll(() => pool.destroy());

async function removedWith(regex: RegexEngine): Promise<string[]> {
  const outcome = await pool.clean({ id: 1, text: 'Story.\n\nThe end', ruleset: compileRuleSet(def, undefined, { regex }) });
  if (!outcome.ok) throw new Error(outcome.detail);
  return (JSON.parse(outcome.line) as { removed: { text: string }[] }).removed.map((r) => r.text);
}

test('a set compiled on SAFE_REGEX runs on RE2 in the workers, one compiled on JS_REGEX on JavaScript', async () => {
  expect(await removedWith(SAFE_REGEX)).toEqual(['The end']);
  expect(await removedWith(JS_REGEX)).toEqual([]);
});

test('an engine the workers do not know fails the document rather than running on another', async () => {
  const elsewhere: RegexEngine = { name: 'elsewhere', compile: (s, f) => new RegExp(s, f) };
  await expect(removedWith(elsewhere)).rejects.toThrow(/unknown regex engine "elsewhere"/);
});
