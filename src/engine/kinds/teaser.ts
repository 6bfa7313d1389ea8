/**
 * kind: teaser. Teasers of other stories have a shape (a headline cut short with "…", a gallery
 * counter such as "1/4" glued to a headline) and a topic that is not the article's. A block
 * with the shape goes when it shares too little vocabulary with the document's prose.
 */
import { Type } from '../typebox';
import type { CompiledRule, RuleDefBase, RuleKind } from '../rule';
import { isWhitespace } from '../text';

interface TeaserDef extends RuleDefBase {
  maxChars?: number;
  maxTopicOverlap?: number;
}

/** Teasers are a headline and a line or two of standfirst; article paragraphs run longer. */
const DEFAULT_MAX_CHARS = 300;
/**
 * The article's own sentences that trail off share most content words with its prose; teasers of
 * other stories in the seeds share none to a fifth. Half is a wide margin on both sides.
 */
const DEFAULT_MAX_OVERLAP = 0.5;

/** "1/4" or "2 / 12" right before a capitalised word: a gallery counter glued to its caption. */
const GALLERY_COUNTER = /^\d{1,3}\s?\/\s?\d{1,3}(?=\p{Lu})/u;
/** Ends with an ellipsis, perhaps after a comma or a closing quote: a cut-off headline. */
const TRUNCATED = /(?:…|\.\.\.)\s*[”"’)]?$/u;

const CLOSERS = new Set([0x201d, 0x22, 0x2019, 0x29]); // ” " ’ ) as TRUNCATED allows one

/**
 * False when neither shape can match the trimmed text, read off its ends without a copy or a
 * regex: a gallery counter starts with a digit, and a truncated block ends with … or ... before
 * spaces and one closing quote. TRUNCATED, anchored only at the end, would otherwise be tried at
 * every position of every block.
 */
export function mayHaveShape(s: string): boolean {
  let from = 0;
  while (from < s.length && isWhitespace(s.charCodeAt(from))) from++;
  let end = s.length;
  while (end > from && isWhitespace(s.charCodeAt(end - 1))) end--;
  if (end === from) return false;
  const first = s.charCodeAt(from);
  if (first >= 0x30 && first <= 0x39) return true;
  if (CLOSERS.has(s.charCodeAt(end - 1))) {
    end--;
    while (end > from && isWhitespace(s.charCodeAt(end - 1))) end--;
  }
  return (end > from && s.charCodeAt(end - 1) === 0x2026) || (end - from >= 3 && s.startsWith('...', end - 3));
}

export const teaserKind: RuleKind = {
  kind: 'teaser',
  summary: "A short block shaped like a teaser (truncated with …, or led by a gallery counter) whose topic is not the article's.",
  get properties() {
    return {
      maxChars: Type.Optional(Type.Integer({ minimum: 1, description: `Longer blocks are never teasers; default ${DEFAULT_MAX_CHARS}.` })),
      maxTopicOverlap: Type.Optional(
        Type.Number({
          minimum: 0,
          maximum: 1,
          description: `A truncated block sharing more of its content words with the article's prose stays; default ${DEFAULT_MAX_OVERLAP}.`,
        }),
      ),
    };
  },
  required: [],
  compile(raw): CompiledRule {
    const def = raw as TeaserDef;
    const maxChars = def.maxChars ?? DEFAULT_MAX_CHARS;
    const maxOverlap = def.maxTopicOverlap ?? DEFAULT_MAX_OVERLAP;
    return {
      def,
      id: def.id,
      category: def.category,
      stage: 'block',
      pageRelative: true,
      block(block, doc) {
        if (!mayHaveShape(block.rest)) return null;
        const text = block.rest.trim();
        if (text.length > maxChars) return null;
        const counter = GALLERY_COUNTER.test(text);
        if (!counter && !TRUNCATED.test(text)) return null;
        const overlap = doc.topicOverlap(text, block);
        if (overlap > maxOverlap) return null;
        const shape = counter ? 'a gallery counter glued to a headline' : 'a headline cut short with an ellipsis';
        return `${def.description} Shape: ${shape}; shares ${Math.round(overlap * 100)}% of its content words with the article (at most ${Math.round(maxOverlap * 100)}% allowed).`;
      },
    };
  },
};
