// The text engine beside its floor (bench/floor.js: one regex of the set's literal phrases over
// every line) in CPU time: passes over the aeb-dev texts,
// engine and floor alternately in one process, so that both see the same machine load. With
// BENCH_BEFORE=ROOT (a checkout with dist/ built, e.g. `git worktree add --detach /tmp/old main`
// plus `npx tsc -p tsconfig.build.json`) that build's engine runs in the same rotation, for
// before/after figures. Run alone: `node bench/text-floor.js` (after `npm run build`).
// Settings: BENCH_TEXT_ROUNDS (rotations, default 6).
'use strict';
const { resolve } = require('node:path');
const { loadDocs, loadAverage, fmt } = require('./lib');
const { phraseRegex, floorPass } = require('./floor');

const ROUNDS = Number(process.env.BENCH_TEXT_ROUNDS ?? 6);

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

function textFloorBench(texts, set) {
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const { re, phrases } = phraseRegex(set);
  const runners = [
    { name: 'engine (this build)', pass: cleanAll(require('../dist/index.js'), set, texts) },
    { name: `floor (${phrases} phrases, one regex)`, pass: () => floorPass(texts, re) },
  ];
  if (process.env.BENCH_BEFORE) {
    const before = require(resolve(process.env.BENCH_BEFORE, 'dist', 'index.js'));
    runners.push({ name: `engine (${process.env.BENCH_BEFORE})`, pass: cleanAll(before, before.defaultRuleSet(), texts) });
  }
  for (const r of runners) {
    r.pass(); // warm
    r.cpu = 0;
    r.passes = 0;
  }
  for (let k = 0; k < ROUNDS; k++) {
    for (const r of runners) {
      const start = cpuSeconds();
      r.pass();
      r.cpu += cpuSeconds() - start;
      r.passes++;
    }
  }
  const mbps = (r) => (r.passes * bytes) / 1e6 / r.cpu;
  const floor = mbps(runners[1]);
  for (const r of runners) {
    const ratio = r.name.startsWith('floor') ? '' : `, engine/floor 1/${fmt(floor / mbps(r), 1)}`;
    console.log(`text, CPU time, ${r.name}:`.padEnd(50) + `${fmt((r.passes * texts.length) / r.cpu, 0)} documents/CPU-s, ${fmt(mbps(r), 2)} MB/CPU-s${ratio}`);
  }
  console.log(`  (${ROUNDS} interleaved passes of ${texts.length} aeb-dev texts; target engine ≥ 15 MB/CPU-s, engine/floor ≥ 1/10; load ${loadAverage()})`);
}

function cleanAll(lib, set, texts) {
  return () => {
    for (const t of texts) lib.cleanText(t, set);
  };
}

module.exports = { textFloorBench };

if (require.main === module) {
  const { defaultRuleSet } = require('../dist/index.js');
  textFloorBench(
    loadDocs().map((d) => d.text),
    defaultRuleSet(),
  );
}
