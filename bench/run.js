#!/usr/bin/env node
// `npm run bench`: one run on the aeb-dev documents' text (and their HTML for the peer). Prints:
//  1. the engine on one core: documents/s and MB/s (MB = 10^6 bytes of UTF-8 input text);
//  2. the floor on the same text: one combined regular expression (every phrase and pattern of
//     the default set) tested against every block, nothing else; and the engine's ratio to it;
//  3. POST /v1/clean under autocannon at fixed rates with ~10 KB documents: requests/s, p50, p99;
//  4. POST /v1/clean/batch over all cores: MB/s of NDJSON input;
//  5. Readability.js + jsdom on the same documents' HTML, one core, and the engine's ratio to it.
//  6. cleanHtml on the same pages (bench/html.js); 7. WARC input (bench/warc.js); 8. the service's
//     single-request figures (bench/service.js); 9. result detail (bench/detail.js): output bytes
//     per input byte, serialisation CPU time and the batch at each detail; 10. scaling and start-up
//     (bench/scaling.js, also alone).
// A benchmark, not a test: nothing here fails on a slow machine. Quote the load average with it.
// Settings: BENCH_SECONDS (per in-process measurement, default 5), BENCH_RATES (default 100,500),
// BENCH_RATE_SECONDS (default 10), BENCH_BATCH_REPS (passes over the set for the batch, default 10),
// BENCH_PEER_SECONDS (cap on the Readability run, default 30).
'use strict';
const { availableParallelism } = require('node:os');
const { loadDocs, startServer, postNdjson, loadAverage, fmt, passesPerSecond: measurePasses, tenKBDocuments, fixedRate } = require('./lib');
const { cleanText, defaultRuleSet } = require('../dist/index.js');
const { combinedRegex, floorPass } = require('./floor');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RATES = (process.env.BENCH_RATES ?? '100,500').split(',').map(Number);
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 10);
const BATCH_REPS = Number(process.env.BENCH_BATCH_REPS ?? 10);
const PEER_SECONDS = Number(process.env.BENCH_PEER_SECONDS ?? 30);

const mb = (bytes) => bytes / 1e6;
/** One pass over all documents per call, measured for BENCH_SECONDS unless told otherwise. */
const passesPerSecond = (pass, seconds = SECONDS) => measurePasses(pass, seconds);

function readabilityPeer(docs) {
  const { JSDOM, VirtualConsole } = require('jsdom');
  const { Readability } = require('@mozilla/readability');
  // jsdom reports every CSS it cannot parse; that noise is not part of the measurement.
  const virtualConsole = new VirtualConsole();
  const withHtml = docs.filter((d) => typeof d.html === 'string' && d.html.length > 0);
  let done = 0;
  let htmlBytes = 0;
  let textBytes = 0;
  const started = performance.now();
  for (const d of withHtml) {
    const dom = new JSDOM(d.html, { url: d.url || 'https://example.com/', virtualConsole });
    new Readability(dom.window.document).parse();
    dom.window.close();
    done++;
    htmlBytes += Buffer.byteLength(d.html);
    textBytes += Buffer.byteLength(d.text);
    if (performance.now() - started > PEER_SECONDS * 1000) break;
  }
  const seconds = (performance.now() - started) / 1000;
  return { docs: done, of: withHtml.length, docsPerSec: done / seconds, htmlMBps: mb(htmlBytes) / seconds, avgHtmlKB: htmlBytes / done / 1000, textBytes };
}

async function main() {
  const loadBefore = loadAverage();
  const docs = loadDocs();
  const texts = docs.map((d) => d.text);
  const textBytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const set = defaultRuleSet();
  console.log(
    `declutter bench: ${docs.length} aeb-dev documents, ${fmt(mb(textBytes), 2)} MB of text (avg ${fmt(textBytes / docs.length / 1000)} KB), rule set ${set.id}@${set.version}, ${availableParallelism()} cores, node ${process.version}`,
  );
  console.log(`load average before: ${loadBefore}`);

  const engine = passesPerSecond(() => {
    for (const t of texts) cleanText(t, set);
  });
  const engineDocs = engine * docs.length;
  const engineMBps = engine * mb(textBytes);
  console.log(`engine, one core:        ${fmt(engineDocs, 0)} documents/s, ${fmt(engineMBps, 2)} MB/s   (target ≥ 15 MB/s)`);

  const { re, alternatives } = combinedRegex(set);
  const floor = passesPerSecond(() => floorPass(texts, re));
  const floorMBps = floor * mb(textBytes);
  console.log(
    `floor, one core:         ${fmt(floor * docs.length, 0)} documents/s, ${fmt(floorMBps, 2)} MB/s   (one regex of ${alternatives} alternatives over every block)`,
  );
  console.log(`engine / floor:          ${fmt(engineMBps / floorMBps, 2)} (engine MB/s ÷ floor MB/s; above 1 the engine is the faster)`);
  require('./text-floor').textFloorBench(texts, set); // the same in CPU time, interleaved (and beside BENCH_BEFORE's build)

  const server = await startServer();
  try {
    const bodies = tenKBDocuments(texts);
    const avgBody = bodies.reduce((n, b) => n + Buffer.byteLength(b), 0) / bodies.length;
    // Warm the server's JIT before measuring, as a long-running service would be.
    await fixedRate(server.url, bodies, 100, 3);
    for (const rate of RATES) {
      const r = await fixedRate(server.url, bodies, rate, RATE_SECONDS);
      const bad = r.non2xx + r.errors + r.timeouts;
      console.log(
        `/v1/clean at ${rate} req/s:  ${fmt(r.requests.average, 0)} req/s done, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${bad} failed   (${fmt(avgBody / 1000)} KB documents; target p99 < 25 ms at 500)`,
      );
    }

    // Made before the clock starts: the client shares the cores with the service it measures.
    const lines = [];
    for (let rep = 0; rep < BATCH_REPS; rep++) for (const d of docs) lines.push(JSON.stringify({ id: `${rep}-${d.id}`, url: d.url, text: d.text }));
    // The pool starts on the first batch, and each worker warms its own JIT: as long a warm-up as
    // the in-process engine had (BENCH_SECONDS), so both are measured warm.
    const warmUp = docs.map((d) => JSON.stringify({ id: d.id, url: d.url, text: d.text }));
    const warmUntil = performance.now() + SECONDS * 1000;
    while (performance.now() < warmUntil) await postNdjson(server.url, warmUp);
    const b = await postNdjson(server.url, lines);
    console.log(
      `/v1/clean/batch:         ${fmt(mb(b.bytesSent) / b.seconds, 2)} MB/s over all cores, ${fmt(b.lines / b.seconds, 0)} documents/s (${b.lines} documents, ${fmt(mb(b.bytesSent))} MB NDJSON, ${b.errors} error lines; target ≥ 20 MB/s on 2 cores)`,
    );
    await require('./detail').detailBench(docs, server); // 9. output bytes, serialisation CPU and the batch at each detail
  } finally {
    await server.stop();
  }

  const peer = readabilityPeer(docs);
  console.log(
    `Readability.js + jsdom:  ${fmt(peer.docsPerSec, 1)} documents/s, ${fmt(peer.htmlMBps, 2)} MB/s of HTML, one core (${peer.docs} of ${peer.of} documents, avg ${fmt(peer.avgHtmlKB, 0)} KB HTML)`,
  );
  console.log(`engine / Readability:    ${fmt(engineDocs / peer.docsPerSec, 1)}× the documents per second on the same pages`);
  require('./html').htmlBench(docs, peer); // 6. cleanHtml on the same pages, beside Readability
  await require('./warc').warcBench(docs); // 7. WARC input: the reader alone, and a batch of a .warc.gz beside the same JSONL
  await require('./service').serviceBench(texts); // 8. single requests: 100 req/s, and the highest rate with p99 < 100 ms
  require('./scaling').scalingBench(); // 10. CPU per MB from 1 KB to 10 MB of text and 1k to 200k deep HTML; start-up (bench/scaling.js)
  console.log(`load average after: ${loadAverage()}`);
}

main().catch((e) => {
  console.error(`bench: ${e.stack || e.message}`);
  process.exit(1);
});
