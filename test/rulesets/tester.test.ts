import type { RuleDefBase } from '../../src/engine';
import { testRule } from '../../src/rulesets/tester';

const phrase = (examples: RuleDefBase['examples']): RuleDefBase => ({
  id: 'ad-marker',
  category: 'ad',
  description: 'A block that only says that an advertisement follows.',
  kind: 'phrase',
  phrases: ['Advertisement'],
  examples,
});

describe('rule tester', () => {
  it('passes a rule that does what its examples say', () => {
    expect(
      testRule(
        phrase({ remove: ['Advertisement', { text: 'Advertisement\n\nThe council voted.', removed: ['Advertisement'] }], keep: ['The council voted.'] }),
      ),
    ).toEqual([]);
  });

  it('names the rule and the example a rule does not remove, and the one it does not keep', () => {
    const issues = testRule(phrase({ remove: ['Advertisement', 'Sponsored'], keep: ['The council voted.', 'Advertisement'] }));
    expect(issues.map((i) => [i.rule, i.field])).toEqual([
      ['ad-marker', 'examples/remove/1'],
      ['ad-marker', 'examples/keep/1'],
    ]);
    expect(issues[0].message).toMatch(/removes nothing.*"Sponsored"/);
    expect(issues[1].message).toMatch(/removes "Advertisement"/);
  });

  it("checks listed substrings: removed ones inside the rule's spans, kept ones in the text", () => {
    const issues = testRule(
      phrase({
        remove: [{ text: 'Advertisement\n\nThe council voted.', removed: ['The council'] }],
        keep: [{ text: 'Advertisement\n\nThe council voted.', kept: ['Advertisement'] }],
      }),
    );
    expect(issues.map((i) => i.field)).toEqual(['examples/remove/0', 'examples/keep/0']);
    expect(issues[0].message).toMatch(/does not remove "The council"/);
  });
});
