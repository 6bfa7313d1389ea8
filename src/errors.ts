/**
 * Every error code declutter answers with, its status and its title: one table for the HTTP
 * problems (server/problems.ts) and the error lines of a batch (batch/errors.ts), so a code means
 * the same thing, with the same status, wherever a client meets it. docs/errors.md lists them
 * (test/errors.test.ts keeps the two in step). Add, never rename: clients branch on the codes.
 */

export const ERROR_CODES = {
  'malformed-json': { status: 400, title: 'The JSON does not parse' },
  'bad-request': { status: 400, title: 'The request could not be read' },
  'malformed-yaml': { status: 400, title: 'The request body is not valid YAML' },
  'malformed-warc': { status: 400, title: 'The WARC record cannot be read' },
  unauthorized: { status: 401, title: 'A valid admin bearer token is required' },
  'invalid-api-key': { status: 401, title: 'A valid API key is required' },
  'writes-disabled': { status: 403, title: 'Rule-set writes are disabled on this service' },
  'unknown-ruleset': { status: 404, title: 'No such rule set' },
  'not-found': { status: 404, title: 'No such resource' },
  'method-not-allowed': { status: 405, title: 'Method not allowed on this resource' },
  'not-acceptable': { status: 406, title: 'None of the accepted media types can be produced' },
  'request-timeout': { status: 408, title: 'The request body arrived too slowly' },
  'ruleset-in-use': { status: 409, title: 'The rule set is in use' },
  'precondition-failed': { status: 412, title: 'The rule set changed since it was read' },
  'body-too-large': { status: 413, title: 'The request body is too large' },
  'line-too-long': { status: 413, title: 'The line is longer than the limit' },
  'record-too-large': { status: 413, title: 'The WARC record is larger than the limit' },
  'ruleset-too-large': { status: 413, title: 'The rule set is larger than the limits' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'unsupported-charset': { status: 415, title: 'Unsupported character set' },
  'invalid-request': { status: 422, title: 'The request has invalid fields' },
  'invalid-ruleset': { status: 422, title: 'The rule set is invalid' },
  'too-many-bad-lines': { status: 422, title: 'Too many bad lines in a row: the batch was ended' },
  // 422, not 504: the document was read and the service is healthy; sent again, the same document
  // will most likely take as long, so it is the document, not the service, that needs changing.
  'clean-timeout': { status: 422, title: 'Cleaning this document took too long' },
  // 422 for the same reason: checking this set (its patterns, its examples) is what costs.
  'ruleset-too-costly': { status: 422, title: 'Checking this rule set took too long' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  'not-implemented': { status: 501, title: 'Not implemented' },
  'not-ready': { status: 503, title: 'The service is not ready' },
  'ruleset-busy': { status: 503, title: 'The rule set is being written by another process' },
  'store-unavailable': { status: 503, title: 'The rule-set store cannot be reached' },
  'insufficient-storage': { status: 507, title: 'No space left to save the rule set' },
  overloaded: { status: 503, title: 'The service has as much work queued as it takes' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The `type` of a problem or error line: the code as a URI. */
export function errorType(code: ErrorCode): string {
  return `urn:declutter:problem:${code}`;
}

/** One invalid field: `field` is a path such as "options/offsets"; `rule` names a rule of a set. */
export interface FieldError {
  field: string;
  message: string;
  rule?: string;
  in?: 'body' | 'query' | 'path';
}
