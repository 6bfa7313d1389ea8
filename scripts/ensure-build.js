#!/usr/bin/env node
/**
 * `npm start`'s prestart: builds only when dist/ is missing or older than what it is built from,
 * so a start after the first is the ~3 s of `node dist/cli.js serve`, not a ~20 s rebuild.
 *
 * The build stamp is the older of the two last things the build writes: dist/cli.js (tsc) and
 * dist/dashboard/web/index.html (vite). A build that stopped half way leaves one of them old, so
 * the next start builds again. Any file under src/, a tsconfig*.json or package.json newer than
 * the stamp means dist/ is stale.
 *
 * `node scripts/ensure-build.js --check` only says which it is (exit 0 up to date, 1 stale).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { readdirSync, statSync } = require('node:fs');
const { join, relative, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const OUTPUTS = ['dist/cli.js', 'dist/dashboard/web/index.html'];

function mtimeOf(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The newest file under `dir` (recursively), as [mtime, path]. */
function newestUnder(dir, best = [0, '']) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newestUnder(path, best);
    else if (entry.isFile()) {
      const t = statSync(path).mtimeMs;
      if (t > best[0]) best.splice(0, 2, t, path);
    }
  }
  return best;
}

/** Why dist/ needs building, or undefined when it is up to date. */
function staleReason(root = ROOT) {
  const stamps = OUTPUTS.map((f) => mtimeOf(join(root, f)));
  if (stamps.some((t) => t === undefined)) return 'dist/ is missing or incomplete';
  const stamp = Math.min(...stamps);
  const inputs = readdirSync(root)
    .filter((f) => /^tsconfig.*\.json$/.test(f) || f === 'package.json')
    .map((f) => [statSync(join(root, f)).mtimeMs, join(root, f)]);
  inputs.push(newestUnder(join(root, 'src')));
  const newer = inputs.find(([t]) => t > stamp);
  return newer ? `${relative(root, newer[1])} is newer than dist/` : undefined;
}

function main() {
  const reason = staleReason();
  if (process.argv.includes('--check')) {
    console.log(reason ?? 'dist/ is up to date');
    process.exit(reason ? 1 : 0);
  }
  if (!reason) return;
  console.error(`building (${reason})`);
  // npm sets npm_execpath when it runs this script: the same npm builds, whichever is on PATH.
  const npmCli = process.env.npm_execpath;
  const [cmd, args] = npmCli && /\.c?js$/.test(npmCli) ? [process.execPath, [npmCli]] : ['npm', []];
  const result = spawnSync(cmd, [...args, 'run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' && cmd === 'npm' });
  if (result.error) {
    console.error(`could not run the build: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (require.main === module) main();
module.exports = { staleReason };
