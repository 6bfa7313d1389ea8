import YAML from 'yaml';
import { goldShare, indexGold } from '../../src/train/align';
import { fitLogistic } from '../../src/train/fit';
import { split, prng, train } from '../../src/train/train';
import { replaceScorer, SCORER_COMMENT } from '../../src/train/write';
import { validateRuleSet, type RuleSetDef, type RuleDefBase } from '../../src/engine';

describe('align', () => {
  const gold = indexGold('The council voted on Tuesday to extend the tram line.\n\nWork starts in spring.');
  it('labels a block by the share of its 4-grams found in the gold', () => {
    expect(goldShare('The council voted on Tuesday to extend the tram line.', gold)).toBe(1);
    expect(goldShare('Home News Sport Weather and more', gold)).toBe(0);
    expect(goldShare('The council voted on Tuesday to buy new buses', gold)).toBeCloseTo(3 / 6);
  });
  it('labels short blocks by their words in order', () => {
    expect(goldShare('Work starts', gold)).toBe(1);
    expect(goldShare('starts Work', gold)).toBe(0);
  });
});

describe('fit', () => {
  it('learns the sign of an informative feature and ignores a constant one', () => {
    const table = [
      { name: 'good', low: '', high: '' },
      { name: 'constant', low: '', high: '' },
    ];
    const n = 200;
    const x = new Float64Array(n * 2),
      y = new Uint8Array(n),
      w = new Float64Array(n).fill(1);
    const rand = prng(7);
    for (let i = 0; i < n; i++) {
      y[i] = i % 2;
      x[i * 2] = y[i] + rand() * 0.8;
      x[i * 2 + 1] = 3;
    }
    const m = fitLogistic(table, x, y, w);
    expect(m.features.good.weight).toBeGreaterThan(2);
    expect(m.features.good.mean).toBeCloseTo(0.5 + 0.4, 1);
    expect(m.features.constant).toBeUndefined();
  });

  it('keeps a feature with a declared direction on its side of zero', () => {
    // "more" is, by the data, article-unlike; declared as article-like (sign 1), its weight stops at 0
    // and a second feature carries what the data says.
    const n = 200;
    const x = new Float64Array(n * 2),
      y = new Uint8Array(n),
      w = new Float64Array(n).fill(1);
    const rand = prng(11);
    for (let i = 0; i < n; i++) {
      y[i] = i % 2;
      x[i * 2] = 1 - y[i] + rand() * 0.8;
      x[i * 2 + 1] = y[i] + rand() * 0.8;
    }
    const free = fitLogistic(
      [
        { name: 'more', low: '', high: '' },
        { name: 'other', low: '', high: '' },
      ],
      x,
      y,
      w,
    );
    expect(free.features.more.weight).toBeLessThan(-1);
    const signed = fitLogistic(
      [
        { name: 'more', low: '', high: '', sign: 1 },
        { name: 'other', low: '', high: '', sign: 1 },
      ],
      x,
      y,
      w,
    );
    expect(signed.features.more.weight).toBe(0);
    expect(signed.features.other.weight).toBeGreaterThan(1);
  });
});

describe('split', () => {
  it('is deterministic for a seed and holds back the asked share', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = split(items, 0.2, 3),
      b = split(items, 0.2, 3),
      c = split(items, 0.2, 4);
    expect(a).toEqual(b);
    expect(a.held).toHaveLength(10);
    expect(new Set([...a.held, ...a.train]).size).toBe(50);
    expect(c.held).not.toEqual(a.held);
  });
});

describe('train', () => {
  const article = (i: number) =>
    `Paragraph ${i} of the story tells how the council voted to extend the tram line, which residents of the north have wanted for years, and what it will cost.`;
  const docs = Array.from({ length: 12 }, (_, d) => {
    const body = Array.from({ length: 4 }, (_, i) => article(d * 10 + i));
    const menu = ['Home', 'News', 'Sport', 'Weather', 'Contact us | Privacy | Terms'];
    return { id: String(d), text: [...menu, ...body, ...menu].join('\n'), gold: body.join('\n\n') };
  });
  const base: RuleSetDef = { id: 'base', version: 1, rules: [] };
  it('learns to keep the paragraphs and drop the menus, and reports both splits', () => {
    const result = train(docs, base, { holdout: 0.25, seed: 1 });
    expect(result.holdout?.docs).toBe(3);
    expect(result.train.docs).toBe(9);
    expect(result.holdout!.shingle.f1).toBeGreaterThan(0.95);
    expect(result.holdout!.blockAccuracy).toBeGreaterThan(0.9);
    expect(() => validateRuleSet({ ...base, rules: [result.rule] })).not.toThrow();
  });
});

describe('write', () => {
  const rule = (threshold: number): RuleDefBase => ({
    id: 'article-scorer',
    category: 'boilerplate',
    description: 'x',
    kind: 'scorer',
    threshold,
    block: { bias: 0, features: { length: { weight: 1, mean: 2 } } },
    context: { bias: 0, features: {} },
    examples: { remove: [], keep: [] },
  });
  const original = [
    'id: s',
    'version: 4',
    'rules:',
    '  # phrase rules, kept as written',
    '  - id: ad',
    '    category: ad',
    '    description: Ad marker.  # a trailing comment',
    '    kind: phrase',
    "    phrases: [Advertisement, 'Anzeige']",
    '    examples: { remove: [Advertisement], keep: [] }',
    '',
  ].join('\n');

  it('appends the scorer under its comment and leaves every other line as it was', () => {
    const once = replaceScorer(original, rule(0.5));
    expect(once.startsWith(original.replace('version: 4', 'version: 5'))).toBe(true);
    expect(once).toContain(`#${SCORER_COMMENT}`);
    expect(YAML.parse(once).rules[1].threshold).toBe(0.5);
  });

  it('replaces only the scorer on the next run, with one comment', () => {
    const twice = replaceScorer(replaceScorer(original, rule(0.5)), rule(0.4));
    const parsed = YAML.parse(twice);
    expect(parsed.version).toBe(6);
    expect(parsed.rules).toHaveLength(2);
    expect(parsed.rules[1].threshold).toBe(0.4);
    expect(twice.split(SCORER_COMMENT)).toHaveLength(2);
    expect(twice).toContain("    description: Ad marker.  # a trailing comment\n    kind: phrase\n    phrases: [Advertisement, 'Anzeige']");
  });

  it('keeps the rule that follows a scorer whose examples end in a multi-line page', () => {
    // A block scalar ends at the start of the next line: the splice must not eat that line.
    const page = 'Home\n\nThe council voted on Tuesday to extend the tram line.\n\nPrivacy Policy';
    const withPage = (threshold: number): RuleDefBase => ({
      ...rule(threshold),
      examples: { remove: [], keep: [{ text: page, kept: ['The council voted on Tuesday to extend the tram line.'] }] },
    });
    const after =
      '  - id: after\n    category: ad\n    description: After the scorer.\n    kind: phrase\n    phrases: [Sponsored]\n    examples: { remove: [Sponsored], keep: [] }\n';
    const once = replaceScorer(original, withPage(0.5)) + after;
    const twice = replaceScorer(replaceScorer(once, withPage(0.4)), withPage(0.3));
    const parsed = YAML.parse(twice);
    expect(parsed.rules.map((r: RuleDefBase) => r.id)).toEqual(['ad', 'article-scorer', 'after']);
    expect(parsed.rules[1].threshold).toBe(0.3);
    expect(parsed.rules[1].examples.keep[0].text).toBe(page);
  });
});
