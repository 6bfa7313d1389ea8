// The stopword-hit detector the engine used before tinyld (src/engine/lang.ts before issue 17),
// kept here only so that bench/lang-detectors.js can compare it. Plain JavaScript, compiled from that file.
'use strict';
exports.stopwordsFor = stopwordsFor;
exports.hasStopwordList = hasStopwordList;
exports.detectLanguage = detectLanguage;
/**
 * Language identification by stopword hits. Stopwords are the most frequent words of a language,
 * so counting them in the document's longest blocks identifies the language of its prose and,
 * at the same time, gives the list the rules need. The lists come from the `stopword` package.
 */
const sw = require('stopword');
/** ISO 639-1 → the stopword package's ISO 639-3 list. */
const LISTS = {
  en: sw.eng,
  de: sw.deu,
  fr: sw.fra,
  es: sw.spa,
  it: sw.ita,
  pt: sw.por,
  nl: sw.nld,
  pl: sw.pol,
  sv: sw.swe,
  da: sw.dan,
  nb: sw.nob,
  fi: sw.fin,
  cs: sw.ces,
  sk: sw.slk,
  ro: sw.ron,
  hu: sw.hun,
  tr: sw.tur,
  ru: sw.rus,
  uk: sw.ukr,
  el: sw.ell,
  ca: sw.cat,
  hr: sw.hrv,
  sl: sw.slv,
  id: sw.ind,
};
const SETS = new Map();
function stopwordsFor(lang) {
  let set = SETS.get(lang);
  if (!set) {
    // Unknown languages fall back to English, the most common language of scraped pages.
    set = new Set((LISTS[lang] ?? LISTS.en).map((w) => w.toLowerCase()));
    SETS.set(lang, set);
  }
  return set;
}
/** True when the language has a stopword list of its own (the others use the document's frequent words). */
function hasStopwordList(lang) {
  return lang in LISTS;
}
let WORD_TO_LANGS;
function index() {
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
const SAMPLE_CHARS = 3000;
/** Blocks shorter than this are mostly menus and names, whose words mislead. */
const PROSE_MIN_CHARS = 80;
/** Below this many stopword hits the text is too short or not in a listed language. */
const MIN_HITS = 3;
const WORD = /\p{L}+/gu;
/**
 * A long list hits more words by chance: the German and Norwegian lists are four to six times
 * the English one, and English prose used to come out German. Dividing the hits by the list size
 * to this power removed those mistakes on the dev sets (checked against a trigram detector)
 * while a power of 0.5 or more started to favour the shortest lists.
 */
const LIST_SIZE_DAMPING = 0.3;
function countHits(text, idx, hits) {
  WORD.lastIndex = 0;
  let m;
  while ((m = WORD.exec(text)) !== null) {
    const w = m[0];
    // Stopwords are short; longer words cannot hit, so skip the lower-casing and the lookup.
    if (w.length > 12) continue;
    const langs = idx.get(w.toLowerCase());
    if (!langs) continue;
    for (const l of langs) hits.set(l, (hits.get(l) ?? 0) + 1);
  }
}
function countScripts(text, into) {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x41) continue;
    if (c >= 0x3040 && c <= 0x30ff) into.kana++;
    else if ((c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff)) into.han++;
    else if (c >= 0xac00 && c <= 0xd7af) into.hangul++;
    else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c < 0x2000)) into.other++;
  }
}
/**
 * Chinese, Japanese and Korean prose has no stopwords a word list can hit (words are not
 * separated), while the Latin brand names and menu words around it do hit: a Chinese blog came out
 * French. When these scripts make most of the prose's letters, the script decides the language.
 */
function cjkLanguage(s) {
  const cjk = s.han + s.kana + s.hangul;
  if (cjk <= s.other) return null;
  // Japanese mixes kanji with kana; even a few percent of kana rules out Chinese.
  if (s.kana >= 0.05 * cjk) return 'ja';
  if (s.hangul >= s.han) return 'ko';
  return 'zh';
}
/** The language of the document's prose, or 'und' when no listed language fits. */
function detectLanguage(blocks) {
  const idx = index();
  const hits = new Map();
  const scripts = { han: 0, kana: 0, hangul: 0, other: 0 };
  let taken = 0;
  // Prose first, in document order; short blocks only when there is too little prose.
  for (const b of blocks) {
    if (taken >= SAMPLE_CHARS) break;
    if (b.rest.length < PROSE_MIN_CHARS) continue;
    taken += b.rest.length;
    countHits(b.rest, idx, hits);
    countScripts(b.rest, scripts);
  }
  if (taken < SAMPLE_CHARS / 4) {
    for (const b of blocks) {
      if (b.rest.length >= PROSE_MIN_CHARS) continue;
      countHits(b.rest, idx, hits);
      countScripts(b.rest, scripts);
    }
  }
  const cjk = cjkLanguage(scripts);
  if (cjk) return cjk;
  let best = 'und';
  let bestScore = 0;
  for (const [l, n] of hits) {
    if (n < MIN_HITS) continue;
    const score = n / Math.pow(stopwordsFor(l).size, LIST_SIZE_DAMPING);
    if (score > bestScore) {
      best = l;
      bestScore = score;
    }
  }
  return best;
}
