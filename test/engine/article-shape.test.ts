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

  // A line that trails off ("…") on words the rest does not use is teaser-shaped: in a page dump a
  // teaser of another story, in an article its own quotation or lead. Its removal is no furniture.
  const TRAILING = 'One resident who has crossed it daily since childhood remembered summer evenings spent fishing from its railings with her grandfather and…';

  test("a line that trails off between the article's paragraphs comes back", () => {
    const input = ['Harbour bridge to close for repairs', PROSE[0], TRAILING, PROSE[1], PROSE[2]].join('\n\n');
    // Without the article test (as training prepares pages), teaser-truncated takes it.
    const plain = runRules(input, ruleset, undefined, false);
    expect(ruleset.rules[plain.blocks[2].removedBy].id).toBe('teaser-truncated');
    const doc = runRules(input, ruleset);
    expect(doc.articleCore).toEqual({ first: 0, last: 4, lastLong: 4 });
    const r = cleanText(input, ruleset);
    expect(r.removed).toEqual([]);
    expect(r.text).toBe(input);
  });

  test('a teaser-shaped line after the last paragraph still goes', () => {
    const input = ['Harbour bridge to close for repairs', ...PROSE, TRAILING].join('\n\n');
    const r = cleanText(input, ruleset);
    expect(r.removed.map((x) => [x.rule, x.text])).toEqual([['teaser-truncated', TRAILING]]);
    expect(r.text).toBe(['Harbour bridge to close for repairs', ...PROSE].join('\n\n'));
  });

  test("bars between symbols (a formula's |q| < 1) are no separator menu; bars between words are", () => {
    const formula = 'The load limit holds for | q | < 1 tonnes per axle on every span.';
    const input = ['Harbour bridge to close for repairs', PROSE[0], formula, PROSE[1], PROSE[2]].join('\n\n');
    expect(runRules(input, ruleset).articleCore).toEqual({ first: 0, last: 4, lastLong: 4 });
    expect(cleanText(input, ruleset).text).toBe(input);
    const menu = ['Harbour bridge to close for repairs', ...PROSE, 'Privacy | Terms | Contact'].join('\n\n');
    expect(runRules(menu, ruleset).articleCore).toBeNull();
    expect(cleanText(menu, ruleset).text).not.toContain('Privacy');
  });

  test('a sentence that ends in separated links (a print line) does not keep the text from its core', () => {
    const print =
      "A version of this article appears in print on page 4 of the city edition with the headline: Bridge to close. Order Reprints | Today's Paper | Subscribe";
    const input = ['Harbour bridge to close for repairs', ...PROSE, print].join('\n\n');
    expect(runRules(input, ruleset).articleCore).toEqual({ first: 0, last: 4, lastLong: 4 });
    expect(cleanText(input, ruleset).text).toBe(input);
  });

  // One line of furniture is more than MAX_FURNITURE of a short text: where nothing stands twice,
  // its share does not keep the core away; the line itself still goes.
  const COPYRIGHT = '© 2024 Example Media Ltd. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.';
  const FARES = ['Fares during the works:', 'Adult 2.40', 'Child 1.20', 'Bicycle 1.00', 'Season ticket 45.00'];

  test('one furniture line in a short article: the core is spared, the line goes', () => {
    const input = ['Harbour bridge to close for repairs', ...PROSE, ...FARES, COPYRIGHT].join('\n\n');
    const doc = runRules(input, ruleset);
    expect(doc.articleShaped).toBe(false);
    expect(doc.articleCore).toEqual({ first: 0, last: 9, lastLong: 3 });
    const r = cleanText(input, ruleset);
    expect(r.removed.map((x) => x.rule)).toEqual(['copyright-line']);
    expect(r.text).toBe(['Harbour bridge to close for repairs', ...PROSE, ...FARES].join('\n\n'));
  });

  test('one furniture line in a text that repeats its first line (a page title, then the headline): no core', () => {
    const input = ['Harbour bridge to close for repairs', 'Harbour bridge to close for repairs', ...PROSE, ...FARES, COPYRIGHT].join('\n\n');
    expect(runRules(input, ruleset).articleCore).toBeNull();
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

describe('an edition of several articles, a byline each', () => {
  const story = (n: number) => Array.from({ length: n }, (_, i) => `${PROSE[i % 3]} (${i + 1})`);
  // Enough short rows that the whole-text test leaves it to the core test.
  const table = Array.from({ length: 50 }, (_, i) => `Week ${i + 1} ${(i * 7) % 13} ${i % 5}`);
  const edition = [
    'Harbour bridge to close for repairs',
    'By Jane Smith',
    ...story(14),
    'Ferry timetable for the works',
    'By John Doe',
    ...story(14),
    'Sailings per week:',
    ...table,
  ];
  const removedIds = (input: string) => {
    const doc = runRules(input, ruleset);
    return doc.blocks.filter((b) => b.removedBy >= 0).map((b) => ruleset.rules[b.removedBy].id);
  };

  test('its bylines, all the explicit rules found, do not keep it from its core: only they go', () => {
    const input = [...edition, ...story(6)].join('\n\n');
    expect(removedIds(input)).toEqual(['byline', 'byline']);
    const doc = runRules(input, ruleset);
    expect(doc.articleShaped).toBe(false);
    expect(doc.articleCore).toEqual({ first: 0, last: doc.blocks.length - 1, lastLong: doc.blocks.length - 1 });
    const r = cleanText(input, ruleset);
    expect(r.removed.map((x) => [x.rule, x.text])).toEqual([
      ['byline', 'By Jane Smith'],
      ['byline', 'By John Doe'],
    ]);
  });

  test('one more block of other furniture (a share line) and there is no core', () => {
    const input = [...edition, 'Share on Facebook', ...story(6)].join('\n\n');
    expect(runRules(input, ruleset).articleCore).toBeNull();
  });

  test('bylines that are more than a sliver of the text still count', () => {
    const input = ['Harbour bridge to close for repairs', 'By Jane Smith', ...story(3), 'Ferry timetable', 'By John Doe', ...story(3)].join('\n\n');
    expect(runRules(input, ruleset).articleCore).toBeNull();
  });
});

describe('an article followed by its comment thread', () => {
  const list = ['Main Street', 'Station Road', 'Mill Lane', 'Quay Side', 'Church Walk', 'Bridge End'];
  const more = [
    'Engineers will first replace the bearings under the northern span, which carry most of the weight of the heavy goods traffic.',
    'The southern span follows in the spring, once the river is low enough for the barges with the cranes to reach the pillars.',
    'Shops on both banks fear losing custom, and the chamber of commerce has asked for free parking near the ferry landings.',
    'The council said it would decide on the parking request next month, after a survey of the traders on either side of the river.',
    'A public meeting on the works is planned at the town hall on the first Monday of the month, with the engineers present.',
  ];
  // Long enough that the comment furniture stays under the share of furniture a clean text may have.
  const article = ['Harbour bridge to close for repairs', PROSE[0], 'Roads closed during the works:', ...list, PROSE[1], PROSE[2], ...more];
  const thread = [
    'Post a comment',
    'Jane Smith wrote on 3 May 2024 at 9:12 am:',
    'About time too, the cracks have been visible from the ferry for years and nobody seemed to care about them at all.',
    'Reply',
    'Tom Brown wrote on 4 May 2024 at 7:40 pm:',
    'Eighteen months sounds optimistic to me, the last repairs on the quay took twice as long as the council had promised.',
    'Reply',
  ];

  test('the article up to the comment furniture is its core; the furniture still goes', () => {
    const input = [...article, ...thread].join('\n\n');
    const doc = runRules(input, ruleset);
    // Three whole blocks of furniture: more than a core otherwise allows.
    const comments = doc.blocks.filter((b) => b.removedBy >= 0 && ruleset.rules[b.removedBy].category === 'comment');
    expect(comments.map((b) => b.text)).toEqual(['Post a comment', 'Reply', 'Reply']);
    expect(doc.articleCore).toEqual({ first: 0, last: article.length - 1, lastLong: article.length - 1 });
    const r = cleanText(input, ruleset);
    for (const line of article) expect(r.text).toContain(line);
    expect(r.removed.map((x) => x.text)).toEqual(expect.arrayContaining(['Post a comment', 'Reply']));
  });

  test('furniture before the first long line, or furniture of another kind first, gives no core', () => {
    const menuFirst = ['Skip to content', ...article, ...thread].join('\n\n');
    expect(runRules(menuFirst, ruleset).articleCore).toBeNull();
    const shareFirst = [...article, 'Share on Facebook', 'Share on Twitter', ...thread].join('\n\n');
    expect(runRules(shareFirst, ruleset).articleCore).toBeNull();
  });
});

// Page dump or clean body (stop 28): a dump says things twice — its <title> again as the
// headline, "Share" or "Reply" under every item — and a clean body does not, however many of its
// lines are short.
describe('page dump or clean body', () => {
  /** cleanText of an input that must read as a clean body (engine/article-shape.ts). */
  function cleanBody(input: string) {
    expect(runRules(input, ruleset).articleShaped).toBe(true);
    return cleanText(input, ruleset);
  }

  const changes = ['New tasks for the game!', 'More questions for your opponent', 'Challenges coming soon', 'Better Android support', 'Bugs fixed'];

  test('a list article that opens with its list, before any paragraph, comes back whole', () => {
    const input = ["What's new in version 2.26?", ...changes, ...PROSE].join('\n\n');
    const r = cleanBody(input);
    expect(r.removed).toEqual([]);
    expect(r.text).toBe(input);
  });

  test('the same text under a page title that the headline repeats is a dump: the scorer judges it', () => {
    const input = ["What's new in version 2.26? - Example Games", "What's new in version 2.26?", ...changes, ...PROSE].join('\n\n');
    expect(runRules(input, ruleset).articleShaped).toBe(false);
  });

  test('a short line standing twice word for word marks a dump; a repeated paragraph does not', () => {
    const twice = ['Harbour bridge to close for repairs', PROSE[0], 'The old harbour bridge', PROSE[1], 'The old harbour bridge', PROSE[2]];
    expect(runRules(twice.join('\n\n'), ruleset).articleShaped).toBe(false);
    const paragraph = ['Harbour bridge to close for repairs', PROSE[0], 'The old harbour bridge', PROSE[1], PROSE[2], PROSE[0]];
    expect(runRules(paragraph.join('\n\n'), ruleset).articleShaped).toBe(true);
  });

  test('a text of mostly short lines is left to the rules, as a page of links would be', () => {
    const links = ['Main Street', 'Station Road', 'Mill Lane', 'Quay Side', 'Church Walk', 'Bridge End', 'Harbour Row'];
    expect(runRules([PROSE[0], ...links].join('\n\n'), ruleset).articleShaped).toBe(false);
  });

  test('a short text that opens with a list keeps its first item; one with a title above the list does not read as a body', () => {
    const input = ['Test case 1', 'Test case 2'].join('\n\n');
    expect(cleanBody(input).text).toBe(input);
    expect(runRules(['Lazy loading of images with their alt text', 'Test case 1', 'Test case 2'].join('\n\n'), ruleset).articleShaped).toBe(false);
  });

  test('markup residue (code a tutorial quotes) does not make a page of it; quoted code that a line introduces comes back', () => {
    const code = '<script src="vendor/coverage.js" data-adapter="vendor/adapter.js"></script>';
    const script = 'describe("Cow", function() { it("greets", function() { expect(cow.greets("Kate")).to.equal(true); }); });';
    const input = [
      'Measuring test coverage in the browser',
      PROSE[0],
      'Add the library to the test page:',
      code,
      script,
      PROSE[1],
      'Then open the page.',
      PROSE[2],
    ].join('\n\n');
    const r = cleanBody(input);
    expect(r.removed).toEqual([]);
    expect(r.text).toBe(input);
  });

  test('in a clean body, a script line nothing introduces and a tag glued to prose still go', () => {
    const embed = '<script async src="https://platform.example.com/widgets.js" charset="utf-8"></script>';
    const input = [
      'Measuring test coverage in the browser',
      PROSE[0],
      '"Coverage is not proof," she wrote.',
      embed,
      `${PROSE[1]}</span>`,
      'Then open the page.',
      PROSE[2],
    ].join('\n\n');
    const r = cleanBody(input);
    expect(r.removed.map((x) => [x.rule, x.text])).toEqual([
      ['stray-tag', embed],
      ['stray-tag', '</span>'],
    ]);
    expect(r.text).toContain(PROSE[1]);
  });
});
