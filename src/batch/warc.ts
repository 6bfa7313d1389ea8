/**
 * WARC and WET input for the batch: records in, the same documents the NDJSON reader makes out.
 *
 * - `response` records (and `resource` records) with an HTML payload are cleaned as pages: the
 *   HTTP headers are read, and the payload de-chunked and decompressed, by warcio; the charset
 *   comes from the HTTP Content-Type, then the page itself (engine/html/charset.ts, as for a
 *   text/html request). Responses that are not 2xx (redirects, errors) carry no article: skipped.
 * - `conversion` records (Common Crawl's WET: the page's text) are cleaned as text.
 * - Every other record (request, metadata, warcinfo, revisit, non-HTML payloads) is skipped and
 *   counted, not answered: a WARC holds several records per page and only one is the page.
 *
 * `WARC-Target-URI` becomes the document's `url` (so per-site rule sets apply) and `WARC-Record-ID`
 * its `id`. Each record is then read exactly as a `{id, url, html}` or `{id, url, text}` line is
 * (documents.ts), so the results are those of the NDJSON route. Framing, gzip members and damage
 * are handled below this module (warc-records.ts, warc-gzip.ts); a damaged record is an error
 * result, and the rest go on.
 */
import { WARCParser } from 'warcio';
import { charsetOfContentType, encodingFor, htmlEncoding, UnsupportedCharsetError } from '../engine/html/charset';
import { recordWarcRecord } from '../metrics';
import { InlineSetCache, prepareValue, type BatchDefaults, type Prepared, type RuleSetSource } from './documents';
import { lineError } from './errors';
import type { PipelineItem } from './pipeline';
import { isGzip, warcBytes } from './warc-gzip';
import { warcRecords, type RawRecord, type WarcHeaders } from './warc-records';

/** What a result came from, for WARC output (warc-out.ts): its record id, target and date. */
export interface WarcSource {
  recordId?: string;
  uri?: string;
  date?: string;
}

export interface WarcItem extends PipelineItem {
  source: WarcSource;
}

/** Records read, by what became of them: shown by the CLI's progress line, counted in /metrics. */
export interface WarcTally {
  records: number;
  /** Cleaned as pages (HTML) and as text (WET). */
  pages: number;
  texts: number;
  /** Skipped, by reason: the WARC-Type ("request", "revisit", ...), "not-html" or "not-2xx". */
  skipped: Record<string, number>;
  errors: number;
}

export function newTally(): WarcTally {
  return { records: 0, pages: 0, texts: 0, skipped: {}, errors: 0 };
}

export function skippedCount(tally: WarcTally): number {
  return Object.values(tally.skipped).reduce((a, b) => a + b, 0);
}

export interface WarcItemsOptions {
  source: RuleSetSource;
  defaults: BatchDefaults;
  /** The largest record (and decoded payload) held; a larger one is an error, passed over. */
  maxRecordBytes: number;
  /** Counts, updated as records are read. */
  tally?: WarcTally;
  /** Told the (compressed) input bytes read, for progress. */
  onRead?: (bytes: number) => void;
}

const WARC_START = Buffer.from('WARC/1.');

/** Do these first bytes of a file start a WARC, plain or gzipped? Gzip alone says WARC only with a .warc.gz name. */
export function looksLikeWarc(head: Uint8Array, name?: string): boolean {
  if (Buffer.from(head.subarray(0, WARC_START.length)).equals(WARC_START)) return true;
  return isGzip(head) && name !== undefined && /\.(warc|wet)\.gz$/i.test(name);
}

const HTML_TYPES = /^\s*(text\/html|application\/xhtml\+xml)\s*(;|$)/i;
const TEXT_TYPES = /^\s*text\/plain\s*(;|$)/i;
const LOOKS_HTML = /^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])/i;

function sniffHtml(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 512))
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
  return LOOKS_HTML.test(head);
}

/** WARC/1.0 writers sometimes wrap the target in angle brackets. */
function targetOf(headers: WarcHeaders): string | undefined {
  const raw = headers.fields.get('warc-target-uri');
  if (!raw) return undefined;
  return raw.startsWith('<') && raw.endsWith('>') ? raw.slice(1, -1) : raw;
}

function sourceOf(headers: WarcHeaders | undefined): WarcSource {
  if (!headers) return {};
  const source: WarcSource = {};
  const id = headers.fields.get('warc-record-id');
  if (id) source.recordId = id;
  const uri = targetOf(headers);
  if (uri) source.uri = uri;
  const date = headers.fields.get('warc-date');
  if (date) source.date = date;
  return source;
}

/**
 * A page stays in bytes, with the encoding found for it: the worker decodes it (decoding on the main
 * thread was most of the ~9 ms a page the WARC reader cost it, and the decoded string was then
 * copied to the worker). `own`: the bytes are a buffer of their own, which the worker may take
 * (transferred) rather than a copy.
 */
type Payload =
  | { kind: 'html'; bytes: { data: Uint8Array; encoding: string }; own: boolean }
  | { kind: 'text'; body: string }
  | { skip: string }
  | { error: 'too-large' | 'broken'; detail: string };

/** An HTTP response record's payload, decoded, when it is an HTML page worth cleaning. */
async function responsePayload(record: RawRecord & { kind: 'record' }, maxBytes: number): Promise<Payload> {
  const parsed = await WARCParser.parse([record.head, record.content]);
  const http = parsed?.httpHeaders;
  if (!parsed || !http) return { error: 'broken', detail: 'its HTTP headers could not be read' };
  const status = Number(http.statusCode);
  if (!(status >= 200 && status < 300)) return { skip: 'not-2xx' };
  const type = http.headers.get('content-type') ?? undefined;
  if (type !== undefined && !HTML_TYPES.test(type)) return { skip: 'not-html' };
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    // De-chunked and decompressed (Content-Encoding) by warcio; capped, as a small compressed
    // payload can expand without bound.
    for await (const chunk of parsed) {
      size += chunk.length;
      if (size > maxBytes) return { error: 'too-large', detail: `its decoded payload is larger than the limit of ${maxBytes} bytes` };
      chunks.push(chunk);
    }
  } catch (e) {
    return { error: 'broken', detail: `its payload could not be decoded (${(e as Error).message})` };
  }
  // A buffer of its own (one chunk is copied too): the worker can take it whole.
  const bytes = Buffer.concat(chunks, size);
  if (type === undefined && !sniffHtml(bytes)) return { skip: 'not-html' };
  return { kind: 'html', bytes: pageBytes(bytes, charsetOfContentType(type)), own: true };
}

/** The page's encoding, found as decodeHtml finds it (a look at its first 1 KB); decoded in the worker. */
function pageBytes(bytes: Uint8Array, declared: string | undefined): { data: Uint8Array; encoding: string } {
  try {
    return { data: bytes, encoding: htmlEncoding(bytes, declared).encoding };
  } catch (e) {
    // A browser ignores a charset label it does not know and looks at the page: so do we.
    if (e instanceof UnsupportedCharsetError) return { data: bytes, encoding: htmlEncoding(bytes).encoding };
    throw e;
  }
}

async function payloadOf(record: RawRecord & { kind: 'record' }, maxBytes: number): Promise<Payload> {
  const type = record.headers.fields.get('warc-type')?.toLowerCase() ?? '(none)';
  const contentType = record.headers.fields.get('content-type');
  switch (type) {
    case 'response':
      return responsePayload(record, maxBytes);
    case 'resource':
      // A page stored without its HTTP exchange (wget's --warc-file for some, Browsertrix): the
      // record's own Content-Type says what it is.
      if (contentType === undefined ? !sniffHtml(record.content) : !HTML_TYPES.test(contentType)) return { skip: 'not-html' };
      // A view into the reader's buffer, not its own: copied to the worker.
      return { kind: 'html', bytes: pageBytes(record.content, charsetOfContentType(contentType)), own: false };
    case 'conversion': {
      if (contentType !== undefined && !TEXT_TYPES.test(contentType)) return { skip: 'not-text' };
      const label = charsetOfContentType(contentType);
      // WET text is UTF-8; a label no decoder knows is read as UTF-8 too.
      const encoding = (label && encodingFor(label)) ?? 'utf-8';
      return { kind: 'text', body: new TextDecoder(encoding).decode(record.content) };
    }
    default:
      return { skip: type };
  }
}

function brokenItem(no: number, source: WarcSource, code: 'malformed-warc' | 'record-too-large', detail: string): WarcItem {
  const prepared: Prepared = { line: no, id: source.recordId ?? null, error: lineError(code, detail, no) };
  return { prepared, bytes: 0, source };
}

/**
 * WARC or WET bytes (plain or gzipped) → prepared documents or record errors, one per record that
 * is cleaned or cannot be read; skipped records only count in the tally.
 */
export async function* warcItems(chunks: AsyncIterable<Buffer | string>, options: WarcItemsOptions): AsyncGenerator<WarcItem> {
  const inline = new InlineSetCache(options.source);
  const tally = options.tally ?? newTally();
  const skip = (reason: string, type: string) => {
    tally.skipped[reason] = (tally.skipped[reason] ?? 0) + 1;
    recordWarcRecord(type, 'skipped');
  };
  const bytes = warcBytes(chunks, options.onRead);
  for await (const raw of warcRecords(bytes, { maxRecordBytes: options.maxRecordBytes })) {
    if (raw.no > tally.records) tally.records = raw.no;
    const type = raw.headers?.fields.get('warc-type')?.toLowerCase() ?? '(none)';
    const source = sourceOf(raw.headers);
    if (raw.kind === 'broken') {
      tally.errors++;
      recordWarcRecord(type, 'error');
      yield brokenItem(raw.no, source, 'malformed-warc', raw.detail);
      continue;
    }
    if (raw.kind === 'too-large') {
      // Only a record that would have been cleaned is worth an error.
      if (type === 'response' || type === 'resource' || type === 'conversion') {
        tally.errors++;
        recordWarcRecord(type, 'error');
        const detail = `record ${raw.no}: ${raw.bytes} bytes is larger than the limit of ${options.maxRecordBytes} bytes (DECLUTTER_BATCH_MAX_LINE); the record was skipped`;
        yield brokenItem(raw.no, source, 'record-too-large', detail);
      } else {
        skip(type, type);
      }
      continue;
    }
    let payload: Payload;
    try {
      payload = await payloadOf(raw, options.maxRecordBytes);
    } catch (e) {
      payload = { error: 'broken', detail: `it could not be read (${(e as Error).message})` };
    }
    if ('skip' in payload) {
      skip(payload.skip, type);
      continue;
    }
    if ('error' in payload) {
      tally.errors++;
      recordWarcRecord(type, 'error');
      yield brokenItem(raw.no, source, payload.error === 'too-large' ? 'record-too-large' : 'malformed-warc', `record ${raw.no}: ${payload.detail}`);
      continue;
    }
    // The page is read as an `html` line with an empty text; its bytes replace that text below.
    const value: Record<string, unknown> = payload.kind === 'html' ? { html: '' } : { text: payload.body };
    if (source.recordId !== undefined) value.id = source.recordId;
    if (source.uri !== undefined) value.url = source.uri;
    const prepared = prepareValue(value, raw.no, inline, options.defaults, 'record');
    if (payload.kind === 'html' && 'doc' in prepared) {
      prepared.doc.bytes = payload.bytes;
      if (payload.own) prepared.doc.transfer = true;
    }
    if ('error' in prepared) tally.errors++;
    else if (payload.kind === 'html') tally.pages++;
    else tally.texts++;
    recordWarcRecord(type, 'error' in prepared ? 'error' : 'cleaned');
    yield { prepared, bytes: raw.bytes, source };
  }
}
