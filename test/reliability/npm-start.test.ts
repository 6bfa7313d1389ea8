/**
 * `npm start` as a newcomer runs it: `npm start &` then `kill $!` must stop the service, not
 * only npm. npm 11 forwards SIGTERM to the script's process; the start script execs node so that
 * process is the service itself (with a plain `sh -c`, the shell died and node kept running).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../paths';
import { copyRules, eventually, requireBuild, send } from './service';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { staleReason } = require('../../scripts/ensure-build.js') as { staleReason(root: string): string | undefined };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  const rules = copyRules();
  afterAll(() => rules.cleanup());

  it('stops the service when npm gets SIGTERM: the port closes and no node process is left', async () => {
    requireBuild();
    // npm_* variables of a surrounding `npm test` would describe that run, not this one.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: REPO_ROOT,
      env: { ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DECLUTTER_RULES_DIR: rules.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npm.stdout.on('data', (d) => (out += d));
    npm.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => npm.once('exit', (code) => r(code)));
    let servicePid: number | undefined;
    try {
      // PORT=0: the service logs the address it took, and its own pid on every line.
      await eventually(() => /"url":"http:\/\/[^"]+"/.test(out), `a "listening" line from npm start: ${out}`, 60_000);
      const listening = out.split('\n').find((l) => l.includes('"declutter listening"'))!;
      const { url, pid } = JSON.parse(listening) as { url: string; pid: number };
      servicePid = pid;
      expect(servicePid).not.toBe(npm.pid);
      await eventually(async () => (await send(url, { method: 'GET', path: '/readyz' }).catch(() => ({ status: 0 }))).status === 200, 'readyz 200');

      npm.kill('SIGTERM');
      // Bounds against a hung test, not timing claims: the drain of an idle service is immediate.
      await eventually(() => npm.exitCode !== null || npm.signalCode !== null, `npm exits: ${out}`, 20_000);
      await eventually(() => !alive(pid), `the service process ${pid} exits`, 20_000);
      await expect(send(url, { method: 'GET', path: '/healthz' }, 2000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      expect(out).toContain('"msg":"closed"');
      expect(await exited).toBe(0);
    } finally {
      if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
      if (servicePid !== undefined && alive(servicePid)) process.kill(servicePid, 'SIGKILL');
    }
  });
});

describe('scripts/ensure-build.js (npm prestart)', () => {
  let root: string;
  const write = (path: string, secondsAgo: number) => {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '');
    const t = Date.now() / 1000 - secondsAgo;
    utimesSync(file, t, t);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'declutter-ensure-build-'));
    write('package.json', 100);
    write('tsconfig.json', 100);
    write('tsconfig.build.json', 100);
    write('src/server/app.ts', 100);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('builds when dist/ is missing or half built', () => {
    expect(staleReason(root)).toMatch(/missing/);
    write('dist/cli.js', 10);
    expect(staleReason(root)).toMatch(/missing/);
  });

  it('skips the build when dist/ is newer than the sources, and builds again when one changes', () => {
    write('dist/cli.js', 10);
    write('dist/dashboard/web/index.html', 10);
    expect(staleReason(root)).toBeUndefined();
    write('src/server/app.ts', 5);
    expect(staleReason(root)).toBe(`${join('src', 'server', 'app.ts')} is newer than dist/`);
    write('src/server/app.ts', 100);
    write('tsconfig.build.json', 5);
    expect(staleReason(root)).toMatch(/^tsconfig\.build\.json/);
  });

  it('takes the older of the two outputs as the stamp (a build that stopped between tsc and vite)', () => {
    write('dist/cli.js', 1);
    write('dist/dashboard/web/index.html', 200);
    expect(staleReason(root)).toMatch(/newer than dist/);
  });
});
