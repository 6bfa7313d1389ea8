/**
 * Readers' comments on a page and the article's own trailing lines (src/engine/html/container.ts,
 * prune.ts, index.ts): a thread does not vote for the main container, a comment section under the
 * article goes even when it holds most of the container's text, and a line inside the container
 * that trails off in "…" without being a link stays, while a linked teaser of another story goes.
 */
import { join } from 'node:path';
import { cleanHtml, compileRuleSet } from '../../../src/engine';
import { runHtmlRules } from '../../../src/engine/html';
import { mainContainer } from '../../../src/engine/html/container';
import { readRuleSetFile } from '../../../src/rulesets/load';
import { REPO_ROOT } from '../../paths';
import { htmlContractViolation } from './contract';

const ruleset = compileRuleSet(readRuleSetFile(join(REPO_ROOT, 'rules', 'default.yaml')));
const P = (s: string) => `<p>${s}</p>`;
const ARTICLE = [
  'The city council voted on Tuesday to extend the tram line to the northern districts, a project that has been debated for more than a decade.',
  'Construction is expected to start next spring, and the first trams should run in 2029, according to the mayor, who called the decision a turning point.',
  'Opponents had argued that buses would serve the districts at a fraction of the cost, but the council rejected their motion by a wide margin.',
];
const REPLIES = [
  'I have lived in the north for thirty years, and nobody ever asked us whether we wanted a tram, a bus, or anything else at all.',
  'Finally some good news from the council, although I will believe it when I see the first tram, since they promised this in 2012 as well.',
  'The money would be better spent on schools, which are falling apart, and on the roads, which have not been repaired since the floods.',
  'Buses, buses, buses. Why does every city think a tram is the answer to everything, when the buses do the same job for far less?',
  'My grandmother rode the old tram to the harbour every morning, and she would be delighted to hear that it is finally coming back.',
];

/** An article of three paragraphs followed, inside the same wrapper, by a thread of five long replies. */
function pageWithThread(): string {
  const thread = REPLIES.map((r, i) => `<div class="item"><p>Reader ${i + 1}, 8:1${i} am</p>${P(r)}</div>`).join('');
  return `<html><head><title>Tram line</title></head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav><div class="main-column"><h1>Tram line to reach the north</h1>${ARTICLE.map(P).join('')}<div id="comments"><h3>5 comments</h3>${thread}</div></div><footer>© The Daily Example</footer></body></html>`;
}

describe('readers comments on a page', () => {
  it('paragraphs inside an element named as comments cast no vote for the main container', () => {
    const doc = runHtmlRules(pageWithThread(), ruleset);
    const { best } = mainContainer(doc);
    expect(best?.attribs.class).toBe('main-column');
  });

  it('a comment section holding most of the container under the article paragraphs goes whole', () => {
    const html = pageWithThread();
    const r = cleanHtml(html, ruleset);
    expect(htmlContractViolation(html, r)).toBeNull();
    for (const p of ARTICLE) expect(r.text).toContain(p);
    for (const reply of REPLIES) expect(r.text).not.toContain(reply);
    const spans = r.removed.filter((x) => x.rule === 'html-comment-section');
    expect(spans).toHaveLength(1);
    // Its heading went first by a phrase rule ("5 comments"): the span runs from the first reply on.
    expect(spans[0].text.startsWith('<div class="item"><p>Reader 1, 8:10 am</p>')).toBe(true);
    expect(spans[0].text.endsWith('</div>')).toBe(true);
    expect(spans[0].reason).toContain('a comment section (<div> named as comments');
  });
});

describe('lines trailing off in an ellipsis', () => {
  const lead = 'Subscribers can read how the vote unfolded and what residents of Nordhafen fear…';
  const teaser = 'Harbour festival draws record crowds as sailors return…';
  const html = `<html><head><title>Tram line</title></head><body><div class="page"><article><h1>Tram line to reach the north</h1>${ARTICLE.map(P).join('')}${P(lead)}</article><ul class="more"><li><a href="/x">${teaser}</a></li></ul></div></body></html>`;

  it("the article's own unlinked line stays; a linked teaser of another story after it goes", () => {
    const r = cleanHtml(html, ruleset);
    expect(htmlContractViolation(html, r)).toBeNull();
    expect(r.text).toContain(lead);
    expect(r.text).not.toContain(teaser);
    const teasers = r.removed.filter((x) => x.rule === 'teaser-truncated');
    expect(teasers.map((x) => x.text)).toEqual([`<ul class="more"><li><a href="/x">${teaser}</a></li></ul>`]);
  });
});
