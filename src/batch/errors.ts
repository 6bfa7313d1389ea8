/**
 * The error of one line of a batch: `{id, error: {type, code, status, title, detail, line}}`,
 * the problem+json fields of the HTTP errors (the same codes, from ../errors.ts) plus the input
 * line number.
 */
import { ERROR_CODES, errorType, type ErrorCode } from '../errors';

export interface LineError {
  type: string;
  code: ErrorCode;
  status: number;
  title: string;
  detail: string;
  line: number;
}

export function lineError(code: ErrorCode, detail: string, line: number): LineError {
  const { status, title } = ERROR_CODES[code];
  return { type: errorType(code), code, status, title, detail, line };
}

/** The output line for an error: the id first, as for results. */
export function errorLine(id: unknown, error: LineError): string {
  return JSON.stringify({ id: id ?? null, error });
}
