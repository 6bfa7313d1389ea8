/**
 * The batch pipeline's limits. Each is a bound on memory or on how long one bad document may hold
 * things up; the service-wide settings (time budget, worker count, total body) live in config.ts.
 */
import { availableParallelism } from 'node:os';

export interface BatchLimits {
  /** Worker threads cleaning documents. */
  threads: number;
  /** Longest time one document may take in a worker before it gets an error line. */
  docTimeoutMs: number;
  /** Longest input line, in bytes: a longer one gets an error line and is skipped, never held. */
  maxLineBytes: number;
  /** Documents read but not yet written out: the window that bounds memory and keeps workers busy. */
  maxInFlight: number;
  /** Bytes of those documents' input lines: the same window measured in bytes, for large pages. */
  maxInFlightBytes: number;
  /**
   * Output the sink may hold beyond its own high-water mark before we stop writing (and so stop
   * reading). Lets a client that uploads everything before reading (curl -d @file, Python
   * requests) finish a moderate batch instead of deadlocking on full socket buffers.
   */
  outputSlackBytes: number;
}

const MB = 1024 * 1024;

/**
 * 10 MB a line: the longest page of the labelled sets is under 1 MB of text; ten times that still
 * cleans in well under the time budget, and a longer "line" is almost surely not one document.
 */
export const DEFAULT_MAX_LINE_BYTES = 10 * MB;

/**
 * 16 documents per thread: when one slow document holds the head of the queue, the other threads
 * can finish this many behind it before they run out of work; at the dev sets' median page size
 * (~100 KB) that is a few MB per thread.
 */
export const IN_FLIGHT_PER_THREAD = 16;

/**
 * 32 MB of input in flight: with the output of the same documents (about as large again, UTF-16
 * strings up to twice that) it keeps the pipeline's own share of memory well under 200 MB even when
 * every line is near the line limit.
 */
export const DEFAULT_IN_FLIGHT_BYTES = 32 * MB;

/** 16 MB: a few thousand typical results; small next to the 300 MB resident-memory target. */
export const DEFAULT_OUTPUT_SLACK_BYTES = 16 * MB;

export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

export function batchLimits(over: Partial<BatchLimits> & { docTimeoutMs: number }): BatchLimits {
  const threads = over.threads && over.threads > 0 ? over.threads : defaultThreads();
  return {
    threads,
    docTimeoutMs: over.docTimeoutMs,
    maxLineBytes: over.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    maxInFlight: over.maxInFlight ?? threads * IN_FLIGHT_PER_THREAD,
    maxInFlightBytes: over.maxInFlightBytes ?? DEFAULT_IN_FLIGHT_BYTES,
    outputSlackBytes: over.outputSlackBytes ?? DEFAULT_OUTPUT_SLACK_BYTES,
  };
}

/** Thrown for a batch setting that is present but wrong; the message names the variable. */
export class BatchSettingError extends Error {}

/**
 * The batch's own environment settings (the service-wide ones are in config.ts):
 * DECLUTTER_BATCH_MAX_LINE, a size such as 10mb.
 */
export function maxLineBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.DECLUTTER_BATCH_MAX_LINE?.trim();
  if (!raw) return DEFAULT_MAX_LINE_BYTES;
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(raw);
  const units: Record<string, number> = { b: 1, kb: 1024, mb: MB, gb: 1024 * MB };
  const bytes = m ? Math.floor(Number(m[1]) * units[(m[2] ?? 'b').toLowerCase()]) : 0;
  if (!(bytes > 0)) throw new BatchSettingError(`DECLUTTER_BATCH_MAX_LINE must be a size such as 10mb or 1048576, not "${raw}"`);
  return bytes;
}
