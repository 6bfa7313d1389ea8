/** Where the page view (page-view.ts) marks what the rules removed; pure, so it is tested in Node. */

/** The removals' marks: `data-dc` (index into `removed`) on a removed element, or a <mark> around removed text. */
export function markRemovals(html: string, removed: readonly { start: number; end: number }[]): string {
  let out = '';
  let at = 0;
  removed.forEach((r, i) => {
    if (r.start < at || r.end > html.length || r.end <= r.start) return;
    out += html.slice(at, r.start);
    const span = html.slice(r.start, r.end);
    const tag = /^<([a-zA-Z][a-zA-Z0-9-]*)/.exec(span);
    if (tag) out += `<${tag[1]} data-dc="${i}"${span.slice(tag[0].length)}`;
    else out += `<mark data-dc="${i}">${span}</mark>`;
    at = r.end;
  });
  return out + html.slice(at);
}
