/**
 * A pool of worker threads that clean documents (piscina underneath). On top of piscina it adds:
 * - one task per thread at a time, so a document's time budget counts its own work, not time
 *   spent queued behind a slow neighbour;
 * - the time budget: a task over it is aborted, piscina terminates the worker running it and
 *   starts a fresh one, and the caller gets a `timeout` outcome;
 * - cancellation by the caller's AbortSignal (a client that went away);
 * - rule sets sent by key, with the definition only to workers that have not seen it.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Piscina from 'piscina';
import type { CompiledRuleSet, OffsetUnit } from '../engine';
import type { InputKind, OutputFormat } from './clean-one';
import type { CleanTask, RuleSetPayload, TaskReply, TaskStarted } from './protocol';
import type { SpanTally } from './tally';

export interface PoolDocument {
  id: unknown;
  /** Plain text, or the HTML source when `kind` is 'html'. */
  text: string;
  /** 'text' when absent. */
  kind?: InputKind;
  /** 'html' adds the sanitised article as `html` to the result. */
  format?: OutputFormat;
  ruleset: CompiledRuleSet;
  lang?: string;
  url?: string;
  offsets?: OffsetUnit;
}

export type PoolOutcome = { ok: true; line: string; tally?: SpanTally } | { ok: false; reason: 'timeout' | 'cancelled' | 'failed'; detail: string };

export interface PoolStats {
  threads: number;
  /** Worker threads alive now: `threads` while the pool runs (a replaced worker may briefly add one), 0 once destroyed. */
  alive: number;
  /** Documents that came back with a result line. */
  completed: number;
  /** Documents the engine threw on. */
  failed: number;
  timedOut: number;
  /** Documents given up because the caller aborted (client gone), queued or running. */
  cancelled: number;
  /** Replies that arrived after their task was given up (a race of abort and finish). */
  lateReplies: number;
  /** Tasks currently in a worker. */
  running: number;
  /** Callers waiting for a free thread. */
  waiting: number;
}

export interface PoolOptions {
  threads: number;
  docTimeoutMs: number;
  /** The compiled worker entry; found next to this file or in dist/ when absent. */
  workerFile?: string;
}

/**
 * The compiled worker. Compiled, this file sits beside it in dist/batch; under ts-jest it is
 * src/batch/pool.ts and the worker is taken from dist/ (the test script builds first).
 */
export function findWorkerFile(): string {
  const candidates = [join(__dirname, 'worker.js'), resolve(__dirname, '..', '..', 'dist', 'batch', 'worker.js')];
  const found = candidates.find((f) => existsSync(f));
  if (!found) {
    throw new Error(`the batch worker is not built (looked for ${candidates.join(' and ')}): run \`npm run build\` first`);
  }
  return found;
}

/**
 * How long a task may wait for its worker to start it before it counts as timed out anyway: a
 * fresh worker loads the engine in well under a second, even on a busy machine; 30 s only trips
 * if workers cannot start at all.
 */
const START_GRACE_MS = 30_000;

let nextKey = 0;
let nextTaskId = 0;
const keys = new WeakMap<CompiledRuleSet, string>();
const payloads = new WeakMap<CompiledRuleSet, RuleSetPayload>();

/**
 * One key per compiled set object: the registry builds a new object whenever a set changes, and
 * an inline set may share its id and version with a stored one, so neither id nor version alone
 * can name what a worker has cached.
 */
function keyOf(set: CompiledRuleSet): string {
  let key = keys.get(set);
  if (!key) {
    key = `${set.id}@${set.version}#${++nextKey}`;
    keys.set(set, key);
  }
  return key;
}

function payloadOf(set: CompiledRuleSet): RuleSetPayload {
  let p = payloads.get(set);
  if (!p) {
    p = { id: set.id, version: set.version, hosts: [...set.hosts], rules: [...set.defs], regex: set.regex.name };
    payloads.set(set, p);
  }
  return p;
}

export class CleaningPool {
  private readonly piscina: Piscina<CleanTask, TaskReply>;
  private readonly threads: number;
  private readonly docTimeoutMs: number;
  private free: number;
  private readonly waiters: (() => void)[] = [];
  private counts = { completed: 0, failed: 0, timedOut: 0, cancelled: 0, lateReplies: 0 };
  private closed = false;
  /** Tasks sent but not yet started, by id: the callback starts their budget. */
  private readonly starting = new Map<number, () => void>();

  constructor(options: PoolOptions) {
    this.threads = Math.max(1, options.threads);
    this.docTimeoutMs = options.docTimeoutMs;
    this.free = this.threads;
    this.piscina = new Piscina<CleanTask, TaskReply>({
      filename: options.workerFile ?? findWorkerFile(),
      // All threads up front: a batch wants every core at once, and a replaced worker (after a
      // timeout) is started again at once rather than on the next task.
      minThreads: this.threads,
      maxThreads: this.threads,
      concurrentTasksPerWorker: 1,
      // Idle workers stay: starting one costs tens of milliseconds of loading the engine.
      idleTimeout: Infinity,
    });
    // After an abort piscina terminates the worker, but a reply the worker had already posted can
    // still arrive; piscina reports it as an 'error' event, which unhandled would end the process.
    // The task it belonged to has already been answered (as timed out or cancelled).
    this.piscina.on('error', () => {
      this.counts.lateReplies++;
    });
    this.piscina.on('message', (message: Partial<TaskStarted>) => {
      const id = message?.declutterTaskStarted;
      if (id !== undefined) this.starting.get(id)?.();
    });
  }

  stats(): PoolStats {
    return { threads: this.threads, alive: this.piscina.threads.length, ...this.counts, running: this.threads - this.free, waiting: this.waiters.length };
  }

  /** Cleans one document in a worker. Never rejects: every end is an outcome. */
  async clean(doc: PoolDocument, signal?: AbortSignal): Promise<PoolOutcome> {
    if (this.closed) return this.cancelled('the pool is closed');
    if (!(await this.acquire(signal))) return this.cancelled('the request was cancelled');
    try {
      return await this.runWithBudget(doc, signal);
    } finally {
      this.release();
    }
  }

  private cancelled(detail: string): PoolOutcome {
    this.counts.cancelled++;
    return { ok: false, reason: 'cancelled', detail };
  }

  private async runWithBudget(doc: PoolDocument, signal?: AbortSignal): Promise<PoolOutcome> {
    if (signal?.aborted) return this.cancelled('the request was cancelled');
    // One controller per task rather than AbortSignal.any(): that keeps no listener on the
    // request's signal once the task is over, however many documents the request carries.
    const task = new AbortController();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const budget = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        task.abort();
      }, ms);
    };
    // Until the worker says it has started, only the start grace runs; then the document's budget.
    const taskId = ++nextTaskId;
    this.starting.set(taskId, () => budget(this.docTimeoutMs));
    budget(this.docTimeoutMs + START_GRACE_MS);
    const onCancel = () => task.abort();
    signal?.addEventListener('abort', onCancel, { once: true });
    const message: CleanTask = {
      taskId,
      id: doc.id,
      text: doc.text,
      kind: doc.kind,
      format: doc.format,
      lang: doc.lang,
      url: doc.url,
      offsets: doc.offsets,
      rulesetKey: keyOf(doc.ruleset),
    };
    try {
      let reply = await this.piscina.run(message, { signal: task.signal });
      if ('needRuleSet' in reply) reply = await this.piscina.run({ ...message, ruleset: payloadOf(doc.ruleset) }, { signal: task.signal });
      if ('line' in reply) {
        this.counts.completed++;
        return { ok: true, line: reply.line, tally: reply.tally };
      }
      this.counts.failed++;
      return { ok: false, reason: 'failed', detail: 'failed' in reply ? reply.failed : 'the worker did not know the rule set' };
    } catch (e) {
      if (timedOut) {
        this.counts.timedOut++;
        return { ok: false, reason: 'timeout', detail: `cleaning took longer than the budget of ${this.docTimeoutMs} ms (DECLUTTER_DOC_TIMEOUT_MS)` };
      }
      if (task.signal.aborted) return this.cancelled('the request was cancelled');
      // A worker that died (out of memory, a crash in native code): piscina replaces it.
      this.counts.failed++;
      return { ok: false, reason: 'failed', detail: e instanceof Error ? e.message : String(e) };
    } finally {
      clearTimeout(timer);
      this.starting.delete(taskId);
      signal?.removeEventListener('abort', onCancel);
    }
  }

  private acquire(signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolveSlot) => {
      const onAbort = () => {
        const at = this.waiters.indexOf(grant);
        if (at >= 0) this.waiters.splice(at, 1);
        resolveSlot(false);
      };
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolveSlot(true);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(grant);
    });
  }

  private release(): void {
    const next = this.waiters.shift();
    // The slot passes straight to the next waiter, so free never goes up and down between them.
    if (next) next();
    else this.free++;
  }

  /** Stops the workers; tasks still running are given up. */
  async destroy(): Promise<void> {
    this.closed = true;
    // A worker terminated for a timed-out task exits a moment later, and piscina (4.9) tops the
    // pool back up to minThreads on that exit even when it comes after destroy() returned
    // (piscinajs/piscina#788): threads that would outlive the pool. With no minimum there is
    // nothing to top up. (Read in piscina's source; pool.test.ts checks the outcome, not the race.)
    this.piscina.options.minThreads = 0;
    await this.piscina.destroy();
  }
}
