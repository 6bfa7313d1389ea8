#!/usr/bin/env node
// The attack suite's observer (attack-kit.ts starts it): a process of its own, so that what it
// measures is the service's answer time, not the test process being busy building a 4 MB body
// or parsing an answer. It probes GET /healthz every 200 ms on a fresh connection (as a
// Kubernetes liveness probe does) whether or not earlier probes have answered, and samples the
// service's resident memory every 100 ms.
//
//   node healthz-watch.js URL PID
//   stdin "mark\n"   → starts a window (forgets earlier probes and samples)
//   stdin "report\n" → sends one more probe, waits for every probe sent in the window to end (at
//                      most REPORT_WAIT_MS),
//                      then prints one JSON line: {probes, maxWaitMs, failures, rssStartBytes, rssMaxBytes, ...}
'use strict';
const http = require('node:http');
const { readFileSync } = require('node:fs');
const readline = require('node:readline');

const [url, pid] = process.argv.slice(2);
const PROBE_EVERY_MS = 200;
const RSS_EVERY_MS = 100;
/** A probe still unanswered after this long counts as failed with this wait: the service is frozen. */
const PROBE_TIMEOUT_MS = 120_000;
/** How long a report waits for the window's probes; longer freezes report the wait so far. */
const REPORT_WAIT_MS = 120_000;

let window = newWindow();

function newWindow() {
  return { probes: [], rssStartBytes: 0, rssMaxBytes: 0, rssSamples: 0 };
}

function rss() {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function probe() {
  const record = { sent: performance.now(), waitMs: undefined, status: undefined, error: undefined };
  window.probes.push(record);
  const done = (status, error) => {
    if (record.waitMs !== undefined) return;
    record.waitMs = performance.now() - record.sent;
    record.status = status;
    record.error = error;
  };
  const req = http.get(`${url}/healthz`, { agent: false }, (res) => {
    res.resume();
    res.on('end', () => done(res.statusCode, res.statusCode === 200 ? undefined : `status ${res.statusCode}`));
    res.on('error', (e) => done(undefined, e.code || e.message));
  });
  req.setTimeout(PROBE_TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${PROBE_TIMEOUT_MS} ms`)));
  req.on('error', (e) => done(undefined, e.code || e.message));
}

function sampleRss() {
  const bytes = rss();
  window.rssSamples++;
  if (bytes > window.rssMaxBytes) window.rssMaxBytes = bytes;
}

async function report() {
  const w = window;
  // One more probe now, so that even an attack shorter than the probe period is followed by one:
  // the service must still answer once the attack is over.
  probe();
  // Only the probes sent so far: later ones belong to whatever the test does next.
  const probes = w.probes.slice();
  const until = performance.now() + REPORT_WAIT_MS;
  while (probes.some((p) => p.waitMs === undefined) && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
  const now = performance.now();
  const waits = probes.map((p) => p.waitMs ?? now - p.sent);
  const failures = probes.filter((p) => p.waitMs === undefined || p.error !== undefined).map((p) => p.error ?? 'unanswered');
  process.stdout.write(
    JSON.stringify({
      probes: probes.length,
      maxWaitMs: Math.round(Math.max(0, ...waits)),
      failures: failures.length,
      failureKinds: [...new Set(failures)],
      rssStartBytes: w.rssStartBytes,
      rssMaxBytes: w.rssMaxBytes,
      rssSamples: w.rssSamples,
    }) + '\n',
  );
}

const probeTimer = setInterval(probe, PROBE_EVERY_MS);
const rssTimer = setInterval(sampleRss, RSS_EVERY_MS);
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'mark') {
    window = newWindow();
    sampleRss();
    window.rssStartBytes = window.rssMaxBytes;
    process.stdout.write('{"marked":true}\n');
  } else if (line === 'report') void report();
});
// The test closes stdin when it is done: stop, so no timer keeps this process alive.
process.stdin.on('end', () => {
  clearInterval(probeTimer);
  clearInterval(rssTimer);
  process.exit(0);
});
