/**
 * A throwaway PostgreSQL for the tests: `initdb` in a temp dir, a free port on loopback, the
 * unix socket in the same dir, fsync off (nothing here needs to survive a crash). PostgreSQL
 * refuses to run as root, so under root the cluster belongs to the `postgres` user (created
 * when missing) and its commands run through runuser.
 *
 * Uses the server binaries of Debian's `postgresql` package (/usr/lib/postgresql/<major>/bin,
 * installed by .ci/run), else `initdb` on the PATH. Where there is none and CI is unset, the
 * suites skip, saying so; in CI a missing PostgreSQL is a broken setup and fails.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

function findBin(): string | undefined {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const majors = readdirSync(debian)
      .filter((v) => existsSync(join(debian, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (majors.length) return join(debian, majors[0], 'bin');
  }
  const found = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  return found ? found.slice(0, found.lastIndexOf('/')) : undefined;
}

export const PG_BIN = findBin();

/** Whether the PostgreSQL suites run; warns once with the reason when they do not. */
export function postgresAvailable(suite: string): boolean {
  if (PG_BIN) return true;
  if (process.env.CI) return true; // and fails in startCluster: CI must have it
  console.warn(`${suite} SKIPPED: no PostgreSQL server here (initdb not found; apt-get install -y postgresql to run it)`);
  return false;
}

const IS_ROOT = process.getuid?.() === 0;
const PG_USER = 'postgres';

function ensureUser(): { uid: number; gid: number } {
  const id = (flag: string) => spawnSync('id', [flag, PG_USER], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    const made = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', PG_USER], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`cannot create the ${PG_USER} user to run PostgreSQL as: ${made.stderr}`);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** A command of the PostgreSQL bin dir, as the cluster's owner. */
function command(bin: string, args: string[]): [string, string[]] {
  const path = join(PG_BIN!, bin);
  return IS_ROOT ? ['runuser', ['-u', PG_USER, '--', path, ...args]] : [path, args];
}

function run(bin: string, args: string[]): Promise<void> {
  const [cmd, argv] = command(bin, args);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${bin} ${args.join(' ')} exited with ${code}: ${out}`))));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolvePort(port));
    });
    s.on('error', reject);
  });
}

export interface PgCluster {
  port: number;
  /** A connection URL for `database` (the cluster's default one when not given). */
  url(database?: string): string;
  /** Creates a fresh, empty database; answers its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast: open connections are cut, as in a database restart). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its files. */
  destroy(): Promise<void>;
}

export async function startCluster(): Promise<PgCluster> {
  if (!PG_BIN) throw new Error('PostgreSQL is not installed: apt-get install -y postgresql (CI installs it in .ci/run)');
  const dir = mkdtempSync(join(tmpdir(), 'declutter-pg-'));
  if (IS_ROOT) {
    const { uid, gid } = ensureUser();
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = () => run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  // A test run killed half-way must not leave a server behind.
  const killOnExit = () => {
    const [cmd, argv] = command('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    spawnSync(cmd, argv, { stdio: 'ignore' });
  };
  process.once('exit', killOnExit);
  try {
    await start();
  } catch (e) {
    const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
    throw new Error(`${(e as Error).message}\n${log}`, { cause: e });
  }
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let running = true;
  return {
    port,
    url,
    async createDatabase(name: string) {
      const client = new Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      await stop();
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async destroy() {
      if (running) await stop();
      running = false;
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
