/**
 * kind: phrase. The whole block (what is left of it after inline removals) consists of one or
 * more of the listed phrases, ignoring case, spacing and punctuation: "Leave a Reply",
 * "Disclaimer & comment rulesCommenting for this story is now closed." (two phrases glued).
 */
import { Type } from '@sinclair/typebox';
import type { CompiledRule, RuleDefBase, RuleKind } from '../rule';

interface PhraseDef extends RuleDefBase {
  phrases: string[];
}

/** Letters and digits only, lower case: the form both phrases and blocks are compared in. */
export function squash(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** A block made of phrases is short; this many phrases glued is the most we look for. */
const MAX_PHRASES_PER_BLOCK = 6;

export const phraseKind: RuleKind = {
  kind: 'phrase',
  summary: 'The whole block equals one of the phrases, or several of them glued (case, spacing and punctuation ignored).',
  properties: {
    phrases: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'The phrases, in any of the languages the set covers.' }),
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
    let longest = 0;
    for (const p of def.phrases) {
      const k = squash(p);
      whole.set(k, p);
      longest = Math.max(longest, k.length);
      const prefix = k.slice(0, 2);
      const list = byPrefix.get(prefix);
      if (list) list.push(k);
      else byPrefix.set(prefix, [k]);
    }
    const maxLen = longest * MAX_PHRASES_PER_BLOCK;
    const reasonFor = (found: string[]) =>
      `${def.description} Matched ${found.map((k) => `"${whole.get(k)}"`).join(' + ')}.`;

    /** Splits `s` into listed phrases, or null. Breadth-first over positions: no backtracking blow-up. */
    function split(s: string): string[] | null {
      const from = new Array<string | undefined>(s.length + 1);
      const reached = new Uint8Array(s.length + 1);
      reached[0] = 1;
      for (let i = 0; i < s.length; i++) {
        if (!reached[i]) continue;
        const list = byPrefix.get(s.slice(i, i + 2));
        if (!list) continue;
        for (const k of list) {
          const j = i + k.length;
          if (!reached[j] && s.startsWith(k, i)) {
            reached[j] = 1;
            from[j] = k;
          }
        }
      }
      if (!reached[s.length]) return null;
      const found: string[] = [];
      for (let j = s.length; j > 0; j -= found[found.length - 1].length) found.push(from[j]!);
      return found.reverse();
    }

    return {
      def,
      id: def.id,
      category: def.category,
      stage: 'block',
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
