/**
 * `JSON.stringify(value)` written straight into UTF-8 bytes, byte for byte what
 * `new TextEncoder().encode(JSON.stringify(value))` gives for plain data (objects, arrays,
 * strings, finite and non-finite numbers, booleans, null, undefined); anything else (a `toJSON`,
 * a class instance, a bigint) is written as `JSON.stringify` writes it.
 *
 * Why: a full result is ~65 K characters of JSON for a 10 KB text. `JSON.stringify` returns it as
 * a tree of parts, and the first thing to read it (the encoder) first copies it into one flat
 * two-byte string of ~130 KB, an allocation in V8's large-object space: on aeb-dev's 10 KB texts
 * that flattening cost ~3× the stringify itself, and stringify + flatten + encode together ~0.7
 * CPU-ms of a worker's ~3.5 a request (the engine ~1.8). Here each string is written to the buffer
 * as it is: one with nothing to escape by the native encoder, one with escapes (a text's
 * newlines) as JSON.stringify quotes it alone, a short one (ids, categories) by a loop in one
 * pass. Serialising and encoding the 91 ~10 KB aeb-dev full results (in one process, load 11-12):
 * 640-810 CPU-µs a result before, 300-400 after. test/batch/json-bytes.test.ts compares the bytes with the encoder's on the dev sets and
 * on edge cases (escapes, lone surrogates, undefined, non-finite numbers, `toJSON`).
 */

/** Characters `JSON.stringify` escapes in a string (quote, backslash, controls); lone surrogates are checked apart. */
// eslint-disable-next-line no-control-regex -- the controls are what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

/** String.prototype.isWellFormed (ES2024, in Node 20's V8; the compile target's lib predates it). */
const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * Strings up to this length are escaped and encoded by the loop in `string`, in one pass; longer
 * ones are checked by a regex and written by the native encoder. The loop for every string was
 * slower than encoding before (1003 against 810 µs a result above); 16 beat 0 and 64 (301, 399, 362 µs).
 */
const LONG = 16;

/** `"key":` as bytes, per key (a result has a handful of distinct keys). */
const keyBytes = new Map<string, Buffer>();

function keyOf(key: string): Buffer {
  let bytes = keyBytes.get(key);
  if (!bytes) {
    bytes = Buffer.from(`${JSON.stringify(key)}:`, 'utf8');
    if (keyBytes.size < 1024) keyBytes.set(key, bytes);
  }
  return bytes;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const HEX = '0123456789abcdef';
/** The short escapes JSON.stringify writes for these controls (the rest are \u00xx). */
const SHORT_ESCAPES: Record<number, number> = { 0x08: 0x62, 0x09: 0x74, 0x0a: 0x6e, 0x0c: 0x66, 0x0d: 0x72 };

type Utf8Writer = Buffer & { utf8Write(s: string, offset: number): number };

class ByteWriter {
  buf: Utf8Writer;
  at = 0;

  constructor(capacity: number) {
    // Its own ArrayBuffer (never Node's shared pool): the caller may transfer it to another thread.
    this.buf = Buffer.allocUnsafeSlow(Math.max(64, Math.ceil(capacity))) as Utf8Writer;
  }

  /** Room for `n` more bytes. */
  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.at + n)) as Utf8Writer;
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.at++] = b;
  }

  bytes(b: Buffer): void {
    this.room(b.length);
    b.copy(this.buf, this.at);
    this.at += b.length;
  }

  /** A well-formed string's UTF-8 as it is (no escapes). */
  text(s: string): void {
    // At most 3 bytes a UTF-16 unit.
    this.room(s.length * 3);
    this.at += this.buf.utf8Write(s, this.at);
  }

  /** A non-negative integer's digits, or any other number as String() writes it. */
  number(n: number): void {
    if (!Number.isFinite(n)) return this.text('null');
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) return this.text(String(n));
    this.room(10);
    const buf = this.buf;
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    let at = this.at + digits;
    this.at = at;
    let x = n;
    do {
      buf[--at] = 0x30 + (x % 10);
      x = Math.floor(x / 10);
    } while (x > 0);
  }

  /** A string as JSON.stringify quotes it. */
  string(s: string): void {
    if (s.length > LONG) {
      if (NEEDS_ESCAPE.test(s) || !isWellFormed(s)) this.text(JSON.stringify(s));
      else {
        this.byte(QUOTE);
        this.text(s);
        this.byte(QUOTE);
      }
      return;
    }
    // Quotes, escapes (at most 6 bytes a unit: \u00xx, or a lone surrogate's \udxxx).
    this.room(s.length * 6 + 2);
    const buf = this.buf;
    let at = this.at;
    buf[at++] = QUOTE;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c !== QUOTE && c !== BACKSLASH) buf[at++] = c;
        else {
          buf[at++] = BACKSLASH;
          if (c === QUOTE || c === BACKSLASH) buf[at++] = c;
          else if (SHORT_ESCAPES[c] !== undefined) buf[at++] = SHORT_ESCAPES[c];
          else at = unicodeEscape(buf, at, c);
        }
      } else if (c < 0x800) {
        buf[at++] = 0xc0 | (c >> 6);
        buf[at++] = 0x80 | (c & 0x3f);
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          buf[at++] = 0xf0 | (cp >> 18);
          buf[at++] = 0x80 | ((cp >> 12) & 0x3f);
          buf[at++] = 0x80 | ((cp >> 6) & 0x3f);
          buf[at++] = 0x80 | (cp & 0x3f);
          i++;
        } else {
          // A lone surrogate: JSON.stringify escapes it.
          buf[at++] = BACKSLASH;
          at = unicodeEscape(buf, at, c);
        }
      } else {
        buf[at++] = 0xe0 | (c >> 12);
        buf[at++] = 0x80 | ((c >> 6) & 0x3f);
        buf[at++] = 0x80 | (c & 0x3f);
      }
    }
    buf[at++] = QUOTE;
    this.at = at;
  }
}

/** `u` and four lowercase hex digits (after the backslash), as JSON.stringify writes them. */
function unicodeEscape(buf: Buffer, at: number, c: number): number {
  buf[at++] = 0x75;
  for (let shift = 12; shift >= 0; shift -= 4) buf[at++] = HEX.charCodeAt((c >> shift) & 0xf);
  return at;
}

/** Plain data: what this writer walks itself; the rest goes to JSON.stringify. */
function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

/** Writes `v` as JSON.stringify would; false when it writes nothing (undefined, a function, a symbol). */
function write(w: ByteWriter, v: unknown): boolean {
  switch (typeof v) {
    case 'string':
      w.string(v);
      return true;
    case 'number':
      w.number(v);
      return true;
    case 'boolean':
      w.text(v ? 'true' : 'false');
      return true;
    case 'undefined':
    case 'function':
    case 'symbol':
      return false;
    case 'object':
      break;
    default: {
      // A bigint: JSON.stringify throws, and so does this.
      const json = JSON.stringify(v);
      if (json === undefined) return false;
      w.text(json);
      return true;
    }
  }
  if (v === null) {
    w.text('null');
    return true;
  }
  if (Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype && typeof (v as { toJSON?: unknown }).toJSON !== 'function') {
    w.byte(0x5b);
    for (let i = 0; i < v.length; i++) {
      if (i) w.byte(COMMA);
      if (!write(w, v[i])) w.text('null');
    }
    w.byte(0x5d);
    return true;
  }
  if (!Array.isArray(v) && isPlainObject(v)) {
    w.byte(0x7b);
    let first = true;
    const obj = v as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      const value = obj[key];
      if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
      if (!first) w.byte(COMMA);
      w.bytes(keyOf(key));
      write(w, value);
      first = false;
    }
    w.byte(0x7d);
    return true;
  }
  const json = JSON.stringify(v);
  if (json === undefined) return false;
  w.text(json);
  return true;
}

/**
 * The UTF-8 bytes of `JSON.stringify(value)` (plus a newline when asked), in a Uint8Array whose
 * ArrayBuffer is its own (transferable). `sizeHint`: the expected size in bytes, to allocate once.
 * Undefined when JSON.stringify would return undefined.
 */
export function jsonBytes(value: unknown, sizeHint = 4096, newline = false): Uint8Array | undefined {
  const w = new ByteWriter(sizeHint);
  if (!write(w, value)) return undefined;
  if (newline) w.byte(0x0a);
  return new Uint8Array(w.buf.buffer, w.buf.byteOffset, w.at);
}
