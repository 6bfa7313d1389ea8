/**
 * HTML bytes to a string, the way a browser decides their encoding (WHATWG HTML, "determining the
 * character encoding"), so a page decodes here as it did for the crawler's users:
 *
 *   1. a byte order mark (UTF-8, UTF-16LE, UTF-16BE): a fact about the bytes, so it wins;
 *   2. the charset the transport declared (HTTP Content-Type, or the CLI's --charset);
 *   3. a `<meta charset>` or `<meta http-equiv="Content-Type" content="...; charset=...">` found by
 *      the spec's prescan of the first 1024 bytes;
 *   4. UTF-8.
 *
 * Decoding is TextDecoder's (Node's full ICU knows every WHATWG encoding: windows-1252,
 * iso-8859-x, Shift_JIS, GBK, EUC-KR, KOI8-R, ...). Bytes that are invalid in the chosen encoding
 * become U+FFFD rather than failing: scraped pages are often a little broken, and the rest of the
 * page is still worth cleaning.
 *
 * No Express here: the command line uses the same decoding.
 */

/** A charset the transport (or the user) declared that no decoder knows. */
export class UnsupportedCharsetError extends Error {
  constructor(readonly label: string) {
    super(
      `charset "${label}" is not supported; send UTF-8 or an encoding of the WHATWG Encoding Standard (windows-1252, iso-8859-2, shift_jis, gbk, euc-kr, koi8-r, ...)`,
    );
    this.name = 'UnsupportedCharsetError';
  }
}

export type CharsetSource = 'bom' | 'declared' | 'meta' | 'default';

export interface DecodedHtml {
  html: string;
  /** The WHATWG name of the encoding used, e.g. "windows-1252". */
  encoding: string;
  /** Which of the four steps above decided it. */
  source: CharsetSource;
}

/** The spec prescans this many bytes: a meta charset further down is not looked for. */
export const PRESCAN_BYTES = 1024;

/** The WHATWG name for a label, or undefined when no decoder knows it. */
export function encodingFor(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}

/** `charset` of a Content-Type header value; undefined when it has none. */
export function charsetOfContentType(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(header);
  const label = m ? (m[1] ?? m[2]) : undefined;
  return label ? label : undefined;
}

function bomEncoding(bytes: Uint8Array): string | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/**
 * The encoding an HTML page is decoded with. `declared` is the transport's charset label; an
 * unknown one throws UnsupportedCharsetError (the client can fix its header), while an unknown
 * `<meta>` charset is ignored as browsers ignore it (the page's author cannot be asked). Reads at
 * most the first 1024 bytes: cheap enough for the service's main thread, which decides the
 * encoding (and answers 415) before the page goes to a worker to be decoded there.
 */
export function htmlEncoding(bytes: Uint8Array, declared?: string): { encoding: string; source: CharsetSource } {
  const bom = bomEncoding(bytes);
  if (bom) return { encoding: bom, source: 'bom' };
  if (declared !== undefined) {
    const encoding = encodingFor(declared);
    if (!encoding) throw new UnsupportedCharsetError(declared);
    return { encoding, source: 'declared' };
  }
  const meta = prescanMetaCharset(bytes);
  return meta ? { encoding: meta, source: 'meta' } : { encoding: 'utf-8', source: 'default' };
}

/** Bytes in a known encoding (a WHATWG name, as htmlEncoding gives) to a string. */
export function decodeIn(bytes: Uint8Array, encoding: string): string {
  return encoding === 'windows-1252' ? decodeWindows1252(bytes) : new TextDecoder(encoding).decode(bytes);
}

/** Decodes an HTML page: htmlEncoding, then decodeIn. */
export function decodeHtml(bytes: Uint8Array, declared?: string): DecodedHtml {
  const { encoding, source } = htmlEncoding(bytes, declared);
  return { html: decodeIn(bytes, encoding), encoding, source };
}

/**
 * windows-1252 bytes 0x80-0x9F (the WHATWG table; the five it leaves unassigned map to themselves).
 * Node 20's TextDecoder decodes windows-1252 as ISO-8859-1 in its one-shot fast path (0x93 becomes
 * U+0093 instead of the quotation mark U+201C), and windows-1252 is the encoding every "latin1" and
 * "iso-8859-1" label means on the web, so it is decoded here by table.
 */
const WINDOWS_1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

export function decodeWindows1252(bytes: Uint8Array): string {
  // Latin-1 is windows-1252 everywhere but 0x80-0x9F; a UTF-8 BOM never reaches here (step 1 took it).
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\x80-\x9f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]);
}

// ---------------------------------------------------------------------------------------------
// The prescan (WHATWG HTML 13.2.3.2, "prescan a byte stream to determine its encoding").

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

const isSpace = (b: number) => b === 0x09 || b === 0x0a || b === 0x0c || b === 0x0d || b === 0x20;
const isAlpha = (b: number) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
const lower = (b: number) => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b);

function startsWithCi(bytes: Uint8Array, at: number, ascii: string): boolean {
  if (at + ascii.length > bytes.length) return false;
  for (let i = 0; i < ascii.length; i++) if (lower(bytes[at + i]) !== ascii.charCodeAt(i)) return false;
  return true;
}

interface Attribute {
  name: string;
  value: string;
  /** Position just after the attribute. */
  next: number;
}

/** "Get an attribute": undefined when the tag ends (or the bytes do) first. */
function getAttribute(bytes: Uint8Array, start: number): Attribute | undefined {
  const end = bytes.length;
  let p = start;
  while (p < end && (isSpace(bytes[p]) || bytes[p] === SLASH)) p++;
  if (p >= end || bytes[p] === GT) return undefined;
  let name = '';
  let value = '';
  // The name.
  for (;;) {
    if (p >= end) return undefined;
    const b = bytes[p];
    if (b === EQUALS && name !== '') {
      p++;
      break;
    }
    if (isSpace(b)) {
      while (p < end && isSpace(bytes[p])) p++;
      if (p >= end) return undefined;
      if (bytes[p] !== EQUALS) return { name, value: '', next: p };
      p++;
      break;
    }
    if (b === SLASH || b === GT) return { name, value: '', next: p };
    name += String.fromCharCode(lower(b));
    p++;
  }
  // The value.
  while (p < end && isSpace(bytes[p])) p++;
  if (p >= end) return undefined;
  const q = bytes[p];
  if (q === DQUOTE || q === SQUOTE) {
    p++;
    for (;;) {
      if (p >= end) return undefined;
      if (bytes[p] === q) return { name, value, next: p + 1 };
      value += String.fromCharCode(lower(bytes[p]));
      p++;
    }
  }
  if (q === GT) return { name, value: '', next: p };
  for (;;) {
    if (p >= end) return undefined;
    const b = bytes[p];
    if (isSpace(b) || b === GT) return { name, value, next: p };
    value += String.fromCharCode(lower(b));
    p++;
  }
}

/** "Extract a character encoding from a meta element": the charset inside a content attribute. */
export function charsetOfMetaContent(content: string): string | undefined {
  const s = content.toLowerCase();
  let from = 0;
  for (;;) {
    const at = s.indexOf('charset', from);
    if (at === -1) return undefined;
    let p = at + 'charset'.length;
    while (p < s.length && isSpace(s.charCodeAt(p))) p++;
    if (s[p] !== '=') {
      from = p;
      continue;
    }
    p++;
    while (p < s.length && isSpace(s.charCodeAt(p))) p++;
    const q = s[p];
    if (q === '"' || q === "'") {
      const close = s.indexOf(q, p + 1);
      return close === -1 ? undefined : s.slice(p + 1, close);
    }
    let e = p;
    while (e < s.length && !isSpace(s.charCodeAt(e)) && s[e] !== ';') e++;
    return e > p ? s.slice(p, e) : undefined;
  }
}

/** The encoding named by a meta element's attributes, per the prescan's rules; undefined to go on. */
function metaEncoding(attributes: Map<string, string>): string | undefined {
  let gotPragma = false;
  let needPragma: boolean | undefined;
  let charset: string | undefined;
  let named = false;
  for (const [name, value] of attributes) {
    if (name === 'http-equiv') {
      if (value === 'content-type') gotPragma = true;
    } else if (name === 'content') {
      if (!named) {
        const label = charsetOfMetaContent(value);
        if (label !== undefined) {
          charset = encodingFor(label);
          named = true;
          needPragma = true;
        }
      }
    } else if (name === 'charset') {
      charset = encodingFor(value);
      named = true;
      needPragma = false;
    }
  }
  if (needPragma === undefined || (needPragma && !gotPragma) || !charset) return undefined;
  // A page that says UTF-16 in ASCII bytes cannot be UTF-16; the spec reads it as UTF-8.
  if (charset === 'utf-16le' || charset === 'utf-16be') return 'utf-8';
  return charset;
}

/** The encoding a `<meta>` in the first 1024 bytes declares, or undefined. */
export function prescanMetaCharset(input: Uint8Array): string | undefined {
  const bytes = input.subarray(0, PRESCAN_BYTES);
  const end = bytes.length;
  let p = 0;
  while (p < end) {
    if (bytes[p] !== LT) {
      p++;
      continue;
    }
    if (startsWithCi(bytes, p, '<!--')) {
      // The end of a comment may share its dashes with the start: "<!-->" is a whole comment.
      let close = p + 2;
      while (close < end && !(bytes[close] === 0x2d && bytes[close + 1] === 0x2d && bytes[close + 2] === GT)) close++;
      if (close >= end) return undefined;
      p = close + 3;
      continue;
    }
    if (startsWithCi(bytes, p, '<meta') && p + 5 < end && (isSpace(bytes[p + 5]) || bytes[p + 5] === SLASH)) {
      const attributes = new Map<string, string>();
      let at = p + 5;
      for (let a = getAttribute(bytes, at); a; a = getAttribute(bytes, at)) {
        // The first of a repeated attribute counts.
        if (!attributes.has(a.name)) attributes.set(a.name, a.value);
        at = a.next;
      }
      const found = metaEncoding(attributes);
      if (found) return found;
      p = at + 1;
      continue;
    }
    const tagStart = bytes[p + 1] === SLASH ? p + 2 : p + 1;
    if (tagStart < end && isAlpha(bytes[tagStart])) {
      // Any other tag: skip its name and attributes, which may hold a ">" inside quotes.
      let at = tagStart;
      while (at < end && !isSpace(bytes[at]) && bytes[at] !== GT) at++;
      for (let a = getAttribute(bytes, at); a; a = getAttribute(bytes, at)) at = a.next;
      p = at + 1;
      continue;
    }
    if (bytes[p + 1] === BANG || bytes[p + 1] === SLASH || bytes[p + 1] === QUESTION) {
      const close = bytes.indexOf(GT, p + 1);
      if (close === -1) return undefined;
      p = close + 1;
      continue;
    }
    p++;
  }
  return undefined;
}
