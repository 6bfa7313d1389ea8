/**
 * What `declutter clean` is given when it is not told: a page (an HTML file cleaned as text keeps
 * its menu as the "article"), or bytes that are no text at all (which would print garbage).
 */

/** The start of the input as text, past a byte-order mark: enough to see a doctype. */
function head(bytes: Buffer): string {
  const start = bytes.subarray(0, 1024);
  if (start[0] === 0xff && start[1] === 0xfe) return start.subarray(2).toString('utf16le');
  if (start[0] === 0xfe && start[1] === 0xff) return Buffer.from(start.subarray(2)).swap16().toString('utf16le');
  const text = start.toString('latin1');
  return text.startsWith('\xef\xbb\xbf') ? text.slice(3) : text;
}

/** True when the input starts (after a BOM and white space) with `<!doctype html` or `<html`. */
export function looksLikeHtml(bytes: Buffer): boolean {
  const start = head(bytes).trimStart().slice(0, 14).toLowerCase();
  return start.startsWith('<!doctype html') || /^<html[\s>]/.test(start);
}

/**
 * A share of undecodable UTF-8 above which the input is no text. A Latin-1 page in French has
 * a few per cent of its characters outside ASCII; random bytes have more than half.
 */
const MAX_INVALID_SHARE = 0.1;

/** Why the bytes are no UTF-8 text, or undefined when they are. */
export function binaryReason(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) {
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    return utf16 ? 'it is UTF-16 (NUL bytes); text is read as UTF-8: convert it, or give a page with --html' : 'it contains NUL bytes';
  }
  const text = bytes.toString('utf8');
  // Replacement characters that were in the input as such are not decoding errors.
  const replaced = countOf(text, '\ufffd') - countOf(bytes.toString('latin1'), '\xef\xbf\xbd');
  if (replaced > 0 && replaced / text.length > MAX_INVALID_SHARE) {
    return `${Math.round((100 * replaced) / text.length)}% of it is not valid UTF-8`;
  }
  return undefined;
}

function countOf(haystack: string, needle: string): number {
  let n = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) n++;
  return n;
}
