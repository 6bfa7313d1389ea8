/**
 * Unicode character classes of single BMP code units, answered from a table filled as text shows
 * the characters: the loops that read words a character at a time ask about every non-ASCII
 * letter, curly quote and dash of a page, and a regex test each time cost more than the rest of
 * the loop. The answers are the regexes' own, so nothing a caller computes changes.
 */

/** A test of one code unit against `re`, a one-character class anchored at both ends. */
function cached(re: RegExp): (c: number) => boolean {
  // 0: not asked yet, 1: in the class, 2: not. One table per class, 64 KB, filled lazily.
  const table = new Uint8Array(0x10000);
  return (c) => {
    let known = table[c];
    if (known === 0) known = table[c] = re.test(String.fromCharCode(c)) ? 1 : 2;
    return known === 1;
  };
}

/** `/^[\p{L}\p{N}]$/u` for one code unit (a lone surrogate is neither). */
export const isLetterOrDigitUnit = cached(/^[\p{L}\p{N}]$/u);
/** `/^[\p{L}\p{M}\p{N}]$/u` for one code unit: a topic word's characters, combining marks included. */
export const isWordUnit = cached(/^[\p{L}\p{M}\p{N}]$/u);
/** `/^\p{L}$/u` for one code unit (a lone surrogate is none). */
export const isLetterUnit = cached(/^\p{L}$/u);
