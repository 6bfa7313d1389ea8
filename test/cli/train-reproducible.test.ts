/**
 * `declutter train` is reproducible: the same command on the same data writes the same bytes,
 * and the file's header records the command and a fingerprint of each set it learnt from
 * (scripts/check-models.js reruns the shipped files' commands in CI on the same basis).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, REPO_ROOT } from '../paths';

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
});

const dir = mkdtempSync(join(tmpdir(), 'declutter-train-repro-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sentence = (i: number) =>
  `Paragraph ${i} of the story tells how the council voted to extend the tram line, which residents of the north have wanted for ${i % 7} years, and what it will cost.`;
const docs = Array.from({ length: 10 }, (_, d) => {
  const body = Array.from({ length: 3 + (d % 3) }, (_, i) => sentence(d * 10 + i));
  const menu = ['Home', 'News', 'Sport', d % 2 ? 'Weather' : 'Culture', 'Contact us | Privacy | Terms'];
  return { id: `doc-${d}`, text: [...menu, ...body, ...menu.slice(1)].join('\n\n'), gold: body.join('\n\n') };
});
const set = join(dir, 'tiny-set.jsonl');
writeFileSync(set, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');

function trainInto(out: string): string {
  const r = spawnSync(process.execPath, [CLI, 'train', '--set', set, '--out', out, '--holdout', '0.2', '--seed', '3'], {
    encoding: 'utf8',
    cwd: REPO_ROOT,
    env: { ...process.env, DECLUTTER_RULES_DIR: '' },
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return readFileSync(out, 'utf8');
}

test('the same command on the same data writes the same file, with the data fingerprinted', () => {
  const a = trainInto(join(dir, 'a.yaml'));
  const b = trainInto(join(dir, 'b.yaml'));
  // Only the --out path the header records may differ.
  expect(b.replace(join(dir, 'b.yaml'), join(dir, 'a.yaml'))).toBe(a);
  const lines = a.split('\n');
  expect(lines[0]).toBe(`# Text article scorer, written by: declutter train --set ${set} --out ${join(dir, 'a.yaml')} --holdout 0.2 --seed 3`);
  const sha = createHash('sha256').update(readFileSync(set)).digest('hex').slice(0, 16);
  expect(lines).toContain(`# Data of tiny-set: sha256 ${sha}.`);
  expect(a).toMatch(/^threshold: \d/m);
});
