/**
 * POST /v1/clean/batch: many documents, cleaned on every core.
 *
 * - `application/x-ndjson` (or `application/jsonl`): one `{id, text, ...}` a line in, one result a
 *   line out in input order, streamed while the request is still arriving. A bad line gives
 *   `{id, error}` and the rest go on. Memory stays bounded however long the body is.
 * - `application/json` `{documents: [...]}` → `{results: [...]}`: for small batches; the whole
 *   body and every result are held in memory, hence its limits (413 beyond them).
 *
 * - `application/warc`: a WARC or WET file, record by record (batch-warc.ts).
 *
 * Query parameters `ruleset` (an id: the set for lines that name none), `offsets`, `input=html`
 * (lines with both `text` and `html` are cleaned as HTML), `format=html` (results carry the
 * sanitised article) and `detail` (full, spans or none) apply to every line; a line's own fields
 * (its `options`) win.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { InlineSetCache, ndjsonItems, prepareValue, runPipeline, streamSink, type LineSink, type PipelineItem } from '../../batch';
import { isJsonType, mediaTypeOf, onlyMethods } from '../http';
import { isPlainObject } from '../../requests';
import { overloadedProblem } from '../admission';
import { recordOverloaded } from '../../metrics';
import { HttpProblem } from '../problems';
import type { AppDeps } from '../types';
import { streamWarc, WARC_TYPES } from './batch-warc';
import { bodyStream, cancelOnDisconnect, readDefaults, streamBatch } from './batch-stream';

const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/jsonl', 'application/x-jsonlines']);

/**
 * The JSON form holds the request and all results in memory: 1000 documents and 16 MB keep that
 * to a few tens of MB; a crawler with more should stream NDJSON, which has no such limits.
 */
export const JSON_BATCH_MAX_DOCUMENTS = 1000;
export const JSON_BATCH_MAX_BYTES = 16 * 1024 * 1024;

async function streamNdjson(deps: AppDeps, req: Request, res: Response): Promise<void> {
  const defaults = readDefaults(deps, req);
  const body = bodyStream(req);
  const limits = deps.pool.limits;
  const pool = deps.pool.start();
  // Not destroyed when the pipeline stops early (the body limit): the answer so far still goes out.
  const items = ndjsonItems(body.iterator({ destroyOnReturn: false }), {
    source: deps.registry,
    defaults,
    maxLineBytes: limits.maxLineBytes,
    maxTotalBytes: deps.config.batchBodyLimit,
    maxBadLines: deps.config.batchMaxBadLines,
  });
  await streamBatch(deps, req, res, {
    name: 'batch',
    type: 'application/x-ndjson; charset=utf-8',
    body,
    run: (signal) =>
      runPipeline({
        items,
        pool,
        sink: streamSink(res, limits.outputSlackBytes, true),
        maxInFlight: limits.maxInFlight,
        maxInFlightBytes: limits.maxInFlightBytes,
        signal,
        admit: (bytes, admitSignal) => deps.pool.admission.enter(1, bytes, admitSignal),
      }),
  });
}

function arraySink(lines: string[]): LineSink {
  return { write: (line) => void lines.push(line) };
}

async function jsonBatch(deps: AppDeps, req: Request, res: Response): Promise<void> {
  const body = req.body as unknown;
  const documents = isPlainObject(body) ? body.documents : undefined;
  if (!Array.isArray(documents)) {
    throw new HttpProblem('invalid-request', 'the JSON body must be {"documents": [{"id": ..., "text": ...}, ...]}', {
      errors: [{ in: 'body', field: 'documents', message: 'must be an array' }],
    });
  }
  if (documents.length > JSON_BATCH_MAX_DOCUMENTS) {
    throw new HttpProblem(
      'body-too-large',
      `${documents.length} documents is more than the ${JSON_BATCH_MAX_DOCUMENTS} of a JSON batch; stream them as application/x-ndjson instead`,
    );
  }
  const defaults = readDefaults(deps, req);
  const limits = deps.pool.limits;
  // The body is in memory already (16 MB at most) and counts until answered, with the documents the pipeline lets in at once.
  const ticket = deps.pool.admission.tryEnter(Math.min(documents.length, limits.maxInFlight), Number(req.headers['content-length']) || JSON_BATCH_MAX_BYTES);
  if (!ticket) {
    recordOverloaded('/v1/clean/batch');
    throw overloadedProblem(deps.pool.admission);
  }
  res.once('close', () => ticket.release());
  const inline = new InlineSetCache(deps.registry);
  const docs: unknown[] = documents;
  async function* items(): AsyncGenerator<PipelineItem> {
    for (let i = 0; i < docs.length; i++) {
      const value = docs[i];
      const prepared = prepareValue(value, i + 1, inline, defaults, 'document');
      yield { prepared, bytes: 'doc' in prepared ? prepared.doc.text.length : 0 };
    }
  }
  const controller = cancelOnDisconnect(req, res);
  const lines: string[] = [];
  const summary = await runPipeline({
    items: items(),
    pool: deps.pool.start(),
    sink: arraySink(lines),
    maxInFlight: limits.maxInFlight,
    maxInFlightBytes: limits.maxInFlightBytes,
    signal: controller.signal,
  });
  if (summary.cancelled) return;
  // The worker already serialised each result: join the strings rather than parse and re-stringify.
  res
    .status(200)
    .type('application/json')
    .send(`{"results":[${lines.join(',')}]}`);
}

export function batchRouter(deps: AppDeps): Router {
  const router = Router();
  const json = express.json({ type: () => true, limit: JSON_BATCH_MAX_BYTES });

  router
    .route('/v1/clean/batch')
    .post(async (req: Request, res: Response, next: NextFunction) => {
      const type = mediaTypeOf(req);
      // A stream is never refused for the queue: its documents wait for room, and meanwhile its
      // body is not read (its back-pressure). A JSON batch, already in memory, is refused when full.
      if (NDJSON_TYPES.has(type)) return streamNdjson(deps, req, res);
      if (WARC_TYPES.has(type)) return streamWarc(deps, req, res);
      if (isJsonType(type)) {
        json(req, res, (err?: unknown) => {
          if ((err as { type?: string })?.type === 'entity.too.large') {
            return next(
              new HttpProblem('body-too-large', `a JSON batch may be at most ${JSON_BATCH_MAX_BYTES} bytes; stream larger batches as application/x-ndjson`),
            );
          }
          if (err) return next(err);
          jsonBatch(deps, req, res).catch(next);
        });
        return;
      }
      throw new HttpProblem(
        'unsupported-media-type',
        `${type || 'a body without Content-Type'} is not accepted here; send application/x-ndjson (one document a line), application/json {"documents": [...]} or application/warc (a WARC or WET file)`,
      );
    })
    .all(onlyMethods('POST'));
  return router;
}
