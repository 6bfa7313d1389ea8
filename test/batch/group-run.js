// Run by group.test.ts in a process of its own: inside jest a pool's replacement worker never
// takes a task. piscina (4.9) marks the workers it starts with the pool ready at once, but one
// started later (replacing a stopped one) only when its first message passes `message instanceof
// Object`; a worker's messages are made in Node's own realm, not in the vm context jest runs the
// test code (and piscina) in, so the check fails there, the worker never counts as ready, and the
// task waits until its start grace runs out. Outside jest the same code works (this file).
// Cleans IDS (comma-separated) with one thread and grouping on, and prints each outcome in input
// order, then the pool's counts. A document whose id starts with "endless"
// backtracks for ever; DECLUTTER_TEST_CRASH_ID makes a worker exit on that id (src/batch/faults.ts).
'use strict';
const { resolve } = require('node:path');
const root = resolve(__dirname, '..', '..', 'dist');
const { CleaningPool } = require(resolve(root, 'batch', 'pool'));
const { compileRuleSet, JS_REGEX } = require(resolve(root, 'engine'));

// A pattern that backtracks for ever on JavaScript's engine (shared with pool.test.ts).
const backtracking = require(resolve(__dirname, '..', 'fixtures', 'backtracking-ruleset.json'));

(async () => {
  const pool = new CleaningPool({ threads: 1, docTimeoutMs: Number(process.env.BUDGET_MS), group: { docs: Number(process.env.GROUP_DOCS), chars: 65536 } });
  const set = compileRuleSet(backtracking, undefined, { regex: JS_REGEX });
  const ids = process.env.IDS.split(',');
  // All at once: the first takes the thread, the rest wait in line and go together when it frees.
  const outcomes = await Promise.all(
    ids.map((id) => pool.cleanToBytes({ id, text: id.startsWith('endless') ? `${'a'.repeat(40)}!` : `Article ${id}.`, ruleset: set }, undefined, true)),
  );
  const out = outcomes.map((o) => (o.ok ? JSON.parse(new TextDecoder().decode(o.bytes)) : { failure: o.reason }));
  process.stdout.write(JSON.stringify({ out, stats: pool.stats() }));
  await pool.destroy();
})();
