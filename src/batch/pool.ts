/**
 * A pool of worker threads that clean documents (piscina underneath). On top of piscina it adds:
 * - one task per thread at a time, so a document's time budget counts its own work, not time
 *   spent queued behind a slow neighbour;
 * - the time budget: a task over it is aborted, piscina terminates the worker running it and
 *   starts a fresh one, and the caller gets a `timeout` outcome;
 * - cancellation by the caller's AbortSignal (a client that went away): a task still waiting is
 *   dropped, one already running is left to finish under its budget and its result dropped, since
 *   stopping its worker costs more than the document (RunningTask.abandon);
 * - rule sets sent by key, with the definition only to workers that have not seen it;
 * - jobs other than cleaning (checking a rule set for a PUT, YAML, scoring: protocol.ts) under the
 *   same budget, so that no CPU-bound step of a request runs on the main thread;
 * - small batch documents several to a message when they queue (GroupLimits), each still with its
 *   own budget, outcome and place in the output.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Piscina from 'piscina';
import { describeIssues, type CompiledRuleSet, type OffsetUnit, type RuleSetDef, type ValidationIssue } from '../engine';
import type { DeferredRuleSet, ResultDetail } from '../requests';
import type { ReadReply } from '../rulesets/read-sets';
import type { StoredSetsPayload } from '../rulesets/registry';
import type { InputKind, OutputFormat } from './clean-one';
import { ProgressBoard, sharedNow } from './progress';
import type { CleanTask, GroupTask, Job, Refusal, RuleSetPayload, TaskPhase, TaskReply, WorkerTask } from './protocol';
import { DEFAULT_GROUP, type GroupLimits } from './settings';
import type { SpanTally } from './tally';

export interface PoolDocument {
  id: unknown;
  /** Plain text, or the HTML source when `kind` is 'html'. */
  text: string;
  /** An HTML page still in bytes, decoded in the worker in the encoding given (`text` is then ignored). */
  bytes?: { data: Uint8Array; encoding: string };
  /**
   * The caller gives `bytes` up: when they fill an ArrayBuffer of their own, it is transferred to
   * the worker (detached here) rather than copied.
   */
  transfer?: boolean;
  /** 'text' when absent. */
  kind?: InputKind;
  /** 'html' adds the sanitised article as `html` to the result. */
  format?: OutputFormat;
  /** A compiled set, or an inline one the worker checks and compiles first. */
  ruleset: CompiledRuleSet | DeferredRuleSet;
  lang?: string;
  url?: string;
  offsets?: OffsetUnit;
  /** `spans` or `none`: the worker writes the compact line (result-line.ts); `full` when absent. */
  detail?: ResultDetail;
}

/** A document's line as UTF-8 bytes (cleanToBytes). */
export type BytesOutcome = { ok: true; bytes: Uint8Array; tally?: SpanTally } | PoolFailure;

export interface PoolFailure {
  ok: false;
  /** `refused`: the document's inline rule set did not pass its checks (`refusal` says why). */
  reason: 'timeout' | 'cancelled' | 'failed' | 'refused';
  detail: string;
  /** What was running when the budget ran out: the rule set's checks, or the work itself. */
  phase?: TaskPhase;
  refusal?: Refusal;
}

export type PoolOutcome = { ok: true; line: string; tally?: SpanTally } | PoolFailure;

export type JobOutcome = { ok: true; text: string } | { ok: true; def: RuleSetDef } | { ok: true; sets: ReadReply } | PoolFailure;

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
  /** Workers stopped (and replaced) because a task ran past its budget, whether or not its caller was still there. */
  stopped: number;
  /** Documents sent to a worker in a message with others (GroupLimits); a retry after its group failed is sent alone. */
  grouped: number;
  /** Tasks currently in a worker. */
  running: number;
  /** Callers waiting for a free thread. */
  waiting: number;
}

/**
 * The young generation of each worker's heap, in MB (V8's own is 48 MB on 64-bit Node 20: 16 MB
 * semi-spaces). A page's DOM, blocks and features are garbage once it is cleaned, but at ~186 KB
 * they outgrow a 16 MB semi-space mid-page: the scavenger copies them, promotes them to the old
 * generation, and full collections sweep them later (the collector was 18% of the HTML engine's
 * CPU profile, its largest item). With 32 MB semi-spaces more die young: the dev pages' HTML
 * through one-thread pools (bench/worker-heap.js, load 11-15) 51.0 -> 56.0 and 66.8 -> 70.4
 * pages/CPU-s; more in docs/batch.md. The memory tests (test/batch/memory.test.ts) still pass:
 * what is no longer promoted offsets the larger young generation.
 * Off (0, V8's own) by default since stop 28: with 64 MB, the attack suite's 60 concurrent 4.9 MB
 * pages kept a /healthz probe waiting 573 ms and 863 ms in two clean-clone CI runs (bound 500; 228
 * ms the stop before), and run alone 207 ms against 55 ms with V8's size, while the gain above is
 * a few percent within rounds of 0.93-1.19. `bench/worker-heap.js [ROUNDS] [MB]` measures a size.
 * Measured again after the HTML pretenuring fix (s32, `node bench/worker-heap.js 6 MB`, load
 * 15-20): 64 MB 92.9 -> 102.0 pages/CPU-s, ratio 1.11 (rounds 0.93-1.14); 32 MB ratio 1.03
 * (0.86-1.17). Kept at 0: the gain is within the rounds' spread, and the /healthz bound that
 * 64 MB broke could not be judged at that load (the 60 x 4.9 MB attack, -t "60 concurrent", three
 * runs each at load 21-24: 0 MB waited 1882, 1291, 1849 ms, 64 MB 2963, 995, 780; both over 500).
 */
export const WORKER_YOUNG_GENERATION_MB = 0;

export interface PoolOptions {
  threads: number;
  docTimeoutMs: number;
  /** DEFAULT_GROUP when absent. */
  group?: GroupLimits;
  /** WORKER_YOUNG_GENERATION_MB when absent; 0: V8's own size. */
  youngGenerationMb?: number;
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

function youngGeneration(mb: number): { maxYoungGenerationSizeMb: number } | undefined {
  return mb > 0 ? { maxYoungGenerationSizeMb: mb } : undefined;
}

let nextKey = 0;
let nextTaskId = 0;
const keys = new WeakMap<CompiledRuleSet, string>();
const payloads = new WeakMap<CompiledRuleSet, RuleSetPayload>();

/**
 * One key per compiled set object: the registry builds a new object whenever a set changes, and
 * an inline set may share its id and version with a stored one, so neither id nor version alone
 * can name what a worker has cached.
 */
function keyOf(set: CompiledRuleSet | DeferredRuleSet): string {
  if ('deferred' in set) return set.key;
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

/**
 * What of a task can be transferred rather than copied: a page's bytes when they fill an
 * ArrayBuffer of their own (never a slice of Node's shared Buffer pool, which other Buffers use).
 */
function movable(task: WorkerTask): ArrayBuffer[] | undefined {
  const data = 'bytes' in task ? task.bytes?.data : undefined;
  if (!data || !(data.buffer instanceof ArrayBuffer) || data.byteOffset !== 0 || data.byteLength !== data.buffer.byteLength) return undefined;
  return [data.buffer];
}

/**
 * One task's deadline and what it knows of its progress. Each phase the worker starts (the rule
 * set's checks, the work) gets the whole budget from its start; until the worker has started
 * the task, only the start grace runs. The worker marks its phases on the progress board
 * (progress.ts) and the deadline reads it when it comes due: the earliest a task can be over is
 * one budget after it was sent, and most tasks finish long before, their timer never firing.
 */
class RunningTask {
  private readonly controller = new AbortController();
  private timer?: NodeJS.Timeout;
  private readonly sentAt = sharedNow();
  timedOut = false;
  abandoned = false;
  phase?: TaskPhase;
  /** The document of a group that was running when the budget ran out (undefined: none had started). */
  item?: number;

  constructor(
    readonly id: number,
    private readonly board: ProgressBoard,
    private readonly budgetMs: number,
  ) {
    this.arm(budgetMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => this.due(), ms);
  }

  /** Aborts the task (piscina then stops its worker) when its phase has had its budget, else waits for what is left. */
  private due(): void {
    const progress = this.board.read(this.id);
    const now = sharedNow();
    let left: number;
    if (progress) {
      this.phase = progress.phase;
      this.item = progress.item;
      left = progress.since + this.budgetMs - now;
    } else {
      // Not started: it may start any moment, so look again within a budget.
      const graceLeft = this.sentAt + this.budgetMs + START_GRACE_MS - now;
      left = graceLeft <= 0 ? 0 : Math.min(this.budgetMs, graceLeft);
    }
    if (left > 0) return this.arm(left);
    this.timedOut = true;
    this.controller.abort();
  }

  /**
   * The caller has gone. The task runs on under its budget and its result is dropped: stopping
   * its worker costs more than almost any document. piscina would start a fresh thread, which
   * loads the engine, compiles the rule set again and runs cold (unoptimised) code for its next
   * hundreds of documents, ~1-2 s of CPU in all. Aborting every abandoned task did that on each
   * client timeout: a load test ending with requests in flight left the next one two cold workers
   * (p99 over 1 s at 100 req/s). A shorter grace than the budget was tried (1 s) and still stopped
   * workers on a busy machine, where a 5 ms document can take a second of wall time. The thread
   * stays taken meanwhile, so abandoned work never adds to what the pool runs at once.
   */
  abandon(): void {
    this.abandoned = true;
  }

  done(): void {
    clearTimeout(this.timer);
  }
}

/** A batch document that may share a message with its queued neighbours. */
interface Member {
  message: CleanTask;
  /** The message with the rule set's definition, for a worker that has not seen it. */
  full: () => CleanTask;
  chars: number;
  signal?: AbortSignal;
  settle: (outcome: BytesOutcome) => void;
  settled: boolean;
  /** Its group failed as a whole (a crash, a timeout of a neighbour): it runs by itself now, so it is never lost, run twice into the same failure, or blamed for another's. */
  alone: boolean;
  /** Stops listening for its caller's abort while it waits. */
  detach?: () => void;
}

/** A caller waiting for a thread; `member` when it is a document that can be grouped. */
interface Waiter {
  grant: () => void;
  member?: Member;
}

export class CleaningPool {
  private readonly piscina: Piscina<WorkerTask, TaskReply>;
  private readonly threads: number;
  private readonly docTimeoutMs: number;
  private readonly group: GroupLimits;
  private free: number;
  private readonly waiters: Waiter[] = [];
  private counts = { completed: 0, failed: 0, timedOut: 0, cancelled: 0, lateReplies: 0, stopped: 0, grouped: 0 };
  private closed = false;
  /** Where the workers mark the phases of their tasks (progress.ts). */
  private readonly board = new ProgressBoard();

  constructor(options: PoolOptions) {
    this.threads = Math.max(1, options.threads);
    this.docTimeoutMs = options.docTimeoutMs;
    this.group = options.group ?? DEFAULT_GROUP;
    this.free = this.threads;
    this.piscina = new Piscina<WorkerTask, TaskReply>({
      filename: options.workerFile ?? findWorkerFile(),
      // All threads up front: a batch wants every core at once, and a replaced worker (after a
      // timeout) is started again at once rather than on the next task.
      minThreads: this.threads,
      maxThreads: this.threads,
      concurrentTasksPerWorker: 1,
      // Idle workers stay: starting one costs tens of milliseconds of loading the engine.
      idleTimeout: Infinity,
      workerData: { progress: this.board.buffer },
      resourceLimits: youngGeneration(options.youngGenerationMb ?? WORKER_YOUNG_GENERATION_MB),
    });
    // After an abort piscina terminates the worker, but a reply the worker had already posted can
    // still arrive; piscina reports it as an 'error' event, which unhandled would end the process.
    // The task it belonged to has already been answered (as timed out or cancelled).
    this.piscina.on('error', () => {
      this.counts.lateReplies++;
    });
  }

  stats(): PoolStats {
    return { threads: this.threads, alive: this.piscina.threads.length, ...this.counts, running: this.threads - this.free, waiting: this.waiters.length };
  }

  /** Cleans one document in a worker. Never rejects: every end is an outcome. */
  async clean(doc: PoolDocument, signal?: AbortSignal): Promise<PoolOutcome> {
    const outcome = await this.cleanAnswer(doc, 'string', signal);
    if (!outcome.ok) return outcome;
    if ('line' in outcome.reply) return { ok: true, line: outcome.reply.line, tally: outcome.reply.tally };
    return this.unexpected(outcome.reply);
  }

  /**
   * clean(), with the line as UTF-8 bytes made in the worker and transferred: for an answer
   * written as it is (a single request's, a batch's lines), the main thread neither copies nor
   * encodes it. `newline`: the bytes end with the line's newline (a batch's NDJSON).
   */
  async cleanToBytes(doc: PoolDocument, signal?: AbortSignal, newline = false): Promise<BytesOutcome> {
    // Batch lines only (a single request's latency is its own), with a stored set and plain text:
    // a page's bytes are transferred one by one, and an inline set is checked under its own budget.
    if (newline && this.group.docs > 1 && !doc.bytes && !('deferred' in doc.ruleset) && doc.text.length <= this.group.chars) {
      const { message, full } = this.cleanMessage(doc, 'line');
      return new Promise((settle) => this.enqueue({ message, full, chars: doc.text.length, signal, settle, settled: false, alone: false }));
    }
    const outcome = await this.cleanAnswer(doc, newline ? 'line' : 'bytes', signal);
    if (!outcome.ok) return outcome;
    if ('lineBytes' in outcome.reply) return { ok: true, bytes: outcome.reply.lineBytes, tally: outcome.reply.tally };
    return this.unexpected(outcome.reply);
  }

  private cleanAnswer(doc: PoolDocument, as: 'string' | 'bytes' | 'line', signal?: AbortSignal): Promise<{ ok: true; reply: TaskReply } | PoolFailure> {
    const { message, full } = this.cleanMessage(doc, as);
    return this.run(message, full, signal, doc.transfer === true);
  }

  private cleanMessage(doc: PoolDocument, as: 'string' | 'bytes' | 'line'): { message: CleanTask; full: () => CleanTask } {
    const set = doc.ruleset;
    const message: CleanTask = {
      taskId: 0,
      id: doc.id,
      text: doc.text,
      bytes: doc.bytes,
      kind: doc.kind,
      format: doc.format,
      lang: doc.lang,
      url: doc.url,
      offsets: doc.offsets,
      detail: doc.detail,
      rulesetKey: keyOf(set),
    };
    if (as !== 'string') message.asBytes = true;
    if (as === 'line') message.newline = true;
    if ('deferred' in set) {
      message.inlineJson = set.json;
      message.storedKey = set.stored.key;
    }
    // Sent again with the definitions when the worker has not seen them.
    const full = (): CleanTask => ('deferred' in set ? { ...message, stored: set.stored as StoredSetsPayload } : { ...message, ruleset: payloadOf(set) });
    return { message, full };
  }

  /** A groupable document: to a free thread at once, else in line, where a thread that frees takes it with its neighbours. */
  private enqueue(m: Member): void {
    if (this.closed) return this.settle(m, this.cancelled('the pool is closed'));
    if (m.signal?.aborted) return this.settle(m, this.cancelled('the request was cancelled'));
    if (this.free > 0) {
      this.free--;
      void this.runGroup([m]);
      return;
    }
    const waiter: Waiter = {
      member: m,
      grant: () => {
        m.detach?.();
        void this.runGroup(m.alone ? [m] : this.gather(m));
      },
    };
    const signal = m.signal;
    if (signal) {
      const onAbort = () => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        this.settle(m, this.cancelled('the request was cancelled'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      m.detach = () => signal.removeEventListener('abort', onAbort);
    }
    // A retry goes first: the documents behind it in the output are waiting for it.
    if (m.alone) this.waiters.unshift(waiter);
    else this.waiters.push(waiter);
  }

  /** `first` and the groupable documents next in line behind it with the same set, within the limits. */
  private gather(first: Member): Member[] {
    const group = [first];
    let chars = first.chars;
    while (group.length < this.group.docs && this.waiters.length > 0) {
      const m = this.waiters[0].member;
      if (!m || m.alone || m.message.rulesetKey !== first.message.rulesetKey || chars + m.chars > this.group.chars) break;
      this.waiters.shift();
      m.detach?.();
      group.push(m);
      chars += m.chars;
    }
    return group;
  }

  private settle(m: Member, outcome: BytesOutcome): void {
    if (m.settled) return;
    m.settled = true;
    m.settle(outcome);
  }

  /** Runs a group (or one document) on the thread its caller was granted, and releases it. */
  private async runGroup(members: Member[]): Promise<void> {
    if (members.length === 1) {
      const m = members[0];
      const outcome = await this.dispatch(m.message, m.full, m.signal, false);
      if (!outcome.ok) return this.settle(m, outcome);
      if ('lineBytes' in outcome.reply) return this.settle(m, { ok: true, bytes: outcome.reply.lineBytes, tally: outcome.reply.tally });
      return this.settle(m, this.unexpected(outcome.reply));
    }
    this.counts.grouped += members.length;
    const task = new RunningTask(++nextTaskId, this.board, this.docTimeoutMs);
    // A caller that goes away gets its answer at once; its document is still cleaned with the others, its line dropped.
    const detach = members.map((m) => {
      const signal = m.signal;
      if (!signal) return () => {};
      const onAbort = () => this.settle(m, this.cancelled('the request was cancelled'));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      return () => signal.removeEventListener('abort', onAbort);
    });
    try {
      const message: GroupTask = { taskId: task.id, group: members.map((m) => m.message) };
      let reply = await this.piscina.run(message, { signal: task.signal });
      if ('needRuleSet' in reply) {
        message.group = [members[0].full(), ...message.group.slice(1)];
        reply = await this.piscina.run(message, { signal: task.signal });
      }
      if (!('group' in reply) || reply.group.length !== members.length) throw new Error(`unexpected answer from the worker: ${Object.keys(reply).join(', ')}`);
      reply.group.forEach((r, i) => this.settleFrom(members[i], r));
    } catch (e) {
      // The worker was stopped (a document over its budget) or died. The document that was running
      // gets the error a single one would; the others, done or not, are lost with the worker and
      // run again, each by itself.
      const blamed = task.timedOut ? task.item : this.board.read(task.id)?.item;
      const culprit = blamed === undefined ? undefined : members[blamed];
      if (task.timedOut) this.counts.stopped++;
      if (culprit && !culprit.settled) {
        if (task.timedOut) {
          this.counts.timedOut++;
          this.settle(culprit, this.overBudget(task.phase));
        } else {
          this.counts.failed++;
          this.settle(culprit, { ok: false, reason: 'failed', detail: e instanceof Error ? e.message : String(e) });
        }
      }
      // In reverse: each goes to the head of the line, so they end up there in their own order.
      for (const m of [...members].reverse()) {
        if (m.settled || m === culprit) continue;
        m.alone = true;
        this.enqueue(m);
      }
    } finally {
      task.done();
      for (const d of detach) d();
      this.release();
    }
  }

  /** One document's reply in a group, as its outcome. */
  private settleFrom(m: Member, r: TaskReply): void {
    // Its caller went away while it ran (counted as cancelled then).
    if (m.settled) return;
    if ('lineBytes' in r) {
      this.counts.completed++;
      return this.settle(m, { ok: true, bytes: r.lineBytes, tally: r.tally });
    }
    if ('failed' in r) {
      this.counts.failed++;
      return this.settle(m, { ok: false, reason: 'failed', detail: r.failed });
    }
    return this.settle(m, this.unexpected(r));
  }

  /** Runs a job (protocol.ts) in a worker under the same budget. Never rejects. */
  async job(job: Job, stored?: StoredSetsPayload, signal?: AbortSignal): Promise<JobOutcome> {
    const message: WorkerTask = { ...job, taskId: 0, storedKey: stored?.key };
    const outcome = await this.run(message, () => ({ ...message, stored }), signal);
    if (!outcome.ok) return outcome;
    const reply = outcome.reply;
    if ('text' in reply) return { ok: true, text: reply.text };
    if ('def' in reply) return { ok: true, def: reply.def };
    if ('sets' in reply) return { ok: true, sets: reply.sets };
    return this.unexpected(reply);
  }

  private unexpected(reply: TaskReply): PoolFailure {
    this.counts.failed++;
    return { ok: false, reason: 'failed', detail: `unexpected answer from the worker: ${Object.keys(reply).join(', ')}` };
  }

  private async run(
    message: WorkerTask,
    full: () => WorkerTask,
    signal?: AbortSignal,
    transfer = false,
  ): Promise<{ ok: true; reply: TaskReply } | PoolFailure> {
    if (this.closed) return this.cancelled('the pool is closed');
    if (!(await this.acquire(signal))) return this.cancelled('the request was cancelled');
    return this.dispatch(message, full, signal, transfer);
  }

  /** Runs a task on a thread already granted to it, and releases the thread when the worker is done. */
  private dispatch(message: WorkerTask, full: () => WorkerTask, signal?: AbortSignal, transfer = false): Promise<{ ok: true; reply: TaskReply } | PoolFailure> {
    if (signal?.aborted) {
      this.release();
      return Promise.resolve(this.cancelled('the request was cancelled'));
    }
    const task = new RunningTask(++nextTaskId, this.board, this.docTimeoutMs);
    // The thread stays taken until the worker is really done, abandoned or not: the pool never
    // runs more tasks than it has threads.
    const work = this.runWithBudget(message, full, task, transfer).finally(() => this.release());
    if (!signal) return work;
    return new Promise((resolveOutcome) => {
      const onCancel = () => {
        task.abandon();
        resolveOutcome(this.cancelled('the request was cancelled'));
      };
      signal.addEventListener('abort', onCancel, { once: true });
      void work.then((outcome) => {
        signal.removeEventListener('abort', onCancel);
        resolveOutcome(outcome);
      });
    });
  }

  private cancelled(detail: string): PoolFailure {
    this.counts.cancelled++;
    return { ok: false, reason: 'cancelled', detail };
  }

  /** The outcome of a task stopped for its budget, naming the phase it was in (none: it never started). */
  private overBudget(phase: TaskPhase | undefined): PoolFailure {
    const what = phase === 'ruleset' ? 'checking the rule set' : phase === 'work' ? 'the work' : 'starting the work';
    return { ok: false, reason: 'timeout', phase, detail: `${what} took longer than the budget of ${this.docTimeoutMs} ms (DECLUTTER_DOC_TIMEOUT_MS)` };
  }

  /** Counts an outcome, unless its caller has gone (it was counted as cancelled then). */
  private count(task: RunningTask, what: 'completed' | 'failed' | 'timedOut'): void {
    if (!task.abandoned) this.counts[what]++;
  }

  private async runWithBudget(
    first: WorkerTask,
    full: () => WorkerTask,
    task: RunningTask,
    transfer: boolean,
  ): Promise<{ ok: true; reply: TaskReply } | PoolFailure> {
    const taskId = task.id;
    try {
      let reply = await this.piscina.run({ ...first, taskId }, { signal: task.signal, transferList: transfer ? movable(first) : undefined });
      if ('needRuleSet' in reply) {
        const again: WorkerTask = { ...full(), taskId };
        // A transferred page came back with the question (worker.ts): it goes out again the same way.
        if (reply.bytes && 'bytes' in again && again.bytes) again.bytes = { ...again.bytes, data: reply.bytes };
        reply = await this.piscina.run(again, { signal: task.signal, transferList: transfer ? movable(again) : undefined });
      }
      if ('failed' in reply) {
        this.count(task, 'failed');
        return { ok: false, reason: 'failed', detail: reply.failed };
      }
      if ('needRuleSet' in reply) {
        this.count(task, 'failed');
        return { ok: false, reason: 'failed', detail: 'the worker did not know the rule set' };
      }
      if ('refused' in reply) {
        this.count(task, 'completed');
        return { ok: false, reason: 'refused', detail: reply.refused.message, refusal: reply.refused };
      }
      this.count(task, 'completed');
      return { ok: true, reply };
    } catch (e) {
      if (task.timedOut) {
        this.counts.stopped++;
        this.count(task, 'timedOut');
        return this.overBudget(task.phase);
      }
      // A worker that died (out of memory, a crash in native code): piscina replaces it.
      this.count(task, 'failed');
      return { ok: false, reason: 'failed', detail: e instanceof Error ? e.message : String(e) };
    } finally {
      task.done();
    }
  }

  private acquire(signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolveSlot) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolveSlot(true);
      };
      const waiter: Waiter = { grant };
      const onAbort = () => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        resolveSlot(false);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private release(): void {
    const next = this.waiters.shift();
    // The slot passes straight to the next waiter, so free never goes up and down between them.
    if (next) next.grant();
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

/** A refused inline set as a request error: its code, a sentence naming the field, the issues. */
export function refusalError(r: Refusal): { code: Refusal['code']; detail: string; errors?: ValidationIssue[] } {
  const what = 'the inline rule set (field "ruleset")';
  if (r.code === 'invalid-ruleset' && r.issues) return { code: r.code, detail: `${what} is invalid: ${describeIssues(r.issues)}`, errors: r.issues };
  if (r.code === 'ruleset-too-costly') return { code: r.code, detail: `${what} is too costly to check: ${r.message}` };
  if (r.code === 'ruleset-too-large') return { code: r.code, detail: `${what} is too large: ${r.message}` };
  return { code: r.code, detail: `${what}: ${r.message}` };
}
