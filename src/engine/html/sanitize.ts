/**
 * The article as HTML a client may put straight into a page (`format=html`).
 *
 * An allowlist, never a blocklist: the few elements an article body needs (headings, paragraphs,
 * lists, quotes, code, tables, figures, emphasis, links, images) and the attributes that carry
 * meaning for them. Everything else is unwrapped (its text kept) or, for elements whose content is
 * code, markup or fallback rather than prose, dropped with its content.
 *
 * URLs are checked twice: by sanitize-html's scheme allowlist, and again here after the same
 * normalisation a browser's URL parser applies (entities decoded by the parser, ASCII whitespace
 * and control characters removed, case folded), so `jav&#x09;ascript:` or ` JaVaScRiPt:` cannot pass
 * through a gap in either check alone.
 */
import sanitizeHtml from 'sanitize-html';
import { ARTICLE_TAGS, DROPPED_WITH_CONTENT } from './elements';

/**
 * Attributes per element. No global attributes: `class`, `id` and `style` are page chrome (and
 * `id`/`name` invite DOM clobbering in the client's page); `on*` handlers never appear.
 */
export const ARTICLE_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  a: ['href', 'title'],
  img: ['src', 'alt', 'title'],
  // Table structure a reader needs; plain integers, nothing executable.
  th: ['colspan', 'rowspan'],
  td: ['colspan', 'rowspan'],
};

/**
 * Links may point to the web, to a mail address, or be relative (resolved against the client's
 * page). Images only to the web or relative: `data:` images are refused because a scraped page
 * inlines tracking pixels, placeholders and megabyte blobs that way, and `data:image/svg+xml`
 * is a document format some clients open in a context where it runs script.
 */
const LINK_SCHEMES = ['http', 'https', 'mailto'];
const IMAGE_SCHEMES = ['http', 'https'];

/** What a browser ignores inside a URL before looking for the scheme (WHATWG URL: C0 controls and space, tab, newline). */
// eslint-disable-next-line no-control-regex
const IGNORED_IN_URL = /[\x00-\x20\x7f]+/g;
const SCHEME = /^([a-z][a-z0-9+.-]*):/;

/**
 * True when a browser would follow `url` to one of `schemes`, or it has no scheme (relative).
 * Backslashes count as slashes, as browsers treat them, so `\\host` is protocol-relative (allowed:
 * it resolves to http or https).
 */
export function isAllowedUrl(url: string, schemes: readonly string[]): boolean {
  const normal = url.replace(IGNORED_IN_URL, '').toLowerCase();
  const scheme = SCHEME.exec(normal);
  if (!scheme) {
    // A colon before any slash, ? or # that did not match SCHEME (e.g. "1javascript:") is not a
    // scheme to a browser, but refusing it costs nothing and keeps the rule simple.
    const colon = normal.indexOf(':');
    const cut = normal.search(/[/?#\\]/);
    return colon === -1 || (cut !== -1 && cut < colon);
  }
  return schemes.includes(scheme[1]);
}

/**
 * Hosts that serve counting pixels and ad beacons, not pictures. Matched on the host and its
 * parents (`sb.scorecardresearch.com` matches `scorecardresearch.com`).
 */
const TRACKER_HOSTS = new Set([
  'doubleclick.net',
  'google-analytics.com',
  'googletagmanager.com',
  'googlesyndication.com',
  'scorecardresearch.com',
  'quantserve.com',
  'chartbeat.net',
  'pixel.wp.com',
  'stats.wp.com',
  'bat.bing.com',
  'pixel.facebook.com',
  'amazon-adsystem.com',
  'adnxs.com',
  'criteo.com',
  'outbrain.com',
  'taboola.com',
  'krxd.net',
  'omtrdc.net',
  'demdex.net',
  'pixel.parsely.com',
  'analytics.twitter.com',
]);

function hostOf(url: string): string | undefined {
  const m = /^(?:[a-z][a-z0-9+.-]*:)?\/\/([^/?#:\\]+)/i.exec(url.trim());
  return m?.[1].toLowerCase();
}

/** A counting pixel: 1×1 or smaller by its attributes, or served by a known tracker. */
export function isTrackingPixel(attribs: Readonly<Record<string, string>>): boolean {
  for (const name of ['width', 'height']) {
    const value = attribs[name];
    if (value !== undefined && /^\s*[0-1](?:\.0*)?\s*(?:px)?\s*$/i.test(value)) return true;
  }
  let host = hostOf(attribs.src ?? '');
  while (host) {
    if (TRACKER_HOSTS.has(host)) return true;
    const dot = host.indexOf('.');
    host = dot === -1 ? undefined : host.slice(dot + 1);
  }
  // facebook.com/tr is Meta's pixel; the rest of facebook.com serves real pictures.
  return /^(?:https?:)?\/\/(?:www\.)?facebook\.com\/tr\b/i.test((attribs.src ?? '').trim());
}

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...ARTICLE_TAGS],
  allowedAttributes: Object.fromEntries(Object.entries(ARTICLE_ATTRIBUTES).map(([tag, attrs]) => [tag, [...attrs]])),
  allowedSchemes: LINK_SCHEMES,
  allowedSchemesByTag: { img: IMAGE_SCHEMES },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: true,
  disallowedTagsMode: 'discard',
  nonTextTags: [...DROPPED_WITH_CONTENT],
  // Styles are never allowed, so there is nothing for the CSS parser to do.
  parseStyleAttributes: false,
  // Articles nest a few levels; a page that nests thousands deep is hostile or broken, and the
  // text below that depth is still kept (unwrapped), only the elements are dropped.
  nestingLimit: 100,
  transformTags: {
    a: (tagName, attribs) => {
      const out: sanitizeHtml.Attributes = {};
      if (attribs.href !== undefined && isAllowedUrl(attribs.href, LINK_SCHEMES)) {
        out.href = attribs.href;
        // The article's links lead off the client's site: no referrer, no window.opener, no SEO credit.
        out.rel = 'nofollow noopener noreferrer';
      }
      if (attribs.title !== undefined) out.title = attribs.title;
      return { tagName, attribs: out };
    },
    img: (tagName, attribs) => {
      const out: sanitizeHtml.Attributes = {};
      if (attribs.src !== undefined && isAllowedUrl(attribs.src, IMAGE_SCHEMES) && !isTrackingPixel(attribs)) out.src = attribs.src;
      for (const name of ['alt', 'title'] as const) if (attribs[name] !== undefined) out[name] = attribs[name];
      return { tagName, attribs: out };
    },
  },
  // An image without a source shows nothing: drop it rather than emit a broken <img>.
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
};
// `rel` is added by the transform above; it must survive the attribute filter that runs after it.
(OPTIONS.allowedAttributes as Record<string, string[]>).a.push('rel');

/** Sanitises article HTML to the allowlist above. The result is safe to insert into any HTML page. */
export function sanitizeArticleHtml(raw: string): string {
  return sanitizeHtml(raw, OPTIONS);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * `format=html` for text input: the clean text's blocks (separated by blank lines) as escaped
 * paragraphs; a single line break inside a block becomes <br>.
 */
export function textToArticleHtml(text: string): string {
  return text
    .split(/\n[ \t]*\n+/)
    .map((block) => block.trim())
    .filter((block) => block.length > 0)
    .map(
      (block) =>
        `<p>${block
          .split('\n')
          .map((line) => escapeHtml(line.trim()))
          .join('<br>')}</p>`,
    )
    .join('\n');
}

/**
 * `format=html` for text input, from the input itself: the text a scraper wrote keeps its
 * paragraphs as runs of lines between blank lines, which the clean `text` (one block a line, blank
 * lines between) no longer shows. Each paragraph is a `<p>` and its lines, with the removed spans
 * cut out, are joined by `<br>`; a line the rules took whole leaves no trace. A dump without any
 * blank line between kept lines writes one paragraph a line, so every line is a `<p>`.
 * `removed` are UTF-16 offsets into `input`, sorted and disjoint, as the engine returns them.
 */
export function textInputArticleHtml(input: string, removed: readonly { start: number; end: number }[]): string {
  const paragraphs: string[][] = [];
  let current: string[] = [];
  let k = 0;
  let at = 0;
  while (at <= input.length) {
    let nl = input.indexOf('\n', at);
    if (nl === -1) nl = input.length;
    let kept = '';
    let from = at;
    while (k < removed.length && removed[k].end <= at) k++;
    for (let j = k; j < removed.length && removed[j].start < nl; j++) {
      if (removed[j].start > from) kept += input.slice(from, removed[j].start);
      from = Math.max(from, removed[j].end);
    }
    if (from < nl) kept += input.slice(from, nl);
    const line = kept.replace(/\s+/g, ' ').trim();
    if (input.slice(at, nl).trim() === '') {
      if (current.length > 0) {
        paragraphs.push(current);
        current = [];
      }
    } else if (line !== '') current.push(line);
    at = nl + 1;
  }
  if (current.length > 0) paragraphs.push(current);
  const groups = paragraphs.length > 1 ? paragraphs : paragraphs.flatMap((p) => p.map((line) => [line]));
  return groups.map((lines) => `<p>${lines.map(escapeHtml).join('<br>')}</p>`).join('\n');
}
