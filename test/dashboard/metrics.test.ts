/** The browser's port of score.mjs must give the scorer's own numbers. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreSet, type LabelledDoc } from '../../src/dashboard/web/src/metrics';
import { AEB_DEV, SCORE_MJS, SEEDS } from '../paths';

function firstLines(path: string, n: number): string[] {
  // The dev sets are tens of MB: read only as much as the first n lines need.
  const text = readFileSync(path, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, n);
}

describe('scoreSet (score.mjs ported)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'declutter-metrics-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function scorer(setLines: string[], pred: Map<string, string>) {
    const set = join(dir, 'set.jsonl');
    const predFile = join(dir, 'pred.jsonl');
    writeFileSync(set, setLines.join('\n') + '\n');
    writeFileSync(predFile, [...pred].map(([id, text]) => JSON.stringify({ id, text })).join('\n') + '\n');
    return JSON.parse(execFileSync(process.execPath, [SCORE_MJS, '--set', set, '--pred', predFile, '--json'], { encoding: 'utf8' }));
  }

  test('gold documents: same shingle precision, recall and F1 as score.mjs', () => {
    const lines = firstLines(AEB_DEV, 6);
    const docs = lines.map((l) => JSON.parse(l) as LabelledDoc & { gold: string });
    // Predictions of different quality: the raw text, the gold, half the gold, nothing.
    const pred = new Map<string, string>(
      docs.map((d, i) => [d.id, [d.text, d.gold, d.gold.slice(0, d.gold.length / 2), '', d.text.slice(0, 500), d.gold + ' extra words here now'][i % 6]]),
    );
    const ours = scoreSet(docs, pred);
    const theirs = scorer(lines, pred);
    expect(ours.shingle!.precision).toBeCloseTo(theirs.shingle.precision, 12);
    expect(ours.shingle!.recall).toBeCloseTo(theirs.shingle.recall, 12);
    expect(ours.shingle!.f1).toBeCloseTo(theirs.shingle.f1, 12);
    expect(ours.perDoc).toHaveLength(docs.length);
    expect(ours.perDoc[1].f1).toBe(1); // the gold itself
  });

  test('snippet documents: same counts as score.mjs', () => {
    const lines = firstLines(SEEDS, 5);
    const docs = lines.map((l) => JSON.parse(l) as LabelledDoc & { with: string[]; without: string[] });
    const pred = new Map(docs.map((d, i) => [d.id, i % 2 ? d.with.join(' ') : d.text]));
    const ours = scoreSet(docs, pred);
    const theirs = scorer(lines, pred);
    for (const k of ['tp', 'fp', 'fn', 'tn', 'precision', 'recall', 'f1'] as const) expect(ours.snippets![k]).toBeCloseTo(theirs.snippets[k], 12);
    expect(ours.perDoc[1]).toMatchObject({ kind: 'snippets', f1: 1, withoutLeaked: `0/${docs[1].without.length}` });
  });
});
