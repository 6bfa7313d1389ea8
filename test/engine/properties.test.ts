/**
 * Property tests: whatever the input, the engine does not throw, its spans are sorted, disjoint,
 * in bounds and equal to the input they claim, and input minus spans equals the text.
 */
import fc from 'fast-check';
import { cleanText, compileRuleSet, validateRuleSet, type CompiledRuleSet } from '../../src/engine';
import { defaultRuleSet } from '../../src';
import { toCodePointOffsets } from '../../src/engine/text';
import { contractViolation } from '../helpers';

/** Rules of every kind with patterns that love to overlap, to stress the span bookkeeping. */
const stressSet: CompiledRuleSet = compileRuleSet(
  validateRuleSet({
    id: 'stress',
    version: 1,
    rules: [
      {
        id: 'attr',
        category: 'residue',
        description: 'Attribute fragment.',
        kind: 'pattern',
        scope: 'inline',
        pattern: '(?:class|id)=["”][^"”]*["”]>?',
        examples: { remove: [], keep: [] },
      },
      {
        id: 'tag',
        category: 'residue',
        description: 'Tags.',
        kind: 'pattern',
        scope: 'inline',
        pattern: '</?[a-z][^<>]*>',
        examples: { remove: [], keep: [] },
      },
      {
        id: 'nul',
        category: 'residue',
        description: 'Control characters.',
        kind: 'pattern',
        scope: 'inline',
        pattern: '[\\u0000-\\u0008]+',
        examples: { remove: [], keep: [] },
      },
      {
        id: 'emoji',
        category: 'residue',
        description: 'Emoji runs, to cut between surrogate pairs if the engine were careless.',
        kind: 'pattern',
        scope: 'inline',
        pattern: '\\p{Extended_Pictographic}+',
        examples: { remove: [], keep: [] },
      },
      {
        id: 'ad',
        category: 'ad',
        description: 'Ad marker.',
        kind: 'phrase',
        phrases: ['Advertisement', 'Anzeige', 'Leave a Reply'],
        examples: { remove: [], keep: [] },
      },
      {
        id: 'short-b',
        category: 'boilerplate',
        description: 'Blocks with a b.',
        kind: 'pattern',
        scope: 'block',
        pattern: 'b',
        maxChars: 12,
        examples: { remove: [], keep: [] },
      },
      { id: 'teaser', category: 'teaser', description: 'Teaser.', kind: 'teaser', examples: { remove: [], keep: [] } },
      { id: 'dup', category: 'duplicate', description: 'Repeat.', kind: 'duplicate', minChars: 3, examples: { remove: [], keep: [] } },
    ],
  }),
);

const pieces = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '\n',
      '\r\n',
      '\r',
      '\n\n',
      ' ',
      '\t',
      '\u00a0',
      '\u2028',
      '\u000b',
      '\0',
      '\u0085',
      '👍🏽',
      '👨‍👩‍👧',
      'e\u0301',
      '\u0301',
      '\ud800',
      '\udc00',
      'ﬁ',
      'İ',
      'class="sc-1 x">',
      'class=”a”>',
      '<div class="y">',
      '</span>',
      'Advertisement',
      'Leave a Reply',
      'ab',
      '…',
      '...',
      '1/4Residents',
      'Blinken will travel to Beijing',
      'Teaser headline of another story…',
    ),
  },
);
const documents = fc.array(pieces, { maxLength: 40 }).map((p) => p.join(''));

function check(set: CompiledRuleSet) {
  return (input: string) => {
    const result = cleanText(input, set);
    const problem = contractViolation(input, result);
    if (problem) throw new Error(`${problem}\ninput: ${JSON.stringify(input)}`);
  };
}

describe('engine properties', () => {
  test('the stress set keeps the contract on 10,000 generated documents', () => {
    fc.assert(fc.property(documents, check(stressSet)), { numRuns: 10_000 });
  });

  test('the default set keeps the contract on 5,000 generated documents', () => {
    fc.assert(fc.property(documents, check(defaultRuleSet())), { numRuns: 5_000 });
  });

  test('very long lines and many lines keep the contract', () => {
    const long = fc
      .tuple(fc.constantFrom('a', 'Advertisement ', 'class="x">', '👍', ' ', 'b\n', '…\n'), fc.integer({ min: 10_000, max: 200_000 }))
      .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)));
    fc.assert(fc.property(long, check(stressSet)), { numRuns: 30 });
    fc.assert(fc.property(long, check(defaultRuleSet())), { numRuns: 30 });
  });

  test('code point offsets are the UTF-16 offsets counted in code points', () => {
    fc.assert(
      fc.property(documents, (input) => {
        const utf16 = cleanText(input, stressSet);
        const points = cleanText(input, stressSet, { offsets: 'codepoint' });
        const expected = toCodePointOffsets(
          input,
          utf16.removed.flatMap((r) => [r.start, r.end]),
        );
        expect(points.removed.flatMap((r) => [r.start, r.end])).toEqual(expected);
        const cps = [...input];
        for (const r of points.removed) expect(cps.slice(r.start, r.end).join('')).toBe(r.text);
      }),
      { numRuns: 2_000 },
    );
  });
});
