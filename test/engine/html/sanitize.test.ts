/**
 * The sanitiser's promise: whatever goes in, what comes out, parsed the way a browser parses it
 * (parse5, through cheerio), holds only the article allowlist, no event handler, and no URL that
 * leads anywhere but http(s), mailto or a relative address.
 */
import * as cheerio from 'cheerio';
import { ARTICLE_ATTRIBUTES, ARTICLE_TAGS, escapeHtml, isAllowedUrl, sanitizeArticleHtml, textToArticleHtml } from '../../../src/engine/html/sanitize';

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
function executableConstructs(out: string): string[] {
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
  const raw = /<\s*(script|iframe|object|embed|svg|math|style|base|meta|link|form|input|button|frame|template|noscript)\b|\son[a-z]+\s*=/i.exec(out);
  if (raw) found.push(`raw ${raw[0]}`);
  return found;
}

const XSS_VECTORS: [string, string][] = [
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

describe('sanitizeArticleHtml: XSS vectors', () => {
  it('has a real list of vectors', () => {
    expect(XSS_VECTORS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(XSS_VECTORS)('%s: no executable construct survives', (_name, vector) => {
    const out = sanitizeArticleHtml(vector);
    expect(executableConstructs(out)).toEqual([]);
    // Sanitising again changes nothing: what a second parse sees is what the first emitted.
    expect(sanitizeArticleHtml(out)).toBe(out);
  });

  it('the checker itself catches what it is meant to catch', () => {
    expect(executableConstructs('<img src=x onerror=alert(1)>')).toContain('img[onerror]');
    expect(executableConstructs('<a href="java\tscript:alert(1)">x</a>')).toEqual(expect.arrayContaining([expect.stringMatching(/^a\[href=/)]));
    expect(executableConstructs('<svg></svg>')).toContain('<svg>');
  });

  it('keeps the text of unwrapped elements but drops the content of script-like ones', () => {
    expect(sanitizeArticleHtml('<div><span>kept</span></div><script>gone()</script><style>p{}</style>')).toBe('kept');
    expect(sanitizeArticleHtml('<noscript>fallback</noscript><iframe>frame</iframe><p>text</p>')).toBe('<p>text</p>');
  });

  it('drops a javascript link but keeps its words', () => {
    expect(sanitizeArticleHtml('<a href="javascript:alert(1)">read more</a>')).toBe('<a>read more</a>');
  });
});

describe('sanitizeArticleHtml: legitimate article HTML', () => {
  const ARTICLE = [
    '<h1>Title</h1><h2>Sub</h2><h3>a</h3><h4>b</h4><h5>c</h5><h6>d</h6>',
    '<p>Text with <em>em</em>, <strong>strong</strong>, <b>b</b>, <i>i</i>, H<sub>2</sub>O and x<sup>2</sup>.<br />New line.</p>',
    '<ul><li>one</li><li>two</li></ul><ol><li>first</li></ol><dl><dt>term</dt><dd>definition</dd></dl>',
    '<blockquote><p>Quoted.</p></blockquote><pre><code>const x = 1 &lt; 2;</code></pre>',
    '<table><caption>Figures</caption><thead><tr><th colspan="2">Head</th></tr></thead><tbody><tr><td rowspan="2">1</td><td>2</td></tr></tbody></table>',
    '<figure><img src="https://example.com/a.jpg" alt="A photo" title="Photo" /><figcaption>Caption</figcaption></figure>',
    '<p><a href="https://example.com/story" rel="nofollow noopener noreferrer" title="Story">web</a> <a href="mailto:desk@example.com" rel="nofollow noopener noreferrer">mail</a> <a href="/relative/path?q=1#x" rel="nofollow noopener noreferrer">relative</a> <a href="#section" rel="nofollow noopener noreferrer">anchor</a></p>',
  ].join('');

  it('survives unchanged', () => {
    expect(sanitizeArticleHtml(ARTICLE)).toBe(ARTICLE);
  });

  it('keeps relative and protocol-relative images, drops data: images and the attributes it does not allow', () => {
    expect(sanitizeArticleHtml('<img src="/img/a.png" alt="">')).toBe('<img src="/img/a.png" alt="" />');
    expect(sanitizeArticleHtml('<img src="//cdn.example.com/a.png">')).toBe('<img src="//cdn.example.com/a.png" />');
    expect(sanitizeArticleHtml('<p>x<img src="data:image/png;base64,iVBORw0KGgo=" alt="pixel"></p>')).toBe('<p>x</p>');
    expect(sanitizeArticleHtml('<p class="lead" id="p1" data-x="1" style="color:red">x</p>')).toBe('<p>x</p>');
  });

  it('adds rel to links it keeps, replacing the page\'s own', () => {
    expect(sanitizeArticleHtml('<a href="https://x.example" rel="opener" target="_blank">x</a>')).toBe('<a href="https://x.example" rel="nofollow noopener noreferrer">x</a>');
  });

  it('escapes text and attribute values', () => {
    expect(sanitizeArticleHtml('<p>1 < 2 & "q"</p>')).toBe('<p>1 &lt; 2 &amp; "q"</p>');
    expect(sanitizeArticleHtml('<img src="https://x.example/a.png" alt=\'say "hi"\'>')).toBe('<img src="https://x.example/a.png" alt="say &quot;hi&quot;" />');
  });
});

describe('isAllowedUrl', () => {
  it.each([
    ['https://example.com', true],
    ['HTTP://EXAMPLE.COM', true],
    ['mailto:a@b.c', true],
    ['/a/b', true],
    ['a/b:c', true],
    ['?q=a:b', true],
    ['#x', true],
    ['//cdn.example.com/x', true],
    ['javascript:alert(1)', false],
    [' JaVaScRiPt:alert(1)', false],
    ['java\tscript:alert(1)', false],
    ['java\nscript:alert(1)', false],
    ['\x00javascript:alert(1)', false],
    ['data:text/html,x', false],
    ['vbscript:x', false],
    ['ftp://example.com', false],
    ['1javascript:alert(1)', false],
  ])('%j → %s', (url, ok) => {
    expect(isAllowedUrl(url, ['http', 'https', 'mailto'])).toBe(ok);
  });
});

describe('textToArticleHtml', () => {
  it('makes each block an escaped paragraph, line breaks inside a block <br>', () => {
    expect(textToArticleHtml('First <b>block</b> & more.\n\nSecond\nline two.\n\n\n')).toBe('<p>First &lt;b&gt;block&lt;/b&gt; &amp; more.</p>\n<p>Second<br>line two.</p>');
  });

  it('gives nothing for empty text, and its output passes the sanitiser unchanged', () => {
    expect(textToArticleHtml('')).toBe('');
    const html = textToArticleHtml('<script>alert(1)</script>\n\n"quoted" \'single\'');
    expect(executableConstructs(html)).toEqual([]);
    expect(sanitizeArticleHtml(html)).toBe(html.replace(/&#39;/g, "'").replace(/&quot;/g, '"'));
  });

  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });
});
