/**
 * Damaged markup, recovered as a browser recovers it: a page whose article sits in its <body>
 * never comes back empty. Golden pages in ./pages, written for this test (one per behaviour),
 * cleaned by the default rule set.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanHtml, compileRuleSet } from '../../../src/engine';
import { readRuleSetFile } from '../../../src/rulesets/load';
import { REPO_ROOT } from '../../paths';
import { htmlContractViolation } from './contract';

const ruleset = compileRuleSet(readRuleSetFile(join(REPO_ROOT, 'rules', 'default.yaml')));
const page = (name: string) => readFileSync(join(__dirname, 'pages', name), 'utf8');

/** The text of every <p> of the page's article element or #content, as the reader sees it. */
function articleParagraphs(html: string): string[] {
  const body = /<(?:article|div id="content")>([\s\S]*?)<\/(?:article|div)>/.exec(html)![1];
  return [...body.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => m[1].replace(/\s+/g, ' '));
}

describe('damaged markup', () => {
  it.each(['head-never-closed.html', 'title-never-closed.html'])('%s: the article comes back whole', (name) => {
    const html = page(name);
    const r = cleanHtml(html, ruleset);
    expect(htmlContractViolation(html, r)).toBeNull();
    const paragraphs = articleParagraphs(html);
    expect(paragraphs).toHaveLength(3);
    for (const p of paragraphs) expect(r.text).toContain(p);
  });

  it('a head never closed: the head elements still show nothing (no script text, no title line of its own)', () => {
    const r = cleanHtml(page('head-never-closed.html'), ruleset);
    expect(r.text).not.toContain('var section');
    expect(r.text).not.toContain('Coast News');
  });

  it('a title never closed: the title is the text up to the first tag, and the page reads as if it were closed', () => {
    const html = page('title-never-closed.html');
    const closed = html.replace('Library extends its opening hours\n<meta', 'Library extends its opening hours</title>\n<meta');
    const r = cleanHtml(html, ruleset);
    expect(r.text).toBe(cleanHtml(closed, ruleset).text);
    expect(r.text.startsWith('Library extends its opening hours\n\nThe town library')).toBe(true);
  });
});

describe('structured data', () => {
  const html = page('drawn-by-script.html');
  const body = JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)![1])['@graph'][1].articleBody as string;

  it('a page drawn by scripts: the article comes from its JSON-LD articleBody, paragraph by paragraph', () => {
    const r = cleanHtml(html, ruleset);
    expect(htmlContractViolation(html, r)).toBeNull();
    for (const p of body.split('\n\n')) expect(r.text).toContain(p);
    expect(r.text.split('\n\n')).toEqual(expect.arrayContaining(body.split('\n\n')));
  });

  it('a page that shows its article does not get it twice', () => {
    const shown = html.replace(
      '<div id="app"></div>',
      `<article>${body
        .split('\n\n')
        .map((p) => `<p>${p}</p>`)
        .join('')}</article>`,
    );
    const r = cleanHtml(shown, ruleset);
    const first = body.split('\n\n')[0];
    expect(r.text.split(first)).toHaveLength(2);
  });

  it('broken JSON-LD is ignored', () => {
    const r = cleanHtml(html.replace('{"@context"', '{"@context" oops'), ruleset);
    expect(r.text).not.toContain('lighthouse at the harbour mouth');
  });
});
