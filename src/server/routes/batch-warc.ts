/**
 * POST /v1/clean/batch with `Content-Type: application/warc`: a WARC or WET body (plain, gzip
 * members, or a compressed body), cleaned record by record through the same pipeline as NDJSON
 * (../../batch/warc.ts says which records are cleaned and which skipped). The answer is NDJSON
 * result lines (`detail` shapes them as it does NDJSON's), or WARC conversion records of the clean
 * text with `Accept: application/warc`.
 *
 * The helpers shared with the NDJSON route are passed in by it (routes/batch.ts), which keeps one
 * copy of them and no import cycle.
 */
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import type { Request, Response } from 'express';
import {
  lineError,
  newTally,
  runPipeline,
  SourceQueue,
  streamSink,
  warcItems,
  warcSink,
  WARC_CONTENT_TYPE,
  type BatchDefaults,
  type PipelineItem,
  type WarcItem,
} from '../../batch';
import type { AppDeps } from '../types';

export const WARC_TYPES = new Set([WARC_CONTENT_TYPE, 'application/x-warc']);

export interface StreamHelpers {
  readDefaults(deps: AppDeps, req: Request): BatchDefaults;
  bodyStream(req: Request): Readable;
  cancelOnDisconnect(req: Request, res: Response): AbortController;
}

/** The body's bytes, capped: past `limit` the input ends and `over.at` says where. */
async function* capped(chunks: AsyncIterable<Buffer>, limit: number, over: { hit: boolean }): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    if (total > limit) {
      over.hit = true;
      return;
    }
    yield chunk;
  }
}

async function* withLimitError(items: AsyncIterable<WarcItem>, limit: number, over: { hit: boolean }): AsyncGenerator<WarcItem> {
  let last = 0;
  for await (const item of items) {
    last = item.prepared.line;
    yield item;
  }
  if (over.hit) {
    const detail = `the body is larger than the limit of ${limit} bytes (DECLUTTER_BATCH_BODY_LIMIT); records after record ${last} were not read`;
    yield { prepared: { line: last + 1, id: null, error: lineError('body-too-large', detail, last + 1) }, bytes: 0, source: {} };
  }
}

export async function streamWarc(deps: AppDeps, req: Request, res: Response, helpers: StreamHelpers): Promise<void> {
  const defaults = helpers.readDefaults(deps, req);
  // gzip is read member by member by the WARC reader itself (a damaged member costs one record);
  // other content encodings are undone first.
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  const body = encoding === 'gzip' || encoding === 'x-gzip' ? req : helpers.bodyStream(req);
  const asWarc = req.accepts(['application/x-ndjson', WARC_CONTENT_TYPE]) === WARC_CONTENT_TYPE;
  // A conversion record carries the clean text only: the spans would be written and dropped.
  if (asWarc) defaults.detail = 'none';
  const limits = deps.pool.limits;
  const pool = deps.pool.start();
  const controller = helpers.cancelOnDisconnect(req, res);

  res.status(200);
  res.setHeader('Content-Type', asWarc ? WARC_CONTENT_TYPE : 'application/x-ndjson; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Vary', 'Accept');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();

  const over = { hit: false };
  const limit = deps.config.batchBodyLimit;
  const chunks = capped(body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>, limit, over);
  const tally = newTally();
  const records = withLimitError(warcItems(chunks, { source: deps.registry, defaults, maxRecordBytes: limits.maxLineBytes, tally }), limit, over);
  const sources = new SourceQueue();
  const items: AsyncIterable<PipelineItem> = asWarc ? sources.track(records) : records;
  const warcOut = asWarc ? warcSink(res, limits.outputSlackBytes, sources) : undefined;
  let summary;
  try {
    summary = await runPipeline({
      items,
      pool,
      sink: warcOut ?? streamSink(res, limits.outputSlackBytes),
      maxInFlight: limits.maxInFlight,
      maxInFlightBytes: limits.maxInFlightBytes,
      signal: controller.signal,
    });
    if (!summary.cancelled) await warcOut?.settled();
  } catch (err) {
    deps.logger.error({ err }, 'WARC batch failed mid-stream');
    controller.abort();
    res.destroy();
    return;
  } finally {
    if (body !== req) body.destroy();
  }
  if (summary.cancelled) {
    deps.logger.info({ written: summary.written }, 'WARC batch cancelled: the client went away');
    req.destroy();
    return;
  }
  deps.logger.info({ ...tally, written: summary.written }, 'WARC batch done');
  res.end();
  if (!res.writableFinished) await once(res, 'finish').catch(() => undefined);
  if (!req.complete) req.socket.destroy();
}
