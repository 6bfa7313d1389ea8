/**
 * Whole subtrees inside and after the main content container, pruned by their shape (the
 * `subtree` rules of the default set, src/engine/html/prune.ts). Golden pages in ./pages, written
 * for this test (one per behaviour), cleaned by the default rule set.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanHtml, cleanText, compileRuleSet } from '../../../src/engine';
import { runHtmlRules } from '../../../src/engine/html';
import { prunedSubtrees } from '../../../src/engine/html/prune';
import { readRuleSetFile } from '../../../src/rulesets/load';
import { REPO_ROOT } from '../../paths';
import { htmlContractViolation } from './contract';

const ruleset = compileRuleSet(readRuleSetFile(join(REPO_ROOT, 'rules', 'default.yaml')));
const page = (name: string) => readFileSync(join(__dirname, 'pages', name), 'utf8');

/** The text of every <p> directly written in the page's article (or story) element. */
function articleParagraphs(html: string): string[] {
  return [...html.matchAll(/<p>([^<]{100,})<\/p>/g)].map((m) => m[1]);
}

function clean(name: string) {
  const html = page(name);
  const r = cleanHtml(html, ruleset);
  expect(htmlContractViolation(html, r)).toBeNull();
  for (const p of articleParagraphs(html)) expect(r.text).toContain(p);
  return { html, r, byRule: (id: string) => r.removed.filter((x) => x.rule === id) };
}

describe('subtrees pruned by shape', () => {
  it('a comment section after the article goes whole, as one span from its start tag to its end tag', () => {
    const { html, r, byRule } = clean('comment-section.html');
    const spans = byRule('html-comment-section');
    expect(spans).toHaveLength(1);
    expect(spans[0].text.startsWith('<section id="comments"')).toBe(true);
    expect(spans[0].text.endsWith('</section>')).toBe(true);
    expect(spans[0].path).toMatch(/section#comments/);
    expect(spans[0].reason).toContain('a comment section (<section> named as comments, 9 blocks)');
    expect(r.text).not.toContain('waste of money');
    expect(r.text).not.toContain('What readers say');
    expect(html.slice(spans[0].start, spans[0].end)).toBe(spans[0].text);
  });

  it('a grid of teaser cards at the end of the container goes whole; the article before it stays', () => {
    const { r, byRule } = clean('teaser-grid.html');
    const spans = byRule('html-link-list');
    expect(spans).toHaveLength(1);
    expect(spans[0].text.startsWith('<div class="grid">')).toBe(true);
    expect(spans[0].reason).toContain('a list of 5 short linked items');
    for (const teaser of ['Pear growers try new varieties', 'Tractor show draws record crowd']) expect(r.text).not.toContain(teaser);
  });

  it('share buttons and a newsletter prompt inside the article go; an embedded post the article quotes stays', () => {
    const { r, byRule } = clean('share-widget.html');
    const spans = byRule('html-widget');
    expect(spans.map((s) => s.text.slice(0, s.text.indexOf('>') + 1))).toEqual(['<div class="share-bar">', '<div class="newsletter-signup">']);
    expect(spans[0].reason).toContain('a sharing widget');
    expect(spans[1].reason).toContain('a sign-up or login prompt');
    expect(r.text).not.toContain('Mastodon');
    expect(r.text).not.toContain('The Friday letter');
    expect(r.text).toContain('Queue round the block for the museum this morning');
  });

  it("a box named as a promotion and an aside inside the article go whole; the article's paragraphs around them stay", () => {
    const { r, byRule } = clean('side-boxes.html');
    const ads = byRule('html-ad-box');
    expect(ads).toHaveLength(1);
    expect(ads[0].text.startsWith('<div class="promo-box">')).toBe(true);
    expect(ads[0].reason).toContain('an advertisement or promotion (<div> named as advertising)');
    const sides = byRule('html-side-box');
    expect(sides).toHaveLength(1);
    expect(sides[0].text.startsWith('<aside>')).toBe(true);
    expect(sides[0].reason).toContain("a side box in the article's container (<aside> element)");
    for (const box of ['Read Coast News without limits', 'Click the map']) expect(r.text).not.toContain(box);
  });

  it("a list of links the article's prose goes on after is the article's own: not pruned (the scorer judges its items)", () => {
    const { byRule } = clean('list-in-article.html');
    expect(byRule('html-link-list')).toEqual([]);
  });

  it('a page nesting 5,000 linked boxes after the article: the outermost box is found, the page cleaned whole', () => {
    const depth = 5_000;
    const html = page('teaser-grid.html').replace('</main>', `</main>${'<div class="share-bar"><a href="/x">x</a>'.repeat(depth)}${'</div>'.repeat(depth)}`);
    const found = prunedSubtrees(runHtmlRules(html, ruleset), 'link-list').map((p) => [p.el.attribs.class, p.last - p.first + 1]);
    expect(found).toEqual([
      ['grid', 5],
      ['share-bar', depth],
    ]);
    const r = cleanHtml(html, ruleset);
    expect(htmlContractViolation(html, r)).toBeNull();
    expect(r.text.split('\n\n')).not.toContain('x');
  });

  it('text input is never pruned: the rules judge elements, and a text has none', () => {
    const subtreeRules = ruleset.rules.filter((x) => x.def.kind === 'subtree').map((x) => x.id);
    expect(subtreeRules).toEqual(['html-comment-section', 'html-link-list', 'html-widget', 'html-ad-box', 'html-side-box']);
    const text = cleanHtml(page('comment-section.html'), ruleset).text + '\n\n4 comments\n\nMary, Riverside\n\nAbout time, the river road is dangerous.';
    expect(cleanText(text, ruleset).removed.filter((x) => subtreeRules.includes(x.rule))).toEqual([]);
  });
});
