#!/usr/bin/env node
// Where a batch's time goes (issue 16: POST /v1/clean/batch with detail=spans toward 20 MB/s of
// text on two cores). The ideal is every core cleaning: cores × the engine's MB per CPU second
// (cleanOne and the spans line, measured here on one core). Against it, a real `declutter serve`
// cleaning the aeb-dev texts over and over as one NDJSON batch (?detail=spans):
//   - MB/s of NDJSON input, wall time;
//   - the service's CPU time per MB of input, by thread: the main thread (reads, parses, sends to
//     the workers, writes: everything but the engine), the worker threads (told apart by their
//     nice value, worker.ts), and the rest (V8's and libuv's helpers);
//   - this process's CPU per MB (the client: making the lines, reading the answer), which runs on
//     the same cores.
//
//   node bench/batch-cost.js [[NAME=value ...] ROOT ...]
//
// With checkouts given (each with dist/ built), their services are measured in turn, the batches
// alternating BENCH_BATCH_ROUNDS times (default 3), so before and after see the same load.
// NAME=value before a root is set in that service's environment only, so one build can be
// measured against itself with a setting changed (`. DECLUTTER_BATCH_GROUP_DOCS=1 .`).
// BENCH_BATCH_REPS: passes over aeb-dev per batch (default 4, ~8 MB). Quote the load average.
'use strict';
const { readFileSync, readdirSync } = require('node:fs');
const { availableParallelism } = require('node:os');
const { loadDocs, startServer, postNdjson, loadAverage, fmt, buildsFromArgs } = require('./lib');

const ROUNDS = Number(process.env.BENCH_BATCH_ROUNDS ?? 3);
const REPS = Number(process.env.BENCH_BATCH_REPS ?? 4);
const DETAIL = process.env.BENCH_BATCH_DETAIL ?? 'spans';
/** USER_HZ: 100 on every Linux Node runs on. */
const CLOCK_TICKS = 100;

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** CPU seconds of a process's live threads by kind: main, workers (niced: worker.ts), other. */
function threadCpu(pid) {
  const out = { main: 0, workers: 0, other: 0 };
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = (Number(f[11]) + Number(f[12])) / CLOCK_TICKS;
    const nice = Number(f[16]);
    if (tid === String(pid)) out.main += seconds;
    else if (nice > 0) out.workers += seconds;
    else out.other += seconds;
  }
  return out;
}

/** The engine alone on one core, as a worker runs it: cleanOne and the result line, MB of text per CPU second. */
function engineAlone(docs, seconds = 3) {
  const { defaultRuleSet } = require('../dist/index.js');
  const { cleanOne } = require('../dist/batch/clean-one.js');
  const { resultLine } = require('../dist/batch/result-line.js');
  const set = defaultRuleSet();
  const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d.text), 0);
  const pass = () => {
    for (const d of docs) resultLine(d.id, cleanOne(d.text, 'text', set), set, DETAIL);
  };
  pass();
  let passes = 0;
  const start = cpuSeconds();
  do {
    pass();
    passes++;
  } while (cpuSeconds() - start < seconds);
  return (passes * bytes) / (cpuSeconds() - start) / 1e6;
}

async function batchOnce(server, lines) {
  const before = threadCpu(server.pid);
  const client = cpuSeconds();
  const r = await postNdjson(server.url, lines, { path: `/v1/clean/batch?detail=${DETAIL}` });
  const after = threadCpu(server.pid);
  const mb = r.bytesSent / 1e6;
  return {
    MBps: mb / r.seconds,
    main: (after.main - before.main) / mb,
    workers: (after.workers - before.workers) / mb,
    other: (after.other - before.other) / mb,
    client: (cpuSeconds() - client) / mb,
    lines: r.lines,
    errors: r.errors,
  };
}

async function main() {
  const { roots, envs, names } = buildsFromArgs(process.argv.slice(2));
  console.log(`batch cost (bench/batch-cost.js), detail=${DETAIL}; load average before: ${loadAverage()}`);
  const docs = loadDocs();
  const engine = engineAlone(docs);
  const cores = availableParallelism();
  console.log(
    `engine alone, one core (this checkout): ${fmt(engine, 2)} MB/CPU-s of text (cleanOne + ${DETAIL} line); ideal on ${cores} cores ${fmt(cores * engine, 2)} MB/s`,
  );
  const lines = [];
  for (let rep = 0; rep < REPS; rep++) for (const d of docs) lines.push(JSON.stringify({ id: `${rep}-${d.id}`, url: d.url, text: d.text }));
  const servers = [];
  try {
    for (let k = 0; k < roots.length; k++) servers.push(await startServer(envs[k], roots[k]));
    // Warm-up: the pool starts on the first batch and each worker's JIT warms on its documents
    // (one pass over the set left the first measured batch's workers at twice their later cost).
    for (const s of servers)
      for (let i = 0; i < 3; i++) await postNdjson(s.url, lines.slice(0, lines.length / REPS), { path: `/v1/clean/batch?detail=${DETAIL}` });
    const results = roots.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < servers.length; i++) {
        const k = round % 2 ? servers.length - 1 - i : i;
        results[k].push(await batchOnce(servers[k], lines));
      }
    }
    const mb = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) / 1e6;
    console.log(`${lines.length} documents, ${fmt(mb, 1)} MB of NDJSON a batch, ${ROUNDS} rounds; CPU seconds per MB of input:`);
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    names.forEach((root, k) => {
      for (const r of results[k]) {
        console.log(
          `  ${root}: ${fmt(r.MBps, 2)} MB/s; main ${fmt(r.main, 3)}, workers ${fmt(r.workers, 3)} (engine alone ${fmt(1 / engine, 3)}), other ${fmt(r.other, 3)}, client ${fmt(r.client, 3)} CPU-s/MB (${r.lines} lines, ${r.errors} errors)`,
        );
      }
      const m = (key) => median(results[k].map((r) => r[key]));
      console.log(
        `  ${root} median: ${fmt(m('MBps'), 2)} MB/s; main ${fmt(m('main'), 3)}, workers ${fmt(m('workers'), 3)}, client ${fmt(m('client'), 3)} CPU-s/MB; main ÷ workers ${fmt(m('main') / m('workers'), 3)}`,
      );
    });
  } finally {
    for (const s of servers) await s.stop();
  }
  console.log(`load average after: ${loadAverage()}`);
}

main().catch((e) => {
  console.error(`batch-cost: ${e.stack || e.message}`);
  process.exit(1);
});
