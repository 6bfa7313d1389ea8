/**
 * Reading one document from a request: the JSON body of POST /v1/clean, or one line of a batch
 * (HTTP or `declutter batch`). Both go through here, so a field means the same, is refused in the
 * same words, and is normalised the same way ("pt-BR" → "pt", `"url": null` → no url), whichever
 * way a document came in. Choosing its rule set is ruleset.ts.
 *
 * Text or HTML: a request has exactly one of them. A line may have both (the labelled sets carry
 * `text`, what a scraper extracted, beside `html`, the page): `options.input` on the line decides;
 * else the batch's preference picks `html` where the line has it; else `text` wins, and a line
 * with only `html` is HTML.
 */
import type { ErrorCode, FieldError } from '../errors';
import { languageOf } from './language';
import { isPlainObject } from '../plain-object';
import { BatchDocument, CleanRequest, type InputKind, type OffsetUnit, type OutputFormat, type ResultDetail } from './schemas';
import { check, describeFieldErrors } from './validate';

/** `request`: the body of POST /v1/clean; `line`: one document of a batch. */
export type DocumentForm = 'request' | 'line';

export interface DocumentRequest {
  /** A request's id is a string; a line's may be a number, and is null when absent. */
  id?: string | number | null;
  kind: InputKind;
  /** The text, or the HTML source when `kind` is 'html'. */
  text: string;
  url?: string;
  /** ISO 639-1 ("pt", from "pt-BR"). */
  lang?: string;
  /** A stored set's id or a whole rule set, as sent; ruleset.ts makes a set of it. */
  ruleset?: string | Record<string, unknown>;
  offsets?: OffsetUnit;
  format?: OutputFormat;
  detail?: ResultDetail;
}

/** Why a document (or its rule set) was refused: an error code, a sentence, and the fields. */
export interface RequestError {
  code: ErrorCode;
  detail: string;
  errors?: FieldError[];
}

export type ReadDocument =
  | { ok: true; doc: DocumentRequest }
  /** `id`: the document's id when it was readable, to echo with the error. */
  | { ok: false; id: string | number | null; error: RequestError };

function invalid(errors: FieldError[]): RequestError {
  return { code: 'invalid-request', detail: describeFieldErrors(errors), errors };
}

/** What to check before the schema, to say it in plain words rather than as a schema's errors. */
function shapeError(value: Record<string, unknown>, form: DocumentForm): FieldError | undefined {
  if (value.ruleset !== undefined && typeof value.ruleset !== 'string' && !isPlainObject(value.ruleset)) {
    return { in: 'body', field: 'ruleset', message: 'must be a rule-set id (string) or a whole rule set (object)' };
  }
  const hasText = value.text !== undefined;
  const hasHtml = value.html !== undefined;
  if (!hasText && !hasHtml) {
    const also = form === 'request' ? ': send exactly one of them' : '';
    return { in: 'body', field: 'text', message: `is required (or "html" for a page)${also}` };
  }
  if (hasText && hasHtml && form === 'request') {
    return { in: 'body', field: 'html', message: 'cannot come with "text": send exactly one of "text" (scraped text) and "html" (the page)' };
  }
  return undefined;
}

/**
 * Reads `value` as a document. `prefer`: the batch's choice for a line that has both `text` and
 * `html` (`?input=html`, `--html`).
 */
export function readDocument(value: unknown, form: DocumentForm, prefer?: InputKind): ReadDocument {
  if (!isPlainObject(value)) {
    const detail = form === 'request' ? 'the JSON body must be an object such as {"text": "..."}' : 'must be a JSON object such as {"id": "a", "text": "..."}';
    return { ok: false, id: null, error: { code: 'invalid-request', detail, errors: [{ in: 'body', field: '(body)', message: 'must be an object' }] } };
  }
  const shape = shapeError(value, form);
  const checked = check(form === 'request' ? CleanRequest : BatchDocument, value);
  // The id is echoed with an error too, unless it is the id that is wrong.
  const idRefused = !checked.ok && checked.errors.some((e) => e.field === 'id');
  const id = idRefused ? null : ((value.id as string | number | null | undefined) ?? null);
  // The plain-words problem alone: the schema would only restate it less clearly.
  if (shape) return { ok: false, id, error: invalid([shape]) };
  if (!checked.ok) return { ok: false, id, error: invalid(checked.errors) };

  const options = (value.options ?? {}) as { offsets?: OffsetUnit; format?: OutputFormat; input?: InputKind; detail?: ResultDetail };
  if (options.input !== undefined && typeof value[options.input] !== 'string') {
    const e: FieldError = { in: 'body', field: 'options/input', message: `is "${options.input}" but the line has no "${options.input}"` };
    return { ok: false, id, error: invalid([e]) };
  }
  const kind: InputKind = options.input ?? ((prefer === 'html' && typeof value.html === 'string') || typeof value.text !== 'string' ? 'html' : 'text');
  const doc: DocumentRequest = { kind, text: value[kind] as string };
  if (form === 'line' || value.id !== undefined) doc.id = id;
  if (typeof value.url === 'string') doc.url = value.url;
  if (typeof value.lang === 'string') doc.lang = languageOf(value.lang);
  if (value.ruleset !== undefined) doc.ruleset = value.ruleset as DocumentRequest['ruleset'];
  if (options.offsets !== undefined) doc.offsets = options.offsets;
  if (options.format !== undefined) doc.format = options.format;
  if (options.detail !== undefined) doc.detail = options.detail;
  return { ok: true, doc };
}
