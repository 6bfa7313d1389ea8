/**
 * Language identification by stopword hits. Stopwords are the most frequent words of a language,
 * so counting them in the document's longest blocks identifies the language of its prose and,
 * at the same time, gives the list the rules need. The lists come from the `stopword` package.
 */
import * as sw from 'stopword';
import type { Block } from './segment';

/** ISO 639-1 → the stopword package's ISO 639-3 list. */
const LISTS: Record<string, string[]> = {
  en: sw.eng, de: sw.deu, fr: sw.fra, es: sw.spa, it: sw.ita, pt: sw.por, nl: sw.nld, pl: sw.pol,
  sv: sw.swe, da: sw.dan, nb: sw.nob, fi: sw.fin, cs: sw.ces, sk: sw.slk, ro: sw.ron, hu: sw.hun,
  tr: sw.tur, ru: sw.rus, uk: sw.ukr, el: sw.ell, ca: sw.cat, hr: sw.hrv, sl: sw.slv, id: sw.ind,
};

const SETS = new Map<string, Set<string>>();
export function stopwordsFor(lang: string): Set<string> {
  let set = SETS.get(lang);
  if (!set) {
    // Unknown languages fall back to English, the most common language of scraped pages.
    set = new Set((LISTS[lang] ?? LISTS.en).map((w) => w.toLowerCase()));
    SETS.set(lang, set);
  }
  return set;
}

let WORD_TO_LANGS: Map<string, string[]> | undefined;
function index(): Map<string, string[]> {
  if (WORD_TO_LANGS) return WORD_TO_LANGS;
  WORD_TO_LANGS = new Map();
  for (const lang of Object.keys(LISTS)) {
    for (const w of stopwordsFor(lang)) {
      const langs = WORD_TO_LANGS.get(w);
      if (langs) langs.push(lang);
      else WORD_TO_LANGS.set(w, [lang]);
    }
  }
  return WORD_TO_LANGS;
}

/** Enough text to decide: more only costs time. */
const SAMPLE_CHARS = 4000;
/** Below this many stopword hits the text is too short or not in a listed language. */
const MIN_HITS = 3;
const WORD = /[\p{L}]+/gu;

/** The language of the document's prose, or 'und' when no listed language fits. */
export function detectLanguage(blocks: Block[]): string {
  const sample = [...blocks].sort((a, b) => b.rest.length - a.rest.length);
  const idx = index();
  const hits = new Map<string, number>();
  let taken = 0;
  for (const b of sample) {
    if (taken >= SAMPLE_CHARS) break;
    taken += b.rest.length;
    for (const w of b.rest.toLowerCase().match(WORD) ?? []) {
      const langs = idx.get(w);
      if (!langs) continue;
      for (const l of langs) hits.set(l, (hits.get(l) ?? 0) + 1);
    }
  }
  let best = 'und';
  let bestHits = MIN_HITS - 1;
  for (const [l, n] of hits) {
    if (n > bestHits) {
      best = l;
      bestHits = n;
    }
  }
  return best;
}
