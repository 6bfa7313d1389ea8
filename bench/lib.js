// Shared by the benchmarks: the dev set, a real server in a child process, an NDJSON client that
// streams both ways, and RSS sampling from /proc. Plain JavaScript: the benchmarks run the build.
'use strict';
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const http = require('node:http');
const { resolve } = require('node:path');
const autocannon = require('autocannon');

const REPO = resolve(__dirname, '..');
const SHARED = process.env.DECLUTTER_SHARED_DIR ? resolve(process.env.DECLUTTER_SHARED_DIR) : resolve(REPO, '..', 'shared');
const AEB_DEV = resolve(SHARED, 'data', 'dev', 'aeb-dev.jsonl');
const CLI = resolve(REPO, 'dist', 'cli.js');

/** The dev set's documents: {id, url, text, html}. */
function loadDocs(path = AEB_DEV) {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const d = JSON.parse(l);
      return { id: d.id, url: d.url, text: d.text, html: d.html };
    });
}

/** Starts `declutter serve` of the checkout at `root` (default this one) on a free port; resolves with {url, pid, child, stop()}. */
function startServer(env = {}, root = REPO) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [resolve(root, 'dist', 'cli.js'), 'serve'], {
      cwd: root,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', process.env.BENCH_SERVER_LOG ? 'inherit' : 'pipe'],
    });
    let out = '';
    const onData = (chunk) => {
      out += chunk;
      const m = /"url":"(http:[^"]+)"/.exec(out);
      if (m) {
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolvePromise({
          url: m[1],
          pid: child.pid,
          child,
          stop: () =>
            new Promise((r) => {
              child.once('exit', r);
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening: ${out.slice(-500)}`)));
  });
}

/** The level must let the "listening" line through: LOG_LEVEL=warn hides it, so ask for info. */
function startQuietServer(env = {}, root = REPO) {
  return startServer({ LOG_LEVEL: 'info', ...env }, root).then((s) => {
    s.child.stdout.resume();
    return s;
  });
}

/** `{"id":...,"error":`: only the start of a line says whether it is an error. */
const ERROR_LINE_START = /^\{"id":(?:"(?:[^"\\]|\\.)*"|[^,]*),"error":/;

/**
 * POSTs NDJSON from an iterable of strings (each a line without its newline) and reads the
 * response while still sending. Resolves with {lines, errors, bytesSent, seconds, firstLines}.
 * Without `onResponseLine` the answer is read as bytes: lines are counted at their newlines and
 * only each line's start is decoded, since this client shares the cores with the service it
 * measures (decoding 1.5× the input as text cost it ~0.02 CPU-s per MB, a third of what the
 * service's own main thread spends on a batch).
 */
function postNdjson(url, lineSource, { path = '/v1/clean/batch', onResponseLine } = {}) {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const req = http.request(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson' } });
    let bytesSent = 0;
    let lines = 0;
    let errors = 0;
    let rest = '';
    const iterator = lineSource[Symbol.iterator] ? lineSource[Symbol.iterator]() : lineSource;
    const pump = () => {
      for (;;) {
        const { value, done } = iterator.next();
        if (done) return req.end();
        const data = value + '\n';
        bytesSent += Buffer.byteLength(data);
        if (!req.write(data)) return req.once('drain', pump);
      }
    };
    req.on('response', (res) => {
      if (onResponseLine) {
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          rest += chunk;
          let nl;
          while ((nl = rest.indexOf('\n')) >= 0) {
            const line = rest.slice(0, nl);
            rest = rest.slice(nl + 1);
            lines++;
            if (ERROR_LINE_START.test(line.slice(0, 1200))) errors++;
            onResponseLine(line, lines);
          }
        });
      } else {
        let head = Buffer.alloc(0); // the start of the line under way, up to 1200 bytes
        let inLine = 0; // bytes of that line seen so far
        res.on('data', (chunk) => {
          for (let at = 0; ;) {
            const nl = chunk.indexOf(0x0a, at);
            const end = nl < 0 ? chunk.length : nl;
            if (inLine < 1200) head = Buffer.concat([head, chunk.subarray(at, Math.min(end, at + 1200 - inLine))]);
            inLine += end - at;
            if (nl < 0) break;
            lines++;
            if (ERROR_LINE_START.test(head.toString('utf8'))) errors++;
            head = Buffer.alloc(0);
            inLine = 0;
            at = nl + 1;
          }
        });
      }
      res.on('end', () => resolvePromise({ status: res.statusCode, lines, errors, bytesSent, seconds: (performance.now() - started) / 1000 }));
      res.on('close', () => {
        if (!res.complete) reject(new Error(`the response broke off after ${lines} lines`));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    pump();
  });
}

/** Resident and peak resident memory of a process, in MB, from /proc (Linux). */
function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024 };
}

function loadAverage() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

/** Runs `pass` (one pass over all documents) after one warm-up pass until `seconds` have gone by. */
function passesPerSecond(pass, seconds) {
  pass();
  let passes = 0;
  const started = performance.now();
  do {
    pass();
    passes++;
  } while (performance.now() - started < seconds * 1000);
  return passes / ((performance.now() - started) / 1000);
}

/**
 * Documents of ~10 KB: consecutive texts joined (many dev pages are shorter) and cut at the last
 * line end before 10 000 characters, so every request carries about the same load.
 */
function tenKBDocuments(texts) {
  const out = [];
  let acc = '';
  for (let i = 0; out.length < texts.length; i = (i + 1) % texts.length) {
    acc = acc ? `${acc}\n${texts[i]}` : texts[i];
    if (acc.length < 10_000) continue;
    const cut = acc.lastIndexOf('\n', 10_000);
    out.push(acc.slice(0, cut > 8_000 ? cut : 10_000));
    acc = '';
  }
  return out;
}

/** POST /v1/clean under autocannon with `options` (rate, duration or amount, connections), the bodies in turn. */
function cleanRequests(url, bodies, options) {
  let i = 0;
  return autocannon({
    url: `${url}/v1/clean`,
    ...options,
    requests: [
      {
        method: 'POST',
        setupRequest(req) {
          req.headers = { ...req.headers, 'content-type': 'text/plain; charset=utf-8' };
          req.body = bodies[i++ % bodies.length];
          return req;
        },
      },
    ],
  });
}

/** POST /v1/clean under autocannon at `rate` requests a second for `seconds`, the bodies in turn. */
function fixedRate(url, bodies, rate, seconds) {
  // Enough connections that a 100 ms stall would not cap the rate: rate × 0.1 s, at least 10.
  return cleanRequests(url, bodies, { connections: Math.max(10, Math.ceil(rate / 10)), overallRate: rate, duration: seconds });
}

/**
 * Builds to compare from a bench's arguments: checkout roots, each with the NAME=value settings
 * written before it (set in that build's environment only), so one build can be measured against
 * itself with a setting changed. No root: this checkout.
 */
function buildsFromArgs(args) {
  const roots = [];
  const envs = [];
  let env = {};
  for (const arg of args) {
    const setting = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(arg);
    if (setting) env[setting[1]] = setting[2];
    else {
      roots.push(resolve(arg));
      envs.push(env);
      env = {};
    }
  }
  if (!roots.length) {
    roots.push(REPO);
    envs.push(env);
  }
  const names = roots.map((root, k) => [...Object.entries(envs[k]).map(([n, v]) => `${n}=${v}`), root].join(' '));
  return { roots, envs, names };
}

module.exports = {
  REPO,
  buildsFromArgs,
  AEB_DEV,
  CLI,
  loadDocs,
  startServer: startQuietServer,
  postNdjson,
  memoryOf,
  loadAverage,
  fmt,
  passesPerSecond,
  tenKBDocuments,
  cleanRequests,
  fixedRate,
};
