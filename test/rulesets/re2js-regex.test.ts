/** re2js behind RegExp's interface: what the pattern kind relies on, compared with RegExp itself. */
import { LinearRegExp, toRE2Syntax } from '../../src/rulesets/re2js-regex';

// No \r in the text: under m, RegExp's $ matches before \r and RE2's (native too) only before \n.
/** Every match of a g-flag regex as the pattern kind scans: [index, text, lastIndex after]. */
function scan(re: { exec(s: string): RegExpExecArray | null; lastIndex: number }, text: string): [number, string, number][] {
  const out: [number, string, number][] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    out.push([m.index, m[0], re.lastIndex]);
    if (m[0].length === 0) re.lastIndex = m.index + 1;
  }
  return out;
}

const TEXT = 'Photo: AP\nPhoto: Reuters\u00a0| credit 😀 Jane\nphoto: x\n\nThe end';

describe('LinearRegExp', () => {
  it.each([
    ['photo: \\w+', 'gimu'],
    ['^photo', 'gimu'],
    ['\\w+$', 'gmu'],
    ['😀|end', 'gu'],
    ['(?<who>\\w+)\\s*$', 'gimu'],
    ['\\b', 'gu'],
    ['\\p{Lu}\\p{Ll}+', 'gu'],
  ])('finds what RegExp finds, at the same UTF-16 offsets, with lastIndex after each: /%s/%s', (source, flags) => {
    expect(scan(new LinearRegExp(source, flags), TEXT)).toEqual(scan(new RegExp(source, flags), TEXT));
  });

  it('returns captures, unmatched groups as undefined, and named groups like exec', () => {
    const m = new LinearRegExp('(?<first>\\w+) (?:(\\w+) )?(?<last>\\w+)', '').exec('say John Doe')!;
    const js = /(?<first>\w+) (?:(\w+) )?(?<last>\w+)/.exec('say John Doe')!;
    expect([...m]).toEqual([...js]);
    expect([m.index, m.input, m.groups]).toEqual([js.index, js.input, { ...js.groups }]);
  });

  it('without g or y ignores lastIndex; with g starts there and resets it to 0 when nothing is found', () => {
    const plain = new LinearRegExp('a', '');
    plain.lastIndex = 5;
    expect([plain.test('a'), plain.exec('xa')?.index, plain.lastIndex]).toEqual([true, 1, 5]);
    const global = new LinearRegExp('a', 'g');
    expect([global.test('aa'), global.lastIndex, global.test('aa'), global.lastIndex, global.test('aa'), global.lastIndex]).toEqual([
      true,
      1,
      true,
      2,
      false,
      0,
    ]);
    global.lastIndex = 10;
    expect([global.exec('aa'), global.lastIndex]).toEqual([null, 0]);
  });

  it('with y matches only at lastIndex', () => {
    const sticky = new LinearRegExp('b', 'y');
    expect([sticky.test('ab'), sticky.lastIndex]).toEqual([false, 0]);
    sticky.lastIndex = 1;
    expect([sticky.test('ab'), sticky.lastIndex]).toEqual([true, 2]);
  });

  it('honours i, m and s as RegExp does', () => {
    expect(new LinearRegExp('^b$', 'im').test('a\nB')).toBe(true);
    expect(new LinearRegExp('^b$', 'i').test('a\nB')).toBe(false);
    expect(new LinearRegExp('a.b', 's').test('a\nb')).toBe(true);
  });

  it('refuses what RE2 cannot run instead of reading it as something else', () => {
    // re2js alone would read \k<name> as the text "k<name>": a backreference must go to the checker.
    expect(() => new LinearRegExp('(?<n>a)\\k<n>', 'u')).toThrow(SyntaxError);
    expect(() => new LinearRegExp('\\e', 'u')).toThrow(SyntaxError);
    expect(() => new LinearRegExp('(?<=a)b', 'u')).toThrow();
    expect(() => new LinearRegExp('a', 'gx')).toThrow(SyntaxError);
    expect(new LinearRegExp('\\\\k', 'u').test('\\k')).toBe(true); // an escaped backslash, then k
  });

  it("spells JavaScript's \\u, \\u{..} and long property names as RE2 does", () => {
    expect(toRE2Syntax('\\u00e9\\u{1F600}\\p{Letter}\\P{Script=Greek}')).toBe('\\x{00e9}\\x{1F600}\\p{L}\\P{Greek}');
    expect(new LinearRegExp('^\\p{Lowercase_Letter}+$', 'u').test('éa')).toBe(true);
  });

  it('answers a catastrophic pattern on a long input (linear time: no backtracking)', () => {
    expect(new LinearRegExp('^(a+)+$', 'u').test(`${'a'.repeat(40_000)}!`)).toBe(false);
  });
});
