/** The docs test's own parts: a drifted answer must be caught, a marker must reach its block. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonMismatch, linesMismatch, undocumentedProblem } from './answers';
import { readBlocks, shellCommands } from './markdown';

const REAL = {
  text: 'The minister said.',
  removed: [{ start: 0, end: 13, text: 'Advertisement', rule: 'ad-marker', category: 'ad' }],
  stats: { elapsedMs: 3.2 },
  ruleset: { id: 'default', version: 26 },
};

describe('jsonMismatch', () => {
  test('a documented subset of the real answer matches; varying fields need only their type', () => {
    expect(jsonMismatch({ text: 'The minister said.', stats: { elapsedMs: 0.1 }, ruleset: { id: 'default' } }, REAL)).toBeNull();
  });
  test('a changed value, version, rule or removal count is a mismatch naming where', () => {
    expect(jsonMismatch({ ruleset: { version: 25 } }, REAL)).toMatch(/\$\.ruleset\.version: documented 25, got 26/);
    expect(jsonMismatch({ removed: [{ rule: 'ad-banner' }] }, REAL)).toMatch(/\$\.removed\[0\]\.rule/);
    expect(jsonMismatch({ removed: [] }, REAL)).toMatch(/documented 0 items, got 1/);
    expect(jsonMismatch({ stats: { elapsedMs: 'fast' } }, REAL)).toMatch(/elapsedMs/);
  });
  test('a list ending in "…" is shown in part: its first items must still be the real ones', () => {
    expect(jsonMismatch([1, '…'], [1, 2, 3])).toBeNull();
    expect(jsonMismatch([2, '…'], [1, 2, 3])).toMatch(/\$\[0\]/);
    expect(jsonMismatch([1, 2, '…'], [1])).toMatch(/at least 2 items/);
  });
});

test('linesMismatch: printed output must be all there, headers may be shown in part', () => {
  expect(linesMismatch('a\n\nb', 'a\nb\n')).toBeNull();
  expect(linesMismatch('a\nb', 'a\nb\nc\n')).toMatch(/line 3: documented "\(the end\)", printed "c"/);
  expect(linesMismatch('a\nx', 'a\nb\n')).toMatch(/line 2: documented "x", printed "b"/);
  expect(linesMismatch('a\nb\nc', 'a\nb\n')).toMatch(/line 3: documented "c", printed "\(the end\)"/);
  expect(linesMismatch('a\nc', 'a\nb\nc\n', false)).toBeNull();
  expect(linesMismatch('c\na', 'a\nb\nc\n', false)).toMatch(/"a" is not in the output/);
});

test('undocumentedProblem spots an error answer', () => {
  expect(undocumentedProblem('{"status":401,"code":"unauthorized"}')).toMatch(/problem/);
  expect(undocumentedProblem('HTTP/1.1 404 Not Found\r\n')).toMatch(/404/);
  expect(undocumentedProblem('{"text":"ok"}')).toBeNull();
});

test('shellCommands joins continuations and drops comments, not a # inside quotes', () => {
  expect(shellCommands('# intro\ncurl -s a \\\n  -d \'{"a":"#1"}\'   # why\n\nnpm test')).toEqual(['curl -s a -d \'{"a":"#1"}\'', 'npm test']);
});

test('readBlocks gives each block the marker right before it, and only that one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'declutter-md-'));
  try {
    const md = join(dir, 'x.md');
    writeFileSync(
      md,
      [
        '<!-- not-run: needs a cluster -->',
        '',
        '```sh',
        'kubectl apply',
        '```',
        '<!-- answer -->',
        'prose',
        '```json',
        '{}',
        '```',
        '<!-- file: a.yaml -->',
        '  ```yaml',
        '  a: 1',
        '  ```',
      ].join('\n'),
    );
    expect(readBlocks('x.md', md).map(({ line, lang, notRun, answer, shows, body }) => ({ line, lang, notRun, answer, shows, body }))).toEqual([
      { line: 3, lang: 'sh', notRun: 'needs a cluster', answer: false, shows: undefined, body: 'kubectl apply' },
      { line: 8, lang: 'json', notRun: undefined, answer: false, shows: undefined, body: '{}' },
      { line: 12, lang: 'yaml', notRun: undefined, answer: false, shows: 'a.yaml', body: 'a: 1' },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
