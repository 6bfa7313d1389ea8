/**
 * Do no harm to clean input (engine/article-shape.ts): an article sent as text that the explicit
 * rules find no furniture in keeps its core — lists, short lines and its headline — while a page
 * dump is still cleaned. With the default rule set and its trained scorer, as a client gets it.
 */
import { resolve } from 'node:path';
import { cleanText, compileRuleSet } from '../../src/engine';
import { runRules } from '../../src/engine/clean';
import { readRuleSetFile } from '../../src/rulesets/load';

const ruleset = compileRuleSet(readRuleSetFile(resolve(__dirname, '../../rules/default.yaml')));

const PROSE = [
  'The city council voted on Tuesday to close the old harbour bridge for repairs after engineers found cracks in two of its pillars.',
  'Council members said the repairs would take at least eighteen months and cost about twelve million euros from the regional fund.',
  'Ferries will carry commuters across the river in the meantime, and the council promised extra sailings in the morning rush.',
];

describe('article core of a text without furniture', () => {
  test('a short article (a headline and three paragraphs) comes back whole, headline first', () => {
    const input = ['Harbour bridge to close for repairs', ...PROSE].join('\n\n');
    const doc = runRules(input, ruleset);
    expect(doc.articleShaped).toBe(false); // too few blocks for the whole-text test
    expect(doc.articleCore).toEqual({ first: 0, last: 3, lastLong: 3 });
    expect(cleanText(input, ruleset).text).toBe(input);
  });

  test('a list inside the article and the table that closes it stay', () => {
    const list = ['Main Street', 'Station Road', 'Mill Lane', 'Quay Side', 'Church Walk', 'Bridge End'];
    const table = ['Week 1 12 3 0', 'Week 2 14 2 1', 'Week 3 9 4 0', 'Week 4 11 1 2'];
    const input = [PROSE[0], 'Roads closed during the works:', ...list, PROSE[1], PROSE[2], 'Sailings per week:', ...table].join('\n\n');
    const r = cleanText(input, ruleset);
    expect(r.removed).toEqual([]);
    expect(r.text).toBe(input);
  });

  test("two short lines before the first sentence (a page title, a heading) are the scorer's to judge", () => {
    const input = ['Harbour news - The Daily Example', 'Bridge works ahead', ...PROSE].join('\n\n');
    const doc = runRules(input, ruleset);
    expect(doc.articleCore).toEqual({ first: 2, last: 4, lastLong: 4 });
  });

  test('a page dump whose furniture the explicit rules find gets no core', () => {
    const input = [
      'Home',
      'News',
      'Sport',
      'Weather',
      'Contact us',
      ...PROSE,
      'Share on Facebook',
      'Share on Twitter',
      '© 2024 Example Media Ltd. All rights reserved.',
    ].join('\n\n');
    const doc = runRules(input, ruleset);
    expect(doc.articleCore).toBeNull();
    const r = cleanText(input, ruleset);
    expect(r.text).toContain(PROSE[0]);
    expect(r.text).not.toContain('All rights reserved');
  });
});
