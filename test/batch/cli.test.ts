/** `declutter batch` as a real process from the build: line errors, resume with --skip-done, options. */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, REPO_ROOT, SEEDS } from '../paths';
import { requireBuild } from './server-helpers';

beforeAll(() => {
  requireBuild();
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
});

function declutter(args: string[], input?: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', cwd: REPO_ROOT, env: { ...process.env, DECLUTTER_RULES_DIR: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs with stdout appended to `out`, as `declutter batch ... >> out` does. */
function declutterAppending(args: string[], out: string) {
  const fd = openSync(out, 'a');
  try {
    const r = spawnSync(process.execPath, [CLI, ...args], {
      stdio: ['ignore', fd, 'pipe'],
      encoding: 'utf8',
      cwd: REPO_ROOT,
      env: { ...process.env, DECLUTTER_RULES_DIR: '' },
    });
    return { code: r.status, stderr: r.stderr };
  } finally {
    closeSync(fd);
  }
}

const tmp = () => mkdtempSync(join(tmpdir(), 'declutter-batch-'));
const readLines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

test('every line is answered in order; bad lines get {id, error} and the rest go on', () => {
  const input = [
    '{"id":"a","text":"Advertisement\\nOne."}',
    '{"id":"b","text":',
    '{"id":"c","text":"x","ruleset":"no-such-set"}',
    '{"id":"d"}',
    '{"id":"e","text":"Two.","gold":"Two.","html":"<p>Two.</p>"}',
    // A crawler's null url is no url, as for POST /v1/clean and evaluations.
    '{"id":"f","text":"Three.","url":null}',
  ].join('\n');
  const r = declutter(['batch', '-', '--concurrency', '2'], input);
  expect(r.code).toBe(0);
  const out = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(out.map((o) => [o.id, o.error?.status ?? o.text])).toEqual([
    ['a', 'One.'],
    ['b', 400],
    ['c', 404],
    ['d', 422],
    ['e', 'Two.'],
    ['f', 'Three.'],
  ]);
  // Not a terminal: no progress line on stderr.
  expect(r.stderr).toBe('');
});

test('--skip-done resumes: ids already in OUT are skipped, and a cut-off last line is removed first', () => {
  const dir = tmp();
  const out = join(dir, 'out.jsonl');
  const seeds = readFileSync(SEEDS, 'utf8').split('\n').filter(Boolean);
  const ids = seeds.map((l) => JSON.parse(l).id as string);
  // A first run that got through two documents and died while writing the third.
  const first = declutter(['batch', SEEDS]).stdout.split('\n');
  writeFileSync(out, `${first[0]}\n${first[1]}\n${first[2].slice(0, 40)}`);

  const r = declutterAppending(['batch', SEEDS, '--skip-done', out], out);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/unfinished last line/);
  const all = readLines(out);
  expect(all.map((o) => o.id)).toEqual(ids);
  expect(all.every((o) => typeof o.text === 'string')).toBe(true);

  // Resuming a finished run does nothing.
  const again = declutter(['batch', SEEDS, '--skip-done', out]);
  expect(again.code).toBe(0);
  expect(again.stdout).toBe('');
});

test('--ruleset applies to every line that names none; a missing input file is one stderr line', () => {
  const dir = tmp();
  const set = join(dir, 'strict.yaml');
  writeFileSync(
    set,
    [
      'id: strict',
      'version: 1',
      'rules:',
      '  - id: no-news',
      '    category: navigation',
      '    description: The word News alone.',
      '    kind: phrase',
      '    phrases: [News]',
      '    examples: { remove: ["News"], keep: ["News of the day"] }',
      '',
    ].join('\n'),
  );
  const r = declutter(['batch', '-', '--ruleset', set], '{"id":1,"text":"News\\nAdvertisement\\nBody."}\n');
  expect(r.code).toBe(0);
  const o = JSON.parse(r.stdout);
  expect(o).toMatchObject({ id: 1, text: 'Advertisement\n\nBody.', ruleset: { id: 'strict', version: 1 } });

  const missing = declutter(['batch', join(dir, 'nope.jsonl')]);
  expect(missing.code).not.toBe(0);
  expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  expect(declutter(['batch', '-', '--concurrency', 'lots'], '').code).toBe(2);
});
