import type { Element } from 'domhandler';
import { extractBlocks } from '../../../src/engine/html/blocks';
import { parseHtml } from '../../../src/engine/html/parse';
import { repeatedRun } from '../../../src/engine/html/repeated';

const para = (i: number) => `<p>Paragraph ${i} of the story, with a <a href="/x">link</a> in it, as articles have.</p>`;
const card = (i: number) => `<div class="card"><h3><a href="/s${i}">Teaser headline ${i}</a></h3><p>One line of summary ${i}.</p></div>`;
const html = [
  '<html><body><article>',
  [1, 2, 3, 4, 5].map(para).join(''),
  '<ul><li>200 g flour</li><li>2 eggs</li><li>1 l milk</li><li>A pinch of salt</li></ul>',
  '</article><section class="more">',
  [1, 2, 3, 4, 5, 6].map(card).join(''),
  '</section></body></html>',
].join('');

function runOf(text: string): number {
  const p = extractBlocks(html, parseHtml(html));
  const i = p.blocks.findIndex((b) => b.text === text);
  expect(i).toBeGreaterThanOrEqual(0);
  return repeatedRun(p.html[i].owner as Element, new Map());
}

describe('runs of repeated linked items', () => {
  it('a grid of teaser cards is one: its headlines and summaries lie in a run of 6', () => {
    expect(runOf('Teaser headline 3')).toBe(6);
    expect(runOf('One line of summary 3.')).toBe(6);
  });

  it("an article's paragraphs (even linked) and a list without links are not", () => {
    expect(runOf('Paragraph 2 of the story, with a link in it, as articles have.')).toBe(0);
    expect(runOf('2 eggs')).toBe(0);
  });
});
