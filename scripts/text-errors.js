#!/usr/bin/env node
// Error analysis of text cleaning (issue 14): where one source's precision and recall go, in
// classes rather than pages. Each block of a page is matched to the gold by its word 4-grams
// (score.mjs's shingles); a page's lost share (fn for recall, fp for precision) is spread over
// the blocks that cause it and named by the step that decided them: a named rule, the scorer's
// region choice (nothing of the gold kept: "wrong region"), the article's edges (before its first
// / after its last kept block), gaps inside it, short lines (under 8 words), and blocks that mix
// gold and furniture (segmentation). Uses the shipped rule set on the source's fixed sample.
//
//   npm run build && node scripts/text-errors.js SOURCE [--pages N]
//
// Prints the classes by mean lost share per page (with how many pages each touches), then with
// --pages N the N worst pages and their classes.
const { resolve } = require('node:path');
const root = resolve(__dirname, '..');
const dist = (p) => require(resolve(root, 'dist', p));
const { readRuleSetFile } = dist('rulesets/load');
const { compileRuleSet, cleanText } = dist('engine');
const { runRules } = dist('engine/clean');
const { shingles, shingleMatch, aggregateShingles, tokens } = dist('scoring/metrics');
const { goldShare, goldLineOf, lossTally, printClasses, printWorstPages } = require('./error-classes');
const { readSet } = dist('train/data');
const { sampleDocs } = dist('train/loso');
const args = process.argv.slice(2);
const set = args[0];
const pagesShown = args.includes('--pages') ? Number(args[args.indexOf('--pages') + 1]) : 0;
const data = resolve(root, '..', 'shared', 'data');
const file = resolve(data, ['aeb-dev', 'readability-dev'].includes(set) ? 'dev' : 'train', `${set}.jsonl`);
const docs = sampleDocs(
  readSet(file).filter((d) => typeof d.gold === 'string'),
  100,
  1,
);
const rs = compileRuleSet(readRuleSetFile(resolve(root, 'rules/default.yaml')));
const { classes: cls, add } = lossTally();
const perDoc = [];
const pages = [];
for (const d of docs) {
  const doc = runRules(d.text, rs);
  const out = cleanText(d.text, rs);
  const gs = shingles(d.gold);
  const m = shingleMatch(d.gold, out.text, gs);
  perDoc.push(m);
  const goldLine = goldLineOf(d.gold);
  const blocks = doc.blocks.map((b) => {
    const t = tokens(b.text);
    const frac = goldShare(b.text, t, gs, goldLine);
    return { b, t: t.length, frac, kept: b.removedBy < 0, rule: b.removedBy >= 0 ? rs.rules[b.removedBy].id : '' };
  });
  const keptIdx = blocks.map((x, i) => (x.kept ? i : -1)).filter((i) => i >= 0);
  const goldKept = blocks.filter((x) => x.kept && x.frac > 0.5).length;
  const first = keptIdx.length ? keptIdx[0] : Infinity,
    last = keptIdx.length ? keptIdx[keptIdx.length - 1] : -1;
  // A block weighs as many shingles as it has (at least one); the page's fn and fp are spread by them.
  let fnW = 0,
    fpW = 0;
  for (const x of blocks) {
    const s = Math.max(1, x.t - 3);
    if (!x.kept) fnW += s * x.frac;
    else fpW += s * (1 - x.frac);
  }
  const pageCls = {};
  for (const [i, x] of blocks.entries()) {
    const s = Math.max(1, x.t - 3);
    let k, v;
    const mixed = x.frac > 0.15 && x.frac < 0.85 && x.t >= 8;
    if (!x.kept && x.frac > 0) {
      v = fnW ? (m[2] * s * x.frac) / fnW : 0;
      if (mixed) k = 'R:mixed-block(' + (x.rule === 'article-scorer' || /scorer/.test(x.rule) ? 'scorer' : x.rule) + ')';
      else if (!/scorer/.test(x.rule)) k = 'R:rule ' + x.rule;
      else if (goldKept === 0) k = 'R:scorer wrong region';
      else if (i < first) k = x.t < 8 ? 'R:scorer before-start short' : 'R:scorer before-start';
      else if (i > last) k = x.t < 8 ? 'R:scorer after-end short' : 'R:scorer after-end';
      else k = x.t < 8 ? 'R:scorer gap short' : 'R:scorer gap';
    } else if (x.kept && x.frac < 1) {
      v = fpW ? (m[1] * s * (1 - x.frac)) / fpW : 0;
      if (mixed) k = 'P:mixed-block kept';
      else if (goldKept === 0) k = 'P:wrong region';
      else k = (x.t < 8 ? 'P:short ' : 'P:') + (doc.articleShaped ? 'articleShaped' : i === first || i === last ? 'edge' : 'inside');
    }
    if (k) {
      add(k, v, d.id);
      pageCls[k] = (pageCls[k] || 0) + v;
    }
  }
  pages.push({ id: d.id, p: m[0] / (m[0] + m[1] || 1), r: m[0] / (m[0] + m[2] || 1), cls: pageCls, n: blocks.length, shaped: doc.articleShaped });
}
const agg = aggregateShingles(perDoc);
console.log(set, 'P', agg.precision.toFixed(3), 'R', agg.recall.toFixed(3), 'F1', agg.f1.toFixed(3));
printClasses(cls, docs.length);
printWorstPages(pages, pagesShown, (p) => (p.shaped ? 'SHAPED' : ''));
