import YAML from 'yaml';
import { cleanHtml, compileRuleSet, validateRuleSet, type RuleDefBase, type RuleSetDef } from '../../src/engine';
import { HTML_SCORER_RULE_ID, train, withScorer } from '../../src/train/train';
import { modelData, renderModel } from '../../src/train/write';
import { parseModelText } from '../../src/rulesets/models';
import { DOM_FEATURES } from '../../src/engine/html/dom-features';

const article = (i: number) =>
  `Paragraph ${i} of the story tells how the council voted to extend the tram line, which residents of the north have wanted for years, and what it will cost.`;
/** Pages whose menus and footers sit in nav and footer elements, and whose story sits in an article. */
const docs = Array.from({ length: 12 }, (_, d) => {
  const body = Array.from({ length: 4 }, (_, i) => article(d * 10 + i));
  const html = [
    `<html><head><title>Story ${d}</title></head><body>`,
    '<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/n">News</a></li><li><a href="/s">Sport</a></li></ul></nav>',
    `<div class="content"><article>${body.map((p) => `<p>${p}</p>`).join('')}</article></div>`,
    '<div class="related"><ul><li><a href="/x">Another story about something else entirely</a></li></ul></div>',
    '<footer><a href="/p">Privacy</a> | <a href="/t">Terms</a></footer></body></html>',
  ].join('\n');
  return { id: String(d), text: '', html, gold: body.join('\n\n') };
});
const base: RuleSetDef = { id: 'base', version: 1, rules: [] };

describe('train --html', () => {
  const result = train(docs, base, { holdout: 0.25, seed: 1, html: true });

  it('learns a scorer with a dom model that keeps the story and drops the furniture of held-back pages', () => {
    expect(result.rule.id).toBe(HTML_SCORER_RULE_ID);
    expect(result.model.dom).toBeDefined();
    expect(Object.keys(result.model.dom!.features).length).toBeGreaterThan(0);
    expect(result.holdout?.docs).toBe(3);
    expect(result.holdout!.shingle.f1).toBeGreaterThan(0.95);
    const rules = compileRuleSet(withScorer(base, result.rule));
    const page = docs[Number(result.holdoutIds[0])];
    expect(cleanHtml(page.html, rules).text).toBe(page.gold);
  });

  it('is deterministic', () => {
    const again = train(docs, base, { holdout: 0.25, seed: 1, html: true });
    expect(again.rule).toEqual(result.rule);
  });

  it('writes a rule the schema accepts, beside the text scorer', () => {
    const textScorer: RuleDefBase = {
      id: 'article-scorer',
      category: 'boilerplate',
      description: 'x',
      kind: 'scorer',
      threshold: 0.5,
      block: { bias: 0, features: { length: { weight: 1, mean: 2 } } },
      context: { bias: 0, features: {} },
      examples: { remove: [], keep: [] },
    };
    const both = withScorer({ ...base, rules: [textScorer] }, result.rule);
    expect(both.rules.map((r) => r.id)).toEqual(['article-scorer', HTML_SCORER_RULE_ID]);
    expect(() => validateRuleSet(both)).not.toThrow();
    // Written as its own model file, with the dom table beside the block and context tables.
    const text = renderModel(result.model, 'declutter train --html');
    expect(text).toMatch(/^# HTML article scorer/);
    expect(parseModelText(text, 'html.yaml')).toEqual(modelData(result.model));
    expect(YAML.parse(text).dom).toEqual(result.model.dom);
  });
});

describe('train --html: regularised and constrained', () => {
  /** Forty pages; on one, the story is quoted (a blockquote): `inQuote` is on for 1 page in 40. */
  const many = Array.from({ length: 40 }, (_, d) => {
    const body = Array.from({ length: 3 }, (_, i) => article(d * 10 + i));
    const story = body.map((p) => `<p>${p}</p>`).join('');
    const html = [
      `<html><head><title>Story ${d}</title></head><body>`,
      '<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/n">News</a></li></ul></nav>',
      `<div class="content"><article>${d === 7 ? `<blockquote>${story}</blockquote>` : story}</article></div>`,
      `<div class="sidebar-ads"><p>${d % 2 ? 'Advertisement' : 'Sponsored links from our partners'}</p></div>`,
      '<footer><a href="/p">Privacy</a> | <a href="/t">Terms</a></footer></body></html>',
    ].join('\n');
    return { id: String(d), text: '', html, gold: body.join('\n\n') };
  });
  const result = train(many, base, { holdout: 0, seed: 1, html: true });

  it('gives no weight to a yes/no feature on in under 3% of the pages', () => {
    expect(result.model.dom!.features.inQuote).toBeUndefined();
    expect(result.model.dom!.features.inArticle).toBeDefined();
  });

  it('keeps the weights of the markup features with a known direction on their side of zero', () => {
    for (const f of DOM_FEATURES) {
      const w = result.model.dom!.features[f.name]?.weight;
      if (f.sign !== undefined && w !== undefined) expect(w * f.sign).toBeGreaterThanOrEqual(0);
    }
    expect(DOM_FEATURES.find((f) => f.name === 'namedAd')!.sign).toBe(-1);
    expect(DOM_FEATURES.find((f) => f.name === 'namedContent')!.sign).toBe(1);
  });

  it("counts a document by its set's weight", () => {
    const weighted = train(many, base, { holdout: 0, seed: 1, html: true, weightOf: (d) => (Number(d.id) % 2 ? 3 : 1) });
    expect(weighted.model).not.toEqual(result.model);
  });
});
