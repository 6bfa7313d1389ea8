#!/usr/bin/env node
/**
 * The attack suite's table (docs/reliability.md): each attack of test/reliability/attacks.test.ts
 * with its answer, its time, the longest /healthz wait during it and the service's largest RSS.
 *
 *   node scripts/attacks.js                     print the table of the last run
 *   node scripts/attacks.js --run               build if needed, run the suite, print its table
 *   node scripts/attacks.js --save FILE         also keep the run's figures (e.g. a "before" file)
 *   node scripts/attacks.js --compare FILE      print the last run beside the figures kept in FILE
 *   node scripts/attacks.js --from FILE         print the figures kept in FILE (docs/attacks-before.json)
 *
 * The figures come from test-artifacts/reliability/attacks.json, which the suite writes whether
 * its attacks pass or fail. Times depend on the machine and its load: the file records the load.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { copyFileSync, existsSync, readFileSync } = require('node:fs');
const { resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const FIGURES = resolve(ROOT, 'test-artifacts', 'reliability', 'attacks.json');

function option(name) {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

function run() {
  spawnSync(process.execPath, [resolve(ROOT, 'scripts', 'ensure-build.js')], { cwd: ROOT, stdio: 'inherit' });
  // The suite fails while attacks do; the table is wanted either way.
  spawnSync('npx', ['jest', '--maxWorkers=1', 'test/reliability/attacks.test.ts'], { cwd: ROOT, stdio: 'inherit' });
}

function read(path) {
  if (!existsSync(path)) {
    console.error(`attacks: no figures at ${path}: run "node scripts/attacks.js --run" first`);
    process.exit(1);
  }
  return JSON.parse(readFileSync(path, 'utf8'));
}

const seconds = (ms) => (ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`);
const waited = (ms) => (ms === undefined ? '' : ms < 1000 ? `${ms} ms` : seconds(ms));
const cell = (s) => String(s ?? '').replace(/\|/g, '\\|');

/** The commit and the load average at the start and end of a run. */
const about = (f) =>
  `commit ${f.commit ?? 'unknown'}, load average ${f.loadAverageAtStart ? `${f.loadAverageAtStart} at the start, ` : ''}${f.loadAverage} at the end`;

function table(after, before) {
  const beforeOf = new Map((before?.rows ?? []).map((r) => [r.attack, r]));
  const lines = [];
  if (before) {
    lines.push(`Before: ${about(before)}. After: ${about(after)}. Bounds: /healthz ${after.healthzBoundMs} ms, RSS ${after.rssLimitMB} MB.`, '');
    lines.push(
      '| attack | answer before | answer after | time before | time after | /healthz max before | /healthz max after | RSS max before | RSS max after | after |',
    );
    lines.push('|---|---|---|---|---|---|---|---|---|---|');
    for (const r of after.rows) {
      const b = beforeOf.get(r.attack) ?? {};
      lines.push(
        `| ${cell(r.attack)} | ${cell(b.answer)} | ${cell(r.answer)} | ${seconds(b.attackMs)} | ${seconds(r.attackMs)} | ${waited(b.healthzMaxWaitMs)} | ${waited(r.healthzMaxWaitMs)} | ${b.rssMaxMB ?? ''} MB | ${r.rssMaxMB} MB | ${cell(r.verdict)} |`,
      );
    }
  } else {
    lines.push(`${about(after)}. Bounds: /healthz ${after.healthzBoundMs} ms, RSS ${after.rssLimitMB} MB.`, '');
    lines.push('| attack | answer | time | /healthz max | RSS start → max | verdict |');
    lines.push('|---|---|---|---|---|---|');
    for (const r of after.rows) {
      const verdict = r.note ? `${r.verdict} (${r.note})` : r.verdict;
      lines.push(
        `| ${cell(r.attack)} | ${cell(r.answer)} | ${seconds(r.attackMs)} | ${waited(r.healthzMaxWaitMs)} | ${r.rssStartMB} → ${r.rssMaxMB} MB | ${cell(verdict)} |`,
      );
    }
  }
  return lines.join('\n');
}

if (process.argv.includes('--run')) run();
const from = option('--from');
const figures = read(from ? resolve(from) : FIGURES);
const save = option('--save');
if (save) copyFileSync(FIGURES, resolve(save));
const compare = option('--compare');
console.log(table(figures, compare ? read(resolve(compare)) : undefined));
