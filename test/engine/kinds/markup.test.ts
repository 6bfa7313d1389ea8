import fc from 'fast-check';
import { cleanText, compileRuleSet, type RuleSetDef } from '../../../src/engine';
import { contractViolation } from '../../helpers';

const set: RuleSetDef = {
  id: 'markup-test',
  version: 1,
  rules: [
    {
      id: 'stray-tag',
      category: 'residue',
      description: 'HTML left in the text.',
      kind: 'markup',
      examples: { remove: [], keep: [] },
    },
  ],
};
const compiled = compileRuleSet(set);
const clean = (text: string) => cleanText(text, compiled);

describe('markup kind', () => {
  it('removes tags and keeps the words between them, a table included', () => {
    const input = 'Standings: <table><tr><td>Ajax</td> <td>31 points</td></tr></table> after week 12.';
    const r = clean(input);
    expect(r.text).toBe('Standings: Ajax 31 points after week 12.');
    expect(r.removed.every((x) => x.rule === 'stray-tag' && x.category === 'residue')).toBe(true);
    expect(contractViolation(input, r)).toBeNull();
  });

  it('takes a script with its code over several lines, one span per line', () => {
    const input = 'The mayor resigned.\n<script type="text/javascript">\nvar a = "</div>";\nload(a);\n</script>\nShe gave no reason.';
    const r = clean(input);
    expect(r.text).toBe('The mayor resigned.\n\nShe gave no reason.');
    expect(r.removed.map((x) => x.text)).toEqual(['<script type="text/javascript">', 'var a = "</div>";', 'load(a);', '</script>']);
    expect(r.removed[0].reason).toContain('<script> element');
    expect(contractViolation(input, r)).toBeNull();
  });

  it('knows where a tag ends even with ">" inside a quoted attribute', () => {
    const input = 'Photo <img alt="a > b" src="x.jpg"> of the bridge.';
    expect(clean(input).removed.map((x) => x.text)).toEqual(['<img alt="a > b" src="x.jpg">']);
  });

  it('removes closing tags without their opening tag, comments and doctypes', () => {
    const input = '<!DOCTYPE html>\nThe vote was close.</span> <!-- slot 3 --> Both sides claimed victory.</P>';
    expect(clean(input).removed.map((x) => x.text)).toEqual(['<!DOCTYPE html>', '</span>', '<!-- slot 3 -->', '</P>']);
  });

  it('leaves prose between angle brackets alone', () => {
    for (const text of [
      'If x <b then the loop ends, and y > 3 holds.',
      'I <3 this city, she wrote.',
      'Press <Enter> to continue.',
      'For all n < m and m > k the bound holds.',
      'The <b and c> notation, and <a href> without a value, are explained later.',
      'The <foo bar="1"> element is not HTML.',
    ])
      expect(clean(text).removed).toEqual([]);
  });

  it('removes only the start tag of a script that never closes', () => {
    const input = 'Text <script src="a.js"> and more text.';
    expect(clean(input).removed.map((x) => x.text)).toEqual(['<script src="a.js">']);
  });

  it('never throws and keeps the contract on arbitrary text with markup characters', () => {
    const piece = fc.constantFrom('<', '>', '</', '<!--', '-->', '"', "'", '=', ' ', '\n', 'div', 'script', 'b', 'x', 'class', '<p>', '</script>', 'é', '😀');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 60 }).map((a) => a.join('')),
        (input) => {
          expect(contractViolation(input, clean(input))).toBeNull();
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('markup kind, end tags', () => {
  it('ignores "</b" followed by prose, even with a ">" further on', () => {
    const input = 'Use </b then a space.\nLater we write x > y.';
    expect(clean(input).removed).toEqual([]);
  });
});
