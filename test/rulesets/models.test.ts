/** Trained models in rules/models/, named by scorer rules and filled in by the loader. */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuleSetError } from '../../src/engine';
import { loadRuleSets, PACKAGED_RULES_DIR, readRuleSetFile } from '../../src/rulesets/load';
import { RuleSetRegistry } from '../../src/rulesets/registry';

const scorer = (model: string) => ({
  id: 'sc',
  category: 'boilerplate',
  description: 'A block the scorer judged not to be article text.',
  kind: 'scorer',
  model,
  examples: { remove: [], keep: [] },
});

describe('model files', () => {
  it('the packaged sets name their models; the loader fills them in, and no model is taken for a set', () => {
    const loaded = loadRuleSets(PACKAGED_RULES_DIR);
    expect(loaded.errors).toEqual([]);
    expect([...loaded.defs.keys()]).toEqual(['default']);
    const text = loaded.defs.get('default')!.rules.find((r) => r.id === 'article-scorer')!;
    expect(text.model).toBeUndefined();
    expect(text).toMatchObject({ threshold: expect.any(Number), block: expect.any(Object), context: expect.any(Object) });
    const html = loaded.defs.get('default')!.rules.find((r) => r.id === 'html-article-scorer')!;
    expect(html.dom).toBeDefined();
    const registry = RuleSetRegistry.fromDir(PACKAGED_RULES_DIR);
    expect(registry.refused).toEqual([]);
    expect(
      registry
        .definition('default')!
        .rules.filter((r) => r.kind === 'scorer')
        .map((r) => r.model),
    ).toEqual(['models/text.yaml', 'models/html.yaml']);
  });

  it('a set file outside the rules directory reads the models beside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'declutter-models-'));
    try {
      mkdirSync(join(dir, 'models'));
      // A threshold no trained file holds, so the value read can only come from this copy.
      const packaged = readFileSync(join(PACKAGED_RULES_DIR, 'models', 'text.yaml'), 'utf8');
      writeFileSync(join(dir, 'models', 'mine.yaml'), packaged.replace(/^threshold: .*$/m, 'threshold: 0.37'));
      writeFileSync(join(dir, 'site.json'), JSON.stringify({ id: 'site', version: 1, rules: [scorer('models/mine.yaml')] }));
      expect(readRuleSetFile(join(dir, 'site.json')).rules[0]).toMatchObject({ threshold: 0.37 });
      writeFileSync(join(dir, 'other.json'), JSON.stringify({ id: 'other', version: 1, rules: [scorer('models/text.yaml')] }));
      expect(() => readRuleSetFile(join(dir, 'other.json'))).toThrow(/rule "sc", field "model": no model file "models\/text.yaml"/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('an inline set can name a loaded model, and nothing else', () => {
    const registry = RuleSetRegistry.fromDir(PACKAGED_RULES_DIR);
    const set = registry.compileInline({ id: 'inline', version: 1, rules: [scorer('models/html.yaml')] });
    expect(set.defs[0]).toMatchObject({ dom: expect.any(Object) });
    for (const model of ['models/none.yaml', 'models/../default.yaml', '/etc/passwd']) {
      let error: unknown;
      try {
        registry.compileInline({ id: 'inline', version: 1, rules: [scorer(model)] });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RuleSetError);
      expect((error as RuleSetError).issues).toEqual([expect.objectContaining({ rule: 'sc', field: 'model' })]);
    }
  });
});
