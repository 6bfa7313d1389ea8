import { cleanHtml, cleanText, compileRuleSet, type RuleSetDef, type HtmlCleanResult } from '../../../src/engine';
import { htmlContractViolation } from './contract';

const paragraphs = [
  'The city council voted on Tuesday to extend the tram line to the northern districts, a project that has been debated for more than a decade.',
  'Construction is expected to start next spring, and the first trams should run in 2029, according to the mayor, who called the decision a turning point.',
  'Residents of the northern districts have long complained that the bus connections are slow and crowded, and the new line will shorten their trips.',
];

const page = [
  '<!doctype html><html><head><title>Tram line</title><style>p{color:red}</style></head><body>',
  '<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>',
  '<main><article><h1>Tram line to reach the north</h1>',
  ...paragraphs.map((p) => `<p>${p}</p>`),
  '<div style="display:none">Hidden teaser text that no reader sees on the page.</div>',
  '<script>var tracking = "The script text is not article text either.";</script>',
  '</article></main>',
  '<footer class="site-footer"><p>Privacy Policy | Terms of Use | Contact</p></footer>',
  '</body></html>',
].join('\n');

/** A set that removes nav-like phrases and footers, so the test does not depend on trained weights. */
const set: RuleSetDef = {
  id: 'test',
  version: 1,
  rules: [
    { id: 'nav', category: 'navigation', description: 'Menu items.', kind: 'phrase', phrases: ['Home', 'News'], examples: { remove: [], keep: [] } },
    {
      id: 'legal',
      category: 'legal',
      description: 'Legal links.',
      kind: 'pattern',
      scope: 'block',
      maxChars: 80,
      pattern: '^Privacy Policy',
      examples: { remove: [], keep: [] },
    },
  ],
};
const rules = compileRuleSet(set);

function clean(html: string, options = {}): HtmlCleanResult {
  const r = cleanHtml(html, rules, options);
  expect(htmlContractViolation(html, r)).toBeNull();
  return r;
}

describe('cleanHtml', () => {
  it('gives the visible article text, blocks separated by blank lines, without script, style or hidden text', () => {
    const r = clean(page);
    expect(r.text).toBe(['Tram line to reach the north', ...paragraphs].join('\n\n'));
    expect(r.stats.inputChars).toBe(page.length);
    expect(r.ruleset).toEqual({ id: 'test', version: 1 });
  });

  it('removes a whole element as one span from its start tag to its end tag, with its CSS path', () => {
    const r = clean(page);
    const footer = r.removed.find((x) => x.rule === 'legal')!;
    expect(footer.text).toBe('<footer class="site-footer"><p>Privacy Policy | Terms of Use | Contact</p></footer>');
    expect(footer.path).toBe('html > body > footer.site-footer');
    expect(footer.category).toBe('legal');
    // Both menu items went by one rule and reason: the whole <nav>, not two <li>s.
    const nav = r.removed.filter((x) => x.rule === 'nav');
    expect(nav.map((x) => x.text)).toEqual(['<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>']);
  });

  it('reports code point offsets on request', () => {
    const withEmoji = page.replace('<body>', '<body><p>👋🏽 hello there, reader of this page</p>');
    const utf16 = clean(withEmoji);
    const points = cleanHtml(withEmoji, rules, { offsets: 'codepoint' });
    const last = utf16.removed[utf16.removed.length - 1];
    const lastPoints = points.removed[points.removed.length - 1];
    expect([...withEmoji.slice(0, last.start)].length).toBe(lastPoints.start);
    expect(lastPoints.end - lastPoints.start).toBe([...last.text].length);
  });

  it('maps an inline removal inside a kept paragraph to the source, entities included', () => {
    const inline = compileRuleSet({
      id: 'x',
      version: 1,
      rules: [
        { id: 'marker', category: 'ad', description: 'Stray marker.', kind: 'pattern', scope: 'inline', pattern: 'XYZZY', examples: { remove: [], keep: [] } },
      ],
    });
    const html = '<p>Prices rose XYZZY again in May.</p><p>Tom &amp; Jerry XYZZY returns.</p>';
    const r = cleanHtml(html, inline);
    expect(htmlContractViolation(html, r)).toBeNull();
    expect(r.text).toBe('Prices rose again in May.\n\nTom & Jerry returns.');
    expect(r.removed[0].text).toBe('XYZZY');
    // The second text node has an entity: the span covers its node, which holds the match.
    expect(r.removed[1].text).toContain('XYZZY');
  });

  it('does not look for scraper residue in parsed text: an escaped tag is text the page shows', () => {
    const residue = compileRuleSet({
      id: 'x',
      version: 1,
      rules: [
        {
          id: 'stray-tag',
          category: 'residue',
          description: 'Stray tag.',
          kind: 'pattern',
          scope: 'inline',
          pattern: '</?div>',
          examples: { remove: [], keep: [] },
        },
      ],
    });
    const html = '<p>Wrap the menu in a <code>&lt;div&gt;</code> element.</p>';
    expect(cleanHtml(html, residue).text).toBe('Wrap the menu in a <div> element.');
    expect(cleanText('Wrap the menu in a <div> element.', residue).text).toBe('Wrap the menu in a element.');
  });

  it('builds sanitised article HTML for format html', () => {
    const r = clean(page, { format: 'html' });
    expect(r.html).toContain('<h1>Tram line to reach the north</h1>');
    expect(r.html).toContain(`<p>${paragraphs[0]}</p>`);
    expect(r.html).not.toMatch(/<nav|<script|<style|<footer|Hidden teaser|Home/);
    expect(clean(page).html).toBeUndefined();
  });

  it('keeps lines broken by <br> apart and joins inline elements into their block', () => {
    const r = clean('<div>First <b>bold</b> line<br>second line</div><ul><li>one</li><li>two</li></ul>');
    expect(r.text).toBe('First bold line\n\nsecond line\n\none\n\ntwo');
  });

  it('echoes the id and counts blocks', () => {
    const r = clean(page, { id: 'doc-1' });
    expect(r.id).toBe('doc-1');
    expect(r.stats.blocks).toBe(7);
    expect(r.stats.removedBlocks).toBe(3);
  });
});

describe('cleanHtml never throws', () => {
  const cases: [string, string][] = [
    ['an empty page', ''],
    ['a lone angle bracket', '<'],
    ['a page without a body', '<html><head><title>Only a title</title></head></html>'],
    ['plain text', 'Just a line of text, no markup at all.'],
    ['unclosed tags', '<div><p>unclosed <b>bold <i>italic <ul><li>item'],
    ['stray end tags', '</div></p></body>text</html></span>'],
    ['broken attributes', '<p class="a id=b>text</p><a href=">link</a>'],
    ['only comments and scripts', '<!-- c --><script>x()</script><style>p{}</style>'],
    ['a CDATA section and a doctype only', '<!doctype html><![CDATA[ x ]]>'],
    ['implied end tags', '<p>one<p>two<li>three<li>four<td>five'],
  ];
  it.each(cases)('on %s', (_, html) => {
    const r = clean(html);
    expect(typeof r.text).toBe('string');
  });

  it('on non-string input', () => {
    expect(cleanHtml(undefined as unknown as string, rules).text).toBe('');
    expect(cleanHtml(null as unknown as string, rules).text).toBe('');
  });

  it('on elements nested thirty thousand deep (beyond any recursion limit)', () => {
    const html = '<div>'.repeat(30_000) + 'deep text' + '</div>'.repeat(15_000);
    const r = clean(html, { format: 'html' });
    expect(r.text).toBe('deep text');
    expect(r.html).toContain('deep text');
  });

  it('on a 20 MB page', () => {
    const filler = `<script>${'x'.repeat(1000)}</script><div class="teaser"><a href="/a">Home</a></div>`;
    const html = `<html><body>${filler.repeat(Math.ceil(20e6 / filler.length))}<p>${paragraphs[0]}</p></body></html>`;
    expect(html.length).toBeGreaterThan(20e6);
    const r = clean(html);
    expect(r.text).toBe(paragraphs[0]);
    expect(r.removed.length).toBeGreaterThan(1000);
    expect(new Set(r.removed.map((x) => x.text))).toEqual(new Set(['<div class="teaser"><a href="/a">Home</a></div>']));
  });
});
