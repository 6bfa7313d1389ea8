/**
 * The ordered streaming pipeline: documents go to the pool as they are read, results come back
 * in any order and leave in input order, each as soon as every line before it has left.
 *
 * Memory is bounded by one window: a document counts from the moment it is read until its line is
 * written. When the window is full the reader waits, so the input is not read (TCP pushes back on
 * the sender); when the sink is congested the writer waits, the window fills, and the same happens.
 */
import { setMaxListeners } from 'node:events';
import type { Writable } from 'node:stream';
import { errorLine, lineError } from './errors';
import { freeNow } from './free-bytes';
import { ndjsonLines, type LineOptions } from './lines';
import { idFromHead, InlineSetCache, prepareLine, type BatchDefaults, type Prepared, type RuleSetSource } from './documents';
import { refusalError, type BytesOutcome, type CleaningPool } from './pool';
import { recordPoolOutcome, recordRefused } from '../metrics';

export interface PipelineItem {
  prepared: Prepared;
  /** Size of the input it came from, for the window's byte bound. */
  bytes: number;
}

/** Where output lines go; a returned promise means "wait for it before writing more". */
export interface LineSink {
  write(line: string): void | Promise<void>;
  /**
   * A line as UTF-8 bytes with its newline, made and encoded by the worker that cleaned the
   * document. A sink that has it gets every result line this way (error lines, made here, still
   * come as strings): the main thread then neither copies a result into its heap nor encodes it,
   * which were a third of its time on a batch with detail=spans (bench/batch-cost.js). The bytes
   * are given up: the sink may free them once written (streamSink's `freeWritten`).
   */
  writeBytes?(line: Uint8Array): void | Promise<void>;
}

export interface PipelineOptions {
  items: AsyncIterable<PipelineItem>;
  pool: CleaningPool;
  sink: LineSink;
  maxInFlight: number;
  maxInFlightBytes: number;
  /** Aborted when the consumer went away: stop reading, give up queued and running documents. */
  signal: AbortSignal;
  /** Called after every line written (progress display). */
  onWritten?(summary: PipelineSummary): void;
  /**
   * The service's admission (server/admission.ts): each document waits for room before it is
   * sent to the pool and holds it until its line is written, so the cap on queued work holds
   * across concurrent batches; while it waits, the input is not read. Undefined: give up.
   */
  admit?(bytes: number, signal: AbortSignal): Promise<{ release(): void } | undefined>;
}

export interface PipelineSummary {
  /** Lines written (results and errors). */
  written: number;
  errors: number;
  /** Input bytes of the lines written. */
  bytes: number;
  /** True when the signal ended the run before the input did. */
  cancelled: boolean;
}

/** A result line (string or bytes), or an error line for a document that got none. */
function outcomeLine(prepared: Prepared & { doc: unknown }, outcome: { ok: true; line: string | Uint8Array } | Exclude<BytesOutcome, { ok: true }>): Written {
  if (outcome.ok) return { line: outcome.line, error: false };
  if (outcome.reason === 'refused' && outcome.refusal) {
    const e = refusalError(outcome.refusal);
    return { line: errorLine(prepared.id, lineError(e.code, `line ${prepared.line}: ${e.detail}`, prepared.line)), error: true };
  }
  if (outcome.reason === 'timeout' && outcome.phase === 'ruleset') {
    const detail = `line ${prepared.line}: the inline rule set: ${outcome.detail}`;
    return { line: errorLine(prepared.id, lineError('ruleset-too-costly', detail, prepared.line)), error: true };
  }
  const code = outcome.reason === 'timeout' ? 'clean-timeout' : 'internal';
  const detail = outcome.reason === 'timeout' ? outcome.detail : `the engine failed on this document: ${outcome.detail}`;
  return { line: errorLine(prepared.id, lineError(code, `line ${prepared.line}: ${detail}`, prepared.line)), error: true };
}

interface Written {
  line: string | Uint8Array;
  error: boolean;
}

export async function runPipeline(options: PipelineOptions): Promise<PipelineSummary> {
  const { pool, sink, signal } = options;
  const pending = new Map<number, { bytes: number; line?: string | Uint8Array; error?: boolean; ticket?: { release(): void } }>();
  const summary: PipelineSummary = { written: 0, errors: 0, bytes: 0, cancelled: false };
  let nextSeq = 0;
  let nextWrite = 0;
  let inFlightBytes = 0;
  let writing = false;
  let sinkFailure: unknown;
  let notify: (() => void) | undefined;
  const changed = () => new Promise<void>((resolve) => (notify = resolve));
  const wake = () => {
    const n = notify;
    notify = undefined;
    n?.();
  };
  // Every document in the window listens on the signal while it waits or runs; the window bounds
  // their number, so Node's leak warning (at 10) would only be noise here.
  setMaxListeners(0, signal);
  signal.addEventListener('abort', wake, { once: true });

  const flush = async () => {
    if (writing) return;
    writing = true;
    try {
      for (let entry = pending.get(nextWrite); entry?.line !== undefined && !signal.aborted; entry = pending.get(nextWrite)) {
        pending.delete(nextWrite);
        entry.ticket?.release();
        nextWrite++;
        inFlightBytes -= entry.bytes;
        summary.written++;
        summary.bytes += entry.bytes;
        if (entry.error) summary.errors++;
        const wait = typeof entry.line === 'string' ? sink.write(entry.line) : sink.writeBytes!(entry.line);
        options.onWritten?.(summary);
        if (wait) await wait;
        wake();
      }
    } catch (e) {
      sinkFailure = e;
    } finally {
      writing = false;
      wake();
    }
  };

  const complete = (seq: number, line: string | Uint8Array, error: boolean) => {
    const entry = pending.get(seq);
    if (!entry || signal.aborted) return;
    entry.line = line;
    entry.error = error;
    void flush();
  };

  const inFlight = () => nextSeq - nextWrite;
  const stopped = () => signal.aborted || sinkFailure !== undefined;

  try {
    for await (const item of options.items) {
      // At least one document is always let in, so a single line larger than the byte window
      // still goes through (the line limit bounds it).
      while (!stopped() && inFlight() > 0 && (inFlight() >= options.maxInFlight || inFlightBytes >= options.maxInFlightBytes)) {
        await changed();
      }
      if (stopped()) break;
      const ticket = options.admit ? await options.admit(item.bytes, signal) : undefined;
      if (stopped() || (options.admit && !ticket)) {
        ticket?.release();
        break;
      }
      const seq = nextSeq++;
      pending.set(seq, { bytes: item.bytes, ticket });
      inFlightBytes += item.bytes;
      const p = item.prepared;
      if ('error' in p) {
        recordRefused();
        complete(seq, errorLine(p.id, p.error), true);
      } else {
        const done = (outcome: { ok: true; line: string | Uint8Array } | Exclude<BytesOutcome, { ok: true }>) => {
          const out = outcomeLine(p, outcome);
          complete(seq, out.line, out.error);
        };
        if (sink.writeBytes) {
          void pool.cleanToBytes(p.doc, signal, true).then((outcome) => {
            recordPoolOutcome(p.doc.kind, outcome, p.inline === true);
            done(outcome.ok ? { ok: true, line: outcome.bytes } : outcome);
          });
        } else {
          void pool.clean(p.doc, signal).then((outcome) => {
            recordPoolOutcome(p.doc.kind, outcome, p.inline === true);
            done(outcome);
          });
        }
      }
    }
  } catch (e) {
    // The input broke off: a client that disconnected, or a read error. Either way nothing more
    // can be answered usefully, unless the caller's signal says otherwise.
    if (!signal.aborted) throw e;
  }
  while (!stopped() && nextWrite < nextSeq) await changed();
  signal.removeEventListener('abort', wake);
  // Given up (cancelled, or the sink failed): what is still held goes back.
  for (const entry of pending.values()) entry.ticket?.release();
  if (sinkFailure !== undefined && !signal.aborted) throw sinkFailure;
  summary.cancelled = signal.aborted;
  return summary;
}

/**
 * A sink over a stream (an HTTP response, stdout). It keeps writing while the stream's buffer is
 * under `slackBytes` even after write() said false; past that it waits for 'drain'.
 *
 * `freeWritten`: a line's bytes (writeBytes, the worker's own ArrayBuffer) are freed once the
 * stream's write callback says they were written without an error (free-bytes.ts), not when a
 * collection finds them dead. Only for a stream that holds no chunk after its callback (a socket,
 * an HTTP response, a file): not one that passes chunks on (a PassThrough keeps them to be read).
 * On an error they are left to the collector: the write may not be over.
 */
export function streamSink(stream: Writable, slackBytes: number, freeWritten = false): LineSink {
  const write = (chunk: string | Uint8Array) => {
    if (stream.destroyed) throw new Error('the output stream is closed');
    const owned = freeWritten && typeof chunk !== 'string' && chunk.buffer instanceof ArrayBuffer ? chunk.buffer : undefined;
    const ok = owned
      ? stream.write(chunk, (err) => {
          if (!err) freeNow(owned);
        })
      : stream.write(chunk);
    if (ok || stream.writableLength < slackBytes) return;
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('close', closed);
        resolve();
      };
      const closed = () => {
        stream.off('drain', done);
        reject(new Error('the output stream closed'));
      };
      stream.on('drain', done);
      stream.once('close', closed);
    });
  };
  return { write: (line: string) => write(line + '\n'), writeBytes: write };
}

export interface NdjsonItemsOptions extends LineOptions {
  source: RuleSetSource;
  defaults: BatchDefaults;
  /** Bad lines in a row after which the batch ends with one `too-many-bad-lines` line; 0 or absent: never. */
  maxBadLines?: number;
}

/**
 * NDJSON bytes → prepared documents or line errors, one per non-blank line. A run of
 * `maxBadLines` bad lines ends it: input that is not NDJSON documents at all (a binary file, a
 * mistaken format) would otherwise be answered line by line, at many times its own size.
 */
export async function* ndjsonItems(chunks: AsyncIterable<Buffer | string>, options: NdjsonItemsOptions): AsyncGenerator<PipelineItem> {
  const inline = new InlineSetCache(options.source);
  const maxBad = options.maxBadLines ?? 0;
  let badInARow = 0;
  for await (const raw of ndjsonLines(chunks, options)) {
    let item: PipelineItem;
    if (raw.kind === 'line') {
      item = { prepared: prepareLine(raw.text, raw.lineNo, inline, options.defaults), bytes: raw.bytes };
    } else if (raw.kind === 'too-long') {
      const detail = `line ${raw.lineNo}: ${raw.bytes} bytes is longer than the limit of ${options.maxLineBytes} bytes (DECLUTTER_BATCH_MAX_LINE); the line was skipped`;
      item = { prepared: { line: raw.lineNo, id: idFromHead(raw.head), error: lineError('line-too-long', detail, raw.lineNo) }, bytes: 0 };
    } else {
      const detail = `the body is larger than the limit of ${raw.limit} bytes (DECLUTTER_BATCH_BODY_LIMIT); lines from ${raw.lineNo} on were not read`;
      yield { prepared: { line: raw.lineNo, id: null, error: lineError('body-too-large', detail, raw.lineNo) }, bytes: 0 };
      return;
    }
    yield item;
    badInARow = 'error' in item.prepared ? badInARow + 1 : 0;
    if (maxBad > 0 && badInARow >= maxBad) {
      const last = raw.lineNo;
      const detail = `lines ${last - maxBad + 1} to ${last}: ${maxBad} bad lines in a row (DECLUTTER_BATCH_MAX_BAD_LINES); is this one JSON document a line? The batch ends here: lines from ${last + 1} on were not read`;
      yield { prepared: { line: last, id: null, error: lineError('too-many-bad-lines', detail, last) }, bytes: 0 };
      return;
    }
  }
}
