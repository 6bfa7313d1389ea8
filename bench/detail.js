#!/usr/bin/env node
// Result detail (`detail=full|spans|none`, src/batch/result-line.ts) on the aeb-dev documents:
//   1. output bytes per input byte for each detail: text input (target: spans ≤ 1.5×, none ≤ 1.1×)
//      and the same pages' HTML;
//   2. serialisation CPU time per document, one core, each way side by side and interleaved:
//      what ships (resultLine) against the alternative (a smaller object built for JSON.stringify
//      for spans and none; a hand-written serializer of the whole result for full);
//   3. with a server (bench/run.js passes its own): a batch of every document at each detail, and
//      the CPU time the service's main thread spent on it (from /proc: the worker threads do the
//      cleaning, the main thread reads, copies and writes the lines).
// Usage: npm run build && node bench/detail.js   (also run by `npm run bench`)
// A benchmark, not a test: nothing here fails on a slow machine. Quote the load average with it.
// Settings: BENCH_DETAIL_ROUNDS (interleaved rounds, default 5), BENCH_DETAIL_MS (CPU ms per way per round, default 300).
'use strict';
const { readFileSync } = require('node:fs');
const { loadDocs, loadAverage, fmt, startServer, postNdjson } = require('./lib');
const { defaultRuleSet } = require('../dist/index.js');
const { cleanOne } = require('../dist/batch/clean-one.js');
const { resultLine, briefReason } = require('../dist/batch/result-line.js');

const ROUNDS = Number(process.env.BENCH_DETAIL_ROUNDS ?? 5);
const WAY_MS = Number(process.env.BENCH_DETAIL_MS ?? 300);
const DETAILS = ['full', 'spans', 'none'];

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const briefs = new WeakMap();

/** The alternative for spans and none: the compact result as an object, then JSON.stringify (briefs made once per set, as resultLine does). */
function viaObject(id, result, set, detail) {
  const out = { id, text: result.text };
  if (detail === 'spans') {
    if (!briefs.has(set)) briefs.set(set, new Map(set.defs.map((d) => [d.id, { category: d.category, reason: briefReason(d.description) }])));
    const known = briefs.get(set);
    const rules = {};
    out.removed = result.removed.map((r) => {
      if (!rules[r.rule]) rules[r.rule] = known.get(r.rule) ?? { category: r.category, reason: r.reason };
      return { start: r.start, end: r.end, rule: r.rule };
    });
    out.rules = rules;
  }
  Object.assign(out, { stats: result.stats, ruleset: result.ruleset, lang: result.lang });
  if (result.html !== undefined) out.html = result.html;
  return JSON.stringify(out);
}

/** The alternative for full: the whole result written field by field (text input's shape). */
function fullByHand(id, r) {
  let spans = '';
  for (let i = 0; i < r.removed.length; i++) {
    const s = r.removed[i];
    spans +=
      (i ? ',' : '') +
      `{"start":${s.start},"end":${s.end},"text":${JSON.stringify(s.text)},"rule":${JSON.stringify(s.rule)},"category":${JSON.stringify(s.category)},"reason":${JSON.stringify(s.reason)}}`;
  }
  const idPart = id === undefined ? '' : `"id":${JSON.stringify(id)},`;
  return `{${idPart}"text":${JSON.stringify(r.text)},"removed":[${spans}],"stats":${JSON.stringify(r.stats)},"ruleset":${JSON.stringify(r.ruleset)},"lang":${JSON.stringify(r.lang)}}`;
}

function ratios(docs, set, kind) {
  const field = kind === 'html' ? 'html' : 'text';
  const usable = docs.filter((d) => typeof d[field] === 'string' && d[field].length > 0);
  const results = usable.map((d) => ({ id: d.id, result: cleanOne(d[field], kind, set) }));
  const input = usable.reduce((n, d) => n + Buffer.byteLength(d[field]), 0);
  const bytes = Object.fromEntries(
    DETAILS.map((detail) => [detail, results.reduce((n, r) => n + Buffer.byteLength(resultLine(r.id, r.result, set, detail)), 0)]),
  );
  return { docs: usable.length, input, bytes, results };
}

/** CPU ms per document of each way, interleaved round by round so both see the same load. */
function interleaved(ways, results) {
  const spent = ways.map(() => 0);
  const docs = ways.map(() => 0);
  for (const way of ways) for (const r of results) way.run(r); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    ways.forEach((way, i) => {
      const start = cpuMs();
      let n = 0;
      do {
        for (const r of results) way.run(r);
        n += results.length;
      } while (cpuMs() - start < WAY_MS);
      spent[i] += cpuMs() - start;
      docs[i] += n;
    });
  }
  return ways.map((way, i) => ({ name: way.name, usPerDoc: (1000 * spent[i]) / docs[i] }));
}

/** utime + stime of a process's main thread, in ms (Linux: the thread whose id is the pid). */
function mainThreadMs(pid) {
  const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime), counted from the state field (3rd): indexes 11 and 12.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function serviceRuns(server, docs, reps) {
  const lines = [];
  for (let rep = 0; rep < reps; rep++) for (const d of docs) lines.push(JSON.stringify({ id: `${rep}-${d.id}`, text: d.text }));
  const out = [];
  await postNdjson(server.url, lines, { path: '/v1/clean/batch' }); // warm-up
  for (const detail of DETAILS) {
    let outBytes = 0;
    const before = mainThreadMs(server.pid);
    const r = await postNdjson(server.url, lines, { path: `/v1/clean/batch?detail=${detail}`, onResponseLine: (l) => (outBytes += Buffer.byteLength(l) + 1) });
    out.push({ detail, seconds: r.seconds, mainMs: mainThreadMs(server.pid) - before, outBytes, inBytes: r.bytesSent, lines: r.lines, errors: r.errors });
  }
  return out;
}

async function detailBench(docs = loadDocs(), server) {
  const set = defaultRuleSet();
  console.log('result detail (bench/detail.js):');
  for (const kind of ['text', 'html']) {
    const r = ratios(docs, set, kind);
    const per = DETAILS.map((d) => `${d} ${fmt(r.bytes[d] / r.input, 4)}×`).join(', ');
    const target = kind === 'text' ? '   (targets: spans ≤ 1.5×, none ≤ 1.1×)' : '';
    console.log(`  output bytes per ${kind} input byte: ${per} (${r.docs} documents, ${fmt(r.input / 1e6, 2)} MB)${target}`);
    if (kind !== 'text') continue;
    const results = r.results;
    const timed = interleaved(
      [
        { name: 'full, JSON.stringify (ships)', run: (x) => resultLine(x.id, x.result, set, 'full') },
        { name: 'full, by hand', run: (x) => fullByHand(x.id, x.result) },
        { name: 'spans, by hand (ships)', run: (x) => resultLine(x.id, x.result, set, 'spans') },
        { name: 'spans, object + JSON.stringify', run: (x) => viaObject(x.id, x.result, set, 'spans') },
        { name: 'none, by hand (ships)', run: (x) => resultLine(x.id, x.result, set, 'none') },
        { name: 'none, object + JSON.stringify', run: (x) => viaObject(x.id, x.result, set, 'none') },
      ],
      results,
    );
    for (const t of timed) console.log(`  serialise ${t.name.padEnd(32)} ${fmt(t.usPerDoc, 1)} µs CPU a document`);
  }
  if (server) {
    const reps = Number(process.env.BENCH_DETAIL_REPS ?? 5);
    for (const s of await serviceRuns(server, docs, reps)) {
      console.log(
        `  /v1/clean/batch?detail=${s.detail.padEnd(5)} ${fmt(s.inBytes / 1e6 / s.seconds, 2)} MB/s in, ${fmt(s.outBytes / 1e6, 1)} MB out, main thread ${fmt(s.mainMs, 0)} CPU ms (${fmt((1000 * s.mainMs) / s.lines, 0)} µs a document; ${s.lines} documents, ${s.errors} errors)`,
      );
    }
  }
}

module.exports = { detailBench };

if (require.main === module) {
  (async () => {
    console.log(`load average before: ${loadAverage()}`);
    const server = process.env.BENCH_DETAIL_SERVICE === '0' ? undefined : await startServer();
    try {
      await detailBench(loadDocs(), server);
    } finally {
      await server?.stop();
    }
    console.log(`load average after: ${loadAverage()}`);
  })().catch((e) => {
    console.error(`bench: ${e.stack || e.message}`);
    process.exit(1);
  });
}
