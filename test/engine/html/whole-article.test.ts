/**
 * Do no harm to clean input, HTML form (engine/html/whole-article.ts): a page that is one
 * `<article>` and nothing else keeps its text but what the explicit furniture rules name; a page
 * with a menu, a second article or a link list is judged as before. With the default rule set.
 */
import { resolve } from 'node:path';
import { cleanHtml, compileRuleSet } from '../../../src/engine';
import { runHtmlRules } from '../../../src/engine/html';
import { wholeArticlePage } from '../../../src/engine/html/whole-article';
import { readRuleSetFile } from '../../../src/rulesets/load';

const ruleset = compileRuleSet(readRuleSetFile(resolve(__dirname, '../../../rules/default.yaml')));

const PROSE = [
  'The city council voted on Tuesday to close the old harbour bridge for repairs after engineers found cracks in two of its pillars.',
  'Council members said the repairs would take at least eighteen months and cost about twelve million euros from the regional fund.',
  'Ferries will carry commuters across the river in the meantime, and the council promised extra sailings in the morning rush.',
];
// Teaser-shaped: it trails off on words the rest does not use (in a page, another story's teaser).
const TRAILING = 'One resident who has crossed it daily since childhood remembered summer evenings spent fishing from its railings with her grandfather and…';
const RELATED = 'Related: Ferry timetable for the summer season';
const paragraphs = (lines: string[]) => lines.map((p) => `<p>${p}</p>`).join('');
const page = (body: string) => `<!doctype html><html><head><title>Harbour bridge</title></head><body>${body}</body></html>`;
const removedTexts = (html: string) =>
  runHtmlRules(html, ruleset)
    .blocks.filter((b) => b.removedBy >= 0)
    .map((b) => b.text);

describe('a page that is one article', () => {
  const article = [...PROSE, TRAILING, RELATED];

  test('keeps what a page-relative rule took; explicit furniture still goes', () => {
    const html = page(`<article><h1>Harbour bridge to close</h1>${paragraphs(article)}</article>`);
    expect(wholeArticlePage(runHtmlRules(html, ruleset))).toBe(true);
    expect(removedTexts(html)).toEqual([RELATED]);
    const text = cleanHtml(html, ruleset).text;
    expect(text).toContain(TRAILING);
    expect(text).not.toContain('Related:');
    // Training reads pages as the rules leave them (train/dataset.ts): not as one article, but the
    // teaser verdict on an unlinked line inside the main container is taken back there too (index.ts).
    const training = runHtmlRules(html, ruleset, undefined, false);
    expect(training.articleShaped).toBe(false);
    expect(training.blocks.filter((b) => b.removedBy >= 0).map((b) => b.text)).toEqual([RELATED]);
  });

  test('with a menu, a second article or a link list the page is judged as before', () => {
    const withMenu = page(`<nav><a href="/">Home</a> <a href="/news">News</a></nav><article>${paragraphs(article)}</article>`);
    const twoArticles = page(`<article>${paragraphs(article)}</article><article><p>${PROSE[0]}</p></article>`);
    const links = page(`<article>${article.map((p) => `<p><a href="/x">${p}</a></p>`).join('')}</article>`);
    const loose = page(`${paragraphs(article)}`);
    for (const html of [withMenu, twoArticles, links, loose]) expect(wholeArticlePage(runHtmlRules(html, ruleset))).toBe(false);
    // As before, the teaser verdict stands on a linked line (another story's teaser)...
    expect(removedTexts(links)).toContain(TRAILING);
    // ...and is taken back for an unlinked line inside the main container, on any page (index.ts).
    for (const html of [withMenu, twoArticles, loose]) expect(removedTexts(html)).not.toContain(TRAILING);
  });
});
