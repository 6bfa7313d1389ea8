/**
 * schema.org microdata: the element a page marks `itemprop="articleBody"` is named as the
 * article's content, whatever its class says (golden page ./pages/microdata-body.html).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractBlocks } from '../../../src/engine/html/blocks';
import { parseHtml } from '../../../src/engine/html/parse';
import { NAMED_CONTENT } from '../../../src/engine/html/vocabulary';

const html = readFileSync(join(__dirname, 'pages', 'microdata-body.html'), 'utf8');

function bitsOf(page: string, start: string): number {
  const p = extractBlocks(page, parseHtml(page));
  const i = p.blocks.findIndex((b) => b.text.startsWith(start));
  expect(i).toBeGreaterThanOrEqual(0);
  return p.html[i].bits;
}

describe('microdata article body', () => {
  it("the paragraphs inside itemprop=articleBody are inside a container named as the article's content", () => {
    expect(bitsOf(html, 'The river festival returns') & NAMED_CONTENT).toBeTruthy();
    expect(bitsOf(html, 'Organisers expect') & NAMED_CONTENT).toBeTruthy();
  });

  it('a paragraph outside it is not, and other itemprops name nothing', () => {
    expect(bitsOf(html, 'Town Crier is a free weekly') & NAMED_CONTENT).toBe(0);
    expect(bitsOf(html, 'River festival returns') & NAMED_CONTENT).toBe(0);
    const other = html.replace('itemprop="articleBody"', 'itemprop="description"');
    expect(bitsOf(other, 'The river festival returns') & NAMED_CONTENT).toBe(0);
  });
});
