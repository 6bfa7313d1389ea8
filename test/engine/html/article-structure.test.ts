/**
 * `format=html` keeps the article's structure: tables stay tables, pictures between kept
 * paragraphs stay, and text input keeps its paragraphs. Every output is checked by a parser for
 * elements outside their allowed parent (parents.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanHtml, defaultRuleSet } from '../../../src';
import { cleanHtml as cleanWith, compileRuleSet, type RuleSetDef } from '../../../src/engine';
import { cleanOne } from '../../../src/batch/clean-one';
import { isTrackingPixel } from '../../../src/engine/html/sanitize';
import { misplaced } from './parents';
import { AEB_DEV } from '../../paths';

const article = [
  'The city marathon drew a record field of eleven thousand runners on Sunday morning, the organisers said in a statement.',
  'Here are the fastest times recorded over the full distance this year, with the split at the halfway mark for each runner.',
  'The race will be held again next year on the same course, the city said on Monday, and entries open in the spring.',
];

const table =
  '<table><caption>Fastest finishers</caption><thead><tr><th>Runner</th><th>Time</th><th>Share</th></tr></thead>' +
  '<tbody><tr><td>Ana Ferreira of the harbour club</td><td>2:21:04</td><td>40m</td></tr>' +
  '<tr><td>Clara Nyström from the north side</td><td>2:24:51</td><td>1h</td></tr></tbody></table>';

const page = (body: string) =>
  `<!doctype html><html><head><title>Marathon</title></head><body><nav><a href="/">Home</a> <a href="/sport">Sport</a></nav><article><h1>Results of the city marathon</h1>${body}</article><aside><p>Advertisement</p></aside></body></html>`;

const html = (body: string) => {
  const r = cleanHtml(page(body), { format: 'html' });
  expect(misplaced(r.html!)).toEqual([]);
  return r;
};

describe('format=html keeps tables of the article', () => {
  it('keeps a table of results as one table with its caption, header and rows', () => {
    const r = html(`<p>${article[0]}</p><p>${article[1]}</p>${table}<p>${article[2]}</p>`);
    expect(r.html).toContain(table);
    expect(r.html!.match(/<table>/g)).toHaveLength(1);
    expect(r.html).not.toMatch(/<p>(Runner|2:21:04|Fastest finishers)<\/p>/);
  });

  it('does not let text rules take single cells of a kept table ("Share" header, "40m" cell)', () => {
    const r = html(`<p>${article[0]}</p>${table}<p>${article[2]}</p>`);
    for (const cell of ['Share', '40m', '1h']) {
      expect(r.text.split('\n\n')).toContain(cell);
      expect(r.removed.map((x) => x.text)).not.toContain(cell);
    }
  });

  it('still lets a selector rule take a cell, leaving the cell empty so the columns line up', () => {
    const set = compileRuleSet({
      id: 'cells',
      version: 1,
      rules: [
        { id: 'promo-cell', category: 'ad', description: 'A promoted cell.', kind: 'selector', selector: 'td.promo', examples: { remove: [], keep: [] } },
        { id: 'share', category: 'social', description: 'Share.', kind: 'phrase', phrases: ['Share'], examples: { remove: [], keep: [] } },
      ],
    } as RuleSetDef);
    const body = table.replace('<td>40m</td>', '<td class="promo">Buy shoes</td>');
    const r = cleanWith(page(`<p>${article[0]}</p>${body}<p>${article[2]}</p>`), set, { format: 'html' });
    expect(misplaced(r.html!)).toEqual([]);
    expect(r.html).not.toContain('Buy shoes');
    expect(r.html).toContain('<td>2:21:04</td><td></td></tr>');
    expect(r.html).toContain('<th>Share</th>');
  });

  it('opens up a layout table without leaving its caption or cells outside a table', () => {
    const layout = `<table><caption>Site layout</caption><tr><td><div><nav><a href="/">Home</a> <a href="/x">News</a></nav></div></td><td><div><p>${article[0]}</p><p>${article[1]}</p></div></td></tr></table>`;
    const r = html(layout);
    expect(r.html).toContain(`<p>${article[0]}</p>`);
    expect(r.html).not.toMatch(/<t[drh]|<caption/);
  });

  it('keeps items of a list some of whose items went inside their list', () => {
    const r = html(`<p>${article[0]}</p><ul><li>Advertisement</li><li>${article[1]}</li><li>${article[2]}</li></ul>`);
    expect(r.html).toContain(`<ul>\n<li>${article[1]}</li>\n<li>${article[2]}</li>\n</ul>`);
  });
});

describe('format=html keeps pictures of the article', () => {
  it('keeps a bare image between kept paragraphs, with its alt', () => {
    const r = html(`<p>${article[0]}</p><img src="https://img.example.com/runners.jpg" alt="Runners on the bridge" width="640"><p>${article[1]}</p>`);
    expect(r.html).toContain('<img src="https://img.example.com/runners.jpg" alt="Runners on the bridge" />');
  });

  it('keeps a picture wrapped in a link or a div', () => {
    const r = html(`<p>${article[0]}</p><div class="pic"><a href="/big.jpg"><img src="/small.jpg" alt="The finish"></a></div><p>${article[1]}</p>`);
    expect(r.html).toContain('<img src="/small.jpg" alt="The finish" />');
  });

  it('drops tracking pixels: 1×1 by their attributes, or served by a tracker', () => {
    const pixels = [
      '<img src="https://example.com/p.gif" width="1" height="1">',
      '<img src="https://sb.scorecardresearch.com/p?c1=2">',
      '<img src="https://www.facebook.com/tr?id=1">',
    ];
    const r = html(`<p>${article[0]}</p>${pixels.join('')}<p>${article[1]}${pixels[0]}</p>`);
    expect(r.html).not.toContain('<img');
    expect(r.html).not.toContain('<p></p>');
    expect(isTrackingPixel({ src: 'https://pixel.wp.com/g.gif' })).toBe(true);
    expect(isTrackingPixel({ src: 'https://images.example.com/a.jpg', width: '640' })).toBe(false);
    expect(isTrackingPixel({ src: 'https://www.facebook.com/photo.jpg' })).toBe(false);
  });

  it('drops an image whose neighbours went (an ad banner between removed blocks)', () => {
    const r = html(
      `<p>${article[0]}</p><p>${article[1]}</p><aside><p>Advertisement</p></aside><img src="https://ads.example.com/banner.jpg" alt="Buy"><aside><p>Advertisement</p></aside>`,
    );
    expect(r.html).not.toContain('banner.jpg');
  });
});

describe('format=html for text input', () => {
  const rs = defaultRuleSet();
  it('groups the lines of one paragraph with <br> and leaves out lines the rules took', () => {
    const input = 'The minister said on Friday that\nthe bridge would reopen in May.\nAdvertisement\n\nShe added that buses\nwould follow a week later.\n';
    const r = cleanOne(input, 'text', rs, { format: 'html' });
    expect(r.html).toBe(
      '<p>The minister said on Friday that<br>the bridge would reopen in May.</p>\n<p>She added that buses<br>would follow a week later.</p>',
    );
  });

  it('writes one paragraph a line for a dump without blank lines', () => {
    const input = readFileSync(join(__dirname, '../../../examples/page.txt'), 'utf8');
    const r = cleanOne(input, 'text', rs, { format: 'html' });
    expect(r.html).not.toContain('<br>');
    expect(r.html!.split('\n')).toHaveLength(r.text.split('\n\n').length);
    expect(r.html).toContain('<p>Harbour bridge to reopen in May after two years of repairs</p>');
  });

  it('counts code points after building the article, and leaves the text as it was', () => {
    const input = 'Emoji 😀 line one\nline two of the same paragraph here.\n\nAdvertisement\n\nSecond paragraph of the story, long enough to stay.';
    const plain = cleanOne(input, 'text', rs, { offsets: 'codepoint' });
    const r = cleanOne(input, 'text', rs, { format: 'html', offsets: 'codepoint' });
    expect(r.text).toBe(plain.text);
    expect(r.removed).toEqual(plain.removed);
    expect(r.html).toContain('<br>');
  });
});

describe('format=html on the dev pages', () => {
  it('leaves no element outside its allowed parent', () => {
    const lines = readFileSync(AEB_DEV, 'utf8').split('\n').filter(Boolean).slice(0, 30);
    const problems: string[] = [];
    let tables = 0;
    for (const line of lines) {
      const d = JSON.parse(line) as { id: string; html: string };
      const out = cleanHtml(d.html, { format: 'html' }).html!;
      tables += (out.match(/<table>/g) ?? []).length;
      for (const p of misplaced(out)) problems.push(`${d.id.slice(0, 8)}: ${p}`);
    }
    expect(problems).toEqual([]);
    expect(tables).toBeGreaterThan(0);
  });
});
