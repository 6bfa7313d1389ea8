/**
 * kind: pattern. A regular expression. With `scope: inline` only the match goes (markup residue,
 * a photo credit at the end of a caption); with `scope: block` the whole block goes when the
 * pattern matches anywhere in it (anchor it with ^ and $ to demand the whole block).
 */
import { Type } from '../typebox';
import type { KindOptions, RegexEngine } from '../regex';
import type { CompiledRule, InlinePush, RuleDefBase, RuleKind } from '../rule';
import type { DocRequirement, LiteralSites } from '../prefilter/requirements';
import type { Block } from '../segment';
import { leadOf, requiredRead, type RequiredRead } from '../prefilter/literals';

interface PatternDef extends RuleDefBase {
  pattern: string | string[];
  scope: 'inline' | 'block';
  flags?: string;
  maxChars?: number;
  requires?: string[];
}

/** Rules are written for humans: case-insensitive and Unicode-aware unless the rule says otherwise. */
const DEFAULT_FLAGS = 'iu';

/**
 * The regex source of a rule: a pattern written as a list is its items as top-level alternatives
 * (`a|b|c`), so a long pattern reads one alternative a line and compiles to the same regex.
 */
export function patternSource(pattern: string | readonly string[]): string {
  return typeof pattern === 'string' ? pattern : pattern.join('|');
}

/** The rule's pattern on the engine the set is compiled with (../regex.ts). */
function compileRegex(def: PatternDef, extra: string, regex: RegexEngine): RegExp {
  const flags = new Set((def.flags ?? DEFAULT_FLAGS) + extra);
  return regex.compile(patternSource(def.pattern), [...flags].join(''));
}

export const patternKind: RuleKind = {
  kind: 'pattern',
  summary: 'A regular expression; scope inline removes the match, scope block removes the whole block.',
  get properties() {
    return {
      pattern: Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })], {
        description: 'JavaScript regular expression source; or a list of sources, which are joined as top-level alternatives (a|b|c).',
      }),
      scope: Type.Union([Type.Literal('inline'), Type.Literal('block')]),
      flags: Type.Optional(Type.String({ pattern: '^[imsu]*$', description: `Regular expression flags; default "${DEFAULT_FLAGS}".` })),
      maxChars: Type.Optional(Type.Integer({ minimum: 1, description: 'Block scope: longer blocks are never removed by this rule.' })),
      requires: Type.Optional(
        Type.Array(Type.String({ minLength: 1 }), {
          minItems: 1,
          description:
            'A prefilter: the rule only runs on documents containing one of these strings (case ignored). Every text the pattern can match must contain one; the rule tester checks the examples.',
        }),
      ),
    };
  },
  required: ['pattern', 'scope'],
  check(def, { regex }: KindOptions) {
    try {
      compileRegex(def as PatternDef, '', regex);
      return null;
    } catch (e) {
      return { field: 'pattern', message: (e as Error).message };
    }
  },
  compile(raw, { regex, knownLiterals, prefilter }: KindOptions): CompiledRule {
    const def = raw as PatternDef;
    const reason = def.description;
    // One scan of the page for all needles: an alternation of literals, not a scan per needle.
    const needles = def.requires && new RegExp(def.requires.map((r) => escapeLiteral(r.toLowerCase())).join('|'));
    // The rule's slot in the document's memo and in the set's scan of all requirements.
    const required: DocRequirement | undefined = def.requires && { key: {}, needles: def.requires.map((r) => r.toLowerCase()) };
    if (def.scope === 'block') {
      const re = compileRegex(def, '', regex);
      const maxChars = def.maxChars ?? Infinity;
      const source = patternSource(def.pattern);
      const literals = readOf(source, false, knownLiterals)?.literals ?? null;
      return {
        def,
        id: def.id,
        category: def.category,
        stage: 'block',
        ...(literals ? { prefilter: { literals, maxChars } } : {}),
        ...(required ? { requires: required } : {}),
        block(block: Block, doc) {
          if (block.rest.length > maxChars) return null;
          // Most pages never mention what most rules look for: one substring check per page spares a regex per block.
          if (required && !doc.mentionsRequired(required, needles!)) return null;
          return re.test(block.rest) ? reason : null;
        },
      };
    }
    const global = compileRegex(def, 'gm', regex);
    // A pattern that minds case (no i flag) names, as they are written, strings one of which every
    // match holds: a document holding none of them need not be scanned. `requires` cannot say as
    // much, since it ignores case: a photo credit's "EPA" and "PAP" are in "separate" and "paper".
    const present = def.flags?.includes('i') === false ? shortest(readOf(patternSource(def.pattern), true, knownLiterals)?.literals ?? null) : null;
    const scan = (text: string, offset: number, push: InlinePush) => {
      global.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = global.exec(text)) !== null) {
        const len = m[0].length;
        if (len === 0) {
          // An empty match removes nothing; step past it (a whole code point under the u flag).
          const c = text.charCodeAt(m.index);
          global.lastIndex = m.index + (c >= 0xd800 && c <= 0xdbff ? 2 : 1);
          continue;
        }
        push(offset + m.index, offset + m.index + len, reason);
      }
    };
    const around = prefilter ? literalScan(def, global, reason, knownLiterals) : null;
    // The set's scan of the document for all requirements also records where these literals are.
    const sites: LiteralSites | undefined = around ? { key: {}, literals: around.literals, exact: !global.ignoreCase } : undefined;
    return {
      def,
      id: def.id,
      category: def.category,
      stage: 'inline',
      ...(required ? { requires: required } : {}),
      ...(sites ? { literalSites: sites } : {}),
      inline(input, push, doc) {
        if (required && !doc.mentionsRequired(required, needles!)) return;
        if (around) return around.scan(input, push, input === doc.input ? doc.literalSites(sites!) : null);
        if (present && !includesAny(input, present)) return;
        scan(input, 0, push);
      },
      inlineBlock(block, push) {
        scan(block.text, block.start, push);
      },
    };
  },
};

/**
 * More candidate starts than this before a literal, and the pattern scans on from the first of
 * them by itself: so the scan never costs much more than the global scan over the whole text.
 */
const MAX_ANCHORED_TRIES = 256;
/** Code units below this are looked up in a lead's table; the others may always lead (conservative). */
const LEAD_TABLE = 0x2100;

/**
 * The matches of a case-sensitive inline pattern found by trying it only next to its required
 * literals (literals.ts requiredLiteralLead): every match holds a literal, and only characters of
 * the pattern's lead come before it. So from where the scan stands, a match can start only from
 * the first literal's occurrence back over the lead characters right before it; the pattern is
 * tried there, anchored (sticky), at each position in turn, and when none matches, the scan moves
 * past that occurrence. The same matches, in the same order, as the global scan over the whole
 * text (which tries every position), since it tries every position where one can start, in order,
 * on the same text (lookbehinds, ^ and $ see what they saw). Null when the pattern has no lead.
 * The occurrences come from the finder, one alternation of the literals, or, when the set's scan
 * of the document recorded them (`sites`: prefilter/requirements.ts), from that list: one pass
 * over the document for every rule instead of a finder's pass per rule (a tenth of the inline
 * stage's time went into the finders on the dev texts).
 */
function literalScan(
  def: PatternDef,
  global: RegExp,
  reason: string,
  knownLiterals: KindOptions['knownLiterals'],
): { literals: string[]; scan: (text: string, push: InlinePush, sites: readonly number[] | null) => void } | null {
  // JavaScript's own engine only (a set compiled on RE2 runs its patterns as they are): the sticky
  // copy below is the same pattern with the same flags, anchored.
  if (Object.getPrototypeOf(global) !== RegExp.prototype) return null;
  // Under the i flag the literals are lower case, and the finder folds case as the pattern does.
  const found = leadOf(readOf(patternSource(def.pattern), !global.ignoreCase, knownLiterals));
  if (!found) return null;
  const { literals } = found;
  const unicode = global.unicode;
  let re: RegExp;
  let member: RegExp;
  let finder: RegExp;
  try {
    // The literals in one alternation: its first match from a position is the literals' first occurrence.
    finder = new RegExp(literals.map(escapeLiteral).join('|'), 'g' + (global.ignoreCase ? 'i' : '') + (unicode ? 'u' : ''));
    re = new RegExp(global.source, global.flags.replace('g', '') + 'y');
    member = new RegExp(`^(?:${found.lead.join('|') || '[]'})$`, global.flags.replace(/[gmy]/g, ''));
  } catch {
    return null;
  }
  // Which characters may come before a literal: a table built on the first scan.
  let table: Uint8Array | null = null;
  const build = () => {
    const t = new Uint8Array(LEAD_TABLE);
    for (let c = 0; c < LEAD_TABLE; c++) t[c] = member.test(String.fromCharCode(c)) ? 1 : 0;
    return t;
  };
  const scan = (text: string, push: InlinePush, sites: readonly number[] | null) => {
    const lead = (table ??= build());
    let at = 0;
    let next = 0;
    for (;;) {
      let q: number;
      if (sites) {
        // The literals' occurrences the document's scan recorded: the first from `at` on is where the finder would stop.
        while (next < sites.length && sites[next] < at) next++;
        if (next === sites.length) return;
        q = sites[next];
      } else {
        finder.lastIndex = at;
        const hit = finder.exec(text);
        if (hit === null) return;
        q = hit.index;
      }
      let p = q;
      while (p > at) {
        const c = text.charCodeAt(p - 1);
        if (c < LEAD_TABLE && lead[c] === 0) break;
        p--;
      }
      let moved = false;
      if (q - p > MAX_ANCHORED_TRIES) {
        // A long lead (a paragraph of words before a name): the pattern's own scan from there
        // finds the next match wherever it is, or says there is none left.
        global.lastIndex = p;
        const m = global.exec(text);
        if (m === null) return;
        p = m.index;
        if (m[0].length === 0) {
          at = p + (isLeadSurrogate(text.charCodeAt(p)) ? 2 : 1);
          continue;
        }
        push(p, p + m[0].length, reason);
        at = p + m[0].length;
        continue;
      }
      for (; p <= q; p++) {
        // Under the u flag the scan never starts inside a surrogate pair.
        if (unicode && p > 0 && isTrail(text.charCodeAt(p)) && isLeadSurrogate(text.charCodeAt(p - 1))) continue;
        re.lastIndex = p;
        const m = re.exec(text);
        if (m === null) continue;
        const len = m[0].length;
        if (len === 0) {
          // An empty match removes nothing; step past it as the global scan does.
          at = p + (isLeadSurrogate(text.charCodeAt(p)) ? 2 : 1);
        } else {
          push(p, p + len, reason);
          at = p + len;
        }
        moved = true;
        break;
      }
      if (!moved) at = q + 1;
    }
  };
  return { literals, scan };
}

const isLeadSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isTrail = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** A literal as a regular expression that matches it and nothing else. */
function escapeLiteral(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function includesAny(text: string, needles: readonly string[]): boolean {
  for (const n of needles) if (text.includes(n)) return true;
  return false;
}

/** The needles without those holding another ("Getty Images" holds "Getty"): the same answer, fewer searches. */
/** The pattern's reading (required literals and lead), as the build worked it out when it did. */
function readOf(source: string, caseSensitive: boolean, known: KindOptions['knownLiterals']): RequiredRead | null {
  const read = known?.(source, caseSensitive);
  return read !== undefined ? read : requiredRead(source, caseSensitive);
}

function shortest(needles: string[] | null): string[] | null {
  return needles && needles.filter((n) => !needles.some((m) => m !== n && n.includes(m)));
}
