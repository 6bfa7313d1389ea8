/**
 * The quality gate: the default rule set, on text input, must stay at or above the floors pinned
 * in quality-floors.json (raising a floor is a one-line change there; lowering one needs a stated
 * reason in the commit). Figures are those of ../shared/eval/score.mjs, through src/scoring.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanHtml, compileRuleSet } from '../../src/engine';
import { readRuleSetFile } from '../../src/rulesets/load';
import { readSet } from '../../src/train/data';
import { evaluate } from '../../src/train/evaluate';
import { AEB_DEV, READABILITY_DEV, REPO_ROOT, SEEDS, SHARED_DIR } from '../paths';
import { htmlContractViolation } from '../engine/html/contract';

type Floors = Record<string, { precision?: number; recall?: number; f1?: number }>;
const floors: Floors = JSON.parse(readFileSync(join(REPO_ROOT, 'quality-floors.json'), 'utf8'));
const ruleset = compileRuleSet(readRuleSetFile(join(REPO_ROOT, 'rules', 'default.yaml')));

const SETS: [string, string][] = [
  ['seeds', SEEDS],
  ['aeb-dev', AEB_DEV],
  ['readability-dev', READABILITY_DEV],
];

/** One metric of one set against its pinned floor (none pinned: nothing to check). */
function checkFloor(
  name: string,
  metric: 'precision' | 'recall' | 'f1',
  scores: { precision: number; recall: number; f1: number },
  report: ReturnType<typeof evaluate>,
): void {
  const pinned = floors[name]?.[metric];
  if (pinned === undefined) return;
  // The message carries the figure and the worst documents, so a failure says where to look.
  const got = Number(scores[metric].toFixed(3));
  const worst = report.documents
    .slice(0, 5)
    .map((d) => `${d.id} f1=${d.f1.toFixed(3)}`)
    .join(', ');
  if (got < pinned) throw new Error(`${name} ${metric} ${got} < floor ${pinned}; worst documents: ${worst}`);
  expect(got).toBeGreaterThanOrEqual(pinned);
}

describe.each(SETS)('quality gate: %s', (name, path) => {
  const report = evaluate(readSet(path), ruleset);
  const scores = report.shingle ?? report.snippets!;

  it.each(['precision', 'recall', 'f1'] as const)(`%s is at or above its floor`, (metric) => checkFloor(name, metric, scores, report));
});

// The same sets as whole HTML pages: cleanHtml with the HTML scorer and selector rules.
const HTML_SETS: [string, string][] = [
  ['aeb-dev-html', AEB_DEV],
  ['readability-dev-html', READABILITY_DEV],
];

describe.each(HTML_SETS)('quality gate: %s', (name, path) => {
  const docs = readSet(path).filter((d) => typeof d.html === 'string');
  const report = evaluate(docs, ruleset, (d) => cleanHtml(d.html!, ruleset));
  const scores = report.shingle!;

  it('has every page of the set', () => {
    expect(docs.length).toBeGreaterThan(50);
  });

  it('keeps the HTML result contract on real pages (every third page, with format html)', () => {
    for (const d of docs.filter((_, i) => i % 3 === 0)) {
      const r = cleanHtml(d.html!, ruleset, { format: 'html' });
      const broken = htmlContractViolation(d.html!, r);
      if (broken) throw new Error(`${d.id}: ${broken}`);
      expect(r.html!.length).toBeGreaterThan(0);
    }
  });

  it.each(['precision', 'recall', 'f1'] as const)(`%s is at or above its floor`, (metric) => checkFloor(name, metric, scores, report));
});

it('every floored set has a floor entry and every floor names a known metric', () => {
  for (const [name] of [...SETS, ...HTML_SETS]) expect(floors[name]).toBeDefined();
  for (const [name, f] of Object.entries(floors)) {
    if (name.startsWith('_')) continue;
    for (const k of Object.keys(f)) expect(['precision', 'recall', 'f1']).toContain(k);
  }
});

// Damaged markup (a head never closed, a title never closed): 53 of L3S-GN1's 604 pages with
// html came back empty before the parser recovered as a browser does. None may again.
const L3S = join(SHARED_DIR, 'data', 'train', 'l3s-gn1.jsonl');
(existsSync(L3S) ? it : it.skip)('no L3S-GN1 page with article text comes back empty from its html', () => {
  const empty = readSet(L3S)
    .filter((d) => typeof d.html === 'string' && (d.gold ?? '').length > 0)
    .filter((d) => cleanHtml(d.html!, ruleset).text.trim() === '')
    .map((d) => d.id);
  expect(empty).toEqual([]);
});
