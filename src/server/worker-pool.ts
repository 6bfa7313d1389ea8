/**
 * The app's cleaning pool: the worker threads that do every CPU-bound step of a request (cleaning
 * any document, checking inline and written rule sets, YAML, scoring evaluations) under the
 * per-document time budget, and the admission count in front of them. One per app, held in its
 * dependencies so every route reaches the same pool; started at warm-up (a service answers its
 * first request from a warm pool) or on first use, and stopped on shutdown.
 */
import { batchLimits, CleaningPool, DEFAULT_GROUP, maxLineBytesFromEnv, type BatchLimits } from '../batch';
import type { Config } from '../config';
import { Admission } from './admission';

type PoolConfig = Pick<Config, 'workers' | 'docTimeoutMs'> & Partial<Pick<Config, 'queueMaxDocs' | 'queueMaxBytes' | 'batchGroupDocs' | 'batchGroupChars'>>;

export class AppPool {
  private pool?: CleaningPool;
  private settings?: BatchLimits;
  /** Documents and bytes taken on and not yet answered, capped (admission.ts). */
  readonly admission: Admission;

  constructor(private readonly config: PoolConfig) {
    this.admission = new Admission({ maxDocuments: config.queueMaxDocs ?? 256, maxBytes: config.queueMaxBytes ?? 48 * 1024 * 1024 });
  }

  /** Threads, time budget and the batch windows; read from the settings on first use. */
  get limits(): BatchLimits {
    // DECLUTTER_WORKERS=0 (the default) means "one per core" here: a batch is the one place where
    // every core is wanted.
    this.settings ??= batchLimits({ threads: this.config.workers, docTimeoutMs: this.config.docTimeoutMs, maxLineBytes: maxLineBytesFromEnv() });
    return this.settings;
  }

  /** The pool, started on the first call; throws when the worker is not built (a dev tree before `npm run build`). */
  start(): CleaningPool {
    const { batchGroupDocs: docs = DEFAULT_GROUP.docs, batchGroupChars: chars = DEFAULT_GROUP.chars } = this.config;
    this.pool ??= new CleaningPool({ threads: this.limits.threads, docTimeoutMs: this.limits.docTimeoutMs, group: { docs, chars } });
    return this.pool;
  }

  /** The pool if it has started (the gauges show nothing until then). */
  get started(): CleaningPool | undefined {
    return this.pool;
  }

  private closing?: Promise<void>;

  /** Stops the threads, whose idle workers would otherwise keep the process alive; a second call waits for the first. */
  close(): Promise<void> {
    this.closing ??= this.pool?.destroy() ?? Promise.resolve();
    return this.closing;
  }
}
