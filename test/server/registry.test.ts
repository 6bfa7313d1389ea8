import { hostMatchScore, hostOf, RuleSetRegistry } from '../../src/rulesets/registry';
import { RuleSetError } from '../../src/engine';
import { makeRulesDir } from './helpers';

const rules = makeRulesDir();
afterAll(() => rules.cleanup());
const registry = RuleSetRegistry.fromDir(rules.dir);

describe('RuleSetRegistry', () => {
  it('loads the good files and reports the refused one', () => {
    expect(registry.ready).toBe(true);
    expect(registry.list().map((s) => s.id)).toEqual(['default', 'upi']);
    expect(registry.refused).toHaveLength(1);
    expect(registry.refused[0].file).toMatch(/broken\.yaml$/);
    expect(registry.refused[0].message).toMatch(/unknown kind "nosuchkind"/);
  });

  it('is not ready before loading', () => {
    const empty = new RuleSetRegistry();
    expect(empty.ready).toBe(false);
    expect(empty.list()).toEqual([]);
    expect(empty.forUrl('https://www.upi.com/')).toBeUndefined();
  });

  it.each([
    ['https://www.upi.com/Top_News/x.html', 'upi'],
    ['https://upi.com/a', 'upi'],
    ['news.upi.com/a', 'upi'],
    ['https://notupi.com/a', 'default'],
    ['https://upi.com.evil.example/a', 'default'],
    ['not a url at all', 'default'],
    [undefined, 'default'],
  ])('chooses %s → %s', (url, id) => {
    expect(registry.forUrl(url)?.id).toBe(id);
  });

  it('ranks exact hosts above wildcards and longer wildcards above shorter', () => {
    expect(hostMatchScore('apnews.com', 'apnews.com')).toBeGreaterThan(hostMatchScore('*.apnews.com', 'apnews.com'));
    expect(hostMatchScore('apnews.com', 'www.apnews.com')).toBeGreaterThan(0);
    expect(hostMatchScore('apnews.com', 'x.apnews.com')).toBe(0);
    expect(hostMatchScore('*.news.example.com', 'a.news.example.com')).toBeGreaterThan(hostMatchScore('*.example.com', 'a.news.example.com'));
    expect(hostOf('HTTPS://WWW.UPI.COM./x')).toBe('www.upi.com');
  });

  it('compiles an inline set against the stored ones and refuses a bad one', () => {
    const set = registry.compileInline({ id: 'mine', version: 3, extends: 'upi', disable: ['ad-marker'], rules: [] });
    expect(set.id).toBe('mine');
    expect(set.rules.map((r) => r.id)).toContain('upi-footer');
    expect(set.rules.map((r) => r.id)).not.toContain('ad-marker');
    expect(() => registry.compileInline({ id: 'mine', version: 0, rules: [] })).toThrow(RuleSetError);
    expect(() => registry.compileInline('default')).toThrow(/must be a mapping/);
  });

  it('swaps a reload in whole', () => {
    const r = RuleSetRegistry.fromDir(rules.dir);
    const before = r.get('default');
    r.load(rules.dir);
    expect(r.get('default')).not.toBe(before);
    expect(r.get('default')?.id).toBe('default');
  });
});
