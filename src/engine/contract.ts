/**
 * The guarantees every result gives (docs and /work/shared/CONTRACT.md): spans sorted, apart and
 * inside the input, each naming its rule, category and reason, and the text being the input less
 * the spans. Written as functions answering the first broken guarantee, or null, so that the rule
 * tester, the test suite and property tests can all report the input that broke one.
 */
import type { HtmlCleanResult } from './html';
import type { CleanResult } from './types';

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

/** A text result's guarantees; answers the first broken one, or null. */
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

/** An HTML result's guarantees (src/engine/html/index.ts); answers the first broken one, or null. */
export function htmlContractViolation(html: string, result: HtmlCleanResult): string | null {
  let last = 0;
  for (const [i, r] of result.removed.entries()) {
    if (!(Number.isInteger(r.start) && Number.isInteger(r.end))) return `span ${i}: offsets are not integers`;
    if (r.start < last) return `span ${i}: not sorted or overlaps the previous span`;
    if (r.end <= r.start) return `span ${i}: empty or reversed`;
    if (r.end > html.length) return `span ${i}: past the end of the input`;
    if (html.slice(r.start, r.end) !== r.text) return `span ${i}: text differs from html.slice(start, end)`;
    if (!r.rule || !r.category || !r.reason) return `span ${i}: missing rule, category or reason`;
    if (typeof r.path !== 'string') return `span ${i}: no path`;
    last = r.end;
  }
  if (/\n{3,}/.test(result.text) || result.text !== result.text.trim()) return 'text has stray blank lines or edges';
  return null;
}
