#!/usr/bin/env node
// Text- or HTML-engine speed of two builds of declutter, for before/after figures of a change:
// each build cleans every dev page (aeb-dev and readability-dev) with its own default rule set.
//
//   node bench/compare-builds.js OLD_ROOT NEW_ROOT [SECONDS=5] [ROUNDS=3] [text|html]
//
// A root is a checkout with `dist/` built (`git worktree add --detach /tmp/old <commit>`, link
// node_modules, `npm run build`). Prints MB of input per second of CPU time (user + system),
// which other work on a shared machine disturbs less than wall time does.
//
// Each build runs in a child process of its own, started once and warmed up, and the children
// work in turn, never at once, every 16 pages (~50 ms), so both see the same machine load; a
// round is the same whole passes over the pages for both. Both builds in one process (as this bench did
// until issue 16) made the figures depend on which was loaded first: two identical builds came out
// up to 19% apart, the two sets of compiled rules and caches sharing one heap and its collector,
// and the engine's hot functions the JIT optimised for the first build's objects.
'use strict';
const { fork } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');

const MEASURE = '--measure-one-build';

function cpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function readDocs(kind) {
  const dev = resolve(__dirname, '..', '..', 'shared', 'data', 'dev');
  return ['aeb-dev', 'readability-dev'].flatMap((set) =>
    readFileSync(resolve(dev, `${set}.jsonl`), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l)[kind]),
  );
}

/** Documents per slice: the builds take turns every ~50 ms of work, so both see the same load. */
const SLICE = 16;

/**
 * The child: loads one build, warms it up, then cleans what the parent asks. Its CPU time is
 * taken over a whole round, the waits for the other build included: work the collector or the
 * compiler does on their own threads between slices is the build's too, and waiting costs nothing.
 */
function child(root, kind) {
  const docs = readDocs(kind);
  const bytes = docs.reduce((a, t) => a + Buffer.byteLength(t), 0);
  const engine = require(resolve(root, 'dist', 'engine'));
  const { readRuleSetFile } = require(resolve(root, 'dist', 'rulesets', 'load'));
  const rules = engine.compileRuleSet(readRuleSetFile(resolve(root, 'rules', 'default.yaml')));
  const clean = kind === 'html' ? engine.cleanHtml : engine.cleanText;

  // Warm-up: about a CPU second of whole passes, so the JIT has compiled the engine first.
  const warmStart = cpuSeconds();
  let passes = 0;
  do {
    for (const doc of docs) clean(doc, rules);
    passes++;
  } while (cpuSeconds() - warmStart < 1);
  const passSeconds = (cpuSeconds() - warmStart) / passes;

  let roundStart = 0;
  process.on('message', (m) => {
    if (m.round === 'start') {
      roundStart = cpuSeconds();
      process.send({});
    } else if (m.round === 'end') {
      process.send({ seconds: cpuSeconds() - roundStart });
    } else {
      for (let i = m.from; i < m.to; i++) clean(docs[i], rules);
      process.send({});
    }
  });
  process.send({ pages: docs.length, bytes, passSeconds });
}

/** Starts a child for `root`; resolves with its greeting, ask(message) → its reply, and stop(). */
function start(root, kind) {
  const proc = fork(__filename, [MEASURE, root, kind], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let answer;
  proc.on('message', (m) => answer?.(m));
  proc.once('exit', (code) => {
    if (answer) {
      console.error(`compare-builds: the child for ${root} exited (${code})`);
      process.exit(1);
    }
  });
  const next = () =>
    new Promise((res) => {
      answer = (m) => {
        answer = undefined;
        res(m);
      };
    });
  return next().then((hello) => ({
    hello,
    ask: (message) => {
      const reply = next();
      proc.send(message);
      return reply;
    },
    stop: () => proc.disconnect(),
  }));
}

/**
 * One round: `passes` passes over the pages by both builds, slice by slice, taking turns (before
 * first in one slice, after first in the next); MB/CPU-s of each.
 */
async function round(builds, passes) {
  const { pages, bytes } = builds[0].hello;
  for (const b of builds) await b.ask({ round: 'start' });
  let turn = 0;
  for (let pass = 0; pass < passes; pass++) {
    for (let from = 0; from < pages; from += SLICE) {
      const slice = { from, to: Math.min(pages, from + SLICE) };
      const order = turn++ % 2 ? [builds[1], builds[0]] : builds;
      for (const b of order) await b.ask(slice);
    }
  }
  const out = [];
  for (const b of builds) out.push((passes * bytes) / (await b.ask({ round: 'end' })).seconds / 1e6);
  return out;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const [oldRoot, newRoot, secondsArg, roundsArg] = process.argv.slice(2);
  if (!oldRoot || !newRoot) {
    console.error('usage: node bench/compare-builds.js OLD_ROOT NEW_ROOT [SECONDS] [ROUNDS] [text|html]');
    process.exit(2);
  }
  const SECONDS = Number(secondsArg ?? 5);
  const ROUNDS = Number(roundsArg ?? 3);
  const KIND = process.argv[6] ?? 'text';
  if (KIND !== 'text' && KIND !== 'html') {
    console.error('the kind is text or html');
    process.exit(2);
  }
  const b = [],
    a = [];
  let passes;
  for (let r = 0; r < ROUNDS; r++) {
    // Fresh processes every round: how the JIT compiles the engine differs from one process to
    // the next (two processes of one build, each kept for all rounds, came out 10% apart), and that
    // luck should count as the noise it is, spread over both builds, not settle once per run.
    const [before, after] = await Promise.all([start(resolve(oldRoot), KIND), start(resolve(newRoot), KIND)]);
    if (passes === undefined) {
      const { pages, bytes, passSeconds } = before.hello;
      // Whole passes, as many as take the before build about SECONDS of CPU time.
      passes = Math.max(1, Math.round(SECONDS / passSeconds));
      console.log(
        `${pages} pages, ${(bytes / 1e6).toFixed(1)} MB of ${KIND}; ${passes} passes (~${SECONDS} CPU seconds) per build a round; each build in a process of its own, fresh every round, taking turns every ${SLICE} pages`,
      );
    }
    // Odd rounds start with the after build, so neither always goes first.
    const [x, y] = r % 2 ? (await round([after, before], passes)).reverse() : await round([before, after], passes);
    before.stop();
    after.stop();
    b.push(x);
    a.push(y);
    console.log(`before ${x.toFixed(2)} MB/CPU-s   after ${y.toFixed(2)} MB/CPU-s   after/before ${(y / x).toFixed(3)}`);
  }
  // The ratio is taken round by round, where both builds saw the same load, then its median.
  const ratios = a.map((y, i) => y / b[i]);
  console.log(
    `median: before ${median(b).toFixed(2)}   after ${median(a).toFixed(2)} MB/CPU-s   after/before ${median(ratios).toFixed(3)} (rounds ${Math.min(...ratios).toFixed(3)} to ${Math.max(...ratios).toFixed(3)})`,
  );
}

if (process.argv[2] === MEASURE) {
  child(process.argv[3], process.argv[4]);
} else {
  main().catch((e) => {
    console.error(`compare-builds: ${e.stack || e.message}`);
    process.exit(1);
  });
}
