/**
 * Inputs sized to break code that recurses or spreads an array into a call: both fail with
 * "Maximum call stack size exceeded" somewhere near 100k items. The engine must take them in
 * stride (however slowly; time budgets are the service's business, not the engine's).
 */
import { cleanHtml, cleanText, compileRuleSet, validateRuleSet, RuleSetError, type RuleSetDef } from '../../src/engine';
import { SELECTOR_LIMITS } from '../../src/engine/kinds/selector';
import { contractViolation } from '../helpers';

const MILLION = 1_000_000;

function selectorSet(selector: string): RuleSetDef {
  return {
    id: 'big',
    version: 1,
    rules: [{ id: 'sel', category: 'boilerplate', description: 'Selector rule.', kind: 'selector', selector, examples: { remove: [], keep: [] } }],
  } as RuleSetDef;
}

const selectorProblem = (selector: string): string => {
  try {
    validateRuleSet(selectorSet(selector));
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(RuleSetError);
    return (e as RuleSetError).issues[0].message;
  }
};

describe('a million of anything', () => {
  it('removes a million inline matches on one line', () => {
    const set = compileRuleSet({
      id: 'amp',
      version: 1,
      rules: [
        {
          id: 'entity',
          category: 'markup',
          description: 'An escaped ampersand.',
          kind: 'pattern',
          scope: 'inline',
          pattern: '&amp;',
          examples: { remove: [], keep: [] },
        },
      ],
    } as RuleSetDef);
    const input = `Fish ${'&amp; '.repeat(MILLION)}chips`;
    const r = cleanText(input, set);
    expect(r.removed).toHaveLength(MILLION);
    expect(r.removed[MILLION - 1]).toMatchObject({ text: '&amp;', rule: 'entity' });
    expect(r.text).toBe('Fish chips');
    expect(contractViolation(input, r)).toBeNull();
  });

  it('compiles and matches a selector list of a million items', () => {
    const selector = `${'aside, '.repeat(MILLION - 1)}p.teaser`;
    const set = compileRuleSet(selectorSet(selector));
    const html = '<body><article><p>The council voted on Tuesday to extend the tram line.</p><p class="teaser">Read more</p></article></body>';
    const r = cleanHtml(html, set);
    expect(r.removed.map((x) => x.text)).toEqual(['<p class="teaser">Read more</p>']);
  });

  it('compiles a list of a hundred thousand :has() selectors', () => {
    const selector = Array.from({ length: 100_000 }, (_, i) => `div:has(.c${i})`).join(', ');
    const set = compileRuleSet(selectorSet(selector));
    const r = cleanHtml('<body><div><p class="c99999">gone</p></div><p>The council voted on Tuesday.</p></body>', set);
    expect(r.removed.map((x) => x.text)).toEqual(['<div><p class="c99999">gone</p></div>']);
  });
});

describe('selectors past what the selector library can take without overflowing its stack', () => {
  it('refuses deep nesting before parsing it', () => {
    const deep = `${':not('.repeat(MILLION)}a${')'.repeat(MILLION)}`;
    expect(selectorProblem(deep)).toBe(`the selector nests ${MILLION} levels of parentheses (at most ${SELECTOR_LIMITS.nesting})`);
    expect(selectorProblem(`${':not('.repeat(SELECTOR_LIMITS.nesting)}a${')'.repeat(SELECTOR_LIMITS.nesting)}`)).toBe('');
  });

  it('does not count parentheses inside strings', () => {
    expect(selectorProblem(`[title="${'('.repeat(100)}"]`)).toBe('');
  });

  it('refuses a long list inside a pseudo-class', () => {
    const inner = (n: number) => `:is(${Array.from({ length: n }, (_, i) => `.c${i}`).join(', ')})`;
    expect(selectorProblem(inner(SELECTOR_LIMITS.innerList))).toBe('');
    expect(selectorProblem(inner(100_000))).toBe(`a list inside :is() has 100000 selectors (at most ${SELECTOR_LIMITS.innerList})`);
  });

  it('refuses a selector chaining too many compounds', () => {
    expect(selectorProblem(Array.from({ length: SELECTOR_LIMITS.compounds }, () => 'div').join(' '))).toBe('');
    expect(selectorProblem(Array.from({ length: 100_000 }, () => 'div').join(' > '))).toBe(
      `one selector chains 100000 compounds (at most ${SELECTOR_LIMITS.compounds})`,
    );
  });
});

describe('deep markup', () => {
  // The article walk keeps its own stack. Deeper pages cost seconds in htmlparser2 (which is
  // quadratic in nesting depth) before the engine sees them.
  it('builds the article HTML of a page nested twenty thousand elements deep', () => {
    const n = 20_000;
    const html = `<body><article>${'<section>'.repeat(n)}<p>The council voted on Tuesday to extend the tram line to the harbour.</p><p>Work starts next spring and takes two years.</p>${'</section>'.repeat(n)}</article></body>`;
    const r = cleanHtml(html, compileRuleSet({ id: 'none', version: 1, rules: [] } as RuleSetDef), { format: 'html' });
    expect(r.html).toContain('Work starts next spring');
  });
});
