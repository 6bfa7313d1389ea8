/**
 * `--detail` of `declutter clean --json` and `declutter batch`, as real processes of the build:
 * the compact results against the full ones of the same documents, a line's own option over the
 * flag, and a bad value as one line on stderr with exit 2. Needs `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { AEB_DEV, CLI, REPO_ROOT } from '../paths';

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
});

function declutter(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', cwd: REPO_ROOT, env: { ...process.env, DECLUTTER_RULES_DIR: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const withoutTime = (s: string) => s.replace(/"elapsedMs":[0-9.e+-]+/g, '"elapsedMs":0');

const docs = readFileSync(AEB_DEV, 'utf8')
  .split('\n')
  .filter(Boolean)
  .slice(0, 3)
  .map((l) => JSON.parse(l) as { id: string; text: string });

interface Span {
  start: number;
  end: number;
  rule: string;
  category?: string;
}

describe('declutter clean --json --detail', () => {
  test('full is the --json output as it was; spans and none are the compact shapes of the same result', () => {
    const plain = declutter(['clean', '--json', '-'], docs[0].text);
    expect(plain.code).toBe(0);
    const full = declutter(['clean', '--json', '--detail', 'full', '-'], docs[0].text);
    expect(withoutTime(full.stdout)).toBe(withoutTime(plain.stdout));
    const result = JSON.parse(plain.stdout) as { text: string; removed: Span[] };
    expect(result.removed.length).toBeGreaterThan(10);

    const spans = declutter(['clean', '--json', '--detail', 'spans', '-'], docs[0].text);
    expect(spans.code).toBe(0);
    const s = JSON.parse(spans.stdout) as { text: string; removed: Span[]; rules: Record<string, { category: string }> };
    expect(s.text).toBe(result.text);
    expect(s.removed).toEqual(result.removed.map((r) => ({ start: r.start, end: r.end, rule: r.rule })));
    for (const r of result.removed) expect(s.rules[r.rule].category).toBe(r.category);

    const none = declutter(['clean', '--json', '--detail', 'none', '-'], docs[0].text);
    expect(Object.keys(JSON.parse(none.stdout))).toEqual(['text', 'stats', 'ruleset', 'lang']);
  });

  test('a bad value, or --detail without --json, is one line on stderr and exit 2', () => {
    const bad = declutter(['clean', '--json', '--detail', 'brief', '-'], 'Some text.');
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('--detail is full or spans or none');

    const noJson = declutter(['clean', '--detail', 'spans', '-'], 'Some text.');
    expect(noJson.code).toBe(2);
    expect(noJson.stderr.trim().split('\n')).toHaveLength(1);
    expect(noJson.stderr).toContain('add --json');
  });
});

describe('declutter batch --detail', () => {
  const input = (lines: object[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

  test("shapes every line; a line's own options.detail wins; --detail full is the default", () => {
    const plain = declutter(['batch', '--concurrency', '1', '-'], input(docs));
    expect(plain.code).toBe(0);
    const full = plain.stdout.trim().split('\n');
    expect(withoutTime(declutter(['batch', '--concurrency', '1', '--detail', 'full', '-'], input(docs)).stdout)).toBe(withoutTime(plain.stdout));

    const mixed = docs.map((d, i) => (i === 2 ? { ...d, options: { detail: 'spans' } } : d));
    const r = declutter(['batch', '--concurrency', '1', '--detail', 'none', '-'], input(mixed));
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.id)).toEqual(docs.map((d) => d.id));
    expect(Object.keys(lines[0])).toEqual(['id', 'text', 'stats', 'ruleset', 'lang']);
    expect(lines[0].text).toBe(JSON.parse(full[0]).text);
    const fullSpans = (JSON.parse(full[2]) as { removed: Span[] }).removed;
    expect(lines[2].removed).toEqual(fullSpans.map((x) => ({ start: x.start, end: x.end, rule: x.rule })));
  });

  test('a bad --detail is one line on stderr and exit 2, before any input is read', () => {
    const r = declutter(['batch', '--detail', 'most', '-'], input(docs));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toMatch(/^declutter batch: --detail is full, spans or none/);
  });
});
