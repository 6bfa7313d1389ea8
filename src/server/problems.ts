/**
 * Errors as `application/problem+json` (RFC 9457). Every error has a stable `code` that clients
 * may branch on; `type` is the same code as a URI, `title` is fixed per code, `detail` says what
 * happened to this request. Handlers throw HttpProblem; the error handler turns anything else into
 * a 500 without leaking the message or stack.
 */
import type { Request, Response } from 'express';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Every code the service answers with, its status and title. Add, never rename. */
export const PROBLEM_CODES = {
  'malformed-json': { status: 400, title: 'The request body is not valid JSON' },
  'bad-request': { status: 400, title: 'The request could not be read' },
  'malformed-yaml': { status: 400, title: 'The request body is not valid YAML' },
  unauthorized: { status: 401, title: 'A valid admin bearer token is required' },
  'invalid-api-key': { status: 401, title: 'A valid API key is required' },
  'request-timeout': { status: 408, title: 'The request body arrived too slowly' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'writes-disabled': { status: 403, title: 'Rule-set writes are disabled on this service' },
  'unknown-ruleset': { status: 404, title: 'No such rule set' },
  'not-found': { status: 404, title: 'No such resource' },
  'method-not-allowed': { status: 405, title: 'Method not allowed on this resource' },
  'ruleset-in-use': { status: 409, title: 'The rule set is in use' },
  'precondition-failed': { status: 412, title: 'The rule set changed since it was read' },
  'not-acceptable': { status: 406, title: 'None of the accepted media types can be produced' },
  'body-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'unsupported-charset': { status: 415, title: 'Unsupported character set' },
  'invalid-request': { status: 422, title: 'The request has invalid fields' },
  'invalid-ruleset': { status: 422, title: 'The rule set is invalid' },
  'clean-timeout': { status: 422, title: 'Cleaning this document took too long' },
  internal: { status: 500, title: 'Internal error' },
  'not-implemented': { status: 501, title: 'Not implemented' },
  'not-ready': { status: 503, title: 'The service is not ready' },
  'ruleset-busy': { status: 503, title: 'The rule set is being written by another process' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

/** One invalid field: `field` is a path such as "options/offsets"; `rule` names a rule of a set. */
export interface FieldError {
  field: string;
  message: string;
  rule?: string;
  in?: 'body' | 'query';
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export function problemType(code: ProblemCode): string {
  return `urn:declutter:problem:${code}`;
}

export class HttpProblem extends Error {
  readonly status: number;

  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; [k: string]: unknown } = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
    this.status = PROBLEM_CODES[code].status;
  }
}

export function problemBody(code: ProblemCode, detail: string, req?: Request, extensions: Record<string, unknown> = {}): ProblemBody {
  const { status, title } = PROBLEM_CODES[code];
  const body: ProblemBody = { type: problemType(code), title, status, detail, code, ...extensions };
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
