/** Checks shared by the engine, server and CLI tests. */
import type { CleanResult } from '../src/engine';

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Deletes the removed spans from the input (UTF-16 offsets). */
export function deleteSpans(input: string, result: CleanResult): string {
  let out = '';
  let at = 0;
  for (const r of result.removed) {
    out += input.slice(at, r.start);
    at = r.end;
  }
  return out + input.slice(at);
}

/**
 * The contract's guarantees about `removed` and `text`; returns the first broken one, or null.
 * Written as a function rather than expect() calls so property tests can report the input.
 */
export function contractViolation(input: string, result: CleanResult): string | null {
  let last = 0;
  for (const [i, r] of result.removed.entries()) {
    if (!(Number.isInteger(r.start) && Number.isInteger(r.end))) return `span ${i}: offsets are not integers`;
    if (r.start < last) return `span ${i}: not sorted or overlaps the previous span`;
    if (r.end <= r.start) return `span ${i}: empty or reversed`;
    if (r.end > input.length) return `span ${i}: past the end of the input`;
    if (input.slice(r.start, r.end) !== r.text) return `span ${i}: text differs from input.slice(start, end)`;
    if (!r.rule || !r.category || !r.reason) return `span ${i}: missing rule, category or reason`;
    last = r.end;
  }
  if (collapse(deleteSpans(input, result)) !== collapse(result.text)) return 'input minus removed spans differs from text';
  if (/\n{3,}/.test(result.text) || result.text !== result.text.trim()) return 'text has stray blank lines or edges';
  return null;
}
