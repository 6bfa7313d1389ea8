/**
 * WARC framing: the (decompressed) bytes of a WARC file cut into records, bounded and resyncing.
 *
 * A record is `WARC/1.x` and header lines, a blank line, `Content-Length` bytes of content and a
 * blank line (ISO 28500). Only the record being read is held, and only up to the record limit: a
 * longer one is passed over as it streams by (its header is kept, to name and sort it). A record
 * whose Content-Length is wrong does not end in a blank line where it says: it is reported, and
 * reading goes on at the next `WARC/` line (found inside its content when the length was too long).
 */
import type { GzipBreak, WarcBytes } from './warc-gzip';

export interface WarcHeaders {
  /** The version line, e.g. "WARC/1.1". */
  version: string;
  /** Header names lower-cased; a repeated header keeps its first value. */
  fields: Map<string, string>;
}

export type RawRecord =
  /** A whole record: `head` holds the version line through the blank line, `content` the block. */
  | { kind: 'record'; no: number; headers: WarcHeaders; head: Buffer; content: Buffer; bytes: number; end: number }
  /** A record over the limit, passed over: its headers only. */
  | { kind: 'too-large'; no: number; headers: WarcHeaders; bytes: number }
  /** A record (or bytes between records) that cannot be read; `headers` when they were read. */
  | { kind: 'broken'; no: number; headers?: WarcHeaders; detail: string; bytes: number };

export interface FramingOptions {
  /** Largest record content to hold; a longer one is a `too-large` entry. */
  maxRecordBytes: number;
}

/** 64 KB of header lines: real records have well under 2 KB. */
const MAX_HEADER_BYTES = 64 * 1024;
const END_OF_HEADERS = Buffer.from('\r\n\r\n');
const RECORD_END = Buffer.from('\r\n\r\n');
const VERSION_AT_LINE_START = /^WARC\/1\.\d\r?$/;
const NEXT_RECORD = Buffer.from('\nWARC/1.');

function parseHeaders(head: Buffer): WarcHeaders | string {
  const lines = head.toString('utf8').split(/\r?\n/);
  const version = lines[0];
  if (!VERSION_AT_LINE_START.test(version)) return `the record does not start with a WARC/1.x line`;
  const fields = new Map<string, string>();
  let last: string | undefined;
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    if ((line[0] === ' ' || line[0] === '\t') && last !== undefined) {
      fields.set(last, `${fields.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return `the header line "${line.slice(0, 60)}" has no name`;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(name)) fields.set(name, line.slice(colon + 1).trim());
    last = name;
  }
  return { version: version.trim(), fields };
}

/** Where the next `WARC/1.x` line starts in `buf` from `from` (at 0 only when `lineStart`), else -1. */
function nextVersionLine(buf: Buffer, from: number, lineStart: boolean): number {
  if (from === 0 && lineStart && buf.subarray(0, 7).toString('latin1') === 'WARC/1.') return 0;
  const at = buf.indexOf(NEXT_RECORD, Math.max(0, from - 1));
  return at < 0 ? -1 : at + 1;
}

export async function* warcRecords(input: AsyncIterable<WarcBytes>, options: FramingOptions): AsyncGenerator<RawRecord> {
  let buf: Buffer = Buffer.alloc(0);
  let no = 0;
  /** True when buf[0] starts a line (file start, after a newline, after a gzip break). */
  let lineStart = true;
  /** Bytes passed over since the last record without having been reported. */
  let junk = 0;
  let quiet = false;
  let pendingBreak: GzipBreak | undefined;
  const source = input[Symbol.asyncIterator]();
  let ended = false;
  /** Bytes received so far: `taken - buf.length` is the offset of buf[0] in the (decompressed) input. */
  let taken = 0;

  /** More bytes into buf; a gzip break is kept aside for the caller. False at the end, or on a break. */
  const more = async (): Promise<boolean> => {
    if (ended || pendingBreak) return false;
    const next = await source.next();
    if (next.done) {
      ended = true;
      return false;
    }
    if (!Buffer.isBuffer(next.value)) {
      pendingBreak = next.value;
      return false;
    }
    taken += next.value.length;
    buf = buf.length ? Buffer.concat([buf, next.value]) : next.value;
    return true;
  };
  /** Reads until buf holds `n` bytes (or the input ends or breaks), joining the chunks once. */
  const fill = async (n: number): Promise<void> => {
    if (buf.length >= n) return;
    const parts = [buf];
    let have = buf.length;
    buf = Buffer.alloc(0);
    while (have < n && (await more())) {
      parts.push(buf);
      have += buf.length;
      buf = Buffer.alloc(0);
    }
    buf = Buffer.concat(parts, have);
  };
  const takeBreak = (): GzipBreak | undefined => {
    const b = pendingBreak;
    pendingBreak = undefined;
    if (b) {
      // What was read of the damaged member is gone with it; the next member starts a record.
      buf = Buffer.alloc(0);
      lineStart = true;
    }
    return b;
  };

  for (;;) {
    // Find the next record's first line.
    let at = nextVersionLine(buf, 0, lineStart);
    while (at < 0) {
      // Keep a few bytes: the marker may straddle two chunks.
      const keep = Math.min(buf.length, NEXT_RECORD.length);
      const passed = buf.subarray(0, buf.length - keep);
      if (/[^\r\n]/.test(passed.toString('latin1'))) junk += passed.length;
      if (passed.length) lineStart = passed[passed.length - 1] === 0x0a;
      buf = buf.subarray(buf.length - keep);
      if (!(await more())) break;
      at = nextVersionLine(buf, 0, lineStart);
    }
    if (at > 0 && /[^\r\n]/.test(buf.subarray(0, at).toString('latin1'))) junk += at;
    if (at < 0 && /[^\r\n]/.test(buf.toString('latin1'))) junk += buf.length;
    if (junk > 0 && !quiet) {
      yield { kind: 'broken', no, detail: `${junk} bytes ${no ? `after record ${no}` : 'at the start'} are not a WARC record; they were skipped`, bytes: junk };
    }
    junk = 0;
    quiet = false;
    const damaged = takeBreak();
    if (damaged) {
      // A damaged member held back whole: its record's headers name what was lost.
      const headEnd = damaged.data?.indexOf(END_OF_HEADERS) ?? -1;
      const headers = damaged.data && headEnd > 0 && headEnd < MAX_HEADER_BYTES ? parseHeaders(damaged.data.subarray(0, headEnd + 4)) : undefined;
      if (headers !== undefined && typeof headers !== 'string') {
        no++;
        yield { kind: 'broken', no, headers, detail: `record ${no}: ${damaged.detail}`, bytes: damaged.data!.length };
      } else {
        yield { kind: 'broken', no, detail: `after record ${no}: ${damaged.detail}`, bytes: 0 };
      }
      quiet = true;
      continue;
    }
    if (at < 0) return;
    buf = buf.subarray(at);
    no++;

    // The header block.
    let headEnd = buf.indexOf(END_OF_HEADERS);
    while (headEnd < 0 && buf.length <= MAX_HEADER_BYTES) {
      const searched = Math.max(0, buf.length - END_OF_HEADERS.length + 1);
      if (!(await more())) break;
      headEnd = buf.indexOf(END_OF_HEADERS, searched);
    }
    if (headEnd < 0) {
      const b = takeBreak();
      const detail = b
        ? `record ${no}: ${b.detail}`
        : buf.length > MAX_HEADER_BYTES
          ? `record ${no}: its header block is longer than ${MAX_HEADER_BYTES} bytes`
          : `record ${no}: the input ends inside its header block`;
      yield { kind: 'broken', no, detail, bytes: buf.length };
      if (!b) {
        buf = buf.subarray(1);
        lineStart = false;
      }
      quiet = true;
      continue;
    }
    const head = Buffer.from(buf.subarray(0, headEnd + END_OF_HEADERS.length));
    const headers = parseHeaders(head);
    buf = buf.subarray(head.length);
    if (typeof headers === 'string') {
      yield { kind: 'broken', no, detail: `record ${no}: ${headers}`, bytes: head.length };
      lineStart = false;
      quiet = true;
      continue;
    }
    const lengthField = headers.fields.get('content-length');
    const length = lengthField !== undefined && /^\d{1,15}$/.test(lengthField) ? Number(lengthField) : NaN;
    if (Number.isNaN(length)) {
      yield { kind: 'broken', no, headers, detail: `record ${no}: its Content-Length is missing or not a number`, bytes: head.length };
      lineStart = false;
      quiet = true;
      continue;
    }

    // The content block: held up to the limit, passed over beyond it.
    if (length > options.maxRecordBytes) {
      let left = length;
      while (left > 0) {
        const n = Math.min(left, buf.length);
        left -= n;
        buf = buf.subarray(n);
        if (left > 0 && !(await more())) break;
      }
      const b = takeBreak();
      if (left > 0) {
        yield { kind: 'broken', no, headers, detail: `record ${no}: ${b ? b.detail : 'the input ends inside its content'}`, bytes: length - left };
        quiet = true;
        continue;
      }
      yield { kind: 'too-large', no, headers, bytes: head.length + length };
      lineStart = false;
      quiet = true;
      continue;
    }
    await fill(length + RECORD_END.length);
    const b = takeBreak();
    if (b) {
      yield { kind: 'broken', no, headers, detail: `record ${no}: ${b.detail}`, bytes: head.length + Math.min(buf.length, length) };
      quiet = true;
      continue;
    }
    if (buf.length < length) {
      yield {
        kind: 'broken',
        no,
        headers,
        detail: `record ${no}: the input ends inside its content (${buf.length} of ${length} bytes)`,
        bytes: head.length + buf.length,
      };
      return;
    }
    const end = buf.subarray(length, length + RECORD_END.length);
    // The closing blank line; a file whose last record lacks it is still read.
    if (end.equals(RECORD_END) || (ended && buf.length === length)) {
      const content = Buffer.from(buf.subarray(0, length));
      buf = buf.subarray(length + end.length);
      lineStart = true;
      yield { kind: 'record', no, headers, head, content, bytes: head.length + length, end: taken - buf.length };
      continue;
    }
    // No blank line where Content-Length says the record ends: the length is wrong. When it was
    // too long, the next record starts inside what we read; when too short, it starts further on.
    const next = nextVersionLine(buf, 0, false);
    const cut = next >= 0 && next <= length + RECORD_END.length ? next : Math.min(length, buf.length);
    yield {
      kind: 'broken',
      no,
      headers,
      detail: `record ${no}: no record end after the ${length} bytes its Content-Length gives (the length is wrong); reading went on at the next record`,
      bytes: head.length + length,
    };
    buf = buf.subarray(cut);
    lineStart = next >= 0 && cut === next;
    quiet = true;
  }
}
