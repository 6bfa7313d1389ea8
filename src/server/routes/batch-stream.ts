/**
 * What the two streaming forms of POST /v1/clean/batch share (NDJSON in batch.ts, WARC in
 * batch-warc.ts): the query's defaults, the body undone of its content encoding, cancelling when
 * the client goes away, and the answer's life: headers first, the pipeline, then an end that
 * says what happened (broken off mid-stream, cancelled, done).
 */
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Request, Response } from 'express';
import type { BatchDefaults, PipelineSummary } from '../../batch';
import type { OffsetUnit } from '../../engine';
import { chooseRuleSet, isDeferred, type ResultDetail } from '../../requests';
import { HttpProblem, invalidRequest, requestProblem } from '../problems';
import type { AppDeps } from '../types';

export function readDefaults(deps: AppDeps, req: Request): BatchDefaults {
  const defaults: BatchDefaults = {};
  const errors: { in: 'query'; field: string; message: string }[] = [];
  for (const [name, value] of Object.entries(req.query)) {
    if (name === 'ruleset' && typeof value === 'string') {
      const chosen = chooseRuleSet(deps.registry, { ruleset: value });
      if (!chosen.ok) throw requestProblem(chosen.error);
      // An id names a stored set, which is compiled; only inline sets are deferred.
      if (!isDeferred(chosen.set)) defaults.ruleset = chosen.set;
    } else if (name === 'offsets' && (value === 'utf16' || value === 'codepoint')) {
      defaults.offsets = value as OffsetUnit;
    } else if (name === 'offsets') {
      errors.push({ in: 'query', field: 'offsets', message: 'must be one of utf16, codepoint' });
    } else if (name === 'detail' && (value === 'full' || value === 'spans' || value === 'none')) {
      defaults.detail = value as ResultDetail;
    } else if (name === 'detail') {
      errors.push({ in: 'query', field: 'detail', message: 'must be one of full, spans, none' });
    } else if ((name === 'input' || name === 'format') && (value === 'text' || value === 'html')) {
      defaults[name] = value;
    } else if (name === 'input' || name === 'format') {
      errors.push({ in: 'query', field: name, message: 'must be one of text, html' });
    } else {
      errors.push({
        in: 'query',
        field: name,
        message: name === 'ruleset' ? 'must be given once' : 'is not a known parameter (ruleset, offsets, input, format, detail)',
      });
    }
  }
  if (errors.length) throw invalidRequest(errors);
  return defaults;
}

/** The body as bytes, decompressed when the client says it is compressed. */
export function bodyStream(req: Request): Readable {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  switch (encoding) {
    case 'identity':
      return req;
    case 'gzip':
    case 'x-gzip':
      return req.pipe(createGunzip());
    case 'deflate':
      return req.pipe(createInflate());
    case 'br':
      return req.pipe(createBrotliDecompress());
    default:
      throw new HttpProblem('unsupported-media-type', `content encoding "${encoding}" is not supported; send identity, gzip, deflate or br`);
  }
}

/**
 * Cancels the batch when the client goes away before the response is complete: the socket
 * closing is the one signal that works whether the client was sending or reading.
 */
export function cancelOnDisconnect(req: Request, res: Response): AbortController {
  const controller = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) controller.abort();
  };
  res.once('close', onClose);
  req.once('aborted', onClose);
  return controller;
}

/**
 * How often a running batch checks whether its client's socket was reset (probeForGonePeer).
 * 100 ms: about the cost of one document of the attack suite's and well under a group's (8 of
 * them), for one syscall of no bytes.
 */
export const PEER_PROBE_MS = 100;

const NO_BYTES = Buffer.alloc(0);

/**
 * Notices a client that closed its socket while its batch was still running. A client that sent
 * its body whole (FIN) and then closed is told apart from one still reading only by the RST its
 * kernel answers to the next data we send; but that RST is seen only by the next syscall on the
 * socket. While the body is under back-pressure nothing reads, and a result line that fits the
 * socket's buffer is written at once with nothing left to poll for: so the gone client was noticed
 * only at the second burst of lines after it left, one group completion (up to 8 documents on each
 * thread, settings.ts) later, while the workers went on cleaning for nobody (test/reliability/
 * attacks.test.ts, "sends it whole and goes away": 24 documents after the FIN, 40 in a CI run).
 * A zero-byte write is that syscall: it reports the reset (ECONNRESET), which closes the response
 * and aborts the batch (cancelOnDisconnect). Skipped while the socket holds unwritten bytes: libuv
 * then polls it and sees the reset by itself.
 */
function probeForGonePeer(res: Response): NodeJS.Timeout {
  const timer = setInterval(() => {
    const socket = res.socket;
    if (socket && !socket.destroyed && socket.writable && socket.writableLength === 0) socket.write(NO_BYTES);
  }, PEER_PROBE_MS);
  timer.unref();
  return timer;
}

export interface StreamedBatch {
  /** Names the batch in log lines ("batch", "WARC batch"). */
  name: string;
  /** The answer's Content-Type. */
  type: string;
  headers?: Record<string, string>;
  /** What the pipeline reads: destroyed at the end when it is not the request itself (a decompressor). */
  body: Readable;
  /** Runs the pipeline, given the signal of a client that went away. */
  run(signal: AbortSignal): Promise<PipelineSummary>;
  /** Fields logged when the batch is done; no line when absent. */
  doneFields?(): Record<string, unknown>;
}

/** Answers a streamed batch: headers at once, results as they come, and an end fitting how it went. */
export async function streamBatch(deps: AppDeps, req: Request, res: Response, batch: StreamedBatch): Promise<void> {
  const controller = cancelOnDisconnect(req, res);
  res.status(200);
  res.setHeader('Content-Type', batch.type);
  res.setHeader('Cache-Control', 'no-store');
  for (const [name, value] of Object.entries(batch.headers ?? {})) res.setHeader(name, value);
  // Proxies such as nginx would otherwise hold the stream until it ends.
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();

  const probe = probeForGonePeer(res);
  let summary: PipelineSummary;
  try {
    summary = await batch.run(controller.signal);
  } catch (err) {
    // The response is already under way: all we can do is log and break it off.
    deps.logger.error({ err }, `${batch.name} failed mid-stream`);
    controller.abort();
    res.destroy();
    return;
  } finally {
    clearInterval(probe);
    if (batch.body !== req) batch.body.destroy();
  }
  if (summary.cancelled) {
    deps.logger.info({ written: summary.written }, `${batch.name} cancelled: the client went away`);
    // The client went away mid-body: stop reading what it may still have sent.
    req.destroy();
    return;
  }
  const fields = batch.doneFields?.();
  if (fields) deps.logger.info({ ...fields, written: summary.written }, `${batch.name} done`);
  res.end();
  if (!res.writableFinished) await once(res, 'finish').catch(() => undefined);
  // Stopped before the end of the body (over the limit): close rather than read the rest.
  if (!req.complete) req.socket.destroy();
}
