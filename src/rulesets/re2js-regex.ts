/**
 * RE2's linear-time matching without native code: re2js (a pure JavaScript port of RE2) behind the
 * part of RegExp the pattern kind uses — `test`, `exec` and `lastIndex` under the g and y flags —
 * so that a default install needs no C++ compiler and the engine cannot tell it from the native
 * `re2` addon.
 */
import { RE2JS } from 're2js';

/** Long Unicode property names JavaScript accepts and RE2 spells short (the native addon maps them too). */
const PROPERTY_ALIASES: Record<string, string> = {
  Letter: 'L',
  Uppercase_Letter: 'Lu',
  Lowercase_Letter: 'Ll',
  Titlecase_Letter: 'Lt',
  Modifier_Letter: 'Lm',
  Other_Letter: 'Lo',
  Mark: 'M',
  Nonspacing_Mark: 'Mn',
  Spacing_Mark: 'Mc',
  Enclosing_Mark: 'Me',
  Number: 'N',
  Decimal_Number: 'Nd',
  Letter_Number: 'Nl',
  Other_Number: 'No',
  Punctuation: 'P',
  Connector_Punctuation: 'Pc',
  Dash_Punctuation: 'Pd',
  Open_Punctuation: 'Ps',
  Close_Punctuation: 'Pe',
  Initial_Punctuation: 'Pi',
  Final_Punctuation: 'Pf',
  Other_Punctuation: 'Po',
  Symbol: 'S',
  Math_Symbol: 'Sm',
  Currency_Symbol: 'Sc',
  Modifier_Symbol: 'Sk',
  Other_Symbol: 'So',
  Separator: 'Z',
  Space_Separator: 'Zs',
  Line_Separator: 'Zl',
  Paragraph_Separator: 'Zp',
  Other: 'C',
  Control: 'Cc',
  Format: 'Cf',
  Surrogate: 'Cs',
  Private_Use: 'Co',
};

/**
 * Escapes RE2 knows (after \u and \c are translated). re2js's translation reads any other letter
 * escape as the bare letter, as JavaScript without the u flag does: `\k<name>` (a backreference)
 * would silently become the text "k<name>". The native addon refuses them; so does this.
 */
const KNOWN_ESCAPE = /^(?:[afntrvdDsSwWbBAzCQEpP0-7]|c[A-Za-z]|x(?:[0-9A-Fa-f]{2}|\{[0-9A-Fa-f]+\})|u(?:[0-9A-Fa-f]{4}|\{[0-9A-Fa-f]+\}))/;

/** JavaScript syntax as RE2 reads it: re2js's own translation (\u, named groups, \c) plus property names. */
export function toRE2Syntax(source: string): string {
  for (let i = source.indexOf('\\'); i >= 0; i = source.indexOf('\\', i + 2)) {
    const rest = source.slice(i + 1, i + 12);
    if (/^[A-Za-z0-9]/.test(rest) && !KNOWN_ESCAPE.test(rest)) throw new SyntaxError(`Invalid escape \\${rest[0]} for RE2`);
  }
  const translated = RE2JS.translateRegExp(source);
  return translated.replace(/(\\+)([pP])\{(?:Script=|sc=)?([A-Za-z_]+)\}/g, (all, slashes: string, p: string, name: string) =>
    slashes.length % 2 === 1 ? `${slashes}${p}{${PROPERTY_ALIASES[name] ?? name}}` : all,
  );
}

export class LinearRegExp {
  readonly source: string;
  readonly flags: string;
  readonly global: boolean;
  readonly sticky: boolean;
  lastIndex = 0;
  private readonly re: RE2JS;

  constructor(source: string, flags = '') {
    if (/[^dgimsuy]/.test(flags) || new Set(flags).size !== flags.length) throw new SyntaxError(`Invalid flags: ${flags}`);
    this.source = source;
    this.flags = flags;
    this.global = flags.includes('g');
    this.sticky = flags.includes('y');
    const bits = (flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0) | (flags.includes('m') ? RE2JS.MULTILINE : 0) | (flags.includes('s') ? RE2JS.DOTALL : 0);
    this.re = RE2JS.compile(toRE2Syntax(source), bits);
  }

  test(input: string): boolean {
    // Without g or y the answer alone is wanted: re2js's DFA path, no capture bookkeeping.
    if (!this.global && !this.sticky) return this.re.test(String(input));
    return this.exec(input) !== null;
  }

  exec(input: string): RegExpExecArray | null {
    const text = String(input);
    const stateful = this.global || this.sticky;
    const start = stateful ? Math.max(0, Math.trunc(Number(this.lastIndex)) || 0) : 0;
    // Most texts hold no match: re2js's DFA says so several times faster than a capturing search.
    const m = start <= text.length && (start > 0 || this.re.test(text)) ? this.re.matcher(text) : undefined;
    // Sticky: the leftmost match from `start` begins at `start` whenever a match there exists.
    if (!m || !m.find(start) || (this.sticky && m.start() !== start)) {
      if (stateful) this.lastIndex = 0;
      return null;
    }
    const groups: (string | undefined)[] = [];
    for (let g = 0; g <= m.groupCount(); g++) groups.push(m.group(g) ?? undefined);
    const names = Object.keys(this.re.namedGroups());
    const result = Object.assign(groups, {
      index: m.start(),
      input: text,
      groups: names.length ? Object.fromEntries(names.map((n) => [n, m.group(n) ?? undefined])) : undefined,
    });
    if (stateful) this.lastIndex = m.end();
    return result as RegExpExecArray;
  }

  toString(): string {
    return `/${this.source}/${this.flags}`;
  }
}
