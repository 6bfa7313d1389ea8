#!/usr/bin/env node
// `node bench/html.js` (after `npm run build`): cleanHtml on one core over the aeb-dev pages' HTML.
// Prints pages/s and MB/s (MB = 10^6 bytes of UTF-8 HTML) with the average page size, the same with
// format=html (the sanitised article too), and Readability.js + jsdom on the same pages beside it.
// bench/run.js calls `htmlBench` with its own Readability figures, so they are measured once.
// A benchmark, not a test: nothing here fails on a slow machine. Quote the load average with it.
// Settings: BENCH_SECONDS (per measurement, default 5), BENCH_PEER_SECONDS (cap on Readability, 30).
'use strict';
const { loadDocs, loadAverage, fmt, passesPerSecond } = require('./lib');
const { defaultRuleSet } = require('../dist/index.js');
const { cleanHtml } = require('../dist/engine/html/index.js');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PEER_SECONDS = Number(process.env.BENCH_PEER_SECONDS ?? 30);
// The target from the HTML issue: 100 pages/s at ~140 KB pages, on one core.
const TARGET_PAGES_PER_SECOND = 100;

function pagesOf(docs) {
  return docs.filter((d) => typeof d.html === 'string' && d.html.length > 0).map((d) => d.html);
}

/** Readability.js + jsdom over the same pages (the same procedure as bench/run.js). */
function readability(pages) {
  const { JSDOM, VirtualConsole } = require('jsdom');
  const { Readability } = require('@mozilla/readability');
  const virtualConsole = new VirtualConsole();
  let done = 0;
  let bytes = 0;
  const started = performance.now();
  for (const html of pages) {
    const dom = new JSDOM(html, { url: 'https://example.com/', virtualConsole });
    new Readability(dom.window.document).parse();
    dom.window.close();
    done++;
    bytes += Buffer.byteLength(html);
    if (performance.now() - started > PEER_SECONDS * 1000) break;
  }
  const seconds = (performance.now() - started) / 1000;
  return { docs: done, of: pages.length, docsPerSec: done / seconds, htmlMBps: bytes / 1e6 / seconds };
}

/**
 * Measures cleanHtml and prints the lines; `peer` is Readability's {docsPerSec, htmlMBps} when the
 * caller has measured it already.
 */
function htmlBench(docs, peer, seconds = SECONDS) {
  const pages = pagesOf(docs);
  const set = defaultRuleSet();
  const bytes = pages.reduce((n, p) => n + Buffer.byteLength(p), 0);
  const avgKB = bytes / pages.length / 1000;
  const text = passesPerSecond(() => {
    for (const p of pages) cleanHtml(p, set);
  }, seconds);
  const html = passesPerSecond(() => {
    for (const p of pages) cleanHtml(p, set, { format: 'html' });
  }, seconds);
  const pagesPerSec = text * pages.length;
  console.log(
    `cleanHtml, one core:     ${fmt(pagesPerSec, 1)} pages/s, ${fmt((text * bytes) / 1e6, 2)} MB/s of HTML   (${pages.length} pages, avg ${fmt(avgKB, 0)} KB; target ≥ ${TARGET_PAGES_PER_SECOND} pages/s at ~140 KB)`,
  );
  console.log(
    `  with format=html:      ${fmt(html * pages.length, 1)} pages/s, ${fmt((html * bytes) / 1e6, 2)} MB/s of HTML   (the sanitised article as well)`,
  );
  if (peer) {
    console.log(
      `cleanHtml / Readability: ${fmt(pagesPerSec / peer.docsPerSec, 1)}× the pages per second on the same pages (Readability.js + jsdom: ${fmt(peer.docsPerSec, 1)} pages/s, ${fmt(peer.htmlMBps, 2)} MB/s)`,
    );
  }
  return { pages: pages.length, avgKB, pagesPerSec, MBps: (text * bytes) / 1e6, formatHtmlPagesPerSec: html * pages.length };
}

module.exports = { htmlBench };

if (require.main === module) {
  const docs = loadDocs();
  console.log(`declutter HTML bench: node ${process.version}; load average before: ${loadAverage()}`);
  const peer = readability(pagesOf(docs));
  htmlBench(docs, peer);
  console.log(`load average after: ${loadAverage()}`);
}
