/** One choice of rule set (src/requests/ruleset.ts) for every request, with one set of refusals. */
import { defaultRuleSet } from '../../src';
import { RuleSetError, type CompiledRuleSet } from '../../src/engine';
import { chooseRuleSet, isDeferred, type RuleSetSource } from '../../src/requests';

const standard = defaultRuleSet();
const forNews: CompiledRuleSet = { ...standard, id: 'news' };
const inline: CompiledRuleSet = { ...standard, id: 'tuned' };
const batchSet: CompiledRuleSet = { ...standard, id: 'batch' };

function source(withDefault = true): RuleSetSource {
  return {
    get: (id) => (id === 'news' ? forNews : id === 'default' && withDefault ? standard : undefined),
    forUrl: (url) => (url?.includes('news.example') ? forNews : withDefault ? standard : undefined),
    compileInline(def) {
      if ((def as { rules?: unknown }).rules === undefined) throw new RuleSetError([{ field: 'rules', message: 'is required' }]);
      return inline;
    },
  };
}

const idOf = (r: ReturnType<typeof chooseRuleSet>) => (r.ok ? (isDeferred(r.set) ? r.set.key : r.set.id) : r.error.code);

describe('chooseRuleSet', () => {
  it('takes the set a request names, compiles one it sends, else chooses by url, else default', () => {
    expect(idOf(chooseRuleSet(source(), { ruleset: 'news' }))).toBe('news');
    expect(chooseRuleSet(source(), { ruleset: { id: 'tuned', rules: [] } })).toMatchObject({ ok: true, inline: true, set: { id: 'tuned' } });
    expect(idOf(chooseRuleSet(source(), { url: 'https://news.example/a' }))).toBe('news');
    expect(idOf(chooseRuleSet(source(), {}))).toBe('default');
  });

  it("a batch's own set is for documents that name none, instead of the url's", () => {
    expect(idOf(chooseRuleSet(source(), { url: 'https://news.example/a' }, batchSet))).toBe('batch');
    expect(idOf(chooseRuleSet(source(), { ruleset: 'default', url: 'https://news.example/a' }, batchSet))).toBe('default');
  });

  it('refuses an unknown id, an invalid inline set (naming the field) and a missing default', () => {
    expect(chooseRuleSet(source(), { ruleset: 'nope' })).toEqual({ ok: false, error: { code: 'unknown-ruleset', detail: 'no rule set "nope"' } });
    expect(chooseRuleSet(source(), { ruleset: { id: 'x' } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-ruleset', detail: expect.stringContaining('the inline rule set (field "ruleset") is invalid'), errors: [{ field: 'rules' }] },
    });
    expect(idOf(chooseRuleSet(source(false), { url: 'https://elsewhere.example/' }))).toBe('not-ready');
  });
});
