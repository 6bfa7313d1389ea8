/**
 * Several batch documents in one worker message (pool.ts, GroupLimits), in a real process: a
 * document over its budget or a worker that dies inside a group gives that document its error,
 * and its neighbours' lines come out once each and in order.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { requireBuild } from './server-helpers';

beforeAll(requireBuild);

function run(ids: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [join(__dirname, 'group-run.js')], { encoding: 'utf8', env: { ...process.env, IDS: ids.join(','), ...env } });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { out: { id?: string; text?: string; failure?: string }[]; stats: Record<string, number> };
}

test('one document over its budget inside a group gets the timeout; its neighbours each get one line, in order', () => {
  const ids = ['first', 'a0', 'a1', 'endless', 'a3', 'a4', 'a5'];
  const { out, stats } = run(ids, { BUDGET_MS: '2000', GROUP_DOCS: '8' });
  expect(out.map((o) => o.id ?? o.failure)).toEqual(['first', 'a0', 'a1', 'timeout', 'a3', 'a4', 'a5']);
  expect(out.filter((o) => o.text).map((o) => o.text)).toEqual(ids.filter((id) => id !== 'endless').map((id) => `Article ${id}.`));
  // The six waiting went in one message; its worker was stopped, so the five others ran again, each by itself.
  expect(stats).toMatchObject({ grouped: 6, stopped: 1, timedOut: 1, completed: 6, failed: 0 });
});

test('a worker that dies inside a group fails that document only; its neighbours run again, once each, in order', () => {
  const ids = ['first', 'b0', 'crash-me', 'b2', 'b3', 'b4', 'b5'];
  const { out, stats } = run(ids, { BUDGET_MS: '10000', GROUP_DOCS: '4', DECLUTTER_TEST_CRASH_ID: 'crash-me' });
  expect(out.map((o) => o.id ?? o.failure)).toEqual(['first', 'b0', 'failed', 'b2', 'b3', 'b4', 'b5']);
  // b0, crash-me, b2, b3 went together; the retries of b0, b2, b3 went ahead of b4 and b5, which then went together.
  expect(stats).toMatchObject({ grouped: 6, failed: 1, completed: 6, stopped: 0 });
});
