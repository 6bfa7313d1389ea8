#!/usr/bin/env node
// Streams a large generated NDJSON body (default 500 MB, BIG_BATCH_MB overrides) through
// POST /v1/clean/batch of a real server and reports the server's peak resident memory (VmHWM:
// the server process, its worker threads included) and the throughput. Usage:
//   npm run build && node bench/big-batch.js [MB]
'use strict';
const { loadDocs, startServer, postNdjson, memoryOf, loadAverage } = require('./lib');

const targetMB = Number(process.argv[2] ?? process.env.BIG_BATCH_MB ?? 500);

/** Documents of the dev set, over and over under fresh ids, until `mb` megabytes are produced. */
function* body(docs, mb) {
  const limit = mb * 1e6;
  let bytes = 0;
  for (let n = 0; bytes < limit; n++) {
    const d = docs[n % docs.length];
    const line = JSON.stringify({ id: `doc-${n}`, url: d.url, text: d.text });
    bytes += Buffer.byteLength(line) + 1;
    yield line;
  }
}

async function main() {
  const docs = loadDocs();
  // The service's default cap on one batch body (DECLUTTER_BATCH_BODY_LIMIT) may be below the
  // size measured here; raise it for this server unless the caller chose a value.
  const server = await startServer({ DECLUTTER_BATCH_BODY_LIMIT: process.env.DECLUTTER_BATCH_BODY_LIMIT || '2gb' });
  const before = memoryOf(server.pid);
  let sampled = before.rssMB;
  // Sampling VmRSS as well as reading VmHWM at the end: the samples show how memory moves.
  const timer = setInterval(() => {
    try {
      sampled = Math.max(sampled, memoryOf(server.pid).rssMB);
    } catch {
      // the server is gone; the request will report why
    }
  }, 100);
  try {
    const r = await postNdjson(server.url, body(docs, targetMB));
    clearInterval(timer);
    const after = memoryOf(server.pid);
    const out = {
      bodyMB: +(r.bytesSent / 1e6).toFixed(1),
      documents: r.lines,
      errorLines: r.errors,
      seconds: +r.seconds.toFixed(1),
      MBps: +(r.bytesSent / 1e6 / r.seconds).toFixed(1),
      rssIdleMB: +before.rssMB.toFixed(0),
      rssMaxSampledMB: +sampled.toFixed(0),
      peakRssMB: +after.peakMB.toFixed(0),
      loadAverage: loadAverage(),
    };
    console.log(`big batch: ${out.bodyMB} MB, ${out.documents} documents (${out.errorLines} error lines) in ${out.seconds} s = ${out.MBps} MB/s`);
    console.log(`server resident memory: idle ${out.rssIdleMB} MB, peak ${out.peakRssMB} MB (target < 300 MB)  [load average ${out.loadAverage}]`);
    if (process.env.BENCH_JSON) console.log(JSON.stringify(out));
  } finally {
    clearInterval(timer);
    await server.stop();
  }
}

main().catch((e) => {
  console.error(`big-batch: ${e.message}`);
  process.exit(1);
});
