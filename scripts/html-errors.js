#!/usr/bin/env node
// Error analysis of HTML cleaning held out (issue 14): where one source's leave-one-source-out
// precision and recall go, in classes rather than pages. The scorer is trained on the other
// sources exactly as `cross-validate.js --loso --html` does (100 pages a source, seed 1), then
// every block of the source's pages is matched to the gold by its word 4-grams (score.mjs's
// shingles). A page's precision loss (fp / (tp + fp)) is spread over the kept blocks outside the
// gold, its recall loss (fn / (tp + fn)) over the gold blocks dropped, each in proportion to its
// shingles; a class's figure is the mean over pages of what its blocks cost (the score is a mean
// per page). Blocks are classed by what decided them (a named rule, or the scorer), where they
// lie relative to the main content container (container.ts: before / in / after it, or "none"
// when no container was found), their length (short: under 8 words), their link density and the
// nearest named concept of their markup (vocabulary.ts) or their owner tag.
//
//   npm run build && node scripts/html-errors.js SOURCE [--pages N] [--blocks N] [--by KEYS]
//       [--model FILE] [--save-model FILE] [--in-sample]
//
// --by: which parts make a class, comma-separated, of side (P/R), decider, pos, len, links, mark,
// tag; default side,decider,pos,len,links. --pages N: the N worst pages with their classes.
// --blocks N: the N costliest blocks (text, path). --save-model FILE / --model FILE: write or
// read the held-out model (fitting takes minutes). --in-sample: train on every source.
const { resolve } = require('node:path');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const root = resolve(__dirname, '..');
const dist = (p) => require(resolve(root, 'dist', p));
const { readRuleSetFile } = dist('rulesets/load');
const { shingles, shingleMatch, aggregateShingles, tokens } = dist('scoring/metrics');
const { readSet } = dist('train/data');
const { sampleDocs, prepareSources } = dist('train/loso');
const { fitScorer, keptBy } = dist('train/train');
const { keptText, withoutScorer } = dist('train/dataset');
const { containerMask, mainContainer } = dist('engine/html/container');
const V = dist('engine/html/vocabulary');
const { goldShare, goldLineOf, lossTally, printClasses, printWorstPages } = require('./error-classes');

const args = process.argv.slice(2);
const set = args[0];
const value = (flag, fallback) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : fallback);
const pagesShown = Number(value('--pages', 0));
const blocksShown = Number(value('--blocks', 0));
const by = value('--by', 'side,decider,pos,len,links').split(',');
const data = resolve(root, '..', 'shared', 'data');
const base = readRuleSetFile(resolve(root, 'rules', 'default.yaml'));
const weights = dist('train/sources').SOURCE_WEIGHTS;
const names = ['aeb-dev', 'readability-dev', 'cleaneval', 'cleanportaleval', 'dragnet', 'l3s-gn1'];
const fileOf = (name) => resolve(data, ['aeb-dev', 'readability-dev'].includes(name) ? 'dev' : 'train', `${name}.jsonl`);
const modelFile = value('--model', '');
const needOthers = !modelFile;
const sources = names
  .filter((n) => existsSync(fileOf(n)) && (n === set || needOthers))
  .map((name) => ({
    name,
    docs: sampleDocs(
      readSet(fileOf(name)).filter((d) => typeof d.gold === 'string' && typeof d.html === 'string'),
      100,
      1,
    ),
    weight: weights[name] ?? 1,
  }));
const at = sources.findIndex((s) => s.name === set);
if (at < 0) throw new Error(`no source "${set}"`);
process.stderr.write(`preparing ${sources.map((s) => s.name).join(', ')}\n`);
const prepared = prepareSources(sources, base, { html: true });
let model;
if (modelFile) model = JSON.parse(readFileSync(modelFile, 'utf8'));
else {
  const train = args.includes('--in-sample') ? prepared.flat() : prepared.filter((_, j) => j !== at).flat();
  process.stderr.write(`fitting on ${train.length} pages\n`);
  model = fitScorer(train, { holdout: 0, seed: 1, html: true, fit: dist('train/train').HTML_FIT });
  if (args.includes('--save-model')) writeFileSync(value('--save-model', ''), JSON.stringify(model));
}

const MARKS = [
  [V.NAMED_COMMENT, 'comment'],
  [V.NAMED_SHARE, 'share'],
  [V.NAMED_SUBSCRIBE, 'subscribe'],
  [V.NAMED_RELATED, 'related'],
  [V.NAMED_AD, 'ad'],
  [V.NAMED_LEGAL, 'legal'],
  [V.NAMED_BYLINE, 'byline'],
  [V.NAMED_CAPTION, 'caption'],
  [V.NAMED_SIDEBAR, 'sidebar'],
  [V.NAMED_NAV | V.IN_NAV, 'nav'],
  [V.NAMED_FOOTER | V.IN_FOOTER, 'footer'],
  [V.NAMED_HEADER | V.IN_HEADER, 'header'],
  [V.IN_ASIDE, 'aside'],
  [V.IN_FORM, 'form'],
  [V.IN_HEADING, 'heading'],
  [V.IN_FIGURE, 'figure'],
  [V.IN_TABLE, 'table'],
  [V.IN_LIST, 'list'],
];
const markOf = (bits) => (MARKS.find(([b]) => bits & b) ?? [0, '-'])[1];
const pathOf = (el) => {
  const parts = [];
  for (let n = el; n && n.type === 'tag' && parts.length < 5; n = n.parent) {
    const cls = (n.attribs.class ?? '').trim().split(/\s+/)[0];
    parts.unshift(n.name + (n.attribs.id ? `#${n.attribs.id}` : '') + (cls ? `.${cls}` : ''));
  }
  return parts.join('>');
};

const before = withoutScorer(base);
const docs = prepared[at];
const { classes: cls, add } = lossTally();
const perDoc = [];
const pages = [];
const costly = [];
for (const t of docs) {
  const keep = keptBy(t, model);
  const text = keptText(t, keep);
  const gs = shingles(t.doc.gold);
  const m = shingleMatch(t.doc.gold, text, gs);
  perDoc.push(m);
  const ctx = t.context;
  const html = ctx.page.html;
  const mask = containerMask(ctx);
  const hasContainer = mainContainer(ctx).best !== null;
  const firstIn = mask.indexOf(1);
  const lastIn = mask.lastIndexOf(1);
  const row = new Map();
  t.features.active.forEach((b, r) => row.set(b, r));
  const goldLine = goldLineOf(t.doc.gold);
  const blocks = ctx.blocks.map((b, i) => {
    const tk = tokens(b.rest);
    const frac = goldShare(b.rest, tk, gs, goldLine);
    const r = row.get(i);
    const kept = b.removedBy < 0 && (r === undefined || keep[r] === 1) && tk.length > 0;
    const decider = b.removedBy >= 0 ? `rule ${before.rules[b.removedBy].id}` : 'scorer';
    const pos = !hasContainer ? 'none' : mask[i] ? 'in' : i < firstIn ? 'before' : i > lastIn ? 'after' : 'between';
    const chars = b.rest.trim().length || 1;
    const ld = html[i].linkChars / chars;
    return { b, i, n: tk.length, frac, kept, decider, pos, ld, info: html[i] };
  });
  const sh = (x) => Math.max(1, x.n - 3);
  let fnW = 0,
    fpW = 0;
  for (const x of blocks) {
    if (!x.kept) fnW += sh(x) * x.frac;
    else fpW += sh(x) * (1 - x.frac);
  }
  const pLoss = m[0] + m[1] ? m[1] / (m[0] + m[1]) : 0;
  const rLoss = m[0] + m[2] ? m[2] / (m[0] + m[2]) : 0;
  const pageCls = {};
  for (const x of blocks) {
    let side, v;
    if (!x.kept && x.frac > 0) {
      side = 'R';
      v = fnW ? (rLoss * sh(x) * x.frac) / fnW : 0;
    } else if (x.kept && x.frac < 1) {
      side = 'P';
      v = fpW ? (pLoss * sh(x) * (1 - x.frac)) / fpW : 0;
    } else continue;
    if (v <= 0) continue;
    const mixed = x.frac > 0.15 && x.frac < 0.85 && x.n >= 8;
    const parts = {
      side,
      decider: x.decider,
      pos: x.pos,
      len: mixed ? 'mixed' : x.n < 8 ? 'short' : 'long',
      links: x.ld >= 0.5 ? 'linked' : x.ld > 0 ? 'some-links' : 'no-links',
      mark: markOf(x.info.bits),
      tag: x.info.owner ? x.info.owner.name : '-',
    };
    const k = by.map((p) => parts[p]).join(' ');
    add(k, v, t.doc.id);
    pageCls[k] = (pageCls[k] || 0) + v;
    costly.push({ v, k, id: t.doc.id, text: x.b.rest.trim().slice(0, 90), path: x.info.owner ? pathOf(x.info.owner) : '' });
  }
  pages.push({ id: t.doc.id, p: 1 - pLoss, r: 1 - rLoss, cls: pageCls });
}
const agg = aggregateShingles(perDoc);
console.log(
  set,
  'held-out P',
  agg.precision.toFixed(3),
  'R',
  agg.recall.toFixed(3),
  'F1',
  agg.f1.toFixed(3),
  `(${docs.length} pages; classes by ${by.join(',')})`,
);
console.log('mean loss per page, pages touched (> 0.002), class');
printClasses(cls, docs.length, 0.0005);
printWorstPages(pages, pagesShown);
for (const c of costly.sort((a, b) => b.v - a.v).slice(0, blocksShown)) console.log(c.v.toFixed(3), c.id, `[${c.k}]`, JSON.stringify(c.text), c.path);
