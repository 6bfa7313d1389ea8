/**
 * The bytes of a WARC file, gunzipped member by member when it is a `.warc.gz`, with recovery.
 *
 * A `.warc.gz` is a chain of gzip members, usually one per record. A member that is truncated or
 * corrupt (a crawler killed mid-write, a bad copy) must cost its own record only. A plain gunzip
 * stream (and warcio's reader) cannot do that: after the damage it reads the next member's header
 * as more compressed data and fails there or later, and everything after is lost. So each member
 * gets its own raw-inflate stream, which says exactly where its data ended; after a damaged one
 * the bytes are searched for the next member that starts a WARC record, and reading goes on there.
 *
 * Memory: the compressed bytes of the current member are kept for that search, up to
 * RECOVERY_WINDOW_BYTES (a longer member is searched from the end of that window).
 */
import * as zlib from 'node:zlib';
import { createInflateRaw, inflateRawSync, constants, type InflateRaw } from 'node:zlib';

/** zlib.crc32 (Node 20.15+); without it the trailer's length alone is checked. */
const nativeCrc32 = (zlib as { crc32?: (d: Buffer, v: number) => number }).crc32;
const crc32 = nativeCrc32 ?? (() => 0);

/** The stream broke off here: what is before was delivered, what follows starts a new member. */
export interface GzipBreak {
  kind: 'break';
  /** Offset in the compressed input of the damaged member. */
  offset: number;
  detail: string;
  /** The damaged member's output when it was held back (small members): its record's headers are in it. */
  data?: Buffer;
}

export type WarcBytes = Buffer | GzipBreak;

/** 8 MB: a WARC record's member is rarely over a few MB; longer ones are searched from the window's end. */
const RECOVERY_WINDOW_BYTES = 8 * 1024 * 1024;
const WARC_MAGIC = Buffer.from('WARC/');
/**
 * A member's output is held until its trailer (length and CRC-32) has been checked, up to 4 MB:
 * a damaged member can decode to garbage without an inflate error. Larger members stream out
 * unchecked until then, and damage found at their end is reported after their output.
 */
const HOLD_BYTES = 4 * 1024 * 1024;

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Length of the gzip header at `at` (RFC 1952), 0 when more bytes are needed, -1 when the bytes
 * there are not a gzip header.
 */
function headerLength(buf: Buffer, at: number): number {
  if (buf.length - at < 10) return 0;
  if (buf[at] !== 0x1f || buf[at + 1] !== 0x8b || buf[at + 2] !== 8) return -1;
  const flags = buf[at + 3];
  if (flags & 0xe0) return -1;
  let p = at + 10;
  if (flags & 4) {
    if (buf.length - p < 2) return 0;
    p += 2 + buf.readUInt16LE(p);
  }
  for (const bit of [8, 16]) {
    if (flags & bit) {
      const end = buf.indexOf(0, p);
      if (end < 0) return 0;
      p = end + 1;
    }
  }
  if (flags & 2) p += 2;
  return buf.length < p ? 0 : p - at;
}

/** Does a member starting at `at` decode to the start of a WARC record? */
function startsWarcMember(buf: Buffer, at: number, ended: boolean): boolean | undefined {
  const head = headerLength(buf, at);
  if (head < 0) return false;
  if (head === 0 || buf.length - at - head < 64) {
    if (!ended) return undefined;
    if (head === 0) return false;
  }
  try {
    const out = inflateRawSync(buf.subarray(at + head, at + head + 4096), { finishFlush: constants.Z_SYNC_FLUSH });
    return out.subarray(0, WARC_MAGIC.length).equals(WARC_MAGIC);
  } catch {
    return false;
  }
}

/** One member's inflater, fed chunk by chunk; reports where its deflate data ended. */
class MemberInflater {
  private readonly inflate: InflateRaw = createInflateRaw();
  private readonly out: Buffer[] = [];
  private failure: Error | undefined;
  private ended = false;
  private fed = 0;

  constructor() {
    this.inflate.on('data', (c: Buffer) => this.out.push(c));
    this.inflate.on('end', () => (this.ended = true));
    this.inflate.on('error', (e: Error) => (this.failure ??= e));
  }

  /** Feeds a chunk; answers the output so far and, once the data ended, how much of this chunk it used. */
  async write(chunk: Buffer): Promise<{ out: Buffer[]; used?: number; error?: Error }> {
    const before = this.fed;
    this.fed += chunk.length;
    // A write that fails may never call back: its error (or close) ends the wait too.
    await new Promise<void>((resolve) => {
      const done = () => {
        this.inflate.off('error', done);
        this.inflate.off('close', done);
        resolve();
      };
      this.inflate.once('error', done);
      this.inflate.once('close', done);
      this.inflate.write(chunk, done);
    });
    // Output pushed during the write may be delivered on the next turn.
    await new Promise((r) => setImmediate(r));
    const out = this.out.splice(0);
    if (this.failure) return { out, error: this.failure };
    const consumed = this.inflate.bytesWritten;
    if (this.ended || consumed < this.fed) return { out, used: Math.max(0, consumed - before) };
    return { out };
  }

  /** The input ended: flush, and say whether the member was complete. */
  async finish(): Promise<{ out: Buffer[]; complete: boolean }> {
    await new Promise<void>((resolve) => {
      this.inflate.once('close', resolve);
      this.inflate.end();
    });
    return { out: this.out.splice(0), complete: this.ended && !this.failure };
  }

  destroy(): void {
    this.inflate.destroy();
  }
}

/**
 * The decompressed bytes of a `.warc.gz`, or the bytes as they are for a plain `.warc`; a GzipBreak
 * marks each damaged member. `onRead` is told the compressed bytes read (progress).
 */
export async function* warcBytes(chunks: AsyncIterable<Buffer | string>, onRead?: (bytes: number) => void): AsyncGenerator<WarcBytes> {
  const source = chunks[Symbol.asyncIterator]();
  let buf: Buffer = Buffer.alloc(0);
  /** Offset in the input of buf[0]. */
  let base = 0;
  let ended = false;
  const more = async (): Promise<boolean> => {
    if (ended) return false;
    const next = await source.next();
    if (next.done) {
      ended = true;
      return false;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    onRead?.(chunk.length);
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    return true;
  };
  const drop = (n: number) => {
    buf = buf.subarray(n);
    base += n;
  };

  while (buf.length < 2 && (await more()));
  if (!isGzip(buf)) {
    // A plain WARC: the bytes as they come.
    if (buf.length) yield buf;
    for (let c = await source.next(); !c.done; c = await source.next()) {
      const chunk = typeof c.value === 'string' ? Buffer.from(c.value) : c.value;
      onRead?.(chunk.length);
      yield chunk;
    }
    return;
  }

  for (;;) {
    // A member header, or the search for one after damage.
    let head = headerLength(buf, 0);
    while (head === 0 && (await more())) head = headerLength(buf, 0);
    if (buf.length === 0 && ended) return;
    if (head <= 0) {
      // Not a member where one should start: bytes after the last member, or damage.
      const at = base;
      if (!(await seekMember(1))) {
        yield { kind: 'break', offset: at, detail: `the bytes at offset ${at} are not a gzip member, and no WARC record follows them` };
        return;
      }
      yield { kind: 'break', offset: at, detail: `the bytes at offset ${at} are not a gzip member; reading went on at offset ${base}` };
      continue;
    }
    const memberStart = base;
    // The member's bytes, kept (up to the window) to search for the next member if it is damaged.
    const kept: Buffer[] = [buf.subarray(0, head)];
    let keptBytes = head;
    let keptFrom = memberStart;
    drop(head);
    const inflater = new MemberInflater();
    let failure: string | undefined;
    let held: Buffer[] | undefined = [];
    let heldBytes = 0;
    let outBytes = 0;
    let crc = 0;
    const take = function* (out: Buffer[]): Generator<Buffer> {
      for (const o of out) {
        outBytes += o.length;
        crc = crc32(o, crc);
        if (held) {
          held.push(o);
          heldBytes += o.length;
          if (heldBytes > HOLD_BYTES) {
            yield* held;
            held = undefined;
          }
        } else {
          yield o;
        }
      }
    };
    try {
      for (;;) {
        if (buf.length === 0 && !(await more())) {
          const { out, complete } = await inflater.finish();
          yield* take(out);
          if (!complete) failure = `the gzip member at offset ${memberStart} is truncated (the input ends inside it)`;
          break;
        }
        const chunk = buf;
        const r = await inflater.write(chunk);
        yield* take(r.out);
        if (r.error) {
          failure = `the gzip member at offset ${memberStart} is corrupt (${r.error.message})`;
          kept.push(chunk);
          keptBytes += chunk.length;
          drop(chunk.length);
          break;
        }
        if (r.used !== undefined) {
          // The member's data ended inside this chunk: skip its 8-byte trailer (CRC32 and size).
          drop(r.used);
          while (buf.length < 8 && (await more()));
          const trailerOk = buf.length >= 8 && buf.readUInt32LE(4) === outBytes % 2 ** 32 && (!nativeCrc32 || buf.readUInt32LE(0) === crc >>> 0);
          if (!trailerOk) {
            // Decoded, but not to what was compressed: the member was cut and the next one read as its data.
            failure = `the gzip member at offset ${memberStart} is truncated or corrupt (its length and CRC-32 do not match)`;
            break;
          }
          drop(8);
          break;
        }
        kept.push(chunk);
        keptBytes += chunk.length;
        drop(chunk.length);
        while (keptBytes > RECOVERY_WINDOW_BYTES && kept.length > 1) {
          keptBytes -= kept[0].length;
          keptFrom += kept[0].length;
          kept.shift();
        }
      }
    } finally {
      inflater.destroy();
    }
    if (failure === undefined) {
      if (held) yield* held;
      continue;
    }
    // Search from just past the damaged member's start, in what was kept and then what follows.
    const skipFirst = keptFrom === memberStart ? 1 : 0;
    buf = Buffer.concat([...kept, buf]);
    base = keptFrom;
    const found = await seekMember(skipFirst);
    const damaged: GzipBreak = {
      kind: 'break',
      offset: memberStart,
      detail: found ? `${failure}; reading went on at the next record, at offset ${base}` : `${failure}, and no WARC record follows it`,
    };
    if (held) damaged.data = Buffer.concat(held);
    yield damaged;
    if (!found) return;
  }

  /** Moves `buf` to the next member that starts a WARC record, from `from` bytes in; false at the end. */
  async function seekMember(from: number): Promise<boolean> {
    let at = from;
    for (;;) {
      const hit = buf.indexOf(0x1f, at);
      if (hit < 0) {
        // Keep nothing: no member starts in these bytes (a 0x1f at the very end is looked at again).
        drop(buf.length);
        at = 0;
        if (!(await more())) return false;
        continue;
      }
      const verdict = startsWarcMember(buf, hit, ended);
      if (verdict === undefined) {
        drop(hit);
        at = 0;
        if (!(await more())) continue;
        continue;
      }
      if (verdict) {
        drop(hit);
        return true;
      }
      at = hit + 1;
    }
  }
}
