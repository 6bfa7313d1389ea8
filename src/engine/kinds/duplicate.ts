/**
 * kind: duplicate. A block repeating an earlier block word for word (a headline shown twice, a
 * menu printed in the header and the footer, a caption repeated under a gallery) goes; the
 * first occurrence stays for the other rules to judge.
 */
import { Type } from '../typebox';
import { documentRule, type CompiledRule, type RuleDefBase, type RuleKind } from '../rule';
import { squash } from './phrase';
import { sparedBlock } from '../article-shape';
import { weightedLength } from '../words';

interface DuplicateDef extends RuleDefBase {
  minChars?: number;
  maxChars?: number;
}

/**
 * Short blocks ("Home", "Share") repeat legitimately in lists; only longer repeats are debris.
 * Lengths count a CJK character as three (words.ts weightedLength): by raw characters a Chinese
 * headline shown twice (12 characters, as many words as a 35-character English one) was too
 * short to be a repeat, and a Chinese paragraph of 150 characters, past any headline, still fell
 * under maxChars.
 */
const DEFAULT_MIN_CHARS = 20;

export const duplicateKind: RuleKind = {
  kind: 'duplicate',
  summary: 'A block that repeats an earlier block of the document (letters and digits compared).',
  get properties() {
    return {
      minChars: Type.Optional(Type.Integer({ minimum: 1, description: `Shorter blocks are never treated as repeats; default ${DEFAULT_MIN_CHARS}.` })),
      maxChars: Type.Optional(
        Type.Integer({
          minimum: 1,
          description:
            'Longer blocks are never treated as repeats: headlines, captions and menus are short, while an article may repeat a whole paragraph (a pull quote, a summary); default: no limit.',
        }),
      ),
    };
  },
  required: [],
  compile(raw): CompiledRule {
    const def = raw as DuplicateDef;
    const minChars = def.minChars ?? DEFAULT_MIN_CHARS;
    const maxChars = def.maxChars ?? Infinity;
    return documentRule(def, {
      document(doc, remove) {
        // Text that already reads as an article keeps its lines (engine/article-shape.ts).
        if (doc.articleShaped) return;
        const seen = new Map<string, number>();
        const wrapped = doc.wrappedProse;
        for (const b of doc.blocks) {
          // A weighted length is never below the raw one: the raw one rules out the long blocks cheaply.
          if (b.rest.length > maxChars) continue;
          const length = weightedLength(b.rest);
          if (length < minChars || length > maxChars) continue;
          // A line of wrapped prose is part of a sentence, not a headline or caption shown twice.
          if (wrapped[b.index]) continue;
          const key = (b.squashed ??= squash(b.rest));
          if (weightedLength(key) < minChars) continue;
          const first = seen.get(key);
          if (first === undefined) seen.set(key, b.index);
          // In an article's core only a line doubled in place (a title shown twice) goes: a line
          // that recurs further on ("Eat every 2–3 hours" in a meal plan) is the article's own.
          // (Sparing every repeat in the core: aeb-dev clean loss 0.83 -> 0.39%, cleaneval +0.001.)
          else if (b.removedBy < 0 && (first === b.index - 1 || !sparedBlock(doc, b.index))) remove(b.index, `${def.description} Repeats block ${first + 1}.`);
        }
      },
    });
  },
};
