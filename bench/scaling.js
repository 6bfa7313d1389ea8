#!/usr/bin/env node
// How cost grows with input size, and what a start costs (issue 16, items 5-6). Every figure is
// measured in a child process of its own, so one size's heap and JIT state do not colour the next:
//  1. text: CPU ms per MB (10^6 bytes of UTF-8 input) at 1 KB, 10 KB, 100 KB, 1 MB and 10 MB of
//     aeb-dev text dumps joined end to end (cut at a line end); small sizes are repeated over
//     different documents until the sample is long enough. Linear cost is a flat column.
//  2. HTML: CPU ms per MB of a page whose article sits inside <div>s nested 1k ... 200k deep,
//     beside a flat page of the same size (the same paragraph in sibling <div>s), and their ratio.
//  3. start-up: `require('declutter')`, loading the default set (as built: checked at build time;
//     and as a set whose text differs by one byte, parsed and checked in full), and `declutter
//     clean` of three small inputs, wall time and the process's CPU time (median of
//     BENCH_START_RUNS, default 7): a short text file (the stopword count leaves its language to
//     the detector, tinyld), the same text on standard input, and a 6 KB aeb-dev page dump (the
//     stopword count settles it). With BENCH_START_BEFORE=OLD_ROOT, the same runs of that build
//     alternate with this one's, for before/after figures under the same load.
// A benchmark, not a test: nothing here fails on a slow machine. Quote the load average with it.
//
//   node bench/scaling.js [ROOT] [--start-up]   ROOT: a checkout with dist/ built (default: this one), for before/after
//                                               figures; --start-up: the start-up figures only
// Settings: BENCH_TEXT_SIZES, BENCH_HTML_DEPTHS (comma-separated), BENCH_START_RUNS, BENCH_START_BEFORE.
'use strict';
const { spawnSync } = require('node:child_process');
const { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const ROOT = resolve(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : resolve(__dirname, '..'));
const AEB_DEV = resolve(__dirname, '..', '..', 'shared', 'data', 'dev', 'aeb-dev.jsonl');
const TEXT_SIZES = (process.env.BENCH_TEXT_SIZES ?? '1e3,1e4,1e5,1e6,1e7').split(',').map(Number);
const HTML_DEPTHS = (process.env.BENCH_HTML_DEPTHS ?? '1000,10000,50000,200000').split(',').map(Number);
const START_RUNS = Number(process.env.BENCH_START_RUNS ?? 7);
/** A size's sample grows to at least this much CPU time (small inputs are repeated over other documents). */
const MIN_SAMPLE_MS = 300;

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const sizeName = (bytes) => (bytes >= 1e6 ? `${bytes / 1e6} MB` : `${bytes / 1e3} KB`);

function texts() {
  return readFileSync(AEB_DEV, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l).text);
}

/** Documents from `first` on, joined with blank lines, cut at the last line end within `bytes`. */
function joined(docs, first, bytes) {
  let s = '';
  for (let i = first; Buffer.byteLength(s) < bytes; i++) s += docs[i % docs.length] + '\n\n';
  let n = Math.min(s.length, bytes);
  while (Buffer.byteLength(s.slice(0, n)) > bytes) n = Math.floor(n * 0.95);
  const end = s.lastIndexOf('\n', n);
  return s.slice(0, end > 0 ? end : n);
}

const PARAGRAPH =
  '<p>The council met on Tuesday to discuss the new budget, and members agreed that the plan needed more work before the vote next month.</p>\n';
const ARTICLE = `<article><h1>Budget talks</h1>${PARAGRAPH.repeat(20)}</article>`;
const HEAD = '<!doctype html><html><head><title>A page</title></head><body>';

function deepPage(depth) {
  return `${HEAD}${'<div>'.repeat(depth)}${ARTICLE}${'</div>'.repeat(depth)}</body></html>`;
}

function flatPage(bytes) {
  const unit = `<div>${PARAGRAPH}</div>\n`;
  const body = unit.repeat(Math.max(1, Math.ceil((bytes - HEAD.length - ARTICLE.length) / unit.length)));
  return `${HEAD}${ARTICLE}${body}</body></html>`;
}

/** In a child: cleans one kind of input of one size, after a warm-up, and prints {bytes, ms}. */
function child(kind, param) {
  const lib = require(resolve(ROOT, 'dist', 'index.js'));
  const set = lib.defaultRuleSet();
  if (kind === 'text') {
    const docs = texts();
    lib.cleanText(joined(docs, 0, 20_000), set);
    let bytes = 0;
    let ms = 0;
    for (let first = 0; ms < MIN_SAMPLE_MS && first < docs.length; first++) {
      const input = joined(docs, first, param);
      const t = cpuMs();
      lib.cleanText(input, set);
      ms += cpuMs() - t;
      bytes += Buffer.byteLength(input);
    }
    return { bytes, ms };
  }
  const page = kind === 'deep' ? deepPage(param) : flatPage(param);
  lib.cleanHtml(flatPage(20_000), set);
  let bytes = 0;
  let ms = 0;
  let text = '';
  while (ms < MIN_SAMPLE_MS) {
    const t = cpuMs();
    text = lib.cleanHtml(page, set).text;
    ms += cpuMs() - t;
    bytes += Buffer.byteLength(page);
  }
  return { bytes, ms, pageBytes: Buffer.byteLength(page), articleKept: text.includes('before the vote next month.') };
}

function inChild(args, env = {}) {
  // A page nested 200k deep is walked by loops, but V8's default stack is not the point here.
  const r = spawnSync(process.execPath, ['--stack-size=8000', __filename, ROOT, '--child', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`child ${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** In a child: require time, and default-set load time (from `rulesDir` when given: a copy whose text differs). */
function childStart(rulesDir) {
  const t0 = performance.now();
  const c0 = cpuMs();
  const lib = require(resolve(ROOT, 'dist', 'index.js'));
  const t1 = performance.now();
  const c1 = cpuMs();
  if (rulesDir) {
    const loaded = lib.loadRuleSets(rulesDir);
    if (!loaded.compiled.get('default')) throw new Error(loaded.errors.map((e) => e.message).join('; '));
  } else lib.defaultRuleSet();
  return { requireMs: t1 - t0, requireCpuMs: c1 - c0, setMs: performance.now() - t1, setCpuMs: cpuMs() - c1 };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** `declutter clean` of `input` with the build at `root`: wall ms, and the process's CPU ms (printed at its exit by bench/cpu-at-exit.js). */
function cliRun(root, input) {
  const cli = resolve(root, 'dist', 'cli.js');
  const args = ['--require', resolve(__dirname, 'cpu-at-exit.js'), cli, 'clean', ...(input.stdin ? [] : [input.file])];
  const t = performance.now();
  // Run from the build's own checkout, so that each reads its own rules/ (an older engine does not know a newer set's kinds).
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', input: input.stdin ? readFileSync(input.file) : undefined });
  const wall = performance.now() - t;
  if (r.status !== 0) throw new Error(`declutter clean failed: ${r.stderr}`);
  const cpu = /cpu-at-exit (\S+)/.exec(r.stderr);
  return { wall, cpu: cpu ? Number(cpu[1]) : NaN };
}

function startUp() {
  const tmp = mkdtempSync(join(tmpdir(), 'declutter-bench-'));
  const smallFile = join(tmp, 'small.txt');
  writeFileSync(smallFile, 'Home | News | Sport\n\nThe council met on Tuesday to discuss the new budget.\n\nShare on Facebook\n');
  const pageFile = join(tmp, 'page.txt');
  writeFileSync(pageFile, texts()[0]);
  const inputs = [
    { name: 'small text file', file: smallFile, note: '(language left to tinyld)' },
    { name: 'small text on stdin', file: smallFile, stdin: true, note: '(echo ... | declutter clean)' },
    {
      name: `${(Buffer.byteLength(readFileSync(pageFile)) / 1e3).toFixed(0)} KB page dump`,
      file: pageFile,
      note: '(aeb-dev; the stopword count settles the language)',
    },
  ];
  const edited = join(mkdtempSync(join(tmpdir(), 'declutter-bench-')), 'rules');
  cpSync(resolve(ROOT, 'rules'), edited, { recursive: true });
  writeFileSync(join(edited, 'default.yaml'), `${readFileSync(join(edited, 'default.yaml'), 'utf8')}\n`);
  const before = process.env.BENCH_START_BEFORE ? resolve(process.env.BENCH_START_BEFORE) : undefined;
  try {
    const built = [];
    const full = [];
    for (let i = 0; i < START_RUNS; i++) {
      built.push(inChild(['start']));
      full.push(inChild(['start', edited]));
    }
    const m = (rows, k) => median(rows.map((r) => r[k]));
    console.log(`require('declutter'):     ${fmt(m(built, 'requireMs'))} ms wall, ${fmt(m(built, 'requireCpuMs'))} ms CPU (median of ${START_RUNS} processes)`);
    console.log(`default set, as built:    ${fmt(m(built, 'setMs'))} ms wall, ${fmt(m(built, 'setCpuMs'))} ms CPU   (rules/ as checked at build time)`);
    console.log(
      `default set, full check:  ${fmt(m(full, 'setMs'))} ms wall, ${fmt(m(full, 'setCpuMs'))} ms CPU   (the same set one byte longer: YAML, schema, compile)`,
    );
    const builds = before
      ? [
          { label: 'before', root: before },
          { label: 'now', root: ROOT },
        ]
      : [{ label: '', root: ROOT }];
    for (const input of inputs) {
      const runs = builds.map(() => []);
      // Builds alternate run by run, so that both see the same load.
      for (let i = 0; i < START_RUNS; i++) builds.forEach((b, k) => runs[k].push(cliRun(b.root, input)));
      builds.forEach((b, k) => {
        const walls = runs[k].map((r) => r.wall);
        const label = `declutter clean, ${input.name}${b.label ? ` (${b.label})` : ''}:`;
        console.log(
          `${label.padEnd(48)} ${fmt(median(walls)).padStart(5)} ms wall (min ${fmt(Math.min(...walls))}), ${fmt(median(runs[k].map((r) => r.cpu)))} ms CPU   ${input.note}`,
        );
      });
    }
    console.log(`  (target: under 300 ms wall; medians of ${START_RUNS} runs)`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(resolve(edited, '..'), { recursive: true, force: true });
  }
}

function scalingBench() {
  console.log(`scaling bench: ${ROOT}, node ${process.version}, load average before: ${loadAverage()}`);
  const rows = TEXT_SIZES.map((size) => ({ size, ...inChild(['text', String(size)]) }));
  const at100k = rows.find((r) => r.size === 1e5);
  for (const r of rows) {
    const perMB = r.ms / (r.bytes / 1e6);
    const vs = at100k ? `  ${fmt(perMB / (at100k.ms / (at100k.bytes / 1e6)), 2)}× the 100 KB figure` : '';
    console.log(`text ${sizeName(r.size).padEnd(7)} ${fmt(perMB).padStart(6)} CPU ms/MB  (${fmt(r.ms)} ms over ${fmt(r.bytes / 1e6, 3)} MB)${vs}`);
  }
  console.log('  (target: 10 MB within 2× of 100 KB per MB)');
  for (const depth of HTML_DEPTHS) {
    const deep = inChild(['deep', String(depth)]);
    const flat = inChild(['flat', String(deep.pageBytes)]);
    const deepPerMB = deep.ms / (deep.bytes / 1e6);
    const flatPerMB = flat.ms / (flat.bytes / 1e6);
    console.log(
      `html depth ${String(depth).padEnd(7)} ${fmt(deepPerMB).padStart(6)} CPU ms/MB, flat page of the same size ${fmt(flatPerMB).padStart(6)}: ${fmt(deepPerMB / flatPerMB, 2)}×  (${fmt(deep.pageBytes / 1e6, 2)} MB page${deep.articleKept ? '' : ', ARTICLE LOST'})`,
    );
  }
  console.log('  (target: depth 200k within 2× per MB of a flat page)');
  startUp();
  console.log(`load average after: ${loadAverage()}`);
}

if (process.argv.includes('--child')) {
  const [kind, param] = process.argv.slice(process.argv.indexOf('--child') + 1);
  const out = kind === 'start' ? childStart(param) : child(kind, Number(param));
  process.stdout.write(`${JSON.stringify(out)}\n`);
} else if (require.main === module) {
  if (process.argv.includes('--start-up')) {
    console.log(`start-up: ${ROOT}, node ${process.version}, load average before: ${loadAverage()}`);
    startUp();
    console.log(`load average after: ${loadAverage()}`);
  } else scalingBench();
}

module.exports = { scalingBench };
