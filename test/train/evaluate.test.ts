/** The port of score.mjs must give exactly its figures: checked on a sample of a real set. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSet } from '../../src/train/data';
import { evaluate } from '../../src/train/evaluate';
import { compileRuleSet, cleanText } from '../../src/engine';
import { readRuleSetFile } from '../../src/rulesets/load';
import { AEB_DEV, REPO_ROOT, SCORE_MJS, SEEDS } from '../paths';

const ruleset = compileRuleSet(readRuleSetFile(join(REPO_ROOT, 'rules', 'default.yaml')));

function scoreMjs(setPath: string, docs: { id: string; text: string }[]): Record<string, { precision: number; recall: number; f1: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'declutter-metrics-'));
  const set = join(dir, 'set.jsonl');
  const pred = join(dir, 'pred.jsonl');
  writeFileSync(
    set,
    readSet(setPath)
      .filter((d) => docs.some((x) => x.id === d.id))
      .map((d) => JSON.stringify(d))
      .join('\n'),
  );
  writeFileSync(pred, docs.map((d) => JSON.stringify(d)).join('\n'));
  return JSON.parse(execFileSync(process.execPath, [SCORE_MJS, '--set', set, '--pred', pred, '--json'], { encoding: 'utf8' }));
}

it.each([
  ['aeb-dev, every 9th document, cleaned', AEB_DEV, 9, true],
  ['aeb-dev, every 9th document, uncleaned', AEB_DEV, 9, false],
  ['seeds (with/without snippets), cleaned', SEEDS, 1, true],
])('agrees with score.mjs: %s', (_name, path, every, cleaned) => {
  const docs = readSet(path as string).filter((_, i) => i % (every as number) === 0);
  const preds = docs.map((d) => ({ id: d.id, text: cleaned ? cleanText(d.text, ruleset).text : d.text }));
  const theirs = scoreMjs(path as string, preds);
  const byId = new Map(preds.map((p) => [p.id, p.text]));
  const ours = evaluate(docs, ruleset, (d) => ({ text: byId.get(d.id)!, removed: [] }) as unknown as ReturnType<typeof cleanText>);
  const mine = ours.shingle ?? ours.snippets!;
  const ref = theirs.shingle ?? theirs.snippets;
  expect(mine.precision).toBeCloseTo(ref.precision, 12);
  expect(mine.recall).toBeCloseTo(ref.recall, 12);
  expect(mine.f1).toBeCloseTo(ref.f1, 12);
});
