/**
 * Bounded admission: a count of the documents and bytes the process has taken on and not yet
 * answered, with a cap on each (DECLUTTER_QUEUE_MAX_DOCS, DECLUTTER_QUEUE_MAX_BYTES). Without it
 * the queue in front of the worker pool grows with whatever clients send (60 concurrent 4.9 MB
 * pages: 972 MB resident against a 512 Mi limit). A single request over the cap is answered 503
 * `overloaded` with Retry-After before its body is read; a batch already streaming waits for room
 * instead (it stops reading its body, as it does for its own window), so the cap holds across
 * concurrent batches without breaking one off.
 *
 * A request body counts from before it is read, at its Content-Length (or the endpoint's body
 * limit when the length is not declared, until the body has arrived).
 */
import type { NextFunction, Request, Response } from 'express';
import { recordOverloaded } from '../metrics';
import { HttpProblem } from './problems';

export interface AdmissionLimits {
  maxDocuments: number;
  maxBytes: number;
}

/** Work taken on; released exactly once, whatever happens to the request. */
export interface Ticket {
  release(): void;
  /** Now that the body is read (or parsed), what it really holds. */
  resize(documents: number, bytes: number): void;
}

/** Seconds a refused client should wait: documents leave the queue in milliseconds to seconds. */
export const RETRY_AFTER_SECONDS = 1;

export class Admission {
  documents = 0;
  bytes = 0;
  private readonly waiting: { documents: number; bytes: number; grant: () => void }[] = [];

  constructor(readonly limits: AdmissionLimits) {}

  /** True when work of this size fits now. Something is always let in when nothing is: a body over the byte cap alone still goes. */
  private fits(documents: number, bytes: number): boolean {
    if (this.documents === 0) return true;
    return this.documents + documents <= this.limits.maxDocuments && this.bytes + bytes <= this.limits.maxBytes;
  }

  /** A ticket when the work fits, else undefined (answer 503). Waiting batches go first. */
  tryEnter(documents: number, bytes: number): Ticket | undefined {
    if (this.waiting.length > 0 || !this.fits(documents, bytes)) return undefined;
    return this.take(documents, bytes);
  }

  /** Waits until the work fits; undefined when `signal` aborts first. */
  enter(documents: number, bytes: number, signal?: AbortSignal): Promise<Ticket | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    if (this.waiting.length === 0 && this.fits(documents, bytes)) return Promise.resolve(this.take(documents, bytes));
    return new Promise((resolve) => {
      const entry = {
        documents,
        bytes,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.take(documents, bytes));
        },
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(entry);
        if (at >= 0) this.waiting.splice(at, 1);
        resolve(undefined);
        this.wake();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  /** True when nothing more fits: a new batch is refused rather than left to wait. */
  get full(): boolean {
    return this.waiting.length > 0 || !this.fits(1, 0);
  }

  private take(documents: number, bytes: number): Ticket {
    this.documents += documents;
    this.bytes += bytes;
    let held = { documents, bytes };
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.documents -= held.documents;
        this.bytes -= held.bytes;
        this.wake();
      },
      resize: (d, b) => {
        if (released) return;
        this.documents += d - held.documents;
        this.bytes += b - held.bytes;
        held = { documents: d, bytes: b };
        this.wake();
      },
    };
  }

  /** Lets in waiting work, in order, while it fits. */
  private wake(): void {
    while (this.waiting.length > 0 && this.fits(this.waiting[0].documents, this.waiting[0].bytes)) this.waiting.shift()!.grant();
  }
}

export function overloadedProblem(admission: Admission): HttpProblem {
  const { maxDocuments, maxBytes } = admission.limits;
  return new HttpProblem(
    'overloaded',
    `the service has ${admission.documents} documents (${admission.bytes} bytes) in hand, at its cap of ${maxDocuments} documents or ${maxBytes} bytes (DECLUTTER_QUEUE_MAX_DOCS, DECLUTTER_QUEUE_MAX_BYTES); retry after ${RETRY_AFTER_SECONDS} s`,
    { headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } },
  );
}

/**
 * Admits one request's body before it is read; the ticket is released when the response ends or
 * the connection closes, and left on `res.locals.admission` for the handler to resize.
 */
export function admitBody(admission: Admission, route: string, bodyLimit: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    const declared = Number(req.headers['content-length']);
    const bytes = Number.isFinite(declared) && declared >= 0 ? Math.min(declared, bodyLimit) : bodyLimit;
    const ticket = admission.tryEnter(1, bytes);
    if (!ticket) {
      recordOverloaded(route);
      // The body is not read: the connection goes with the answer, or the client would have to
      // send what nobody reads before it sees it.
      res.setHeader('Connection', 'close');
      return next(overloadedProblem(admission));
    }
    res.once('close', () => ticket.release());
    res.locals.admission = ticket;
    next();
  };
}
