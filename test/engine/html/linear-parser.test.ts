import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseDocument } from 'htmlparser2';
import type { AnyNode } from 'domhandler';
import { cleanHtml } from '../../../src/engine';
import { linearParserWorks, parseDocumentLinear } from '../../../src/engine/html/linear-parser';
import { defaultRuleSet } from '../../../src/index';
import { READABILITY_DEV } from '../../paths';

const OPTIONS = { withStartIndices: true, withEndIndices: true, decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true };

/** Every node with its type, name, attributes, offsets and text, children inside: equal strings mean equal trees. */
function shape(node: AnyNode): string {
  const attribs = 'attribs' in node ? JSON.stringify(node.attribs) : '';
  const data = 'data' in node ? JSON.stringify(node.data) : '';
  const own = `${node.type}:${'name' in node ? node.name : ''}${attribs}${data}@${node.startIndex}-${node.endIndex}`;
  if (!('children' in node)) return own;
  return `${own}(${node.children.map(shape).join(',')})`;
}

/** The same as shape(), without recursion, for pages nested deeper than the call stack. */
function flatShape(root: AnyNode): string {
  const out: string[] = [];
  const stack: (AnyNode | ')')[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n === ')') {
      out.push(')');
      continue;
    }
    const attribs = 'attribs' in n ? JSON.stringify(n.attribs) : '';
    const data = 'data' in n ? JSON.stringify(n.data) : '';
    out.push(`${n.type}:${'name' in n ? n.name : ''}${attribs}${data}@${n.startIndex}-${n.endIndex}(`);
    if ('children' in n) {
      stack.push(')');
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    } else out.push(')');
  }
  return out.join('');
}

const same = (html: string, options = OPTIONS) => expect(shape(parseDocumentLinear(html, options))).toBe(shape(parseDocument(html, options)));

describe('parseDocumentLinear', () => {
  it('is in use with the installed htmlparser2 (its probe page parses the same both ways)', () => {
    expect(linearParserWorks()).toBe(true);
  });

  it('builds the tree htmlparser2 builds, offsets included, on broken markup', () => {
    for (const html of [
      '<p>a<p>b<div>c</p></div>',
      '<ul><li>1<li>2<ul><li>3</ul></ul></li>',
      '<table><tr><td>a<td>b<tr><td>c</table>',
      '</span>text</b><i>open',
      '<svg><circle/><foreignObject><p>x<br/>y</p></foreignObject></svg><p/>after',
      '<math><mi>x</mi></math><select><option>a<option>b</select>',
      '<dl><dt>a<dd>b<dt>c</dl><ruby>x<rt>y<rp>z</ruby>',
      '<body><head><script>if (a<b) x()</script><title>t</title><br></br></p>',
      '<div><div><div>deep</div>',
      '',
    ]) {
      same(html);
    }
  });

  it('builds the same tree on the test pages and on the dev set pages', () => {
    const dir = join(__dirname, 'pages');
    for (const name of readdirSync(dir)) same(readFileSync(join(dir, name), 'utf8'));
    const pages = readFileSync(READABILITY_DEV, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .slice(0, 25)
      .map((l) => (JSON.parse(l) as { html?: string }).html ?? '');
    expect(pages.filter((p) => p.length > 1000).length).toBeGreaterThan(10);
    for (const html of pages) expect(flatShape(parseDocumentLinear(html, OPTIONS))).toBe(flatShape(parseDocument(html, OPTIONS)));
  });

  it('builds the same tree on random tag soup', () => {
    const token = fc.oneof(
      fc
        .constantFrom(
          'div',
          'p',
          'li',
          'ul',
          'td',
          'tr',
          'table',
          'svg',
          'math',
          'foreignObject',
          'b',
          'i',
          'br',
          'img',
          'dd',
          'dt',
          'option',
          'select',
          'h1',
          'body',
          'head',
          'script',
          'title',
        )
        .chain((name) => fc.constantFrom(`<${name}>`, `</${name}>`, `<${name}/>`, `<${name.toUpperCase()} a="1">`)),
      fc.constantFrom('text', ' ', '&amp;', '&', '&#39;', '&notin', '"', "'", '<', '>', '<!-- c -->', '<![CDATA[x]]>'),
      fc.constantFrom(`<a href="?a=1&amp;b=2">`, `<a title='it&#39;s "x"'>`, '<a x=y&lt;z>', '<a t="&">', '<style>p>a{}</style>', '<script>a<b&&c</script>'),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (tokens) => {
        same(tokens.join(''));
        same(tokens.join(''), { ...OPTIONS, decodeEntities: false });
      }),
      { numRuns: 500 },
    );
  });

  it('builds the same tree on a page nested 20,000 deep, closed and left open', () => {
    const deep = '<div>'.repeat(20_000) + '<p>inner</p>';
    for (const html of [deep + '</div>'.repeat(20_000), deep, deep + '</span>'.repeat(1000)]) {
      expect(flatShape(parseDocumentLinear(html, OPTIONS))).toBe(flatShape(parseDocument(html, OPTIONS)));
    }
  });
});

describe('deep pages', () => {
  const paragraph =
    '<p>The council met on Tuesday to discuss the new budget, and members agreed that the plan needed more work before the vote next month.</p>';
  const article = `<article><h1>Budget talks stall again</h1>${paragraph.repeat(12)}</article>`;
  const nav = '<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>';

  it.each([
    ['closed', (depth: number) => `<html><body>${nav}${'<div>'.repeat(depth)}${article}${'</div>'.repeat(depth)}</body></html>`],
    ['never closed', (depth: number) => `<html><body>${nav}${'<div>'.repeat(depth)}${article}`],
    ['in nested lists', (depth: number) => `<html><body>${nav}${'<ul><li>'.repeat(depth / 2)}${article}</body></html>`],
  ])('give the article of a page nested 100,000 deep (%s), as of a shallow one', (_, page) => {
    const set = defaultRuleSet();
    const shallow = cleanHtml(page(4), set);
    const deep = cleanHtml(page(100_000), set);
    expect(shallow.text).toContain('Budget talks stall again');
    expect(shallow.text).toContain('before the vote next month.');
    expect(shallow.text).not.toContain('Sport');
    expect(deep.text).toBe(shallow.text);
  });

  it('keep offsets into the source on a deep page', () => {
    const html = `<html><body>${'<div>'.repeat(50_000)}${nav}${article}<script>var x = 1;</script></body></html>`;
    const result = cleanHtml(html, defaultRuleSet());
    expect(result.removed.map((r) => r.text).join(' ')).toContain('Sport');
    for (const r of result.removed) expect(html.slice(r.start, r.end)).toBe(r.text);
  });
});
