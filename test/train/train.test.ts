import { goldShare, indexGold } from '../../src/train/align';
import { DEFAULT_FIT, fitLogistic } from '../../src/train/fit';
import { split, prng, train } from '../../src/train/train';
import { renderModel } from '../../src/train/write';
import { parseModelText, resolveModels } from '../../src/rulesets/models';
import type { ScorerModel } from '../../src/engine/features/model';
import { validateRuleSet, type RuleSetDef } from '../../src/engine';

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

  it('shrinks a feature on a few rows harder with rareSupport, and leaves common ones alone', () => {
    // "rare" is on in 1% of the rows, always on article-unlike ones: plain L2 lets its weight run
    // far; as if it were on in 20% of the rows, it stays near what a common feature may reach.
    const n = 1000;
    const x = new Float64Array(n * 2),
      y = new Uint8Array(n),
      w = new Float64Array(n).fill(1);
    const rand = prng(5);
    for (let i = 0; i < n; i++) {
      y[i] = rand() < 0.5 ? 1 : 0;
      x[i * 2] = i % 100 === 0 ? 1 : 0;
      if (x[i * 2] === 1) y[i] = 0;
      x[i * 2 + 1] = y[i] + rand() * 1.5;
    }
    const table = [
      { name: 'rare', low: '', high: '' },
      { name: 'common', low: '', high: '' },
    ];
    const plain = fitLogistic(table, x, y, w, { ...DEFAULT_FIT, l2: 1e-2 });
    const shrunk = fitLogistic(table, x, y, w, { ...DEFAULT_FIT, l2: 1e-2, rareSupport: 0.2 });
    expect(plain.features.rare.weight).toBeLessThan(-2);
    expect(shrunk.features.rare.weight).toBeLessThan(0);
    expect(shrunk.features.rare.weight).toBeGreaterThan(plain.features.rare.weight / 2);
    expect(shrunk.features.common.weight).toBeCloseTo(plain.features.common.weight, 1);
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
  const model = (threshold: number): ScorerModel => ({
    threshold,
    runCut: 0.45,
    runFloor: 25,
    window: 2,
    block: { bias: 0, features: { length: { weight: 1, mean: 2 } } },
    context: { bias: 0.5, features: { self: { weight: 0.3, mean: -0.1 } } },
  });

  it('writes only the trained fields, which a scorer rule naming the file then runs with', () => {
    const text = renderModel(model(0.4), 'declutter train --set x.jsonl --out rules/models/text.yaml');
    expect(text).toMatch(/^# Text article scorer, written by: declutter train --set x.jsonl --out rules\/models\/text.yaml\n/);
    // Each feature's weight and mean on one line, like a table.
    expect(text).toContain('    length: { weight: 1, mean: 2 }\n');
    const data = parseModelText(text, 'text.yaml');
    expect(data).toEqual(model(0.4));
    const written: RuleSetDef = {
      id: 's',
      version: 1,
      rules: [
        { id: 'article-scorer', category: 'boilerplate', description: 'x', kind: 'scorer', model: 'models/text.yaml', examples: { remove: [], keep: [] } },
      ],
    };
    expect(() => validateRuleSet(written)).not.toThrow();
    const resolved = resolveModels(written, (ref) => (ref === 'models/text.yaml' ? data : undefined));
    expect(resolved.rules[0]).toMatchObject({ threshold: 0.4, runCut: 0.45, block: model(0.4).block });
    expect(resolved.rules[0].model).toBeUndefined();
  });

  it('leaves a field the rule gives itself to the rule', () => {
    const written: RuleSetDef = {
      id: 's',
      version: 1,
      rules: [
        { id: 'sc', category: 'boilerplate', description: 'x', kind: 'scorer', model: 'models/text.yaml', threshold: 0.6, examples: { remove: [], keep: [] } },
      ],
    };
    expect(resolveModels(written, () => ({ ...model(0.4) })).rules[0].threshold).toBe(0.6);
  });
});
