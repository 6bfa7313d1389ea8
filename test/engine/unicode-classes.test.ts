/** The cached classes answer exactly as the regexes they stand for, for every code unit, asked in any order. */
import { isLetterOrDigitUnit, isLetterUnit, isWordUnit } from '../../src/engine/unicode-classes';

describe('unicode classes of one code unit', () => {
  test('agree with their regexes over the whole basic plane, surrogates included, asked twice', () => {
    const letterOrDigit = /^[\p{L}\p{N}]$/u;
    const letter = /^\p{L}$/u;
    const word = /^[\p{L}\p{M}\p{N}]$/u;
    const wrong: number[] = [];
    for (let pass = 0; pass < 2; pass++)
      for (let c = 0xffff; c >= 0; c--) {
        const ch = String.fromCharCode(c);
        if (isLetterOrDigitUnit(c) !== letterOrDigit.test(ch) || isLetterUnit(c) !== letter.test(ch) || isWordUnit(c) !== word.test(ch)) wrong.push(c);
      }
    expect(wrong).toEqual([]);
    expect([isLetterUnit(0x41), isLetterUnit(0x31), isLetterOrDigitUnit(0x31), isLetterUnit(0x2019), isLetterUnit(0xd800)]).toEqual([
      true,
      false,
      true,
      false,
      false,
    ]);
  });
});
