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
import { cleanInputDamage } from '../../src/train/clean-input';
import { AEB_DEV, L3S_GN1, READABILITY_DEV, REPO_ROOT, SEEDS } from '../paths';
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

// Clean input: gold bodies sent as text, and wrapped as <article><p>…, come back essentially whole
// (src/train/clean-input.ts). Its entries are ceilings: the mean share of non-space characters
// lost, the largest share one body loses, and how many bodies lose over 10%; for text also the same
// three for the judged part of the loss (what the rules weighing the whole page removed).
type Ceiling = { meanLost: number; maxLost: number; over10: number; judgedMeanLost?: number; judgedMaxLost?: number; judgedOver10?: number };
type Ceilings = Record<string, Ceiling>;
const cleanInput = floors as unknown as { 'clean-input-text': Ceilings; 'clean-input-html': Ceilings };
const CLEAN_SETS: [string, string][] = [
  ['aeb-dev', AEB_DEV],
  ['readability-dev', READABILITY_DEV],
  ['l3s-gn1', L3S_GN1],
];
const CLEAN_CASES = (['text', 'html'] as const).flatMap((kind) => CLEAN_SETS.map(([name, path]) => [kind, name, path] as const));

/** The figures of a damage report that break their ceilings, as words for the failure message. */
function brokenCeilings(r: { mean: number; max: number; over: number; judgedMean?: number; judgedMax?: number; judgedOver?: number }, c: Ceiling): string[] {
  const broken: string[] = [];
  if (Number(r.mean.toFixed(4)) > c.meanLost) broken.push(`mean lost ${r.mean.toFixed(4)} > ${c.meanLost}`);
  if (Number(r.max.toFixed(3)) > c.maxLost) broken.push(`max lost ${r.max.toFixed(3)} > ${c.maxLost}`);
  if (r.over > c.over10) broken.push(`${r.over} over 10% > ${c.over10}`);
  const jm = r.judgedMean ?? 0,
    jx = r.judgedMax ?? 0,
    jo = r.judgedOver ?? 0;
  if (c.judgedMeanLost !== undefined && Number(jm.toFixed(4)) > c.judgedMeanLost) broken.push(`judged mean lost ${jm.toFixed(4)} > ${c.judgedMeanLost}`);
  if (c.judgedMaxLost !== undefined && Number(jx.toFixed(3)) > c.judgedMaxLost) broken.push(`judged max lost ${jx.toFixed(3)} > ${c.judgedMaxLost}`);
  if (c.judgedOver10 !== undefined && jo > c.judgedOver10) broken.push(`${jo} judged over 10% > ${c.judgedOver10}`);
  return broken;
}

describe.each(CLEAN_CASES)('quality gate: clean input, gold bodies as %s, %s', (kind, name, path) => {
  it('loses no more than its ceilings', () => {
    const ceiling = cleanInput[`clean-input-${kind}`][name];
    const r = cleanInputDamage(readSet(path), ruleset, { html: kind === 'html' });
    expect(r.docs).toBeGreaterThan(50);
    const broken = brokenCeilings(r, ceiling);
    if (broken.length) throw new Error(`${name} (${kind}): ${broken.join(', ')}; worst ${r.worst}`);
    expect(broken).toEqual([]);
  });
});

it('the clean-input check fails when the damage rises past any ceiling', () => {
  const c = { meanLost: 0.01, maxLost: 0.1, over10: 0 };
  expect(brokenCeilings({ mean: 0.01, max: 0.1, over: 0 }, c)).toEqual([]);
  expect(brokenCeilings({ mean: 0.0102, max: 0.1, over: 0 }, c)).toEqual(['mean lost 0.0102 > 0.01']);
  expect(brokenCeilings({ mean: 0.005, max: 0.12, over: 1 }, c)).toEqual(['max lost 0.120 > 0.1', '1 over 10% > 0']);
  const judged = { ...c, judgedMeanLost: 0.005, judgedMaxLost: 0.05, judgedOver10: 0 };
  expect(brokenCeilings({ mean: 0.01, max: 0.1, over: 0, judgedMean: 0.005, judgedMax: 0.05, judgedOver: 0 }, judged)).toEqual([]);
  expect(brokenCeilings({ mean: 0.01, max: 0.1, over: 0, judgedMean: 0.006, judgedMax: 0.06, judgedOver: 1 }, judged)).toEqual([
    'judged mean lost 0.0060 > 0.005',
    'judged max lost 0.060 > 0.05',
    '1 judged over 10% > 0',
  ]);
});

it('every floored set has a floor entry and every floor names a known metric', () => {
  for (const [name] of [...SETS, ...HTML_SETS]) expect(floors[name]).toBeDefined();
  const judged = ['judgedMaxLost', 'judgedMeanLost', 'judgedOver10'];
  for (const [kind, name] of CLEAN_CASES)
    expect(Object.keys(cleanInput[`clean-input-${kind}`][name]).sort()).toEqual(
      kind === 'text' ? [...judged, 'maxLost', 'meanLost', 'over10'] : ['maxLost', 'meanLost', 'over10'],
    );
  for (const [name, f] of Object.entries(floors)) {
    // multilingual-*: per language, checked by multilingual.test.ts.
    if (name.startsWith('_') || name.startsWith('clean-input-') || name.startsWith('loso-') || name.startsWith('multilingual-')) continue;
    for (const k of Object.keys(f)) expect(['precision', 'recall', 'f1']).toContain(k);
  }
});

// Damaged markup (a head never closed, a title never closed): 53 of L3S_GN1-GN1's 604 pages with
// html came back empty before the parser recovered as a browser does. None may again.
(existsSync(L3S_GN1) ? it : it.skip)('no L3S_GN1-GN1 page with article text comes back empty from its html', () => {
  const empty = readSet(L3S_GN1)
    .filter((d) => typeof d.html === 'string' && (d.gold ?? '').length > 0)
    .filter((d) => cleanHtml(d.html!, ruleset).text.trim() === '')
    .map((d) => d.id);
  expect(empty).toEqual([]);
});
