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

/**
 * How many of a batch's queued documents go to a worker in one message. The main thread's cost of
 * a batch document was mostly the hop to a worker and back, one message each way (bench/
 * batch-main.js); a group pays it once. Only documents already waiting for a thread are grouped,
 * so a lone request or a short queue goes out at once, as before. Only small ones: a group holds
 * its thread until its last document is done, and a crash or timeout sends the others again.
 */
export interface GroupLimits {
  /** At most this many documents a message (1: never group). */
  docs: number;
  /** At most this many characters of input a message (a document larger than this goes alone). */
  chars: number;
}

/**
 * 8 documents or 64 K characters a message (about seven of aeb-dev's ~9 KB texts; a median
 * ~100 KB page goes alone). `POST /v1/clean/batch?detail=spans` on aeb-dev texts, grouped against
 * one a message (bench/batch-cost.js, the same build twice, 5 and 7 rounds at load 7-13): the
 * main thread's CPU per MB of input 0.060 -> 0.034 and 0.089 -> 0.057 s, the workers' 0.348 ->
 * 0.328 and 0.437 -> 0.397 s, about a tenth less CPU in all; wall MB/s at that load was noise
 * (0.2 to 1.7 MB/s from round to round either way); at load 2.5-4, 4.49 -> 5.01 and 3.42 -> 3.58
 * MB/s, main thread 0.055 -> 0.029 CPU-s per MB, workers the same. DECLUTTER_BATCH_GROUP_DOCS and
 * DECLUTTER_BATCH_GROUP_CHARS (config.ts) set them; 1 document sends each alone.
 */
export const DEFAULT_GROUP: GroupLimits = { docs: 8, chars: 64 * 1024 };

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
