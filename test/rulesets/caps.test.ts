/** Size caps for rule sets from requests (src/rulesets/caps.ts): one cheap walk, refusing before any costly work. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import YAML from 'yaml';
import { capViolation, DEFAULT_RULESET_CAPS, nestingBeyond, yamlDepthBound } from '../../src/rulesets/caps';
import { REPO_ROOT } from '../paths';

const rule = (i: number, extra: Record<string, unknown>) => ({ id: `r${i}`, category: 'ad', description: 'x', kind: 'pattern', ...extra });
const set = (rules: unknown[]) => ({ id: 'x', version: 1, rules });

describe('capViolation', () => {
  const caps = { ...DEFAULT_RULESET_CAPS, maxRules: 10, maxPatterns: 5, maxPatternChars: 100, maxSelectors: 3, maxSelectorChars: 50, maxDepth: 8 };

  it('passes a set within every cap, and the packaged default set under the defaults', () => {
    expect(capViolation(set([rule(1, { pattern: 'ab' })]), caps)).toBeUndefined();
    const packaged: unknown = YAML.parse(readFileSync(resolve(REPO_ROOT, 'rules', 'default.yaml'), 'utf8'));
    expect(capViolation(packaged, DEFAULT_RULESET_CAPS)).toBeUndefined();
  });

  it('names the cap each over-large set goes past', () => {
    expect(capViolation(set(Array.from({ length: 11 }, (_, i) => rule(i, {}))), caps)).toMatch(/11 rules.*DECLUTTER_RULESET_MAX_RULES/);
    expect(capViolation(set([rule(1, { pattern: ['a', 'b', 'c'] }), rule(2, { pattern: ['d', 'e', 'f'] })]), caps)).toMatch(/6 patterns.*MAX_PATTERNS/);
    expect(capViolation(set([rule(1, { pattern: 'a'.repeat(101) })]), caps)).toMatch(/101 characters.*MAX_PATTERN_CHARS/);
    expect(capViolation(set([rule(1, { kind: 'selector', selector: 'a, b, c, d' })]), caps)).toMatch(/4 selectors.*MAX_SELECTORS/);
    expect(capViolation(set([rule(1, { kind: 'selector', selector: `.${'x'.repeat(50)}` })]), caps)).toMatch(/51 characters.*MAX_SELECTOR_CHARS/);
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10; i++) deep = [deep];
    expect(capViolation(set([rule(1, { examples: deep })]), caps)).toMatch(/deeper than 8.*MAX_DEPTH/);
  });
});

describe('nestingBeyond', () => {
  it('walks a value a million levels deep without recursion', () => {
    let deep: unknown = {};
    for (let i = 0; i < 1_000_000; i++) deep = { a: deep };
    expect(nestingBeyond(deep, 32)).toBe(true);
    expect(nestingBeyond({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(nestingBeyond({ a: [{ b: {} }] }, 3)).toBe(true);
  });
});

describe('yamlDepthBound', () => {
  it('bounds the packaged rule sets well under the default cap', () => {
    const depth = yamlDepthBound(readFileSync(resolve(REPO_ROOT, 'rules', 'default.yaml'), 'utf8'));
    expect(depth).toBeGreaterThanOrEqual(4);
    expect(depth).toBeLessThan(DEFAULT_RULESET_CAPS.maxDepth);
  });

  it('sees deep flow collections, deep indentation and runs of "- " on one line, but not brackets in quotes or comments', () => {
    expect(yamlDepthBound('a: ' + '['.repeat(500) + ']'.repeat(500))).toBeGreaterThan(500);
    expect(yamlDepthBound(Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'))).toBeGreaterThanOrEqual(200);
    expect(yamlDepthBound(`${'- '.repeat(300)}x`)).toBeGreaterThanOrEqual(300);
    expect(yamlDepthBound(`a: "${'['.repeat(500)}"\nb: 1 # ${'{'.repeat(500)}`)).toBeLessThan(5);
  });
});
