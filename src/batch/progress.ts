/**
 * Where a worker says which task it is running, in which phase and since when: shared memory the
 * pool reads when a task's deadline comes due (pool.ts), instead of a message from the worker at
 * the start of every task. That message woke the main thread once more per document, as often
 * as the answer itself; a batch's documents each take a few milliseconds, and the main thread
 * shares the cores with the workers it feeds.
 *
 * One slot per task id modulo the slot count: the pool never has more tasks in workers than it
 * has threads (at most 256), so two tasks alive at once never share a slot. A slot holds the
 * task id (written last, so a reader that sees it sees the rest), the phase and its start time,
 * and which document of a multi-document task is running (pool.ts's groups): each starts its
 * phase again, so each gets its own budget, and a timeout or a crash names the one to blame.
 */
import type { TaskPhase } from './protocol';

const SLOTS = 1024;
const PHASES: readonly TaskPhase[] = ['ruleset', 'work'];

/** Milliseconds on a clock every thread of the process shares (performance.now() is per thread). */
export function sharedNow(): number {
  return performance.timeOrigin + performance.now();
}

export class ProgressBoard {
  readonly buffer: SharedArrayBuffer;
  private readonly ids: Int32Array;
  private readonly since: Float64Array;
  private readonly items: Int32Array;

  constructor(buffer = new SharedArrayBuffer(SLOTS * 20)) {
    this.buffer = buffer;
    this.since = new Float64Array(buffer, 0, SLOTS);
    this.ids = new Int32Array(buffer, SLOTS * 8, SLOTS * 2);
    this.items = new Int32Array(buffer, SLOTS * 16, SLOTS);
  }

  /** The worker: task `taskId` starts `phase` now, on its document `item` (0 for a single one). */
  mark(taskId: number, phase: TaskPhase, item = 0): void {
    const slot = taskId % SLOTS;
    // `since` before `item`: a reader that sees the new item sees its start time too.
    this.since[slot] = sharedNow();
    Atomics.store(this.items, slot, item);
    Atomics.store(this.ids, 2 * slot + 1, PHASES.indexOf(phase));
    Atomics.store(this.ids, 2 * slot, taskId | 0);
  }

  /** The pool: the phase task `taskId` is in, when it started and on which document, or undefined before it started. */
  read(taskId: number): { phase: TaskPhase; since: number; item: number } | undefined {
    const slot = taskId % SLOTS;
    if (Atomics.load(this.ids, 2 * slot) !== (taskId | 0)) return undefined;
    const item = Atomics.load(this.items, slot);
    return { phase: PHASES[Atomics.load(this.ids, 2 * slot + 1)] ?? 'work', since: this.since[slot], item };
  }
}
