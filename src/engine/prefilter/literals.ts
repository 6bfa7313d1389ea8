/**
 * Required literals of a regular expression: a list of strings such that every text the pattern
 * matches in contains one of them. A block containing none of them cannot match, so the pattern
 * need not run on it (the idea of RE2's and codesearch's prefilters).
 *
 * The answer must never be wrong in that direction, so the reading is conservative: whatever this
 * parser does not understand counts as "any text", which requires nothing. Literals are lower-case
 * printable ASCII plus caseless symbols and punctuation (© » …): a text is compared folded the way
 * every engine's case-insensitive mode folds onto those (see automaton.ts); letters beyond ASCII,
 * whose folding differs between engines and modes, are never required.
 */

/**
 * What a part of the pattern is known to match: `exact`, every string it can match (lower case),
 * when that list is short; otherwise `req`, strings one of which every match contains, or null
 * when a match may contain anything.
 */
interface Info {
  exact: string[] | null;
  req: string[] | null;
  /** Sources of atoms (as the pattern writes them) covering every character a match can consume; null or absent: any. */
  all?: string[] | null;
  /**
   * With `req`: sources of atoms covering every character a match can consume before the start
   * of its required literal (empty when the literal starts the match); null when unknown.
   */
  pre?: string[] | null;
}

/** Longer exact lists are turned into requirements: a cross product grows fast. */
const MAX_EXACT = 64;
/** More alternatives than this in one requirement are not worth a prefilter's memory. */
const MAX_REQUIRED = 256;

const ANYTHING: Info = { exact: null, req: null };
const EMPTY: Info = { exact: [''], req: null, all: [] };
/** A back reference matches what its group did: any characters, as far as this reader knows. */
const BACK_REFERENCE: Info = { exact: null, req: null, all: null };

/** Atoms covering the characters of both (null: any character). */
function union(a: string[] | null | undefined, b: string[] | null | undefined): string[] | null {
  return a && b ? (b.length === 0 ? a : a.length === 0 ? b : [...a, ...b]) : null;
}

/** The info with `all` set: a part that may match any text, but only of these characters. */
function consuming(info: Info, all: string[] | null | undefined): Info {
  return all ? { ...info, all } : info;
}

class Unsupported extends Error {}

function reqOf(info: Info): string[] | null {
  if (info.exact) return info.exact.includes('') ? null : info.exact;
  return info.req;
}

/** The more selective requirement: longer shortest literal, then fewer literals. */
function better(a: string[] | null, b: string[] | null): string[] | null {
  if (!a) return b;
  if (!b) return a;
  const minA = Math.min(...a.map((s) => s.length));
  const minB = Math.min(...b.map((s) => s.length));
  if (minA !== minB) return minA > minB ? a : b;
  return a.length <= b.length ? a : b;
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

function concat(parts: Info[]): Info {
  let best: string[] | null = null;
  let run: string[] | null = [''];
  let broken = false;
  // What the parts so far consume, what those before the run consume, and the chosen
  // requirement's `pre`: the characters before its literal.
  let before: string[] | null = [];
  let runPre: string[] | null = [];
  let bestPre: string[] | null = null;
  const pick = (candidate: string[] | null, pre: string[] | null) => {
    const chosen = better(best, candidate);
    if (chosen !== best) {
      best = chosen;
      bestPre = pre;
    }
  };
  for (const p of parts) {
    if (p.exact && run && run.length * p.exact.length <= MAX_EXACT) {
      const next: string[] = [];
      for (const a of run) for (const b of p.exact) next.push(a + b);
      run = dedupe(next);
      before = union(before, p.all);
      continue;
    }
    broken = true;
    if (run) pick(reqOf({ exact: run, req: null }), runPre);
    if (p.exact) {
      run = p.exact;
      runPre = before;
    } else {
      pick(p.req, union(before, p.pre));
      run = [''];
      runPre = union(before, p.all);
    }
    before = union(before, p.all);
  }
  if (!broken) return consuming({ exact: run, req: null }, before);
  pick(reqOf({ exact: run, req: null }), runPre);
  return consuming({ exact: null, req: best, pre: bestPre }, before);
}

function alternation(branches: Info[]): Info {
  if (branches.length === 1) return branches[0];
  let consumed: string[] | null = [];
  for (const b of branches) consumed = union(consumed, b.all);
  if (branches.every((b) => b.exact)) {
    const all = dedupe(branches.flatMap((b) => b.exact!));
    if (all.length <= MAX_EXACT) return consuming({ exact: all, req: null }, consumed);
  }
  const req: string[] = [];
  let pre: string[] | null = [];
  for (const b of branches) {
    const r = reqOf(b);
    if (!r) return consuming(ANYTHING, consumed);
    req.push(...r);
    pre = b.exact ? pre : union(pre, b.pre);
  }
  const list = dedupe(req);
  return consuming(list.length > MAX_REQUIRED ? ANYTHING : { exact: null, req: list, pre }, consumed);
}

function repeat(child: Info, min: number, max: number): Info {
  if (min === 1 && max === 1) return child;
  if (min === 0) return consuming(max === 1 && child.exact ? { exact: dedupe([...child.exact, '']), req: null } : ANYTHING, child.all);
  // The first repetition holds the literal where the child does.
  return consuming({ exact: null, req: reqOf(child), pre: child.exact ? [] : (child.pre ?? null) }, child.all);
}

const isPrintableAscii = (c: number) => c >= 0x20 && c < 0x7f;
const lowerAscii = (ch: string) => ch.toLowerCase();
const NOT_CASELESS = /[\p{L}\p{M}\p{N}\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Z}]/u;

/**
 * Letters of scripts without case: Hebrew, Arabic, Devanagari, Thai, kana, CJK ideographs and
 * Hangul syllables. No case folding maps any character onto them or them onto another, so a
 * case-insensitive pattern matches them as themselves, as the automaton compares them; with them,
 * a rule whose alternatives in those scripts hold no ASCII word (the cookie notice's Thai and
 * Korean ones) still has required literals and skips the blocks that hold none.
 */
const CASELESS_LETTERS =
  /^[\u05d0-\u05ea\u0620-\u064a\u066e\u066f\u0671-\u06d3\u0904-\u0939\u0e01-\u0e30\u0e32\u0e33\u0e40-\u0e46\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff\uac00-\ud7a3]$/;

/**
 * A character a literal may hold: printable ASCII, a symbol or punctuation mark of the basic
 * plane that has no case (no case-insensitive mode maps anything else onto it), or a letter of a
 * script without case (CASELESS_LETTERS).
 */
export function isLiteralChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (ch.length !== 1) return false;
  if (c < 0x80) return isPrintableAscii(c);
  if (CASELESS_LETTERS.test(ch)) return true;
  return !NOT_CASELESS.test(ch) && ch.toLowerCase() === ch && ch.toUpperCase() === ch;
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
/** Classes with more members than this are any character: not worth a literal. */
const MAX_CLASS = 10;

/** Escapes that stand for one of many characters or for none (assertions, references). */
const CLASS_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S']);

class Parser {
  private at = 0;
  /** How a literal character is written down: lower-cased, or as it is when case matters. */
  private readonly fold: (ch: string) => string;
  constructor(
    private readonly src: string,
    caseSensitive: boolean,
  ) {
    this.fold = caseSensitive ? (ch) => ch : lowerAscii;
  }

  parse(): Info {
    const info = this.disjunction();
    if (this.at !== this.src.length) throw new Unsupported(`unexpected ")" at ${this.at}`);
    return info;
  }

  private disjunction(): Info {
    const branches = [this.sequence()];
    while (this.src[this.at] === '|') {
      this.at++;
      branches.push(this.sequence());
    }
    return alternation(branches);
  }

  private sequence(): Info {
    const parts: Info[] = [];
    while (this.at < this.src.length && this.src[this.at] !== '|' && this.src[this.at] !== ')') {
      const atom = this.atom();
      parts.push(this.quantified(atom));
    }
    return concat(parts);
  }

  /** A quantifier after the atom, if any. */
  private quantified(atom: Info): Info {
    const bounds = this.quantifier();
    if (!bounds) return atom;
    if (this.src[this.at] === '?') this.at++; // lazy: the same strings
    return this.quantified(repeat(atom, bounds[0], bounds[1]));
  }

  /** Reads a quantifier's bounds, or null (and reads nothing) when none follows. */
  private quantifier(): [number, number] | null {
    const c = this.src[this.at];
    if (c === '*' || c === '+' || c === '?') {
      this.at++;
      return c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
    }
    if (c !== '{') return null;
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.at));
    if (!m) return null; // a literal "{" outside unicode mode: read as its own atom next time
    this.at += m[0].length;
    const min = Number(m[1]);
    return [min, m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3])];
  }

  private atom(): Info {
    const c = this.src[this.at];
    if (c === '(') return this.group();
    const start = this.at;
    // What the atom consumes is the atom itself, as the pattern writes it (a back reference: anything).
    const slice = (info: Info) => (info === EMPTY || info.all === null ? info : consuming(info, [this.src.slice(start, this.at)]));
    if (c === '[') return slice(this.charClass());
    if (c === '\\') return slice(this.escape());
    this.at++;
    if (c === '^' || c === '$') return EMPTY;
    if (c === '.') return slice(ANYTHING);
    if (c === '*' || c === '+' || c === '?') throw new Unsupported(`quantifier without an atom at ${this.at - 1}`);
    if (c === '{' || c === '}' || c === ']') return slice(ANYTHING); // literal outside unicode mode; nothing to gain
    return slice(this.char(c));
  }

  private char(c: string): Info {
    return isLiteralChar(c) ? { exact: [this.fold(c)], req: null } : ANYTHING;
  }

  private group(): Info {
    const rest = this.src.slice(this.at, this.at + 4);
    let lookaround = false;
    if (rest.startsWith('(?:')) this.at += 3;
    else if (rest.startsWith('(?=') || rest.startsWith('(?!')) {
      this.at += 3;
      lookaround = true;
    } else if (rest.startsWith('(?<=') || rest.startsWith('(?<!')) {
      this.at += 4;
      lookaround = true;
    } else if (rest.startsWith('(?<')) {
      const close = this.src.indexOf('>', this.at);
      if (close < 0) throw new Unsupported('unterminated group name');
      this.at = close + 1;
    } else if (rest.startsWith('(?')) throw new Unsupported(`group modifier at ${this.at}`);
    else this.at++;
    const inner = this.disjunction();
    if (this.src[this.at] !== ')') throw new Unsupported('unterminated group');
    this.at++;
    // A lookaround consumes nothing: the text it looks at is not part of the match.
    return lookaround ? EMPTY : inner;
  }

  /** [...]: a few literal characters ("[Bb]", "[0-9]", "[>»›]") are exact; anything else is any character. */
  private charClass(): Info {
    this.at++;
    const negated = this.src[this.at] === '^';
    if (negated) this.at++;
    const members: string[] = [];
    let simple = !negated;
    for (;;) {
      if (this.at >= this.src.length) throw new Unsupported('unterminated class');
      let c = this.src[this.at];
      // JavaScript has no literal "]" first in a class: "[]" matches nothing, "[^]" anything.
      if (c === ']') break;
      if (c === '\\') {
        const e = this.src[this.at + 1];
        this.at += 2;
        if (e === 'd') {
          members.push(...DIGITS);
          continue;
        }
        // An escaped punctuation character is itself; everything else (\w, \p{…}, \u…) is many.
        if (e === undefined || /[\p{L}\p{N}]/u.test(e) || !isLiteralChar(e)) {
          simple = false;
          if (e === 'p' || e === 'P' || e === 'u' || e === 'x') this.skipEscapeBody(e);
          continue;
        }
        c = e;
      } else this.at++;
      if (this.src[this.at] === '-' && this.src[this.at + 1] !== ']' && this.src[this.at + 1] !== undefined) {
        // A range: spelled out when short and made of literal characters ("0-9", "a-f").
        let to = this.src[this.at + 1];
        this.at += 2;
        if (to === '\\') {
          to = this.src[this.at];
          this.at++;
          if (/[\p{L}\p{N}]/u.test(to ?? 'x') || !isLiteralChar(to)) {
            simple = false;
            continue;
          }
        }
        const from = c.charCodeAt(0);
        const end = to.charCodeAt(0);
        if (end < from || end - from >= MAX_CLASS) simple = false;
        else
          for (let k = from; k <= end; k++) {
            const ch = String.fromCharCode(k);
            if (!isLiteralChar(ch)) simple = false;
            members.push(ch);
          }
        continue;
      }
      if (!isLiteralChar(c)) simple = false;
      members.push(c);
    }
    this.at++; // the closing ]
    const distinct = dedupe(members.map(this.fold));
    if (!simple || distinct.length === 0 || distinct.length > MAX_CLASS) return ANYTHING;
    return { exact: distinct, req: null };
  }

  /** Skips \p{…}, \u{…}, \uXXXX or \xHH after its letter. */
  private skipEscapeBody(letter: string): void {
    if (this.src[this.at] === '{') {
      const close = this.src.indexOf('}', this.at);
      if (close < 0) throw new Unsupported('unterminated escape');
      this.at = close + 1;
    } else if (letter === 'u') this.at += 4;
    else if (letter === 'x') this.at += 2;
  }

  private escape(): Info {
    const e = this.src[this.at + 1];
    if (e === undefined) throw new Unsupported('trailing backslash');
    this.at += 2;
    if (e === 'b' || e === 'B') return EMPTY;
    if (e === 'd') return { exact: DIGITS, req: null };
    if (CLASS_ESCAPES.has(e)) return ANYTHING;
    if (e === 'p' || e === 'P' || e === 'u' || e === 'x') {
      this.skipEscapeBody(e);
      return ANYTHING;
    }
    if (e === 'k') {
      const close = this.src.indexOf('>', this.at);
      if (close < 0) throw new Unsupported('unterminated reference');
      this.at = close + 1;
      return BACK_REFERENCE;
    }
    if (e === 'c') {
      this.at++;
      return ANYTHING;
    }
    if (/[0-9]/.test(e)) {
      while (/[0-9]/.test(this.src[this.at] ?? '')) this.at++;
      return BACK_REFERENCE; // a back reference, or an octal escape outside unicode mode
    }
    // \n, \t and other letters: a control character or something this reader does not know.
    if (/[\p{L}\p{N}]/u.test(e)) return ANYTHING;
    return this.char(e); // \. \/ \( …: the character itself
  }
}

/**
 * Lower-case ASCII strings one of which every match of `source` contains, or null when the
 * pattern may match without any (or this reader cannot tell). With `caseSensitive`, for a pattern
 * compiled without the i flag, the strings keep their case: every match contains one of them as
 * it is written, which `text.includes` can check exactly.
 */
export function requiredLiterals(source: string, caseSensitive = false): string[] | null {
  return readRequired(source, caseSensitive)?.literals ?? null;
}

/** The pattern read, with its required literals (null: none, or this reader cannot tell). */
function readRequired(source: string, caseSensitive: boolean): { info: Info; literals: string[] } | null {
  let info: Info;
  try {
    info = new Parser(source, caseSensitive).parse();
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
  const literals = reqOf(info);
  if (!literals || literals.length === 0 || literals.some((s) => s.length === 0)) return null;
  return { info, literals };
}

/**
 * The required literals of a pattern (`requiredLiterals(source, caseSensitive)`), with what a
 * match can hold before its literal: `lead` lists atoms of the pattern, as it
 * writes them, such that in every match the characters before the start of a required literal's
 * occurrence are each matched by one of them (empty when the literal starts every match). Null
 * when the pattern has no such literals or this reader cannot bound what comes before them.
 */
export function requiredLiteralLead(source: string, caseSensitive = true): { literals: string[]; lead: string[] } | null {
  return leadOf(requiredRead(source, caseSensitive));
}

/**
 * A pattern's reading as data (the build keeps it for the packaged sets: rulesets/prechecked.ts):
 * its required literals (requiredLiterals' answer) and the lead requiredLiteralLead gives with
 * them, null when it cannot bound one; null for no literals.
 */
export interface RequiredRead {
  literals: string[];
  lead: string[] | null;
}

export function requiredRead(source: string, caseSensitive: boolean): RequiredRead | null {
  const read = readRequired(source, caseSensitive);
  return read && { literals: read.literals, lead: read.info.exact ? [] : (read.info.pre ?? null) };
}

/** requiredLiteralLead's answer from a reading. */
export function leadOf(read: RequiredRead | null): { literals: string[]; lead: string[] } | null {
  return read?.lead ? { literals: read.literals, lead: read.lead } : null;
}
