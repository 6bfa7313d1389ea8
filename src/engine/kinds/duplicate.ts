/**
 * kind: duplicate. A block repeating an earlier block word for word (a headline shown twice, a
 * menu printed in the header and the footer, a caption repeated under a gallery) goes; the
 * first occurrence stays for the other rules to judge.
 */
import { Type } from '../typebox';
import { documentRule, type CompiledRule, type RuleDefBase, type RuleKind } from '../rule';
import { squash } from './phrase';
import type { Block } from '../segment';
import { sparedBlock } from '../article-shape';
import { weightedLength } from '../words';
import { foldHash, hashOf } from '../features/word-ids';

/**
 * The hash of the block's key (squash(rest): its letters and digits, lower case) when the block
 * is a candidate, its text and its key within the lengths; null when it is not. An ASCII line's
 * key is its ASCII letters and digits lower-cased, hashed as they are read; any other line is
 * squashed and its key hashed, so equal keys always hash alike.
 */
function candidateHash(b: Block, input: string, minChars: number, maxChars: number): number | null {
  // A line without inline removals is read from the input: reading its own text, a slice of the
  // input, costs an indirection a character.
  const s = b.inline === null ? input : b.rest;
  const from = b.inline === null ? b.start : 0;
  const to = from + b.rest.length;
  let h = 0;
  let keyLength = 0;
  for (let i = from; i < to; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0x80) return otherHash(b, minChars, maxChars);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    else if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39))) continue;
    h = foldHash(h, c);
    keyLength++;
  }
  // ASCII has no CJK: the weighted lengths are the raw ones.
  return b.rest.length < minChars || keyLength < minChars ? null : h;
}

function otherHash(b: Block, minChars: number, maxChars: number): number | null {
  const length = weightedLength(b.rest);
  if (length < minChars || length > maxChars) return null;
  const key = (b.squashed ??= squash(b.rest));
  return weightedLength(key) < minChars ? null : hashOf(key);
}

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
        const blocks = doc.blocks;
        const wrapped = doc.wrappedProse;
        // First the candidates and a hash of each one's key, read in one loop over an ASCII line
        // without building the key: only a line whose hash another candidate shares can repeat or
        // be repeated, and only those are squashed and compared. Most lines are unique, and
        // squashing every one took two thirds of this rule's time.
        const hashes = new Int32Array(blocks.length);
        const candidate = new Uint8Array(blocks.length);
        const counts = new Map<number, number>();
        for (const b of blocks) {
          // A weighted length is never below the raw one: the raw one rules out the long blocks cheaply.
          if (b.rest.length > maxChars) continue;
          // A line of wrapped prose is part of a sentence, not a headline or caption shown twice.
          if (wrapped[b.index]) continue;
          const h = candidateHash(b, doc.input, minChars, maxChars);
          if (h === null) continue;
          candidate[b.index] = 1;
          hashes[b.index] = h;
          counts.set(h, (counts.get(h) ?? 0) + 1);
        }
        const seen = new Map<string, number>();
        for (const b of blocks) {
          if (!candidate[b.index] || counts.get(hashes[b.index])! < 2) continue;
          const key = (b.squashed ??= squash(b.rest));
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
