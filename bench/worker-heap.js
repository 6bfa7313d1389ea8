#!/usr/bin/env node
// The HTML engine in a batch worker with the pool's young generation (src/batch/pool.ts,
// WORKER_YOUNG_GENERATION_MB) against V8's own: the dev pages' HTML (aeb-dev and readability-dev)
// cleaned through two one-thread pools of this build, passes taking turns, each pass's CPU time
// taken for the whole process (the worker, V8's collector threads, the main thread's share).
//
//   node bench/worker-heap.js [ROUNDS=4] [MB=the pool default]
//
// Prints pages and MB of HTML per CPU second for each, the ratio round by round, and the peak
// resident memory of the process. Quote the load average with it.
'use strict';
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { loadAverage, fmt } = require('./lib');

const ROUNDS = Number(process.argv[2] ?? 4);
const dist = resolve(__dirname, '..', 'dist');
const { CleaningPool, WORKER_YOUNG_GENERATION_MB } = require(resolve(dist, 'batch', 'pool'));
const { defaultRuleSet } = require(resolve(dist, 'index.js'));
// The pool's default is V8's own size (0); 64 MB is the size measured in stop 28.
const MB = Number(process.argv[3] ?? (WORKER_YOUNG_GENERATION_MB || 64));

function pages() {
  const dev = resolve(__dirname, '..', '..', 'shared', 'data', 'dev');
  return ['aeb-dev', 'readability-dev'].flatMap((set) =>
    readFileSync(resolve(dev, `${set}.jsonl`), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l).html),
  );
}

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

async function pass(pool, docs, set) {
  const start = cpuSeconds();
  for (let i = 0; i < docs.length; i++) {
    const outcome = await pool.clean({ id: i, text: docs[i], kind: 'html', ruleset: set });
    if (!outcome.ok) throw new Error(`page ${i}: ${outcome.reason} ${outcome.detail}`);
  }
  return cpuSeconds() - start;
}

async function main() {
  console.log(`worker heap (bench/worker-heap.js); load average before: ${loadAverage()}`);
  const docs = pages();
  const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d), 0);
  const set = defaultRuleSet();
  const pools = [
    { name: "V8's own young generation", pool: new CleaningPool({ threads: 1, docTimeoutMs: 60_000, youngGenerationMb: 0 }), seconds: [] },
    { name: `young generation ${MB} MB`, pool: new CleaningPool({ threads: 1, docTimeoutMs: 60_000, youngGenerationMb: MB }), seconds: [] },
  ];
  try {
    for (const p of pools) await pass(p.pool, docs, set); // warm-up: the worker loads, compiles the set, the JIT warms
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? [...pools].reverse() : pools;
      for (const p of order) p.seconds.push(await pass(p.pool, docs, set));
    }
  } finally {
    for (const p of pools) await p.pool.destroy();
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`${docs.length} pages, ${fmt(bytes / 1e6, 1)} MB of HTML a pass, ${ROUNDS} rounds`);
  for (const p of pools) {
    const s = median(p.seconds);
    console.log(
      `  ${p.name}: ${fmt(docs.length / s, 1)} pages/CPU-s, ${fmt(bytes / 1e6 / s, 2)} MB/CPU-s (median; passes ${p.seconds.map((x) => fmt(x, 2)).join(', ')} CPU-s)`,
    );
  }
  const ratios = pools[0].seconds.map((s, i) => s / pools[1].seconds[i]);
  console.log(`  speed ratio, round by round: ${ratios.map((r) => fmt(r, 2)).join(', ')}; median ${fmt(median(ratios), 2)}`);
  console.log(`peak resident memory of this process: ${fmt(process.resourceUsage().maxRSS / 1024, 0)} MB; load average after: ${loadAverage()}`);
}

main().catch((e) => {
  console.error(`worker-heap: ${e.stack || e.message}`);
  process.exit(1);
});
