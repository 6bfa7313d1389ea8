#!/usr/bin/env node
// Text-engine speed of two builds of declutter, side by side in one process, for before/after
// figures of a change: each build cleans every dev page (aeb-dev and readability-dev) with its own
// default rule set, alternately, so both see the same machine load.
//
//   node bench/compare-builds.js OLD_ROOT NEW_ROOT [SECONDS=5] [ROUNDS=3]
//
// A root is a checkout with `dist/` built (`git worktree add --detach /tmp/old <commit>`, link
// node_modules, `npx tsc -p tsconfig.build.json`). Prints MB/s of input text, one core.
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');

const [oldRoot, newRoot, secondsArg, roundsArg] = process.argv.slice(2);
if (!oldRoot || !newRoot) {
  console.error('usage: node bench/compare-builds.js OLD_ROOT NEW_ROOT [SECONDS] [ROUNDS]');
  process.exit(2);
}
const SECONDS = Number(secondsArg ?? 5);
const ROUNDS = Number(roundsArg ?? 3);
const dev = resolve(__dirname, '..', '..', 'shared', 'data', 'dev');
const docs = ['aeb-dev', 'readability-dev'].flatMap((set) =>
  readFileSync(resolve(dev, `${set}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l).text),
);
const bytes = docs.reduce((a, t) => a + Buffer.byteLength(t), 0);

function load(root) {
  const engine = require(resolve(root, 'dist', 'engine'));
  const { readRuleSetFile } = require(resolve(root, 'dist', 'rulesets', 'load'));
  return { engine, rules: engine.compileRuleSet(readRuleSetFile(resolve(root, 'rules', 'default.yaml'))) };
}

/** MB/s of input over whole passes of the pages for about `seconds`. */
function speed(build, seconds) {
  const start = process.hrtime.bigint();
  let passes = 0,
    elapsed = 0;
  while (elapsed < seconds) {
    for (const text of docs) build.engine.cleanText(text, build.rules);
    passes++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  return (passes * bytes) / elapsed / 1e6;
}

const before = load(oldRoot),
  after = load(newRoot);
speed(before, 1); // warm-up: both builds compiled by the JIT before measuring
speed(after, 1);
console.log(`${docs.length} pages, ${(bytes / 1e6).toFixed(1)} MB of text; ${SECONDS} s per measurement`);
for (let round = 0; round < ROUNDS; round++) {
  console.log(`before ${speed(before, SECONDS).toFixed(2)} MB/s   after ${speed(after, SECONDS).toFixed(2)} MB/s`);
}
