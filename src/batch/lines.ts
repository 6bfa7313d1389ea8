/**
 * NDJSON framing over a byte stream: one line at a time, with its number, decoded from UTF-8.
 * Bounded memory is the point: a line longer than the limit is dropped as it streams past (only
 * its first bytes are kept, to name its id), and the total size can be capped.
 */

export type RawLine =
  | { kind: 'line'; lineNo: number; text: string; bytes: number }
  | { kind: 'too-long'; lineNo: number; bytes: number; head: string }
  | { kind: 'body-too-large'; lineNo: number; limit: number };

export interface LineOptions {
  maxLineBytes: number;
  /** Stop after this many bytes with a `body-too-large` entry; Infinity for no cap. */
  maxTotalBytes?: number;
}

const NEWLINE = 0x0a;
/** Enough of an over-long line to find an `"id": ...` near its start. */
const HEAD_BYTES = 1024;

function decode(parts: Buffer[]): string {
  const buf = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  let text = buf.toString('utf8');
  if (text.charCodeAt(text.length - 1) === 0x0d) text = text.slice(0, -1);
  return text;
}

export async function* ndjsonLines(chunks: AsyncIterable<Buffer | string>, options: LineOptions): AsyncGenerator<RawLine> {
  const maxTotal = options.maxTotalBytes ?? Infinity;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let skipping = false;
  let head = '';
  let lineNo = 0;
  let total = 0;
  let first = true;

  function* finish(): Generator<RawLine> {
    lineNo++;
    if (skipping) {
      yield { kind: 'too-long', lineNo, bytes: partBytes, head };
    } else if (partBytes > 0) {
      const text = decode(parts);
      // Blank lines separate nothing in NDJSON; skipping them keeps "one result per line" simple.
      if (text.trim() !== '') yield { kind: 'line', lineNo, text, bytes: partBytes };
    }
    parts = [];
    partBytes = 0;
    skipping = false;
    head = '';
  }

  function take(piece: Buffer): void {
    if (piece.length === 0) return;
    if (!skipping && partBytes + piece.length > options.maxLineBytes) {
      head = Buffer.concat([...parts, piece])
        .subarray(0, HEAD_BYTES)
        .toString('utf8');
      skipping = true;
      parts = [];
    }
    partBytes += piece.length;
    if (!skipping) parts.push(piece);
  }

  for await (const raw of chunks) {
    let chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    if (first && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    first = false;
    total += chunk.length;
    if (total > maxTotal) {
      yield { kind: 'body-too-large', lineNo: lineNo + 1, limit: maxTotal };
      return;
    }
    let at = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, at);
      if (nl < 0) break;
      take(chunk.subarray(at, nl));
      yield* finish();
      at = nl + 1;
    }
    // Copy the tail: holding a view would pin the whole 64 KB chunk for a few bytes.
    if (at < chunk.length) take(at === 0 ? chunk : Buffer.from(chunk.subarray(at)));
  }
  if (partBytes > 0 || skipping) yield* finish();
}
