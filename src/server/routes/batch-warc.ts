/**
 * POST /v1/clean/batch with `Content-Type: application/warc`: a WARC or WET body (plain, gzip
 * members, or a compressed body), cleaned record by record through the same pipeline as NDJSON
 * (../../batch/warc.ts says which records are cleaned and which skipped). The answer is NDJSON
 * result lines (`detail` shapes them as it does NDJSON's), or WARC conversion records of the clean
 * text with `Accept: application/warc`.
 * What it shares with the NDJSON route (the query, the body's encoding, the answer's life) is
 * batch-stream.ts.
 */
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
  type PipelineItem,
  type WarcItem,
} from '../../batch';
import type { AppDeps } from '../types';
import { bodyStream, readDefaults, streamBatch } from './batch-stream';

export const WARC_TYPES = new Set([WARC_CONTENT_TYPE, 'application/x-warc']);

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

export async function streamWarc(deps: AppDeps, req: Request, res: Response): Promise<void> {
  const defaults = readDefaults(deps, req);
  // gzip is read member by member by the WARC reader itself (a damaged member costs one record);
  // other content encodings are undone first.
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  const body = encoding === 'gzip' || encoding === 'x-gzip' ? req : bodyStream(req);
  const asWarc = req.accepts(['application/x-ndjson', WARC_CONTENT_TYPE]) === WARC_CONTENT_TYPE;
  // A conversion record carries the clean text only: the spans would be written and dropped.
  if (asWarc) defaults.detail = 'none';
  const limits = deps.pool.limits;
  const pool = deps.pool.start();

  const over = { hit: false };
  const limit = deps.config.batchBodyLimit;
  const chunks = capped(body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>, limit, over);
  const tally = newTally();
  const records = withLimitError(warcItems(chunks, { source: deps.registry, defaults, maxRecordBytes: limits.maxLineBytes, tally }), limit, over);
  const sources = new SourceQueue();
  const items: AsyncIterable<PipelineItem> = asWarc ? sources.track(records) : records;
  const warcOut = asWarc ? warcSink(res, limits.outputSlackBytes, sources) : undefined;
  await streamBatch(deps, req, res, {
    name: 'WARC batch',
    type: asWarc ? WARC_CONTENT_TYPE : 'application/x-ndjson; charset=utf-8',
    headers: { Vary: 'Accept' },
    body,
    run: async (signal) => {
      const summary = await runPipeline({
        items,
        pool,
        sink: warcOut ?? streamSink(res, limits.outputSlackBytes, true),
        maxInFlight: limits.maxInFlight,
        maxInFlightBytes: limits.maxInFlightBytes,
        signal,
        // Records wait for room in the service's queue, as NDJSON lines do.
        admit: (bytes, admitSignal) => deps.pool.admission.enter(1, bytes, admitSignal),
      });
      if (!summary.cancelled) await warcOut?.settled();
      return summary;
    },
    doneFields: () => ({ ...tally }),
  });
}
