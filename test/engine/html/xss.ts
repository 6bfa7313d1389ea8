/**
 * Shared by the sanitiser's tests and the HTTP tests that send XSS through format=html: the vectors,
 * and a checker that parses output as a browser would (parse5, through cheerio) and lists every
 * construct that could run code.
 */
import * as cheerio from 'cheerio';
import { ARTICLE_TAGS } from '../../../src/engine/html/elements';
import { ARTICLE_ATTRIBUTES } from '../../../src/engine/html/sanitize';

/** Wrappers parse5 adds around any fragment. */
const DOCUMENT_TAGS = new Set(['html', 'head', 'body']);

/** An independent scheme check: what a browser would see after dropping whitespace and controls. */
function dangerousUrl(url: string): boolean {
  // eslint-disable-next-line no-control-regex
  const normal = url.replace(/[\x00-\x20\x7f]+/g, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(normal)?.[1];
  return scheme !== undefined && !['http', 'https', 'mailto'].includes(scheme);
}

/** Every way the output could run code, as a browser would parse it; empty when there is none. */
export function executableConstructs(out: string): string[] {
  const found: string[] = [];
  const $ = cheerio.load(out);
  $('*').each((_, el) => {
    if (el.type !== 'tag' && el.type !== 'script' && el.type !== 'style') return;
    const tag = el.tagName.toLowerCase();
    if (DOCUMENT_TAGS.has(tag)) return;
    if (!ARTICLE_TAGS.includes(tag)) found.push(`<${tag}>`);
    const allowed = [...(ARTICLE_ATTRIBUTES[tag] ?? []), ...(tag === 'a' ? ['rel'] : [])];
    for (const [name, value] of Object.entries(el.attribs)) {
      if (!allowed.includes(name)) found.push(`${tag}[${name}]`);
      if ((name === 'href' || name === 'src') && dangerousUrl(value)) found.push(`${tag}[${name}=${value}]`);
    }
  });
  // Belt and braces on the raw string: no opening of a dangerous element or handler in any case.
  // (Words such as "javascript:" may remain as text or inside a harmless relative URL.)
  // Text is escaped, so every literal "<" opens a tag: look inside tags only.
  for (const tag of out.match(/<[^>]*>?/g) ?? []) {
    const raw = /^<\s*\/?\s*(script|iframe|object|embed|svg|math|style|base|meta|link|form|input|button|frame|template|noscript)\b|\son[a-z]+\s*=/i.exec(tag);
    if (raw) found.push(`raw ${raw[0]}`);
  }
  return found;
}

export const XSS_VECTORS: [string, string][] = [
  ['script tag', '<script>alert(1)</script>'],
  ['script in odd case', '<ScRiPt>alert(1)</sCrIpT>'],
  ['script with attributes and spaces', '<script type="text/javascript" >alert(1)</script >'],
  ['script split by a null byte', '<scr\0ipt>alert(1)</scr\0ipt>'],
  ['script with a slash instead of a space', '<script/xss src="https://evil.example/x.js"></script>'],
  ['unclosed script', '<p>before<script>alert(1)'],
  ['img onerror', '<img src=x onerror=alert(1)>'],
  ['img onerror, no quotes, odd case', '<IMG SRC=x OnErRoR=alert(1)>'],
  ['img with javascript src', '<img src="javascript:alert(1)">'],
  ['img with a data URI', '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'],
  ['img srcset', '<img src="https://ok.example/a.png" srcset="javascript:alert(1) 1x, data:image/png;base64,AA 2x">'],
  ['svg onload', '<svg onload=alert(1)>'],
  ['svg with script inside', '<svg><script>alert(1)</script></svg>'],
  ['svg animate href', '<svg><a><animate attributeName=href values=javascript:alert(1) /><text x=20 y=20>X</text></a></svg>'],
  ['math with a javascript link', '<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>'],
  ['math/style namespace confusion', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
  ['style tag', '<style>body{background:url("javascript:alert(1)")}</style><p>text</p>'],
  ['style attribute', '<p style="background-image:url(javascript:alert(1));behavior:url(x.htc)">x</p>'],
  ['javascript href', '<a href="javascript:alert(1)">x</a>'],
  ['javascript href in upper case', '<a href="JAVASCRIPT:alert(1)">x</a>'],
  ['javascript href with a tab entity', '<a href="jav&#x09;ascript:alert(1)">x</a>'],
  ['javascript href with a newline entity', '<a href="jav&#10;ascript:alert(1)">x</a>'],
  ['javascript href with raw tab and newline', '<a href="java\tscr\nipt:alert(1)">x</a>'],
  ['javascript href with leading space and controls', '<a href=" \x01\x02javascript:alert(1)">x</a>'],
  ['javascript href fully entity-encoded', '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>'],
  ['javascript href, hex entities without semicolons', '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>'],
  ['javascript href with named entity colon', '<a href="javascript&colon;alert(1)">x</a>'],
  ['vbscript href', '<a href="vbscript:msgbox(1)">x</a>'],
  ['data href with html', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'],
  ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
  ['iframe javascript src', '<iframe src="javascript:alert(1)"></iframe>'],
  ['object data', '<object data="javascript:alert(1)"></object>'],
  ['embed', '<embed src="https://evil.example/x.swf">'],
  ['base href', '<base href="javascript:/"><a href="x">x</a>'],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
  ['link stylesheet', '<link rel="stylesheet" href="https://evil.example/x.css">'],
  ['form action', '<form action="javascript:alert(1)"><input type=submit></form>'],
  ['button formaction', '<form><button formaction="javascript:alert(1)">go</button></form>'],
  ['input onfocus autofocus', '<input onfocus=alert(1) autofocus>'],
  ['details ontoggle', '<details open ontoggle=alert(1)><summary>x</summary></details>'],
  ['body onload', '<body onload=alert(1)><p>x</p></body>'],
  ['comment hiding a tag', '<!--<img src=x onerror=alert(1)>--><p>x</p>'],
  ['conditional comment', '<!--[if gte IE 4]><script>alert(1)</script><![endif]-->'],
  ['comment closed early by --!>', '<!-- --!><img src=x onerror=alert(1)> -->'],
  ['CDATA in HTML', '<![CDATA[<img src=x onerror=alert(1)>]]>'],
  ['noscript mutation', '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'],
  ['textarea mutation', '<textarea><p title="</textarea><img src=x onerror=alert(1)>"></textarea>'],
  ['title mutation', '<title><p title="</title><img src=x onerror=alert(1)>"></title>'],
  ['xmp mutation', '<xmp><p title="</xmp><img src=x onerror=alert(1)>"></xmp>'],
  ['template content', '<template><img src=x onerror=alert(1)></template>'],
  ['attribute breaking its quotes', '<p title="x" onmouseover="alert(1)" y="">x</p><a href="/ok" title=\'a"onclick="alert(1)\'>y</a>'],
  ['unquoted attribute with a backtick', '<img src=`x` onerror=`alert(1)`>'],
  ['attribute without a space before it', '<img src="x"onerror="alert(1)">'],
  ['tag with a slash before an attribute', '<img/src="x"/onerror="alert(1)">'],
  ['nested p in a, in a table', '<table><a href="javascript:alert(1)"><tr><td>x</td></tr></a></table>'],
  ['deeply nested markup', `${'<div>'.repeat(500)}<img src=x onerror=alert(1)>${'</div>'.repeat(500)}`],
  ['entity-escaped tag stays text', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'],
  ['protocol-relative javascript', '<a href="//javascript:alert(1)">x</a>'],
  ['backslash tricks', '<a href="\\\\evil.example\\x">x</a><a href="javascript\\:alert(1)">y</a>'],
];
