#!/usr/bin/env node
// Text- or HTML-engine speed of two builds of declutter, side by side in one process, for
// before/after figures of a change: each build cleans every dev page (aeb-dev and readability-dev)
// with its own default rule set, alternately, so both see the same machine load.
//
//   node bench/compare-builds.js OLD_ROOT NEW_ROOT [SECONDS=5] [ROUNDS=3] [text|html]
//
// A root is a checkout with `dist/` built (`git worktree add --detach /tmp/old <commit>`, link
// node_modules, `npx tsc -p tsconfig.build.json`). Prints MB/s of input per second of the
// process's CPU time (user + system), which other work on a shared machine disturbs less than
// wall time does.
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');

const [oldRoot, newRoot, secondsArg, roundsArg] = process.argv.slice(2);
if (!oldRoot || !newRoot) {
  console.error('usage: node bench/compare-builds.js OLD_ROOT NEW_ROOT [SECONDS] [ROUNDS]');
  process.exit(2);
}
const SECONDS = Number(secondsArg ?? 5);
const ROUNDS = Number(roundsArg ?? 3);
const KIND = process.argv[6] ?? 'text';
if (KIND !== 'text' && KIND !== 'html') {
  console.error('the kind is text or html');
  process.exit(2);
}
const dev = resolve(__dirname, '..', '..', 'shared', 'data', 'dev');
const docs = ['aeb-dev', 'readability-dev'].flatMap((set) =>
  readFileSync(resolve(dev, `${set}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l)[KIND]),
);
const bytes = docs.reduce((a, t) => a + Buffer.byteLength(t), 0);

function load(root) {
  const engine = require(resolve(root, 'dist', 'engine'));
  const { readRuleSetFile } = require(resolve(root, 'dist', 'rulesets', 'load'));
  return { engine, rules: engine.compileRuleSet(readRuleSetFile(resolve(root, 'rules', 'default.yaml'))) };
}

function cpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** MB of input per CPU second over whole passes of the pages for about `seconds` of CPU time. */
function speed(build, seconds) {
  const clean = KIND === 'html' ? build.engine.cleanHtml : build.engine.cleanText;
  const start = cpuSeconds();
  let passes = 0,
    elapsed = 0;
  while (elapsed < seconds) {
    for (const doc of docs) clean(doc, build.rules);
    passes++;
    elapsed = cpuSeconds() - start;
  }
  return (passes * bytes) / elapsed / 1e6;
}

const before = load(oldRoot),
  after = load(newRoot);
speed(before, 1); // warm-up: both builds compiled by the JIT before measuring
speed(after, 1);
console.log(`${docs.length} pages, ${(bytes / 1e6).toFixed(1)} MB of ${KIND}; ${SECONDS} CPU seconds per measurement`);
for (let round = 0; round < ROUNDS; round++) {
  console.log(`before ${speed(before, SECONDS).toFixed(2)} MB/CPU-s   after ${speed(after, SECONDS).toFixed(2)} MB/CPU-s`);
}
