/**
 * The reliability suite drives real processes: `node dist/cli.js serve` on loopback with a free
 * port (PORT=0), its own copy of the rules, logs captured from stdout. `npm run test:reliability`
 * (and `npm test`) build dist/ first.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AEB_DEV, CLI, REPO_ROOT } from '../paths';

export const ARTIFACTS = resolve(REPO_ROOT, 'test-artifacts', 'reliability');

export function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test and npm run test:reliability do)`);
}

/** A rules directory of its own: a copy of the packaged rules, removed by `cleanup()`. */
export function copyRules(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'declutter-rel-rules-'));
  cpSync(resolve(REPO_ROOT, 'rules'), dir, { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Service {
  url: string;
  port: number;
  pid: number;
  child: ChildProcessWithoutNullStreams;
  /** Everything the process wrote to stdout (its JSON log lines) so far. */
  stdout(): string;
  logLines(): Record<string, any>[];
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM and wait; SIGKILL after `ms` (a guard against a hung test, not a timing claim). */
  stop(ms?: number): Promise<number | null>;
}

/** Starts `declutter serve`; resolves once it listens and has warmed up. */
export async function startService(env: Record<string, string>): Promise<Service> {
  requireBuild();
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // A test that fails or times out must not leave a service running behind it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no "listening" line in 30 s: ${out}${err}`));
    }, 30_000);
    const onData = () => {
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolveUrl(m[1]);
      }
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`declutter serve exited with ${code} before listening: ${err || out}`));
    });
  });
  // Measure the service as a load balancer would send to it: after its warm-up (or straight away when
  // it has no default set and will not be ready at all).
  await eventually(
    async () => {
      const reply = await send(url, { method: 'GET', path: '/readyz' }).catch(() => undefined);
      return reply !== undefined && !reply.body.toString('utf8').includes('"warming up"');
    },
    `the warm-up of ${url} ends`,
    60_000,
  );
  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid!,
    child,
    stdout: () => out,
    logLines: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, any>),
    exited,
    async stop(ms = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const guard = setTimeout(() => child.kill('SIGKILL'), ms);
      const code = await exited;
      clearTimeout(guard);
      return code;
    },
  };
}

/** Resident memory of a process in bytes, from /proc (Linux). */
export function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request on a connection of its own; rejects on a connection error (with its code). */
export function send(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
  timeoutMs = 60_000,
): Promise<RawReply> {
  return new Promise((resolveReply, reject) => {
    const req = http.request(`${url}${options.path}`, { method: options.method ?? 'POST', headers: options.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolveReply({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface SocketOutcome {
  /** Everything the server sent before the connection closed. */
  received: string;
  /** True when the server closed the connection (or answered in full) within the bound. */
  closed: boolean;
}

/**
 * Writes `head` on a raw connection, then whatever `drip` writes, until the server closes the
 * connection or `boundMs` passes.
 */
export function rawExchange(port: number, head: string | Buffer, boundMs: number, drip?: { every: number; bytes: string }): Promise<SocketOutcome> {
  return new Promise((resolveOutcome) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (d) => (received += d));
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      socket.write(head);
      if (drip) timer = setInterval(() => !socket.destroyed && socket.writable && socket.write(drip.bytes), drip.every);
    });
    const bound = setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      resolveOutcome({ received, closed: false });
    }, boundMs);
    socket.once('close', () => {
      clearInterval(timer);
      clearTimeout(bound);
      resolveOutcome({ received, closed: true });
    });
  });
}

/** The status line and body of a raw HTTP/1.1 answer (chunked bodies joined). */
export function parseRaw(received: string): { status: number; headers: string; body: string } | undefined {
  const m = /^HTTP\/1\.1 (\d{3}) [^\r]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(received);
  if (!m) return undefined;
  let body = m[3];
  if (/transfer-encoding: chunked/i.test(m[2])) {
    let out = '';
    let rest = body;
    for (;;) {
      const n = /^([0-9a-f]+)\r\n/i.exec(rest);
      if (!n) break;
      const size = parseInt(n[1], 16);
      if (size === 0) break;
      out += rest.slice(n[0].length, n[0].length + size);
      rest = rest.slice(n[0].length + size + 2);
    }
    body = out;
  }
  return { status: Number(m[1]), headers: m[2], body };
}

/** Polls until `check` holds; fails with `what` after `ms` (a guard against hanging). */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 20_000, every = 50): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`never happened within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** Documents of about `bytes` UTF-8 bytes of real scraped text (aeb-dev), else generated prose. */
export function sampleDocuments(count: number, bytes: number): string[] {
  const docs: string[] = [];
  if (existsSync(AEB_DEV)) {
    for (const line of readFileSync(AEB_DEV, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const text = (JSON.parse(line) as { text: string }).text;
      if (Buffer.byteLength(text) < bytes) continue;
      docs.push(
        Buffer.from(text)
          .subarray(0, bytes)
          .toString('utf8')
          .replace(/\uFFFD$/, ''),
      );
      if (docs.length === count) return docs;
    }
  }
  const sentence = 'The council approved the new budget on Tuesday after a long debate about schools, roads and the harbour. ';
  while (docs.length < count) docs.push(`Advertisement\n\n${sentence.repeat(Math.ceil(bytes / sentence.length))}`.slice(0, bytes));
  return docs;
}

/** Writes a figure file under test-artifacts/reliability, for the report and CI logs. */
export function writeFigures(name: string, figures: Record<string, unknown>): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, `${name}.json`), JSON.stringify(figures, null, 2) + '\n');

  console.log(`${name}: ${JSON.stringify(figures)}`);
}

/** A GET that answers the status, or 0 when the connection failed. */
export async function statusOf(url: string): Promise<number> {
  try {
    return (await send(url, { method: 'GET', path: '' }, 10_000)).status;
  } catch {
    return 0;
  }
}
