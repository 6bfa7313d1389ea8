#!/usr/bin/env node
// The service's single-request figures (issues 15 and 16), against a real `declutter serve`:
//  1. POST /v1/clean at 100 requests/s of ~10 KB text for 10 s: p50, p99, failures, and the
//     service's CPU time per request (the least disturbed by other work on the machine), all
//     threads and the main thread alone: the main thread only reads, routes, logs and writes (the
//     engine runs in the workers), so its share is the service's overhead per request;
//  2. issue 16's target: 500 requests/s for 10 s, p99 under 25 ms and nothing failed
//     (BENCH_TARGET_RATE, BENCH_TARGET_P99_MS);
//  3. a rate sweep: the highest rate the service sustains with p99 under 100 ms, where
//     "sustains" means at least 95% of the rate was done and nothing failed.
// Part of `npm run bench` (bench/run.js), or alone: `npm run build && node bench/service.js`.
//
//   node bench/service.js [ROOT ...]
//
// With checkouts given (each with dist/ built, e.g. `git worktree add --detach /tmp/before <commit>`,
// node_modules linked, `npm run build`), each one's service is measured in turn: the 100 req/s
// runs alternate between them BENCH_SERVICE_ROUNDS times, so that before and after see the same
// load on a shared machine. autocannon runs in this process, on the same cores as the service:
// quote the load average. Settings: BENCH_SERVICE_SECONDS (the 100 req/s run, default 10),
// BENCH_SERVICE_ROUNDS (default 1), BENCH_SWEEP_SECONDS (per rate, default 5), BENCH_SWEEP_RATES
// (default 100,200,300,400,500,600,800,1000,1200,1600,2000), BENCH_P99_MS (default 100).
'use strict';
const { readFileSync } = require('node:fs');
const { availableParallelism } = require('node:os');
const { resolve } = require('node:path');
const { REPO, loadDocs, startServer, loadAverage, fmt, tenKBDocuments, cleanRequests, fixedRate } = require('./lib');

const SECONDS = Number(process.env.BENCH_SERVICE_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_SERVICE_ROUNDS ?? 1);
const SWEEP_SECONDS = Number(process.env.BENCH_SWEEP_SECONDS ?? 5);
const SWEEP_RATES = (process.env.BENCH_SWEEP_RATES ?? '100,200,300,400,500,600,800,1000,1200,1600,2000').split(',').map(Number);
const P99_MS = Number(process.env.BENCH_P99_MS ?? 100);
const WARM_UP_REQUESTS = Number(process.env.BENCH_WARM_UP_REQUESTS ?? 1000);
const TARGET_RATE = Number(process.env.BENCH_TARGET_RATE ?? 500);
const TARGET_P99_MS = Number(process.env.BENCH_TARGET_P99_MS ?? 25);
/** Below this share of the asked rate done, autocannon was held back by a service that could not keep up. */
const SUSTAINED_SHARE = 0.95;

/** User + system CPU seconds of one thread so far, from /proc (Linux). */
function threadSeconds(pid, tid) {
  // Fields after the command name, which is in parentheses and may hold spaces: utime is the 12th, stime the 13th.
  const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** CPU seconds so far of a process (all its threads, those that ended included) and of its main thread. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { all: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS, main: threadSeconds(pid, pid) };
}
/** USER_HZ: 100 on every Linux Node runs on. */
const CLOCK_TICKS = 100;

function summary(r, rate, seconds) {
  const failed = r.errors + r.timeouts + r.non2xx;
  const done = r.requests.total / seconds;
  const sustained = failed === 0 && done >= SUSTAINED_SHARE * rate && r.latency.p99 < P99_MS;
  return { done, failed, p50: r.latency.p50, p99: r.latency.p99, sustained };
}

const line = (rate, s) =>
  `${String(rate).padStart(5)} req/s: ${fmt(s.done, 0)} req/s done, p50 ${s.p50} ms, p99 ${s.p99} ms, ${s.failed} failed${s.sustained ? '   sustained' : ''}`;

/** The highest rate sustained: up the list until one is not, then two halvings to the nearest 25 req/s. */
async function sweep(url, bodies, prefix) {
  let best = 0;
  let firstFail;
  const tryRate = async (rate) => {
    const s = summary(await fixedRate(url, bodies, rate, SWEEP_SECONDS), rate, SWEEP_SECONDS);
    console.log(`${prefix}${line(rate, s)}`);
    return s.sustained;
  };
  for (const rate of SWEEP_RATES) {
    if (!(await tryRate(rate))) {
      firstFail = rate;
      break;
    }
    best = rate;
  }
  for (let step = 0; firstFail !== undefined && step < 2; step++) {
    const rate = Math.round((best + firstFail) / 2 / 25) * 25;
    if (rate <= best || rate >= firstFail) break;
    if (await tryRate(rate)) best = rate;
    else firstFail = rate;
  }
  return { best, topped: firstFail === undefined };
}

/** `count` requests, four at a time, awaited to the last (none left in flight to be cancelled). */
function warmUp(url, bodies, count) {
  return cleanRequests(url, bodies, { connections: 4, amount: count });
}

/** One fixed-rate run with the service's CPU time per request, all threads and main thread. */
async function measured(server, bodies, rate, seconds) {
  const before = cpuSeconds(server.pid);
  const r = await fixedRate(server.url, bodies, rate, seconds);
  const after = cpuSeconds(server.pid);
  const s = summary(r, rate, seconds);
  const perRequest = (x) => (x * 1000) / Math.max(1, r.requests.total);
  s.cpuMsPerRequest = perRequest(after.all - before.all);
  s.mainCpuMsPerRequest = perRequest(after.main - before.main);
  return s;
}

const cpuText = (s) => `${fmt(s.cpuMsPerRequest, 2)} ms of service CPU a request (main thread ${fmt(s.mainCpuMsPerRequest, 2)} ms)`;

/** Runs the measurements against each checkout's own server; prints as it goes, resolves with the figures. */
async function serviceBench(texts, roots = [REPO]) {
  const bodies = tenKBDocuments(texts);
  const avgKB = bodies.reduce((n, b) => n + Buffer.byteLength(b), 0) / bodies.length / 1000;
  console.log(
    `service bench: POST /v1/clean, text/plain, ${bodies.length} documents of ~${fmt(avgKB)} KB, ${availableParallelism()} cores, load average ${loadAverage()}`,
  );
  const label = (root) => (roots.length > 1 ? `[${root}] ` : '');
  const servers = [];
  try {
    for (const root of roots) {
      const server = await startServer({}, root);
      servers.push({ root, server });
      // Warm the JIT as a long-running service would be: by a number of requests, not a time (on
      // a busy machine 3 s did ~30), since each worker thread and the main thread warm their own.
      await warmUp(server.url, bodies, WARM_UP_REQUESTS);
    }
    const figures = new Map(roots.map((root) => [root, { at100: [], sustainedRate: 0 }]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const { root, server } of servers) {
        // The service's CPU time per request: what a request costs whatever the machine's load.
        const s = await measured(server, bodies, 100, SECONDS);
        figures.get(root).at100.push(s);
        console.log(
          `${label(root)}/v1/clean at 100 req/s for ${SECONDS} s: p50 ${s.p50} ms, p99 ${s.p99} ms, ${s.failed} failed (${fmt(s.done, 0)} req/s done), ${cpuText(s)}`,
        );
      }
    }
    for (const { root, server } of servers) {
      const s = await measured(server, bodies, TARGET_RATE, SECONDS);
      s.met = s.failed === 0 && s.done >= SUSTAINED_SHARE * TARGET_RATE && s.p99 < TARGET_P99_MS;
      figures.get(root).atTarget = s;
      console.log(
        `${label(root)}/v1/clean at ${TARGET_RATE} req/s for ${SECONDS} s: p50 ${s.p50} ms, p99 ${s.p99} ms, ${s.failed} failed (${fmt(s.done, 0)} req/s done), ${cpuText(s)}; target p99 < ${TARGET_P99_MS} ms, nothing failed: ${s.met ? 'met' : 'not met'}`,
      );
    }
    console.log(`rate sweep, ${SWEEP_SECONDS} s a rate (sustained: ≥ ${SUSTAINED_SHARE * 100}% done, nothing failed, p99 < ${P99_MS} ms):`);
    for (const { root, server } of servers) {
      const { best, topped } = await sweep(server.url, bodies, label(root));
      figures.get(root).sustainedRate = best;
      console.log(
        `${label(root)}highest rate sustained with p99 < ${P99_MS} ms: ${best ? `${best} req/s` : `none of ${SWEEP_RATES.join(', ')}`}${topped ? ' (the highest tried)' : ''}`,
      );
    }
    return figures;
  } finally {
    for (const { server } of servers) await server.stop();
  }
}

module.exports = { serviceBench };

if (require.main === module) {
  const roots = process.argv.slice(2).map((r) => resolve(r));
  serviceBench(
    loadDocs().map((d) => d.text),
    roots.length ? roots : undefined,
  )
    .then(() => console.log(`load average after: ${loadAverage()}`))
    .catch((e) => {
      console.error(`bench: ${e.stack || e.message}`);
      process.exit(1);
    });
}
