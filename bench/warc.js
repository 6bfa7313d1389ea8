#!/usr/bin/env node
// WARC input: the dev pages written as a .warc.gz (one gzip member per record, a request record
// before each response, as crawlers write them), then
//   1. the WARC reader alone, one core: gunzip, framing, warcio's HTTP parsing, charset decoding;
//   2. `declutter batch FILE.warc.gz` against `declutter batch FILE.jsonl` of the same pages as
//      {id, url, html} lines, side by side: what reading WARC adds to a batch.
// Usage: npm run build && node bench/warc.js [REPS]   (also run by `npm run bench`)
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdtempSync, writeFileSync, statSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { WARCRecord, WARCSerializer } = require('warcio');
const { CLI, REPO, loadDocs, loadAverage, fmt } = require('./lib');

async function warcOf(docs, reps) {
  const members = [];
  for (let rep = 0; rep < reps; rep++) {
    for (const [i, d] of docs.entries()) {
      const id = `<urn:uuid:00000000-0000-4000-8000-${String(rep * 1000 + i).padStart(12, '0')}>`;
      const url = new URL(d.url ?? `https://example.com/${i}`).href;
      const request = WARCRecord.create(
        { url, type: 'request', warcVersion: 'WARC/1.1', statusline: 'GET / HTTP/1.1', httpHeaders: { Host: new URL(url).host } },
        [],
      );
      members.push(Buffer.from(await WARCSerializer.serialize(request, { gzip: true })));
      const response = WARCRecord.create(
        { url, type: 'response', warcVersion: 'WARC/1.1', httpHeaders: { 'Content-Type': 'text/html; charset=utf-8' }, warcHeaders: { 'WARC-Record-ID': id } },
        [Buffer.from(d.html, 'utf8')],
      );
      members.push(Buffer.from(await WARCSerializer.serialize(response, { gzip: true })));
    }
  }
  return Buffer.concat(members);
}

async function readerAlone(data) {
  const { warcItems } = require('../dist/batch/warc');
  const { RuleSetRegistry } = require('../dist/rulesets/registry');
  const registry = RuleSetRegistry.fromDir(join(REPO, 'rules'));
  async function* chunks() {
    for (let i = 0; i < data.length; i += 64 * 1024) yield data.subarray(i, i + 64 * 1024);
  }
  const cpu = process.cpuUsage();
  let docs = 0;
  let bytes = 0;
  for await (const item of warcItems(chunks(), { source: registry, defaults: {}, maxRecordBytes: 10 * 1024 * 1024 })) {
    docs++;
    bytes += item.bytes;
  }
  const used = process.cpuUsage(cpu);
  return { docs, bytes, cpuSeconds: (used.user + used.system) / 1e6 };
}

function timedBatch(file) {
  const started = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'batch', file], { cwd: REPO, maxBuffer: 1 << 30, env: { ...process.env, DECLUTTER_RULES_DIR: '' } });
  if (r.status !== 0) throw new Error(`declutter batch ${file} failed: ${r.stderr}`);
  const lines = r.stdout.toString().split('\n').filter(Boolean);
  return {
    seconds: (performance.now() - started) / 1000,
    results: lines.length,
    errors: lines.filter((l) => /^\{"id":[^\n]*?"error":\{/.test(l.slice(0, 300))).length,
  };
}

async function warcBench(docs = loadDocs(), reps = Number(process.env.WARC_REPS ?? 2)) {
  const pages = docs.filter((d) => typeof d.html === 'string');
  const data = await warcOf(pages, reps);
  const dir = mkdtempSync(join(tmpdir(), 'declutter-warc-bench-'));
  try {
    const warc = join(dir, 'pages.warc.gz');
    const jsonl = join(dir, 'pages.jsonl');
    writeFileSync(warc, data);
    const lines = [];
    for (let rep = 0; rep < reps; rep++) {
      for (const [i, d] of pages.entries()) {
        const id = `<urn:uuid:00000000-0000-4000-8000-${String(rep * 1000 + i).padStart(12, '0')}>`;
        lines.push(JSON.stringify({ id, url: new URL(d.url ?? `https://example.com/${i}`).href, html: d.html }));
      }
    }
    writeFileSync(jsonl, lines.join('\n') + '\n');
    const htmlMB = statSync(jsonl).size / 1e6;

    const alone = await readerAlone(data);
    console.log(
      `WARC reader, one core:   ${fmt(alone.docs / alone.cpuSeconds, 0)} pages/s, ${fmt(alone.bytes / 1e6 / alone.cpuSeconds, 1)} MB/s of records (${alone.docs} pages from ${fmt(data.length / 1e6, 1)} MB .warc.gz, CPU time)`,
    );
    const viaWarc = timedBatch(warc);
    const viaJsonl = timedBatch(jsonl);
    console.log(
      `batch of a .warc.gz:     ${fmt(viaWarc.results / viaWarc.seconds, 1)} pages/s, ${fmt(htmlMB / viaWarc.seconds, 2)} MB/s of HTML (${viaWarc.results} results, ${viaWarc.errors} errors, ${fmt(viaWarc.seconds, 1)} s wall, all cores)`,
    );
    console.log(
      `batch of the same JSONL: ${fmt(viaJsonl.results / viaJsonl.seconds, 1)} pages/s, ${fmt(htmlMB / viaJsonl.seconds, 2)} MB/s of HTML (${viaJsonl.results} results, ${fmt(viaJsonl.seconds, 1)} s wall)   [load average ${loadAverage()}]`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { warcBench };

if (require.main === module) {
  warcBench(loadDocs(), Number(process.argv[2] ?? process.env.WARC_REPS ?? 2)).catch((e) => {
    console.error(`warc bench: ${e.stack || e.message}`);
    process.exit(1);
  });
}
