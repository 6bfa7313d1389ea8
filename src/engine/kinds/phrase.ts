/**
 * kind: phrase. The whole block (what is left of it after inline removals) consists of one or
 * more of the listed phrases, ignoring case, spacing and punctuation: "Leave a Reply",
 * "Disclaimer & comment rulesCommenting for this story is now closed." (two phrases glued).
 */
import { Type } from '../typebox';
import type { CompiledRule, PhraseIndex, RuleDefBase, RuleKind } from '../rule';
import { isLetterOrDigitUnit } from '../unicode-classes';

interface PhraseDef extends RuleDefBase {
  phrases: string[];
}

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

/**
 * Letters and digits only, lower case: the form both phrases and blocks are compared in.
 * A loop rather than one Unicode regex replace: ASCII, most of every page, costs no regex at all.
 */
export function squash(s: string): string {
  let out = '';
  let runStart = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let keep: boolean;
    let width = 1;
    if (c < 0x80) keep = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a);
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      width = 2;
      keep = LETTER_OR_DIGIT.test(s.slice(i, i + 2));
    } else keep = isLetterOrDigitUnit(c);
    if (keep) {
      if (runStart < 0) runStart = i;
    } else if (runStart >= 0) {
      out += s.slice(runStart, i);
      runStart = -1;
    }
    i += width - 1;
  }
  if (runStart >= 0) out += runStart === 0 ? s : s.slice(runStart);
  return out.toLowerCase();
}

/** A block made of phrases is short; this many phrases glued is the most we look for. */
const MAX_PHRASES_PER_BLOCK = 6;

export const phraseKind: RuleKind = {
  kind: 'phrase',
  summary: 'The whole block equals one of the phrases, or several of them glued (case, spacing and punctuation ignored).',
  get properties() {
    return {
      phrases: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'The phrases, in any of the languages the set covers.' }),
    };
  },
  required: ['phrases'],
  check(def) {
    const bad = (def as PhraseDef).phrases.findIndex((p) => squash(p) === '');
    return bad >= 0 ? { field: `phrases/${bad}`, message: 'must contain a letter or a digit' } : null;
  },
  compile(raw): CompiledRule {
    const def = raw as PhraseDef;
    const whole = new Map<string, string>(); // squashed → the phrase as written, for the reason
    const byPrefix = new Map<string, string[]>();
    // One-character phrases cannot be found by a two-character prefix: they are looked up alone.
    const single = new Set<string>();
    let longest = 0;
    for (const p of def.phrases) {
      const k = squash(p);
      whole.set(k, p);
      longest = Math.max(longest, k.length);
      if (k.length === 1) {
        single.add(k);
        continue;
      }
      const prefix = k.slice(0, 2);
      const list = byPrefix.get(prefix);
      if (list) list.push(k);
      else byPrefix.set(prefix, [k]);
    }
    const maxLen = longest * MAX_PHRASES_PER_BLOCK;
    const reasonFor = (found: string[]) => `${def.description} Matched ${found.map((k) => `"${whole.get(k)}"`).join(' + ')}.`;

    const bySuffix = new Map<string, string[]>();
    for (const k of whole.keys()) {
      if (k.length < 2) continue;
      const list = bySuffix.get(k.slice(-2));
      if (list) list.push(k);
      else bySuffix.set(k.slice(-2), [k]);
    }
    const endings = new Set(bySuffix.keys());

    /** Splits `s` into listed phrases, or null. Breadth-first over positions: no backtracking blow-up. */
    function split(s: string): string[] | null {
      // Most blocks neither start nor end like a phrase: reject them before allocating anything.
      if (!(byPrefix.has(s.slice(0, 2)) || single.has(s[0])) || !(endings.has(s.slice(-2)) || single.has(s[s.length - 1]))) return null;
      // The first phrase must start the block and the last one end it.
      if (!single.has(s[0]) && !byPrefix.get(s.slice(0, 2))?.some((k) => s.startsWith(k))) return null;
      if (!single.has(s[s.length - 1]) && !bySuffix.get(s.slice(-2))?.some((k) => s.endsWith(k))) return null;
      const from = new Array<string | undefined>(s.length + 1);
      const reached = new Uint8Array(s.length + 1);
      reached[0] = 1;
      // The furthest position a phrase reached: past it, nothing can be reached any more.
      let furthest = 0;
      for (let i = 0; i < s.length && i <= furthest; i++) {
        if (!reached[i]) continue;
        if (single.has(s[i]) && !reached[i + 1]) {
          reached[i + 1] = 1;
          from[i + 1] = s[i];
          if (i + 1 > furthest) furthest = i + 1;
        }
        const list = byPrefix.get(s.slice(i, i + 2));
        if (!list) continue;
        for (const k of list) {
          const j = i + k.length;
          if (!reached[j] && s.startsWith(k, i)) {
            reached[j] = 1;
            from[j] = k;
            if (j > furthest) furthest = j;
          }
        }
      }
      if (!reached[s.length]) return null;
      const found: string[] = [];
      for (let j = s.length; j > 0; j -= found[found.length - 1].length) found.push(from[j]!);
      return found.reverse();
    }

    const index: PhraseIndex = { starts: [...byPrefix.keys()], endings: [...endings], single: [...single], phrases: [...whole.keys()], maxLen };
    return {
      def,
      id: def.id,
      category: def.category,
      stage: 'block',
      prefilter: { phrases: index },
      block(block) {
        if (block.rest.length > maxLen * 2) return null; // cheap reject before squashing
        const s = (block.squashed ??= squash(block.rest));
        if (s.length === 0 || s.length > maxLen) return null;
        if (whole.has(s)) return reasonFor([s]);
        const found = split(s);
        return found ? reasonFor(found) : null;
      },
    };
  },
};
