/**
 * An HTML document as it renders, with what the rules removed outlined. The page is the user's
 * (a scraped page: scripts, trackers, anything), so it is shown in an iframe that runs no script
 * at all: `sandbox` without `allow-scripts`, a Content-Security-Policy that allows no script, no
 * network (images only from `data:`), and the markup itself stripped of scripts, handlers, frames
 * and refreshes before it goes in. `allow-same-origin` lets the dashboard (not the page) read the
 * rendered document to show what is under the pointer; with scripts off, the page cannot use it.
 */
import type { CleanResult } from './api';
import { styleOf } from './categories';
import { markRemovals } from './page-marks';

/** No script source, no network, no forms, no plugins: only inline styles and data: images. */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; form-action 'none'; base-uri 'none'";

const STRIPPED = 'script, noscript, iframe, frame, frameset, object, embed, applet, base, link, meta, template, portal';

const OUTLINE: Record<string, string> = { solid: 'solid', double: 'double', dotted: 'dotted', dashed: 'dashed', wavy: 'dashed' };

/** The srcdoc of the page view: the page with its removals marked, made inert, outlines styled per category. */
export function pageSrcdoc(html: string, result: CleanResult): string {
  const doc = new DOMParser().parseFromString(markRemovals(html, result.removed), 'text/html');
  for (const el of doc.querySelectorAll(STRIPPED)) el.remove();
  for (const el of doc.querySelectorAll('*')) {
    for (const a of [...el.attributes]) {
      // What a browser ignores in a URL before its scheme (whitespace and C0 controls) is ignored here too.
      // eslint-disable-next-line no-control-regex
      const value = a.value.replace(/[\s\x00-\x1f]+/g, '').toLowerCase();
      if (a.name.startsWith('on') || a.name === 'srcdoc' || a.name === 'formaction' || value.startsWith('javascript:') || value.startsWith('vbscript:')) {
        el.removeAttribute(a.name);
      }
    }
    const mark = el.getAttribute('data-dc');
    if (mark !== null) {
      const r = result.removed[Number(mark)];
      if (r) {
        el.setAttribute('data-dc-category', r.category);
        el.setAttribute('data-dc-rule', r.rule);
      }
    }
  }
  const csp = doc.createElement('meta');
  csp.setAttribute('http-equiv', 'Content-Security-Policy');
  csp.setAttribute('content', PAGE_CSP);
  const style = doc.createElement('style');
  const categories = new Set(result.removed.map((r) => r.category));
  style.textContent = [
    '[data-dc] { outline-width: 3px; outline-offset: 1px; background: rgba(0,0,0,0.04); }',
    'mark[data-dc] { color: inherit; }',
    '[data-dc]:hover { outline-width: 5px; }',
    ...[...categories].map((c) => {
      const s = styleOf(c);
      return `[data-dc-category="${CSS.escape(c)}"] { outline-style: ${OUTLINE[s.underline] ?? 'solid'}; outline-color: ${s.ink}; }`;
    }),
  ].join('\n');
  doc.head.prepend(csp);
  doc.head.append(style);
  return '<!doctype html>' + doc.documentElement.outerHTML;
}
