/**
 * What the attack suite (attacks.test.ts) measures each attack with: the answers it got, how
 * long it took, the longest a /healthz probe waited meanwhile and the service's largest resident
 * memory, kept as a table (test-artifacts/reliability/attacks.json, printed by scripts/attacks.js).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import readline from 'node:readline';
import YAML from 'yaml';
import { REPO_ROOT } from '../paths';
import { parseRaw, type RawReply } from './service';

/** The bound: a liveness probe every 200 ms never waits longer than this. */
export const HEALTHZ_MAX_WAIT_MS = 500;

/**
 * The memory limit the service is deployed with (deploy/k8s/deployment.yaml), which its
 * resident memory must stay under whatever the clients send. RELIABILITY_RSS_LIMIT_MB overrides.
 */
export function rssLimitBytes(): number {
  if (process.env.RELIABILITY_RSS_LIMIT_MB) return Number(process.env.RELIABILITY_RSS_LIMIT_MB) * 1024 * 1024;
  const manifest = YAML.parseAllDocuments(readFileSync(resolve(REPO_ROOT, 'deploy/k8s/deployment.yaml'), 'utf8')).map((d) => d.toJS());
  const deployment = manifest.find((d) => d?.kind === 'Deployment');
  const limit = String(deployment.spec.template.spec.containers[0].resources.limits.memory);
  const m = /^(\d+)(Mi|Gi)$/.exec(limit);
  if (!m) throw new Error(`unexpected memory limit ${limit} in deploy/k8s/deployment.yaml`);
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 ** 3 : 1024 ** 2);
}

export interface WatchReport {
  probes: number;
  maxWaitMs: number;
  failures: number;
  failureKinds: string[];
  rssStartBytes: number;
  rssMaxBytes: number;
  rssSamples: number;
}

export interface Watch {
  /** Starts a window: what came before no longer counts. */
  mark(): Promise<void>;
  /** Ends the window once every probe sent in it has ended. */
  report(): Promise<WatchReport>;
  close(): Promise<void>;
}

/** Starts healthz-watch.js against the service at `url` (process `pid`). */
export async function startWatch(url: string, pid: number): Promise<Watch> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [resolve(__dirname, 'healthz-watch.js'), url, String(pid)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((r) =>
    child.once('exit', () => {
      process.off('exit', killOnExit);
      r();
    }),
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const waiting: ((line: string) => void)[] = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(line));
  const ask = (command: string) =>
    new Promise<string>((resolveLine, reject) => {
      if (child.exitCode !== null) return reject(new Error(`healthz-watch exited: ${stderr}`));
      waiting.push(resolveLine);
      child.stdin.write(`${command}\n`);
    });
  return {
    async mark() {
      await ask('mark');
    },
    async report() {
      return JSON.parse(await ask('report')) as WatchReport;
    },
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}

/** One answer of an attack: the status and problem code, or how the connection failed. */
export type Answer =
  { status: number; type: string; code?: string; problemStatus?: number; retryAfter?: string; bytes: number; body: Buffer } | { error: string };

export function answerOf(reply: RawReply): Answer {
  const type = String(reply.headers['content-type'] ?? '');
  const answer: Answer = { status: reply.status, type, bytes: reply.body.length, body: reply.body };
  if (reply.headers['retry-after'] !== undefined) answer.retryAfter = String(reply.headers['retry-after']);
  if (type.startsWith('application/problem+json')) {
    try {
      const problem = JSON.parse(reply.body.toString('utf8'));
      answer.code = problem.code;
      answer.problemStatus = problem.status;
    } catch {
      // left without a code: the check below names it
    }
  }
  return answer;
}

/** The answer in what a raw connection received (service.ts's parseRaw), or undefined when there is none. */
export function answerOfRaw(received: string): Answer | undefined {
  const raw = parseRaw(received);
  if (!raw) return undefined;
  const headers: Record<string, string> = {};
  for (const line of raw.headers.split('\r\n')) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return answerOf({ status: raw.status, headers, body: Buffer.from(raw.body) });
}

/**
 * Sends one request and keeps its answer, or the connection error, as an Answer. A server may
 * answer before it has read a large body (a 503 or 413 by Content-Length) and close: the answer
 * counts as soon as it has arrived whole, whatever happens to the rest of the upload.
 */
export function attempt(url: string, options: RequestOptions, timeoutMs = ATTACK_TIMEOUT_MS): Promise<Answer> {
  return new Promise((resolveAnswer) => {
    let settled = false;
    const done = (a: Answer) => {
      if (settled) return;
      settled = true;
      resolveAnswer(a);
    };
    const req = http.request(`${url}${options.path}`, { method: options.method ?? 'POST', headers: options.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(answerOf({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) })));
      res.on('error', (e: NodeJS.ErrnoException) => done({ error: `${e.code ?? e.message} after ${res.statusCode} headers` }));
      res.on('close', () => res.complete || done({ error: `connection closed after ${res.statusCode} headers` }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer in ${timeoutMs / 1000} s`)));
    req.on('error', (e: NodeJS.ErrnoException) => done({ error: e.code ?? e.message }));
    req.end(options.body);
  });
}

export interface RequestOptions {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * How long one request of an attack may go unanswered: longer than any freeze the issue measured
 * for these sizes (25 s), so that before the fixes the table shows the freeze, not this bound.
 */
export const ATTACK_TIMEOUT_MS = 45_000;

/** "504 clean-timeout", "200", "reset (ECONNRESET)"; several answers as counts: "200 ×12, 503 overloaded ×48". */
export function describeAnswers(answers: Answer[]): string {
  const one = (a: Answer) => ('error' in a ? `no answer (${a.error})` : a.code ? `${a.status} ${a.code}` : `${a.status}`);
  const counts = new Map<string, number>();
  for (const a of answers) counts.set(one(a), (counts.get(one(a)) ?? 0) + 1);
  if (answers.length === 1) return one(answers[0]);
  return [...counts].map(([what, n]) => `${what} ×${n}`).join(', ');
}

/**
 * The rule for every answer: a 2xx, or a problem+json 4xx, 503 (`overloaded`, with
 * Retry-After) or 504; never a connection reset, a timeout or a 500. `extra` allows more statuses
 * with the problem codes the issue names for them (507 `insufficient-storage`). Answers what is
 * wrong with the answer, or undefined.
 */
export function unacceptable(answer: Answer, extra: Record<number, string> = {}): string | undefined {
  if ('error' in answer) return `no answer: ${answer.error}`;
  const { status } = answer;
  if (status >= 200 && status < 300) return undefined;
  const what = `${status} ${answer.code ?? JSON.stringify(answer.body.toString('utf8').slice(0, 100))}`;
  if (!((status >= 400 && status < 500) || status === 503 || status === 504 || extra[status] !== undefined)) return `${what}: not a 2xx, 4xx, 503 or 504`;
  if (answer.type !== 'application/problem+json; charset=utf-8' || answer.problemStatus !== status || typeof answer.code !== 'string') {
    return `${what}: not a problem+json document with its status and a code`;
  }
  if (status === 503 && (answer.code !== 'overloaded' || !/^\d+$/.test(answer.retryAfter ?? ''))) return `${what}: a 503 must be "overloaded" with Retry-After`;
  if (extra[status] !== undefined && answer.code !== extra[status]) return `${what}: expected ${extra[status]}`;
  return undefined;
}

/** What is wrong with an attack's window: the liveness and memory criteria. */
export function windowProblems(report: WatchReport, rssLimit: number, healthzBoundMs = HEALTHZ_MAX_WAIT_MS): string[] {
  const problems: string[] = [];
  if (report.failures) problems.push(`${report.failures} /healthz probes failed (${report.failureKinds.join(', ')})`);
  if (report.probes === 0) problems.push('no /healthz probe was sent');
  if (report.maxWaitMs > healthzBoundMs) problems.push(`a /healthz probe waited ${report.maxWaitMs} ms (bound ${healthzBoundMs})`);
  // Over the limit from the start: an earlier attack's memory, which the process never gave back.
  if (report.rssStartBytes >= rssLimit) problems.push(`RSS already ${mb(report.rssStartBytes)} MB at the start (limit ${mb(rssLimit)})`);
  else if (report.rssMaxBytes >= rssLimit) problems.push(`RSS reached ${mb(report.rssMaxBytes)} MB (limit ${mb(rssLimit)})`);
  return problems;
}

export interface AttackRow {
  attack: string;
  answer: string;
  attackMs: number;
  healthzMaxWaitMs: number;
  healthzProbes: number;
  healthzFailures: number;
  rssStartMB: number;
  rssMaxMB: number;
  /** "pass", or what failed. */
  verdict: string;
  /** Anything else the attack measured (output bytes, documents cleaned after an abort, ...). */
  note?: string;
}

export const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
