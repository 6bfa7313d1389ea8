/**
 * The function words of the document: the language's stopword list when the language is known,
 * otherwise the document's own most frequent short words. Function words are the most frequent
 * words of every language, so the fallback works for languages without a list (and for text
 * written without spaces, where the most frequent characters are particles).
 */
import type { DocContext } from '../context';
import { hasStopwordList } from '../lang';
import type { BlockShape } from './shape';
import type { WordIds } from './word-ids';

/** Enough to cover the articles, prepositions and pronouns of a language; more would take content words. */
const FALLBACK_STOPWORDS = 40;
/** Function words are short in every language we know; longer frequent words are topic words. */
const FALLBACK_MAX_LENGTH = 4;

/**
 * Languages whose stopword list the scorer does not use: its own frequent words did better on the
 * dev sets' Chinese and Japanese pages than stopwords-iso's lists (F1, text and HTML:
 * readability-dev hukumusume 0.981 → 0.889 in HTML with the Japanese list, pixnet 0.634 → 0.626
 * and gmw 0.971 → 0.969 with the Chinese one; aeb-dev's Japanese page 0.894 → 0.884 in text).
 * The lists still serve the topic vocabulary and the rules.
 */
const SCORER_USES_OWN_WORDS = new Set(['zh', 'ja']);

/** `shapes` hold their words as ids of `table` (shapeOf with the table). */
export function documentStopwords(doc: DocContext, shapes: readonly BlockShape[], table: WordIds): Set<string> {
  if (hasStopwordList(doc.lang) && !SCORER_USES_OWN_WORDS.has(doc.lang)) return doc.stopwords;
  const uses = new Int32Array(table.size);
  for (const s of shapes) for (const id of s.ids!) uses[id]++;
  const counts: [string, number][] = [];
  for (let id = 0; id < uses.length; id++) {
    const w = table.words[id];
    if (uses[id] > 0 && w.length <= FALLBACK_MAX_LENGTH && !isDigit(w.charCodeAt(0))) counts.push([w, uses[id]]);
  }
  const top = counts.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, FALLBACK_STOPWORDS);
  return new Set(top.map(([w]) => w));
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
