/**
 * Errors as `application/problem+json` (RFC 9457). Every error has a stable `code` (../errors.ts)
 * that clients may branch on; `type` is the same code as a URI, `title` is fixed per code, `detail` says what
 * happened to this request. Handlers throw HttpProblem; the error handler turns anything else into
 * a 500 without leaking the message or stack.
 */
import type { Request, Response } from 'express';
import { ERROR_CODES, errorType, type ErrorCode, type FieldError } from '../errors';
import { describeFieldErrors, type RequestError } from '../requests';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export class HttpProblem extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; [k: string]: unknown } = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
    this.status = ERROR_CODES[code].status;
  }
}

/** 422 naming each invalid field. */
export function invalidRequest(errors: FieldError[]): HttpProblem {
  return new HttpProblem('invalid-request', describeFieldErrors(errors), { errors });
}

/** Where an HTTP client can look next, for the refusals that have such a place. */
const HINTS: Partial<Record<ErrorCode, string>> = {
  'unknown-ruleset': ' (GET /v1/rulesets lists them)',
  'not-ready': ' (GET /readyz says why)',
};

/** A document or rule set refused by ../requests, as a problem. */
export function requestProblem(error: RequestError): HttpProblem {
  const extra: ConstructorParameters<typeof HttpProblem>[2] = {};
  if (error.errors) extra.errors = error.errors;
  // Not ready is passing (rule sets loading, the service restarting): worth trying again soon.
  if (error.code === 'not-ready') extra.headers = { 'Retry-After': '5' };
  return new HttpProblem(error.code, error.detail + (HINTS[error.code] ?? ''), extra);
}

export function problemBody(code: ErrorCode, detail: string, req?: Request, extensions: Record<string, unknown> = {}): ProblemBody {
  const { status, title } = ERROR_CODES[code];
  const body: ProblemBody = { type: errorType(code), title, status, detail, code, ...extensions };
  if (req) {
    body.instance = req.originalUrl.split('?')[0];
    if (req.id !== undefined) body.requestId = String(req.id);
  }
  return body;
}

export function sendProblem(res: Response, req: Request, problem: HttpProblem): void {
  const { headers, ...extensions } = problem.extra;
  for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
  res
    .status(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problemBody(problem.code, problem.detail, req, extensions)));
}

/** Errors that body-parser raises, by their `type`, mapped to ours. */
const BODY_PARSER_ERRORS: Record<string, (e: { message: string; limit?: number; charset?: string; encoding?: string }) => HttpProblem> = {
  'entity.parse.failed': (e) => new HttpProblem('malformed-json', `the body does not parse as a JSON object: ${e.message}`),
  'entity.too.large': (e) => new HttpProblem('body-too-large', `the body is larger than this endpoint's limit of ${e.limit} bytes`),
  'charset.unsupported': (e) => new HttpProblem('unsupported-charset', `charset "${e.charset}" is not supported; send UTF-8`),
  'encoding.unsupported': (e) =>
    new HttpProblem('unsupported-media-type', `content encoding "${e.encoding}" is not supported; send identity, gzip, deflate or br`),
  'request.aborted': () => new HttpProblem('bad-request', 'the client closed the connection before the body was complete'),
  'request.size.invalid': () => new HttpProblem('bad-request', 'the body length does not match Content-Length'),
  'stream.encoding.set': () => new HttpProblem('internal', 'the request stream was read twice'),
};

/** The problem for any error a handler or middleware raised; undefined means a real bug. */
export function toProblem(err: unknown): HttpProblem | undefined {
  if (err instanceof HttpProblem) return err;
  const type = (err as { type?: unknown })?.type;
  if (typeof type === 'string' && type in BODY_PARSER_ERRORS) return BODY_PARSER_ERRORS[type](err as never);
  return undefined;
}
