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

/**
 * The longest detail an error line carries. Details may quote what the line sent (an unknown
 * rule-set id, an inline set's fields), and a bad line must cost little to answer: its error stays
 * a few hundred bytes whatever the line held.
 */
export const MAX_DETAIL_CHARS = 1000;

export function lineError(code: ErrorCode, detail: string, line: number): LineError {
  const { status, title } = ERROR_CODES[code];
  const short = detail.length > MAX_DETAIL_CHARS ? `${detail.slice(0, MAX_DETAIL_CHARS)}… (${detail.length - MAX_DETAIL_CHARS} more characters)` : detail;
  return { type: errorType(code), code, status, title, detail: short, line };
}

/** The output line for an error: the id first, as for results. */
export function errorLine(id: unknown, error: LineError): string {
  return JSON.stringify({ id: id ?? null, error });
}
