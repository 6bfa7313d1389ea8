/**
 * The app's cleaning pool: the worker threads that clean batches, inline rule sets, pages and
 * evaluations under the per-document time budget. One per app, held in its dependencies so every
 * route reaches the same pool; started on first use (a service that never needs one never pays
 * for the threads) and stopped on shutdown.
 */
import { batchLimits, CleaningPool, maxLineBytesFromEnv, type BatchLimits } from '../batch';
import type { Config } from '../config';

export class AppPool {
  private pool?: CleaningPool;
  private settings?: BatchLimits;

  constructor(private readonly config: Pick<Config, 'workers' | 'docTimeoutMs'>) {}

  /** Threads, time budget and the batch windows; read from the settings on first use. */
  get limits(): BatchLimits {
    // DECLUTTER_WORKERS=0 (the default) means "one per core" here: a batch is the one place where
    // every core is wanted.
    this.settings ??= batchLimits({ threads: this.config.workers, docTimeoutMs: this.config.docTimeoutMs, maxLineBytes: maxLineBytesFromEnv() });
    return this.settings;
  }

  /** The pool, started on the first call; throws when the worker is not built (a dev tree before `npm run build`). */
  start(): CleaningPool {
    this.pool ??= new CleaningPool({ threads: this.limits.threads, docTimeoutMs: this.limits.docTimeoutMs });
    return this.pool;
  }

  /** The pool if it has started (the gauges show nothing until then). */
  get started(): CleaningPool | undefined {
    return this.pool;
  }

  /** Stops the threads, whose idle workers would otherwise keep the process alive. */
  async close(): Promise<void> {
    await this.pool?.destroy();
  }
}
