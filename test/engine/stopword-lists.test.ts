/**
 * The build's extract of the stopwords (scripts/stopword-lists.js), which the engine reads
 * instead of the `stopword` and `stopwords-iso` packages when it is there.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as iso from 'stopwords-iso';
import * as sw from 'stopword';
import {
  LATIN_STOPWORD_LANGUAGES as LATIN,
  stopwordExtract,
  stopwordsFor,
  stopwordWords,
  STOPWORD_LANGUAGES,
  type StopwordExtract,
} from '../../src/engine/lang';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { writeStopwordExtract } = require('../../scripts/stopword-lists.js') as { writeStopwordExtract(file: string, extract: StopwordExtract): void };

describe('the stopword extract', () => {
  let extract: StopwordExtract;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'declutter-stopwords-'));
    try {
      const file = join(dir, 'words.json');
      writeStopwordExtract(file, stopwordExtract());
      extract = JSON.parse(readFileSync(file, 'utf8')) as StopwordExtract;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('holds the words of the packages’ list of every language the engine knows, as stopwordsFor makes them', () => {
    const words = (lang: string) => extract.words[lang].split(' ');
    expect(Object.keys(extract.words).sort()).toEqual([...STOPWORD_LANGUAGES].sort());
    // English and Spanish from `stopword`, Bokmål filed under "no" in stopwords-iso, the rest by their own tag.
    const isoLists = iso as unknown as Record<string, string[]>;
    expect(words('en')).toEqual(stopwordWords(sw.eng));
    expect(words('es')).toEqual(stopwordWords(sw.spa));
    expect(words('nb')).toEqual(stopwordWords(isoLists.no));
    for (const lang of STOPWORD_LANGUAGES.filter((l) => !['en', 'es', 'nb'].includes(l))) expect(words(lang)).toEqual(stopwordWords(isoLists[lang]));
    for (const lang of STOPWORD_LANGUAGES) expect([lang, words(lang)]).toEqual([lang, [...stopwordsFor(lang)]]);
    // The reduction is not the identity: upper case and multi-word entries are in the packages' lists.
    expect(stopwordWords(['The', 'the', 'in order to'])).toEqual(['the']);
  });

  test('indexes every Latin-language word by the mask of the lists that hold it', () => {
    const expected = new Map<string, number>();
    LATIN.forEach((lang, li) => {
      for (const w of stopwordsFor(lang)) expected.set(w, (expected.get(w) ?? 0) | (1 << li));
    });
    const ws = extract.latinIndex.words.split(' ');
    const masks = extract.latinIndex.masks.split(' ').map((m) => parseInt(m, 36));
    expect(new Map(ws.map((w, i) => [w, masks[i]]))).toEqual(expected);
    expect(ws.length).toBe(expected.size);
    expect(masks[ws.indexOf('the')]).toBe(1 << LATIN.indexOf('en'));
  });

  test('gives the Latin lists’ sizes and the index’s ASCII entries, which the count of an ASCII text reads alone', () => {
    expect(extract.latinSizes).toEqual(LATIN.map((lang) => stopwordsFor(lang).size));
    const all = extract.latinIndex.words.split(' ');
    const allMasks = extract.latinIndex.masks.split(' ');
    const ascii = extract.latinAscii!.words.split(' ');
    expect(ascii).toEqual(all.filter((w) => /^\p{ASCII}+$/u.test(w)));
    expect(extract.latinAscii!.masks.split(' ')).toEqual(ascii.map((w) => allMasks[all.indexOf(w)]));
    expect(ascii).toContain('the');
    expect(ascii).not.toContain('für');
  });
});
