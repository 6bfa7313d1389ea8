/**
 * Class and id words on elements that cover (nearly) the whole page say nothing about any block:
 * `<body class="cookies-not-set">` must not mark the article as a cookie notice.
 */
import { extractBlocks } from '../../../src/engine/html/blocks';
import { parseHtml } from '../../../src/engine/html/parse';
import { NAMED_CONTENT, NAMED_LEGAL, NAMED_SIDEBAR } from '../../../src/engine/html/vocabulary';

const story = [
  'The harbour authority approved the new ferry terminal on Tuesday, after three years of planning and two public consultations.',
  'Work is to start in the spring, and the terminal should open in time for the summer season of the following year.',
];
const page = (body: string) =>
  `<html><head><title>Ferry terminal</title></head><body class="single-post cookies-not-set consent-management-enabled"><div id="content-wrapper">${body}</div></body></html>`;

function bitsOf(html: string, text: string): number {
  const p = extractBlocks(html, parseHtml(html));
  const i = p.blocks.findIndex((b) => b.text === text);
  expect(i).toBeGreaterThanOrEqual(0);
  return p.html[i].bits;
}

describe('page-wide class and id words', () => {
  const html = page(
    [
      '<nav><a href="/">Home</a></nav>',
      `<article>${story.map((p) => `<p>${p}</p>`).join('')}</article>`,
      '<div class="cookie-banner"><p>We use cookies to improve your experience.</p></div>',
      '<aside class="sidebar"><p>Most read</p></aside>',
    ].join(''),
  );

  it('are ignored on the body and on a wrapper around the whole page', () => {
    for (const p of story) expect(bitsOf(html, p) & (NAMED_LEGAL | NAMED_CONTENT)).toBe(0);
  });

  it('still count on the parts of the page they name', () => {
    expect(bitsOf(html, 'We use cookies to improve your experience.') & NAMED_LEGAL).toBeTruthy();
    expect(bitsOf(html, 'Most read') & NAMED_SIDEBAR).toBeTruthy();
  });

  it('a wrapper around only part of the page keeps its words', () => {
    const part = `<html><body><div class="sidebar"><p>${story[0]}</p></div><div><p>${story[1]}</p><p>${story[1]} Again.</p></div></body></html>`;
    expect(bitsOf(part, story[0]) & NAMED_SIDEBAR).toBeTruthy();
  });
});
