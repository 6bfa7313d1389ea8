#!/usr/bin/env node
// Damage to clean input: the gold bodies of aeb-dev, readability-dev (../shared/data/dev) and
// l3s-gn1 (../shared/data/train) sent to the default set as text (and, with --html, wrapped as
// <article><p>…), and the share of their non-space characters that does not come back: mean
// over documents, the largest, and how many lose more than 10%. Issue 14's targets: mean ≤ 1%,
// none over 10% (text); mean ≤ 0.5% (HTML). The quality gate pins floors on these figures.
// The loss is also split by what removed it (src/train/clean-input.ts): "judged", by the rules
// that weigh the whole page (scorer, menus, teaser lists, duplicates), is damage; "named", by the
// explicit rules, is mostly furniture the gold itself holds (a byline, a copyright line).
// --worst N lists the N bodies that lose most, with the rule ids that removed their text.
//
//   npm run build && node scripts/clean-input-damage.js [--html] [--worst N]
const { resolve } = require('node:path');
const root = resolve(__dirname, '..');
const dist = (p) => require(resolve(root, 'dist', p));
const { readSet } = dist('train/data');
const { readRuleSetFile } = dist('rulesets/load');
const { compileRuleSet } = dist('engine');
const { cleanInputDamage, damageDetail } = dist('train/clean-input');

const args = process.argv.slice(2);
const html = args.includes('--html');
const worstN = args.includes('--worst') ? Number(args[args.indexOf('--worst') + 1]) : 0;
const data = resolve(root, '..', 'shared', 'data');
const ruleset = compileRuleSet(readRuleSetFile(resolve(root, 'rules', 'default.yaml')));
const sets = [
  ['aeb-dev', resolve(data, 'dev', 'aeb-dev.jsonl')],
  ['readability-dev', resolve(data, 'dev', 'readability-dev.jsonl')],
  ['l3s-gn1', resolve(data, 'train', 'l3s-gn1.jsonl')],
];
const pct = (x) => `${(100 * x).toFixed(2)}%`;
for (const [name, path] of sets) {
  const docs = readSet(path);
  const r = cleanInputDamage(docs, ruleset, { html });
  console.log(
    `${html ? 'html' : 'text'} ${name.padEnd(16)} docs ${String(r.docs).padStart(4)}  mean lost ${pct(r.mean).padStart(7)}  max ${pct(r.max).padStart(7)} (${r.worst})  over 10%: ${r.over}` +
      `  | judged: mean ${pct(r.judgedMean)}  max ${pct(r.judgedMax)}  over 10%: ${r.judgedOver}`,
  );
  if (worstN > 0) {
    const lost = docs.filter((d) => typeof d.gold === 'string' && d.gold.trim()).map((d) => [damageDetail(d.gold, ruleset, html), d.id]);
    lost.sort((a, b) => b[0].lost - a[0].lost);
    for (const [x, id] of lost.slice(0, worstN)) {
      const rules = Object.entries(x.byRule)
        .sort((a, b) => b[1] - a[1])
        .map(([rule, share]) => `${rule} ${pct(share)}`)
        .join(', ');
      console.log(`    ${pct(x.lost).padStart(7)} ${id}  named ${pct(x.named)} judged ${pct(x.judged)}${rules ? `: ${rules}` : ''}`);
    }
  }
}
