/**
 * The first-line rule (engine/headline.ts): a short document's headline stays, a page dump's
 * `<title>` line still goes. With the default rule set and its trained scorer, as a client gets it.
 */
import { resolve } from 'node:path';
import { cleanHtml, cleanText, compileRuleSet } from '../../src/engine';
import { runRules } from '../../src/engine/clean';
import { readRuleSetFile } from '../../src/rulesets/load';

const ruleset = compileRuleSet(readRuleSetFile(resolve(__dirname, '../../rules/default.yaml')));

const HEADLINE = 'Harbour bridge closes for repairs';
const PROSE = [
  'The city council voted on Tuesday to close the old harbour bridge for repairs after engineers found cracks in two of its pillars.',
  'Council members said the repairs would take at least eighteen months and cost about twelve million euros from the regional fund.',
  'Ferries will carry commuters across the river in the meantime, and the council promised extra sailings in the morning rush.',
];
const lines = (s: string) => s.split('\n\n');

describe('the first-line rule', () => {
  test('a headline under a menu line and a breadcrumb the explicit rules remove stays, furniture around it goes', () => {
    const input = [
      'News Politics Business Culture Sport',
      'Home › News › Local',
      HEADLINE,
      PROSE[0],
      'Advertisement',
      PROSE[1],
      PROSE[2],
      'Share this article',
      'Sign up for our newsletter',
      'Comments',
    ].join('\n\n');
    const doc = runRules(input, ruleset);
    expect(doc.articleShaped).toBe(false);
    expect(doc.articleCore).toBeNull(); // furniture found: the scorer judges
    expect(lines(cleanText(input, ruleset).text)).toEqual([HEADLINE, ...PROSE]);
  });

  test("a short document's first line is its headline, even with a few furniture lines", () => {
    const input = [HEADLINE, PROSE[0], 'Advertisement', PROSE[1], PROSE[2], 'Share this article'].join('\n\n');
    expect(lines(cleanText(input, ruleset).text)).toEqual([HEADLINE, ...PROSE]);
  });

  test("a page dump's first line, which the headline repeats, is its <title>: both go, as the labelled sets' gold has it", () => {
    const input = [`${HEADLINE} - The Daily Example`, HEADLINE, ...PROSE, 'Share this article', 'Comments'].join('\n\n');
    expect(lines(cleanText(input, ruleset).text)).toEqual(PROSE);
  });

  test('a first line that nothing repeats still goes when the dump has a menu', () => {
    const menu = ['Home', 'News', 'Sport', 'Weather', 'Contact us'];
    const input = ['Bridge works ahead', ...PROSE, ...menu].join('\n\n');
    expect(cleanText(input, ruleset).text).not.toContain('Bridge works ahead');
  });

  test('a line above the first paragraph that does not speak of its subject is no headline', () => {
    const input = ['The Daily Example', 'Back to the overview', ...PROSE, 'Share this article', 'Comments'].join('\n\n');
    const out = cleanText(input, ruleset).text;
    expect(out).not.toContain('Back to the overview');
    expect(out).toContain(PROSE[0]);
  });
});

describe('the headline of a page', () => {
  const page = (nav: string[]) =>
    `<!doctype html><html lang="en"><head><title>${HEADLINE}</title></head><body>` +
    `<header><nav class="main-menu"><ul>${nav.map((x) => `<li><a href="/${x}">${x}</a></li>`).join('')}</ul></nav></header>` +
    `<main><article><h1>${HEADLINE}</h1><div class="entry-content">${PROSE.map((p) => `<p>${p}</p>`).join('')}</div></article></main>` +
    `<footer><p><a href="/privacy">Privacy</a> | <a href="/terms">Terms</a> | <a href="/contact">Contact</a></p></footer></body></html>`;

  test('the h1 that repeats the <title> stays above the first kept paragraph, under a menu the selectors removed', () => {
    const out = cleanHtml(page(['Home', 'News', 'Politics', 'Business', 'Sport', 'Culture']), ruleset).text;
    expect(lines(out)).toEqual([HEADLINE, ...PROSE]);
  });
});
