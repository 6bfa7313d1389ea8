import { resolve } from 'node:path';
import { readRuleSetFile } from '../../../src/rulesets/load';
import { LOCAL_FEATURES } from '../../../src/engine/features/local';
import { CONTEXT_FEATURES } from '../../../src/engine/features/context';
import { cleanText, compileRuleSet, validateRuleSet, RuleSetError, type RuleDefBase, type RuleSetDef } from '../../../src/engine';

const paragraphs = [
  'The city council voted on Tuesday to extend the tram line to the northern districts, a project that has been debated for more than a decade.',
  'Construction is expected to start next spring, and the first trams should run in 2029, according to the mayor, who called the decision a turning point.',
  'Residents of the northern districts have long complained that the bus connections are slow and crowded, and the new line will shorten their trips.',
];
// Blank lines between blocks, as page dumps write them: lines with no blank line between them form one paragraph.
const page = ['Home', 'News', 'Sport', ...paragraphs, 'Privacy Policy | Terms of Use | Contact'].join('\n\n');

/** A hand-written model: long blocks that end like sentences are article text. */
function set(extra: Record<string, unknown> = {}): RuleSetDef {
  return {
    id: 'test',
    version: 1,
    rules: [
      {
        id: 'article-scorer',
        category: 'boilerplate',
        description: 'Not article text.',
        kind: 'scorer',
        threshold: 0.5,
        block: { bias: 0, features: { length: { weight: 4, mean: 1.5 }, sentenceEnd: { weight: 2, mean: 0.5 }, separators: { weight: -10, mean: 0 } } },
        context: { bias: 0, features: { self: { weight: 1, mean: 0 } } },
        examples: { remove: [], keep: [] },
        ...extra,
      },
    ],
  };
}

describe('scorer kind', () => {
  it('removes the blocks scoring below the threshold and keeps the article', () => {
    const r = cleanText(page, compileRuleSet(set()));
    expect(r.text).toBe(paragraphs.join('\n\n'));
    expect(r.removed.map((x) => x.text)).toEqual(['Home', 'News', 'Sport', 'Privacy Policy | Terms of Use | Contact']);
    expect(new Set(r.removed.map((x) => x.category))).toEqual(new Set(['boilerplate']));
  });

  it('names the features that weighed most against a block, with their contributions', () => {
    const r = cleanText(page, compileRuleSet(set()));
    const home = r.removed[0];
    expect(home.rule).toBe('article-scorer');
    expect(home.reason).toMatch(/^article score 0\.\d\d < 0\.5: short block \(-\d+\.\d\), no sentence end \(-\d\.\d\)$/);
    const footer = r.removed[3];
    expect(footer.reason).toContain('menu separators (');
  });

  it('keeps everything when the threshold is 0, and the main run when nothing passes', () => {
    expect(cleanText(page, compileRuleSet(set({ threshold: 0 }))).removed).toEqual([]);
    const strict = cleanText(page, compileRuleSet(set({ threshold: 1 })));
    expect(strict.text).toBe(paragraphs.join('\n\n'));
  });

  it('refuses unknown feature names and fields, naming them', () => {
    const bad = set();
    (bad.rules[0] as any).block.features.colour = { weight: 1, mean: 0 };
    expect(() => validateRuleSet(bad)).toThrow(RuleSetError);
    expect(() => validateRuleSet(bad)).toThrow(/block\/features\/colour/);
    const noMean = set();
    (noMean.rules[0] as any).context.features.self = { weight: 1 };
    expect(() => validateRuleSet(noMean)).toThrow(/mean/);
  });

  it('does not touch blocks that earlier rules removed', () => {
    const def = set();
    def.rules.unshift({ id: 'home', category: 'navigation', description: 'Menu.', kind: 'phrase', phrases: ['Home'], examples: { remove: [], keep: [] } });
    const r = cleanText(page, compileRuleSet(def));
    expect(r.removed[0]).toMatchObject({ text: 'Home', rule: 'home', category: 'navigation' });
  });
});

describe("the default set's trained scorers", () => {
  // Training keeps a feature with a declared direction on its side of zero (train/fit.ts); a
  // hand edit or a retrain that broke that would make reasons name article-like traits.
  const def = readRuleSetFile(resolve(__dirname, '../../../rules/default.yaml'));
  const scorers = def.rules.filter((r) => r.kind === 'scorer') as (RuleDefBase & { block?: unknown; context?: unknown })[];

  it('give every feature with a direction a weight on its side of zero', () => {
    expect(scorers.map((r: { id: string }) => r.id)).toEqual(['article-scorer', 'html-article-scorer']);
    const wrong: string[] = [];
    for (const rule of scorers) {
      for (const [table, model] of [
        [LOCAL_FEATURES, rule.block],
        [CONTEXT_FEATURES, rule.context],
      ] as const) {
        for (const f of table as readonly { name: string; sign?: number }[]) {
          const w = (model as { features: Record<string, { weight: number }> }).features[f.name]?.weight ?? 0;
          if (f.sign !== undefined && w * f.sign < 0) wrong.push(`${rule.id} ${f.name} ${w}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('a scorer naming a model file', () => {
  const rule = (extra: Record<string, unknown>): RuleSetDef => ({
    id: 'm',
    version: 1,
    rules: [{ id: 'sc', category: 'boilerplate', description: 'Scored out.', kind: 'scorer', examples: { remove: [], keep: [] }, ...extra }],
  });

  it('needs the trained fields from the rule or a model reference inside models/', () => {
    expect(() => validateRuleSet(rule({ model: 'models/text.yaml' }))).not.toThrow();
    expect(() => validateRuleSet(rule({ model: 'models/text.yaml', threshold: 0.6 }))).not.toThrow();
    for (const model of ['../models/text.yaml', '/etc/x.yaml', 'models/../x.yaml', 'models/sub/x.yaml', 'text.yaml']) {
      expect(() => validateRuleSet(rule({ model }))).toThrow(/field "model"/);
    }
    expect(() => validateRuleSet(rule({}))).toThrow(/field "threshold": is required \(or name a model file/);
  });

  it('is not compiled before the loader has filled in the model: the engine reads no files', () => {
    expect(() => compileRuleSet(rule({ model: 'models/text.yaml' }))).toThrow(/models\/text.yaml" was not loaded/);
  });
});
