/** The HTML result's guarantees (src/engine/html/index.ts); returns the first broken one, or null. */
import type { HtmlCleanResult } from '../../../src/engine';

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
