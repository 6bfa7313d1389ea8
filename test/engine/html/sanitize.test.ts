/**
 * The sanitiser's promise: whatever goes in, what comes out, parsed the way a browser parses it
 * (parse5, through cheerio), holds only the article allowlist, no event handler, and no URL that
 * leads anywhere but http(s), mailto or a relative address.
 */
import { escapeHtml, isAllowedUrl, sanitizeArticleHtml, textToArticleHtml } from '../../../src/engine/html/sanitize';
import { executableConstructs, XSS_VECTORS } from './xss';

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

  it("adds rel to links it keeps, replacing the page's own", () => {
    expect(sanitizeArticleHtml('<a href="https://x.example" rel="opener" target="_blank">x</a>')).toBe(
      '<a href="https://x.example" rel="nofollow noopener noreferrer">x</a>',
    );
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
    expect(textToArticleHtml('First <b>block</b> & more.\n\nSecond\nline two.\n\n\n')).toBe(
      '<p>First &lt;b&gt;block&lt;/b&gt; &amp; more.</p>\n<p>Second<br>line two.</p>',
    );
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
