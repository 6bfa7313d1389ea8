/**
 * The pool's own lifecycle (needs `npm run build`: the pool runs dist/batch/worker.js). What
 * callers see of the pool through HTTP and the CLI is tested in server.test.ts and cli.test.ts.
 */
import { CleaningPool } from '../../src/batch/pool';
import { compileRuleSet, JS_REGEX, type RuleSetDef } from '../../src/engine';
import { requireBuild } from './server-helpers';
import backtrackingSet from '../fixtures/backtracking-ruleset.json';

// A pattern that backtracks for ever on JavaScript's engine: a document with it always times out.
const backtracking = backtrackingSet as RuleSetDef;

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

test('a running document whose caller goes away finishes in its worker; past the budget, the worker is stopped', async () => {
  const pool = new CleaningPool({ threads: 1, docTimeoutMs: 3000 });
  try {
    const set = compileRuleSet(backtracking, undefined, { regex: JS_REGEX });
    await pool.clean({ id: 'warm', text: 'a', ruleset: set });
    // 4,000 one-letter lines (~0.1 s): handed to the worker, then given up before it is done.
    const gone = new AbortController();
    const slow = pool.clean({ id: 'slow', text: 'b\n'.repeat(4000), ruleset: set }, gone.signal);
    await eventually(() => pool.stats().running === 1);
    gone.abort();
    expect(await slow).toMatchObject({ ok: false, reason: 'cancelled' });
    await eventually(() => pool.stats().running === 0);
    // Stopping the worker would cost a fresh one's start and cold code; it finished instead.
    expect(pool.stats()).toMatchObject({ stopped: 0, cancelled: 1, completed: 1, timedOut: 0 });
    expect(await pool.clean({ id: 'after', text: 'c', ruleset: set })).toMatchObject({ ok: true });

    // A document that would run for ever is still cut short at the budget.
    const left = new AbortController();
    const endless = pool.clean({ id: 'endless', text: `${'a'.repeat(40)}!`, ruleset: set }, left.signal);
    await eventually(() => pool.stats().running === 1);
    left.abort();
    expect(await endless).toMatchObject({ ok: false, reason: 'cancelled' });
    await eventually(() => pool.stats().running === 0);
    expect(pool.stats()).toMatchObject({ stopped: 1, cancelled: 2, timedOut: 0 });
  } finally {
    await pool.destroy();
  }
});

async function eventually(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(ok()).toBe(true);
}

test('a page given up by its caller is transferred, not copied, and comes back for the retry when the worker lacks the rule set', async () => {
  const pool = new CleaningPool({ threads: 1, docTimeoutMs: 10_000 });
  try {
    const set = compileRuleSet(backtracking, undefined, { regex: JS_REGEX });
    const html = '<html><body><article><p>A paragraph of the article, long enough to be kept as it is.</p></article></body></html>';
    const copied = Buffer.from(html);
    // The worker has not seen the set yet: it asks for it, and the transferred page has to come back with the question.
    const page = Buffer.from(new ArrayBuffer(Buffer.byteLength(html)));
    page.write(html);
    const moved = await pool.clean({ id: 'moved', text: '', bytes: { data: page, encoding: 'utf-8' }, kind: 'html', ruleset: set, transfer: true });
    expect(page.byteLength).toBe(0);
    const kept = await pool.clean({ id: 'moved', text: '', bytes: { data: copied, encoding: 'utf-8' }, kind: 'html', ruleset: set });
    expect(copied.toString()).toBe(html);
    // The same result either way (but for the time taken).
    const untimed = (o: typeof moved) => (o.ok ? o.line.replace(/"elapsedMs":[\d.]+/, '') : o);
    expect(moved).toMatchObject({ ok: true });
    expect(untimed(moved)).toEqual(untimed(kept));
    expect(untimed(moved)).toContain('"text":"A paragraph of the article');
  } finally {
    await pool.destroy();
  }
});
