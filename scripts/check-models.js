#!/usr/bin/env node
// The trained scorer files (rules/models/*.yaml) are made by the command in their own header
// ("written by: declutter train ..."). This script runs each file's command again, into a
// temporary file, and checks that the result is the shipped file byte for byte: a change to the
// rules before the scorer, to the features or to the data shows up here instead of as figures
// nobody can reproduce. With --write it replaces the shipped files (after a change that moves the
// models: then check the quality floors, see src/train/README.md).
//
//   npm run build && node scripts/check-models.js [--write]
//
// Both trainings run at once (about a minute each on one core). Exit 1 when a file differs.
const { execFileSync, spawn } = require('node:child_process');
const { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { tmpdir } = require('node:os');

const root = resolve(__dirname, '..');
const write = process.argv.includes('--write');
const models = join(root, 'rules', 'models');
const tmp = mkdtempSync(join(tmpdir(), 'declutter-models-'));

/** The header's command as arguments for dist/cli.js, with --out pointed at `out`. */
function commandOf(file) {
  const first = readFileSync(file, 'utf8').split('\n')[0];
  const m = /written by: declutter (train .*)$/.exec(first);
  if (!m) throw new Error(`${file}: no "written by: declutter train ..." header`);
  const args = m[1].split(' ');
  const at = args.indexOf('--out');
  if (at < 0) throw new Error(`${file}: its command has no --out`);
  return { args, outAt: at + 1 };
}

function retrain(name) {
  const shipped = join(models, name);
  const { args, outAt } = commandOf(shipped);
  const out = join(tmp, name);
  const run = [...args];
  const documentedOut = run[outAt];
  run[outAt] = out;
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn(process.execPath, [join(root, 'dist', 'cli.js'), ...run], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => {
      if (code !== 0) return done({ name, error: `declutter ${run.join(' ')} exited ${code}` });
      // The header names the file it wrote: put back the documented path before comparing.
      const text = readFileSync(out, 'utf8').replace(`--out ${out}`, `--out ${documentedOut}`);
      done({ name, text, same: text === readFileSync(shipped, 'utf8'), seconds: (Date.now() - started) / 1000 });
    });
  });
}

function firstDifference(a, b) {
  const x = a.split('\n'),
    y = b.split('\n');
  const i = x.findIndex((line, k) => line !== y[k]);
  return `line ${i + 1}: shipped "${x[i] ?? ''}", retrained "${y[i] ?? ''}"`;
}

(async () => {
  const names = readdirSync(models)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const results = await Promise.all(names.map(retrain));
  let failed = false;
  for (const r of results) {
    if (r.error) {
      console.error(`${r.name}: ${r.error}`);
      failed = true;
    } else if (r.same) console.log(`${r.name}: reproduced byte for byte (${r.seconds.toFixed(0)} s)`);
    else if (write) {
      writeFileSync(join(models, r.name), r.text);
      console.log(`${r.name}: rewritten (${r.seconds.toFixed(0)} s)`);
    } else {
      console.error(`${r.name}: the documented command gives another file, ${firstDifference(readFileSync(join(models, r.name), 'utf8'), r.text)}`);
      failed = true;
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  if (failed) process.exitCode = 1;
  if (write) execFileSync(process.execPath, [join(root, 'scripts', 'precheck-rules.js')], { cwd: root, stdio: 'inherit' });
})();
