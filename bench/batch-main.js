#!/usr/bin/env node
// The main thread's CPU time per document of a batch (issue 16), apart from the engine: the
// pipeline of `declutter batch` and POST /v1/clean/batch (read NDJSON, parse and check each line,
// send it to a worker, take the answer back, write it in order) with the pool's workers replaced
// by a stand-in that answers at once (bench/stub/echo-worker.js). On two cores the main thread
// shares the CPU with the workers it feeds, so every millisecond here is one the engine lacks.
//
//   node bench/batch-main.js [[NAME=value ...] ROOT ...]   (default: this checkout; each with dist/ built)
//
// NAME=value before a root is set in that build's environment only (DECLUTTER_BATCH_GROUP_DOCS=1
// measures a build with documents sent one a message); the pool takes its grouping from the
// build's own config, as the service's does.
// Each build runs in a process of its own, fresh every round, and the builds take turns batch by
// batch, so before and after see the same load. Output goes to /dev/null through a stream, as
// the CLI's does. Settings: BENCH_MAIN_ROUNDS (default 5), BENCH_MAIN_REPS (passes over aeb-dev a
// batch, default 10), BENCH_MAIN_DETAIL (default spans).
'use strict';
const { fork } = require('node:child_process');
const { createWriteStream, readFileSync } = require('node:fs');
const { resolve } = require('node:path');

const CHILD = '--one-build';
const ROUNDS = Number(process.env.BENCH_MAIN_ROUNDS ?? 5);
const REPS = Number(process.env.BENCH_MAIN_REPS ?? 10);
const DETAIL = process.env.BENCH_MAIN_DETAIL ?? 'spans';

/** CPU seconds of this process's main thread (Linux: the thread whose id is the pid). */
function mainThreadSeconds() {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

async function child(root) {
  const { loadDocs } = require('./lib');
  const batch = require(resolve(root, 'dist', 'batch'));
  const { RuleSetRegistry } = require(resolve(root, 'dist', 'rulesets', 'registry'));
  const registry = RuleSetRegistry.fromDir(resolve(root, 'rules'));
  const config = require(resolve(root, 'dist', 'config')).loadConfig();
  // Builds before the setting existed have no batchGroupDocs: their own default then.
  const group = config.batchGroupDocs ? { docs: config.batchGroupDocs, chars: config.batchGroupChars } : undefined;
  const pool = new batch.CleaningPool({ threads: 2, docTimeoutMs: 10_000, group, workerFile: resolve(__dirname, 'stub', 'echo-worker.js') });
  const docs = loadDocs();
  const body = [];
  for (let rep = 0; rep < REPS; rep++) for (const d of docs) body.push(JSON.stringify({ id: `${rep}-${d.id}`, url: d.url, text: d.text }) + '\n');
  const bytes = Buffer.from(body.join(''));
  async function* chunks() {
    // As a socket or a file stream delivers them: 64 KB at a time.
    for (let at = 0; at < bytes.length; at += 65536) yield bytes.subarray(at, at + 65536);
  }
  const out = createWriteStream('/dev/null');
  const once = async () => {
    const items = batch.ndjsonItems(chunks(), { source: registry, defaults: { detail: DETAIL }, maxLineBytes: 10 * 1024 * 1024 });
    const summary = await batch.runPipeline({
      items,
      pool,
      sink: batch.streamSink(out, 16 * 1024 * 1024),
      maxInFlight: 32,
      maxInFlightBytes: 32 * 1024 * 1024,
      signal: new AbortController().signal,
    });
    if (summary.written !== docs.length * REPS || summary.errors) throw new Error(`${summary.written} lines, ${summary.errors} errors`);
  };
  await once(); // warm-up
  process.on('message', async () => {
    const start = mainThreadSeconds();
    const wall = performance.now();
    await once();
    process.send({ seconds: mainThreadSeconds() - start, wall: (performance.now() - wall) / 1000, docs: docs.length * REPS, mb: bytes.length / 1e6 });
  });
  process.on('disconnect', () => void pool.destroy());
  process.send({ ready: true });
}

function start(root, env) {
  const proc = fork(__filename, [CHILD, root], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let answer;
  proc.on('message', (m) => answer?.(m));
  const next = () => new Promise((res) => (answer = res));
  return next().then(() => ({
    measure: () => {
      const reply = next();
      proc.send({});
      return reply;
    },
    stop: () => proc.disconnect(),
  }));
}

async function main() {
  const { buildsFromArgs, loadAverage, fmt } = require('./lib');
  const { roots, envs, names } = buildsFromArgs(process.argv.slice(2));
  console.log(`batch main thread (bench/batch-main.js), detail=${DETAIL}, workers stubbed; load average before: ${loadAverage()}`);
  const results = roots.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    const builds = [];
    for (let k = 0; k < roots.length; k++) builds.push(await start(roots[k], envs[k]));
    for (let i = 0; i < roots.length; i++) {
      const k = round % 2 ? roots.length - 1 - i : i;
      results[k].push(await builds[k].measure());
    }
    for (const b of builds) b.stop();
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  names.forEach((root, k) => {
    const r = results[k];
    const us = r.map((x) => (1e6 * x.seconds) / x.docs);
    const perMB = r.map((x) => x.seconds / x.mb);
    console.log(
      `  ${root}: main thread ${us.map((u) => fmt(u, 0)).join(', ')} µs CPU a document; median ${fmt(median(us), 0)} µs, ${fmt(median(perMB), 3)} CPU-s per MB (${r[0].docs} documents, ${fmt(r[0].mb, 1)} MB)`,
    );
  });
  if (roots.length === 2) {
    // Round by round, where both builds saw the same load.
    const ratios = results[1].map((x, i) => x.seconds / x.docs / (results[0][i].seconds / results[0][i].docs));
    console.log(`  second ÷ first, round by round: ${ratios.map((r) => fmt(r, 2)).join(', ')}; median ${fmt(median(ratios), 2)}`);
  }
  console.log(`load average after: ${loadAverage()}`);
}

if (process.argv[2] === CHILD) {
  child(process.argv[3]).catch((e) => {
    console.error(`batch-main: ${e.stack || e.message}`);
    process.exit(1);
  });
} else {
  main().catch((e) => {
    console.error(`batch-main: ${e.stack || e.message}`);
    process.exit(1);
  });
}
