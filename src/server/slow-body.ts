/**
 * A deadline for request bodies that arrive too slowly (slowloris and its kin), fit for streaming
 * batches that may rightly take hours.
 *
 * Node's own requestTimeout bounds a whole request, which would cut a long batch off, so the
 * service turns it off. Instead each body gets DECLUTTER_BODY_TIMEOUT_MS, extended by one second
 * for every DECLUTTER_BODY_MIN_RATE bytes that arrive (the scheme of Apache's mod_reqtimeout):
 * a client sending at least that fast never runs out of time, one trickling a byte at a time runs
 * out after about the timeout. While the service itself is not reading (a batch whose window is
 * full, because the client is not reading the results or documents are slow) the clock stops: a
 * body that is not being read cannot be late.
 *
 * Bytes are counted from the socket's own counter on a timer, so nothing listens on the body
 * stream (a 'data' listener would change how it flows).
 */
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { HttpProblem, sendProblem } from './problems';

export interface SlowBodyOptions {
  timeoutMs: number;
  /** Bytes a second that each buy one more second. */
  minBytesPerSecond: number;
  /** Answers 408 (headers not yet sent) or ends the connection; the request is gone either way. */
  onExpired?(req: Request): void;
}

interface Watched {
  req: Request;
  res: Response;
  deadline: number;
  bytes: number;
}

/**
 * 500 ms: how late past its deadline a slow body may be cut off. One timer for all watched
 * requests, each check a few property reads, so a short period costs next to nothing.
 */
const CHECK_MS = 500;

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The service is not reading this body now: its buffer is full or the socket is paused. */
function notBeingRead(req: Request): boolean {
  return req.readableLength >= req.readableHighWaterMark || req.socket.isPaused();
}

export function slowBodyGuard(options: SlowBodyOptions) {
  const watched = new Set<Watched>();
  let timer: NodeJS.Timeout | undefined;
  let last = performance.now();

  const expire = (w: Watched) => {
    watched.delete(w);
    options.onExpired?.(w.req);
    const { req, res } = w;
    if (!res.headersSent) {
      res.setHeader('Connection', 'close');
      const detail = `the body arrived slower than ${options.minBytesPerSecond} bytes a second and did not finish within the time allowed (DECLUTTER_BODY_TIMEOUT_MS, DECLUTTER_BODY_MIN_RATE)`;
      sendProblem(res, req, new HttpProblem('request-timeout', detail));
      // The rest of the body will not be read: close once the answer is out.
      res.once('finish', () => req.socket.destroySoon());
      return;
    }
    // A batch already answering: all that can be done is break it off (the batch is cancelled).
    req.socket.destroy();
  };

  const check = () => {
    const now = performance.now();
    const elapsed = now - last;
    last = now;
    for (const w of watched) {
      const { req, res } = w;
      if (req.complete || res.writableEnded || req.socket.destroyed) {
        watched.delete(w);
        continue;
      }
      const bytes = req.socket.bytesRead;
      w.deadline += ((bytes - w.bytes) / options.minBytesPerSecond) * 1000;
      w.bytes = bytes;
      if (notBeingRead(req)) w.deadline += elapsed;
      if (now > w.deadline) expire(w);
    }
    if (!watched.size) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  return (req: Request, res: Response, next: NextFunction) => {
    if (!(options.timeoutMs > 0) || req.complete || !hasBody(req)) return next();
    const w: Watched = { req, res, deadline: performance.now() + options.timeoutMs, bytes: req.socket.bytesRead };
    watched.add(w);
    res.once('close', () => watched.delete(w));
    if (!timer) {
      last = performance.now();
      timer = setInterval(check, CHECK_MS);
      timer.unref();
    }
    next();
  };
}
