#!/usr/bin/env node
// Validation of the trained scorer on pages it never learnt from, in two ways.
//
// --loso (the figure to report and to pin floors on): leave one source out. For every source,
// the scorer is trained on all the other sources and judges that one; in-sample figures (trained
// on every source) stand beside. Sources: aeb-dev and readability-dev (../shared/data/dev) and
// cleaneval, cleanportaleval, dragnet, l3s-gn1 (../shared/data/train; see its README).
// Sources weigh as the shipped model's training does (src/train/sources.ts): the dev sets 2,
// CleanEval 0.3 (it counts forum posts and comments as content; shown apart, left out of the
// mean), Dragnet 0 (AGPL data: judged, never learnt from).
//
//   npm run build && node scripts/cross-validate.js --loso [--html] [--sample N] [--seed S]
//       [--weight SOURCE=W] [--without-rule ID]... [--without FEATURE]... [--only SOURCE,...] [--check]
//       [--switch-costs 0,1,2] [--rare-support SHARE] [--l2 L2] [--run-floor W] [--run-cut P] [--run-gap G]
//       [--choose pooled|docs] [--page-threshold | --one-threshold]
//
// --sample N: a fixed sample of N pages of each source (seed --seed, default 1), default 100 so a
// run takes minutes on a shared machine; --sample 0 uses every page. --without-rule drops a rule
// of the default set (an ablation); --without drops a scorer feature. --check: exit 1 when a
// held-out F1 is below its floor in quality-floors.json ("loso-text" / "loso-html", pinned on
// the default 100-page samples). --rare-support SHARE: features on in fewer of the training blocks
// are shrunk as if on in SHARE of them (FitOptions.rareSupport, src/train/fit.ts). --l2: the
// recipe's L2 strength instead of its own (HTML_FIT, WIDE_FIT). --run-floor / --run-cut / --run-gap: the main
// run's parameters (ContextParams) instead of training's defaults, to judge them held out.
// --choose: what training judges a threshold by on its pages (ThresholdChoice, src/train/train.ts).
// --page-threshold / --one-threshold: training learns a threshold for each page or not
// (src/train/page-threshold.ts; by default HTML does, text does not); with page thresholds, a
// column beside gives the held-out figures of the same models with their one threshold.
//
// Without --loso: k-fold cross-validation over both dev sets (--folds, default 5), as before.
// Figures are those of ../shared/eval/score.mjs (src/scoring/metrics.ts).
const { basename, resolve } = require('node:path');
const { existsSync } = require('node:fs');
const root = resolve(__dirname, '..');
const dist = (p) => require(resolve(root, 'dist', p));
const { train, withScorer } = dist('train/train');
const { readSet } = dist('train/data');
const { readRuleSetFile } = dist('rulesets/load');
const { compileRuleSet, cleanText, cleanHtml } = dist('engine');
const { shingleMatch, aggregateShingles } = dist('scoring/metrics');
const { leaveOneSourceOut, formatLoso, sampleDocs } = dist('train/loso');

const args = process.argv.slice(2);
const html = args.includes('--html');
const value = (flag, fallback) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : fallback);
const values = (flag) => args.flatMap((a, i) => (a === flag ? [args[i + 1]] : []));
const data = resolve(root, '..', 'shared', 'data');
let base = readRuleSetFile(resolve(root, 'rules', 'default.yaml'));
const withoutRules = values('--without-rule');
// A misspelt choice would otherwise train as 'pooled' and be reported as the other.
const choice = value('--choose', 'pooled');
if (!['pooled', 'docs'].includes(choice)) throw new Error(`--choose must be pooled or docs, not "${choice}"`);
for (const id of withoutRules) {
  if (!base.rules.some((r) => r.id === id)) throw new Error(`no rule "${id}" in rules/default.yaml`);
  base = { ...base, rules: base.rules.filter((r) => r.id !== id) };
}

if (args.includes('--loso')) loso();
else kfold();

function loso() {
  const sample = Number(value('--sample', 100));
  const seed = Number(value('--seed', 1));
  const weights = { ...dist('train/sources').SOURCE_WEIGHTS };
  for (const w of values('--weight')) {
    const [name, x] = w.split('=');
    weights[name] = Number(x);
  }
  const files = [
    ...['aeb-dev', 'readability-dev'].map((s) => resolve(data, 'dev', `${s}.jsonl`)),
    ...['cleaneval', 'cleanportaleval', 'dragnet', 'l3s-gn1'].map((s) => resolve(data, 'train', `${s}.jsonl`)),
  ];
  const only = value('--only', '').split(',').filter(Boolean);
  const sources = files
    .filter((f) => existsSync(f))
    .map((f) => basename(f, '.jsonl'))
    .filter((name) => !only.length || only.includes(name))
    .map((name) => {
      const file = files.find((f) => basename(f, '.jsonl') === name);
      const docs = readSet(file).filter((d) => typeof d.gold === 'string' && (!html || typeof d.html === 'string'));
      return { name, docs: sampleDocs(docs, sample, seed), weight: weights[name] ?? 1 };
    });
  const started = Date.now();
  const fit = { ...(html ? dist('train/train').HTML_FIT : dist('train/sources').WIDE_FIT) };
  if (args.includes('--rare-support')) fit.rareSupport = Number(value('--rare-support', '0'));
  if (args.includes('--l2')) fit.l2 = Number(value('--l2', String(fit.l2)));
  const rows = leaveOneSourceOut(sources, base, {
    html,
    without: values('--without'),
    ...(args.includes('--run-floor') ? { runFloor: Number(value('--run-floor', '1')) } : {}),
    ...(args.includes('--run-gap') ? { runGap: Number(value('--run-gap', '0')) } : {}),
    ...(args.includes('--run-cut') ? { runCut: Number(value('--run-cut', '0.5')) } : {}),
    ...(args.includes('--switch-costs') ? { switchCosts: value('--switch-costs', '0').split(',').map(Number) } : {}),
    thresholdChoice: choice,
    pageThreshold: args.includes('--page-threshold') ? true : args.includes('--one-threshold') ? false : undefined,
    fit,
    shipped: base.rules.find((r) => r.kind === 'scorer' && (r.dom !== undefined) === html),
    progress: (m) => process.stderr.write(`${((Date.now() - started) / 1000).toFixed(0)} s: ${m}\n`),
  });
  const w = Object.entries(weights)
    .map(([k, x]) => `${k}=${x}`)
    .join(' ');
  console.log(
    `${html ? 'html' : 'text'} leave-one-source-out, ${sample > 0 ? `${sample} pages a source (seed ${seed})` : 'every page'}, weights ${w}` +
      (withoutRules.length ? `, without rules ${withoutRules.join(' ')}` : ''),
  );
  for (const line of formatLoso(rows, dist('train/sources').REPORTED_APART)) console.log(line);
  if (args.includes('--check')) {
    const floors = JSON.parse(require('node:fs').readFileSync(resolve(root, 'quality-floors.json'), 'utf8'))[`loso-${html ? 'html' : 'text'}`] ?? {};
    const low = rows.filter((r) => floors[r.source] !== undefined && Number(r.heldOut.f1.toFixed(3)) < floors[r.source]);
    for (const r of low) console.error(`${r.source}: held-out F1 ${r.heldOut.f1.toFixed(3)} < floor ${floors[r.source]}`);
    if (low.length) process.exitCode = 1;
  }
}

function kfold() {
  const folds = Number(value('--folds', 5));
  const sets = ['aeb-dev', 'readability-dev'];
  const all = sets.flatMap((name) => readSet(resolve(data, 'dev', `${name}.jsonl`)).map((d) => ({ ...d, set: name })));
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
}
