/**
 * The error of one line of a batch: `{id, error: {type, code, status, title, detail, line}}`,
 * the problem+json fields (same `type` URNs as the HTTP errors) plus the input line number.
 */

export const LINE_ERRORS = {
  'malformed-json': { status: 400, title: 'The line is not valid JSON' },
  'invalid-request': { status: 422, title: 'The line has invalid fields' },
  'unknown-ruleset': { status: 404, title: 'No such rule set' },
  'invalid-ruleset': { status: 422, title: 'The rule set is invalid' },
  'line-too-long': { status: 413, title: 'The line is longer than the limit' },
  'body-too-large': { status: 413, title: 'The request body is too large' },
  // 504: the document was accepted but not cleaned in time; the same line sent again will
  // most likely time out again, so clients should not retry it as they would a 503.
  'document-timeout': { status: 504, title: 'The document took longer than its time budget' },
  'not-ready': { status: 503, title: 'The service is not ready' },
  internal: { status: 500, title: 'Internal error' },
} as const;

export type LineErrorCode = keyof typeof LINE_ERRORS;

export interface LineError {
  type: string;
  code: LineErrorCode;
  status: number;
  title: string;
  detail: string;
  line: number;
}

export function lineError(code: LineErrorCode, detail: string, line: number): LineError {
  const { status, title } = LINE_ERRORS[code];
  // The same URN scheme as the HTTP problems (server/problems.ts), so one table of types serves both.
  return { type: `urn:declutter:problem:${code}`, code, status, title, detail, line };
}

/** The output line for an error: the id first, as for results. */
export function errorLine(id: unknown, error: LineError): string {
  return JSON.stringify({ id: id ?? null, error });
}
