#!/usr/bin/env node
// k-fold cross-validation of a trained scorer over both dev sets: every document is scored by a
// scorer trained without it, so the figure estimates pages the weights have never seen (the dev
// figures of `declutter batch` are on pages the scorer was trained on).
//
//   npm run build && node scripts/cross-validate.js [--html] [--folds 5]
//
// Needs ../shared/data/dev beside the repository. Prints per-set precision, recall and F1 of the
// held-out predictions, with the same metrics as ../shared/eval/score.mjs.
const { resolve } = require('node:path');
const root = resolve(__dirname, '..');
const dist = (p) => require(resolve(root, 'dist', p));
const { train, withScorer } = dist('train/train');
const { readSet } = dist('train/data');
const { readRuleSetFile } = dist('rulesets/load');
const { compileRuleSet, cleanText, cleanHtml } = dist('engine');
const { shingleMatch, aggregateShingles } = dist('scoring/metrics');

const args = process.argv.slice(2);
const html = args.includes('--html');
const folds = Number(args[args.indexOf('--folds') + 1]) || 5;
const dev = resolve(root, '..', 'shared', 'data', 'dev');
const base = readRuleSetFile(resolve(root, 'rules', 'default.yaml'));
const sets = ['aeb-dev', 'readability-dev'];
const all = sets.flatMap((name) => readSet(resolve(dev, `${name}.jsonl`)).map((d) => ({ ...d, set: name })));
// A fixed spread of documents over folds (a prime stride), so runs are comparable.
const fold = new Map(all.map((d, i) => [d, (i * 7919) % folds]));
const matches = Object.fromEntries(sets.map((s) => [s, []]));
for (let k = 0; k < folds; k++) {
  const trained = train(all, base, { holdout: 0, seed: 1, html, heldOut: (d) => fold.get(d) === k });
  const ruleset = compileRuleSet(withScorer(base, trained.rule));
  for (const d of all) {
    if (fold.get(d) !== k) continue;
    const out = html ? cleanHtml(d.html, ruleset).text : cleanText(d.text, ruleset).text;
    matches[d.set].push(shingleMatch(d.gold, out));
  }
}
for (const s of sets) {
  const m = aggregateShingles(matches[s]);
  console.log(`${html ? 'html' : 'text'} ${folds}-fold ${s}: precision ${m.precision.toFixed(3)} recall ${m.recall.toFixed(3)} f1 ${m.f1.toFixed(3)}`);
}
