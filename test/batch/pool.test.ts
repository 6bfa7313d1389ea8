/**
 * The pool's own lifecycle (needs `npm run build`: the pool runs dist/batch/worker.js). What
 * callers see of the pool through HTTP and the CLI is tested in server.test.ts and cli.test.ts.
 */
import { CleaningPool } from '../../src/batch/pool';
import { compileRuleSet, JS_REGEX, type RuleSetDef } from '../../src/engine';
import { requireBuild } from './server-helpers';

// A pattern that backtracks for ever on JavaScript's engine: a document with it always times out.
const backtracking: RuleSetDef = {
  id: 'slow',
  version: 1,
  rules: [
    {
      id: 'nested',
      category: 'boilerplate',
      description: 'Nested quantifiers.',
      kind: 'pattern',
      scope: 'block',
      pattern: '^(a+)+$',
      examples: { remove: [], keep: [] },
    },
  ],
};

beforeAll(requireBuild);

test('destroyed right after a time-out, the pool leaves no worker thread behind', async () => {
  const pool = new CleaningPool({ threads: 2, docTimeoutMs: 50 });
  const outcome = await pool.clean({ id: 1, text: `${'a'.repeat(40)}!`, ruleset: compileRuleSet(backtracking, undefined, { regex: JS_REGEX }) });
  expect(outcome).toMatchObject({ ok: false, reason: 'timeout' });
  // The worker stopped for the time-out exits only now, after destroy() returned: piscina used to
  // start fresh threads on that exit, which kept the process (and jest) alive.
  await pool.destroy();
  await new Promise((r) => setTimeout(r, 1000));
  expect(pool.stats().alive).toBe(0);
});
