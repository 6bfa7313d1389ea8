/** The `declutter` command, run as a real process from the build (npm test builds first). */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, REPO_ROOT, SCORE_MJS, SEEDS } from '../paths';
import { contractViolation } from '../helpers';

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
});

function declutter(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', cwd: REPO_ROOT, env: { ...process.env, DECLUTTER_RULES_DIR: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const seed = readFileSync(SEEDS, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { id: string; text: string })[0];

describe('declutter clean', () => {
  test('prints the clean text of standard input', () => {
    const r = declutter(['clean', '-'], 'Advertisement\nThe article text stays.\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('The article text stays.\n');
  });

  test('--json prints the whole result, keeping the contract', () => {
    const r = declutter(['clean', '--json'], seed.text);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.ruleset.id).toBe('default');
    expect(result.removed.length).toBeGreaterThan(0);
    expect(contractViolation(seed.text, result)).toBeNull();
  });

  test('a rule set given as a path is used, extending the default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'declutter-cli-'));
    const file = join(dir, 'mine.yaml');
    writeFileSync(
      file,
      [
        'id: mine',
        'version: 2',
        'extends: default',
        'rules:',
        '  - id: drop-foo',
        '    category: boilerplate',
        '    description: Foo lines.',
        '    kind: phrase',
        '    phrases: [foo]',
        '    examples: { remove: [foo], keep: [food] }',
        '',
      ].join('\n'),
    );
    const r = declutter(['clean', '--json', '--ruleset', file], 'foo\nAdvertisement\nbar\n');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.text).toBe('bar');
    expect(result.ruleset).toEqual({ id: 'mine', version: 2 });
    expect(result.removed.map((s: { rule: string }) => s.rule)).toEqual(['drop-foo', 'ad-marker']);
  });

  test.each([
    [['clean', '/no/such/file'], 1, /no such file/],
    [['clean', '--colour'], 2, /unknown option --colour/],
    [['clean', '--ruleset', 'nope'], 1, /unknown rule set "nope"/],
    [['clean', '--offsets', 'bytes'], 2, /--offsets/],
    [['frobnicate'], 2, /unknown command/],
  ])('%j fails with exit %d and one line on stderr', (args, code, message) => {
    const r = declutter(args as string[], '');
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  test('a broken rule-set file is refused naming the file, the rule and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'declutter-cli-'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      'id: broken\nversion: 1\nrules:\n  - {id: x, category: ad, description: d, kind: phrase, phrase: [a], examples: {remove: [], keep: []}}\n',
    );
    const r = declutter(['clean', '--ruleset', file], 'text');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain('rule "x"');
    expect(r.stderr).toMatch(/field "phrase": is not a known field/);
    expect(r.stderr).toMatch(/field "phrases": is required/);
  });
});

describe('declutter batch', () => {
  test('cleans one document a line, in order, with an error line for a bad line', () => {
    const input = ['{"id":"a","text":"Advertisement\\nOne."}', 'not json', '', '{"id":"c"}', '{"id":"d","text":"Two."}'].join('\n');
    const r = declutter(['batch', '-'], input);
    expect(r.code).toBe(0);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((o) => o.id ?? null)).toEqual(['a', null, 'c', 'd']);
    expect(out[0].text).toBe('One.');
    expect(out[1].error.status).toBe(400);
    expect(out[2].error.detail).toMatch(/text/);
    expect(out[3].text).toBe('Two.');
  });

  test('the seed documents score precision and recall 1.000 with score.mjs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'declutter-cli-'));
    const pred = join(dir, 'seeds.out.jsonl');
    writeFileSync(pred, declutter(['batch', SEEDS]).stdout);
    const score = execFileSync(process.execPath, [SCORE_MJS, '--set', SEEDS, '--pred', pred, '--json'], { encoding: 'utf8' });
    const snippets = JSON.parse(score).snippets;
    expect(snippets).toMatchObject({ docs: 5, precision: 1, recall: 1 });
  });
});
