import { cleanHtml, cleanText, compileRuleSet, validateRuleSet, RuleSetError, type RuleSetDef } from '../../../src/engine';
import { htmlContractViolation } from '../html/contract';

function set(...selectors: string[]): RuleSetDef {
  return {
    id: 'test',
    version: 1,
    rules: selectors.map((selector, i) => ({
      id: `sel-${i}`,
      category: i === 0 ? 'teaser' : 'social',
      description: `Selector rule ${i}.`,
      kind: 'selector',
      selector,
      examples: { remove: [], keep: [] },
    })),
  };
}

const page = [
  '<body><main><p>The council voted on Tuesday to extend the tram line.</p>',
  '<div class="related box"><h2>Related</h2><ul><li><a href="/a">Other story</a></li><li><div class="share">Share this</div></li></ul></div>',
  '<p>Work starts next spring.<span class="share">Share</span></p></main>',
  '<aside id="rail">Most read today</aside></body>',
].join('');

describe('selector kind', () => {
  it('removes each matched element whole, naming the rule and its selector', () => {
    const r = cleanHtml(page, compileRuleSet(set('.related, aside')));
    expect(htmlContractViolation(page, r)).toBeNull();
    expect(r.text).toBe('The council voted on Tuesday to extend the tram line.\n\nWork starts next spring.Share');
    expect(r.removed.map((x) => x.text)).toEqual([
      '<div class="related box"><h2>Related</h2><ul><li><a href="/a">Other story</a></li><li><div class="share">Share this</div></li></ul></div>',
      '<aside id="rail">Most read today</aside>',
    ]);
    expect(r.removed[0]).toMatchObject({ rule: 'sel-0', category: 'teaser', path: 'body > main > div.related.box' }); // the elements the source has: no implied <html>
    expect(r.removed[0].reason).toContain('".related, aside"');
  });

  it('cuts an inline element out of its paragraph and leaves the rest', () => {
    const r = cleanHtml(page, compileRuleSet(set('span.share')));
    expect(r.text).toContain('Work starts next spring.');
    expect(r.text).not.toMatch(/spring\.Share/);
    expect(r.removed.map((x) => x.text)).toEqual(['<span class="share">Share</span>']);
  });

  it('lets the first matching rule take an element, and a nested match goes with its ancestor', () => {
    const r = cleanHtml(page, compileRuleSet(set('.related', '.share')));
    const related = r.removed.find((x) => x.rule === 'sel-0')!;
    expect(related.text).toContain('Share this');
    expect(r.removed.filter((x) => x.rule === 'sel-1').map((x) => x.text)).toEqual(['<span class="share">Share</span>']);
  });

  it('does nothing on text input', () => {
    const text = 'aside\n\n.related\n\nThe council voted on Tuesday.';
    expect(cleanText(text, compileRuleSet(set('aside, .related, p'))).removed).toEqual([]);
  });

  it('refuses a selector that does not parse, naming the rule and field', () => {
    expect(() => validateRuleSet(set('div[class='))).toThrow(RuleSetError);
    try {
      validateRuleSet(set('div[class='));
    } catch (e) {
      expect((e as RuleSetError).issues[0]).toMatchObject({ rule: 'sel-0', field: 'selector' });
    }
  });
});

describe('selector matching', () => {
  const html = '<div class="Box"><p id="a" data-x="Hello">one</p><p>two</p><span lang="en-GB">three</span><NAV>four</NAV></div>';
  const matched = (selector: string) => cleanHtml(html, compileRuleSet(set(selector))).removed.map((x) => x.text);
  it.each([
    ['p', ['<p id="a" data-x="Hello">one</p><p>two</p>']], // neighbours of one rule and reason: one span
    ['[data-x^=Hel]', ['<p id="a" data-x="Hello">one</p>']],
    ['p:not([data-x])', ['<p>two</p>']],
    ['p[data-x!=Hello]', ['<p>two</p>']],
    ['[lang|=en]', ['<span lang="en-GB">three</span>']],
    ['div > span', ['<span lang="en-GB">three</span>']],
    ['nav', ['<NAV>four</NAV>']],
    ['*:not(div):not(p):not(span)', ['<NAV>four</NAV>']],
  ])('%s', (selector, expected) => {
    expect(matched(selector)).toEqual(expected);
  });
});
