/**
 * A request body read as bytes into one buffer of its own, sized from Content-Length before the
 * first byte arrives: each chunk is copied in as it comes (a few microseconds a turn of the event
 * loop), where body-parser's raw reader keeps the chunks and joins them at the end, one 5 MB copy
 * in a single turn (50-95 ms of main-thread CPU under load, several of them in the same turn when
 * uploads end together: the 60-large-pages attack of docs/reliability.md). The buffer is not
 * pooled memory, so the worker pool can take it whole (transferred, not copied).
 *
 * Only bodies with a Content-Length and no Content-Encoding are read here; anything else (chunked,
 * compressed) is left to `fallback` (express.raw), which inflates and joins as before. Errors are
 * raised as body-parser raises them, so problems.ts answers them in the same words.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';

interface BodyError extends Error {
  type: string;
  status: number;
  limit?: number;
}

function bodyError(type: string, status: number, message: string, extra: { limit?: number } = {}): BodyError {
  return Object.assign(new Error(message), { type, status, expose: true, ...extra });
}

/** A Content-Length this reader can use: digits only, as Node's parser already insists. */
function declaredLength(req: Request): number | undefined {
  const raw = req.headers['content-length'];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

export interface BodyBytesOptions {
  /** Which requests are read (the others go on untouched). */
  type: (req: Request) => boolean;
  limit: number;
  /** For bodies this reader does not take: chunked or compressed. */
  fallback: RequestHandler;
}

/** Reads off and drops the rest of `req`, then calls `done` once (the request ended, failed or was aborted). */
function dropBody(req: Request, done: () => void): void {
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    req.off('end', once);
    req.off('aborted', once);
    req.off('error', once);
    done();
  };
  req.once('end', once);
  req.once('aborted', once);
  req.once('error', once);
  req.resume();
}

export function bodyBytes(options: BodyBytesOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!options.type(req) || req.complete) return next();
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
    const length = declaredLength(req);
    if (length === undefined || encoding !== 'identity') return options.fallback(req, res, next);
    if (length > options.limit) {
      // Answered with the body unread, the connection was closed under a client still sending
      // (EPIPE: it never saw the 413). So, as body-parser does, the rest is read off and dropped
      // first, and the problem answered once the request is over (the slow-body guard bounds it).
      return dropBody(req, () => next(bodyError('entity.too.large', 413, 'request entity too large', { limit: options.limit })));
    }
    // A Buffer over a fresh ArrayBuffer of its own (Buffer.alloc may hand out a slice of a shared pool).
    const bytes = Buffer.from(new ArrayBuffer(length));
    let filled = 0;
    let over = false;
    const finish = (err?: BodyError) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAborted);
      req.off('error', onError);
      if (err) {
        // The rest is not read: drop it as it comes, as body-parser does.
        req.resume();
        return next(err);
      }
      req.body = bytes;
      next();
    };
    const onData = (chunk: Buffer) => {
      if (over) return;
      if (filled + chunk.length > length) {
        over = true;
        return finish(bodyError('request.size.invalid', 400, 'request size did not match content length'));
      }
      bytes.set(chunk, filled);
      filled += chunk.length;
    };
    const onEnd = () => {
      if (over) return;
      if (filled !== length) return finish(bodyError('request.size.invalid', 400, 'request size did not match content length'));
      finish();
    };
    const onAborted = () => {
      if (!over) finish(bodyError('request.aborted', 400, 'request aborted'));
      over = true;
    };
    const onError = (e: Error) => {
      if (!over) finish(bodyError('request.aborted', 400, e.message));
      over = true;
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('aborted', onAborted);
    req.once('error', onError);
  };
}
