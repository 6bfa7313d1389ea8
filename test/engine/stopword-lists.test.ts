/**
 * The build's extract of the stopword lists (scripts/stopword-lists.js), which the engine reads
 * instead of the `stopword` and `stopwords-iso` packages when it is there.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as iso from 'stopwords-iso';
import * as sw from 'stopword';
import { packagedStopwordLists, STOPWORD_LANGUAGES } from '../../src/engine/lang';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { writeStopwordLists } = require('../../scripts/stopword-lists.js') as { writeStopwordLists(file: string, lists: Record<string, string[]>): void };

test('the extract holds the packages’ list of every language the engine knows, word for word', () => {
  const dir = mkdtempSync(join(tmpdir(), 'declutter-stopwords-'));
  try {
    const file = join(dir, 'lists.json');
    writeStopwordLists(file, packagedStopwordLists());
    const extract = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string[]>;
    expect(Object.keys(extract).sort()).toEqual([...STOPWORD_LANGUAGES].sort());
    // English and Spanish from `stopword`, Bokmål filed under "no" in stopwords-iso, the rest by their own tag.
    expect(extract.en).toEqual(sw.eng);
    expect(extract.es).toEqual(sw.spa);
    expect(extract.nb).toEqual((iso as unknown as Record<string, string[]>).no);
    for (const lang of STOPWORD_LANGUAGES.filter((l) => !['en', 'es', 'nb'].includes(l)))
      expect(extract[lang]).toEqual((iso as unknown as Record<string, string[]>)[lang]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
