#!/usr/bin/env node
// The service's single-request figures (issue 15's targets), against a real `declutter serve`:
//  1. POST /v1/clean at 100 requests/s of ~10 KB text for 10 s: p50, p99, failures;
//  2. a rate sweep: the highest rate the service sustains with p99 under 100 ms, where
//     "sustains" means at least 95% of the rate was done and nothing failed.
// Part of `npm run bench` (bench/run.js), or alone: `npm run build && node bench/service.js`.
// autocannon runs in this process, on the same cores as the service: quote the load average.
// Settings: BENCH_SERVICE_SECONDS (the 100 req/s run, default 10), BENCH_SWEEP_SECONDS (per
// rate, default 5), BENCH_SWEEP_RATES (default 100,200,300,400,500,600,800,1000,1200,1600,2000),
// BENCH_P99_MS (default 100).
'use strict';
const { availableParallelism } = require('node:os');
const { loadDocs, startServer, loadAverage, fmt, tenKBDocuments, fixedRate } = require('./lib');

const SECONDS = Number(process.env.BENCH_SERVICE_SECONDS ?? 10);
const SWEEP_SECONDS = Number(process.env.BENCH_SWEEP_SECONDS ?? 5);
const SWEEP_RATES = (process.env.BENCH_SWEEP_RATES ?? '100,200,300,400,500,600,800,1000,1200,1600,2000').split(',').map(Number);
const P99_MS = Number(process.env.BENCH_P99_MS ?? 100);
/** Below this share of the asked rate done, autocannon was held back by a service that could not keep up. */
const SUSTAINED_SHARE = 0.95;

function summary(r, rate, seconds) {
  const failed = r.errors + r.timeouts + r.non2xx;
  const done = r.requests.total / seconds;
  const sustained = failed === 0 && done >= SUSTAINED_SHARE * rate && r.latency.p99 < P99_MS;
  return { done, failed, p50: r.latency.p50, p99: r.latency.p99, sustained };
}

const line = (rate, s) =>
  `${String(rate).padStart(5)} req/s: ${fmt(s.done, 0)} req/s done, p50 ${s.p50} ms, p99 ${s.p99} ms, ${s.failed} failed${s.sustained ? '   sustained' : ''}`;

/** Runs both measurements against a server of its own; prints as it goes, resolves with the figures. */
async function serviceBench(texts) {
  const bodies = tenKBDocuments(texts);
  const avgKB = bodies.reduce((n, b) => n + Buffer.byteLength(b), 0) / bodies.length / 1000;
  console.log(
    `service bench: POST /v1/clean, text/plain, ${bodies.length} documents of ~${fmt(avgKB)} KB, ${availableParallelism()} cores, load average ${loadAverage()}`,
  );
  const server = await startServer();
  try {
    // Warm the JIT (and a worker pool, where single requests use one) as a long-running service would be.
    await fixedRate(server.url, bodies, 100, 3);
    const at100 = summary(await fixedRate(server.url, bodies, 100, SECONDS), 100, SECONDS);
    console.log(`/v1/clean at 100 req/s for ${SECONDS} s: p50 ${at100.p50} ms, p99 ${at100.p99} ms, ${at100.failed} failed (${fmt(at100.done, 0)} req/s done)`);

    console.log(`rate sweep, ${SWEEP_SECONDS} s a rate (sustained: ≥ ${SUSTAINED_SHARE * 100}% done, nothing failed, p99 < ${P99_MS} ms):`);
    let best = 0;
    let firstFail;
    for (const rate of SWEEP_RATES) {
      const s = summary(await fixedRate(server.url, bodies, rate, SWEEP_SECONDS), rate, SWEEP_SECONDS);
      console.log(line(rate, s));
      if (!s.sustained) {
        firstFail = rate;
        break;
      }
      best = rate;
    }
    // Two halvings between the last rate sustained and the first not, to the nearest 25 req/s.
    for (let step = 0; firstFail !== undefined && step < 2; step++) {
      const rate = Math.round((best + firstFail) / 2 / 25) * 25;
      if (rate <= best || rate >= firstFail) break;
      const s = summary(await fixedRate(server.url, bodies, rate, SWEEP_SECONDS), rate, SWEEP_SECONDS);
      console.log(line(rate, s));
      if (s.sustained) best = rate;
      else firstFail = rate;
    }
    console.log(
      `highest rate sustained with p99 < ${P99_MS} ms: ${best ? `${best} req/s` : `none of ${SWEEP_RATES.join(', ')}`}${firstFail === undefined ? ' (the highest tried)' : ''}`,
    );
    return { at100, sustainedRate: best };
  } finally {
    await server.stop();
  }
}

module.exports = { serviceBench };

if (require.main === module) {
  serviceBench(loadDocs().map((d) => d.text))
    .then(() => console.log(`load average after: ${loadAverage()}`))
    .catch((e) => {
      console.error(`bench: ${e.stack || e.message}`);
      process.exit(1);
    });
}
