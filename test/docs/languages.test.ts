/**
 * The README's language lists (section "Languages") must be the languages the tests cover: the
 * fixture set's and the detection tests' (test/languages.ts) and the engine's stopword lists.
 * Issue 17 asks that the list a reader trusts match what is tested, so a language added to one and
 * not the other fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { canonicalLanguage, STOPWORD_LANGUAGES } from '../../src/engine/lang';
import { COVERED_LANGUAGES } from '../languages';
import { REPO_ROOT } from '../paths';

const readme = readFileSync(resolve(REPO_ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
const codes = (list: string) => list.split(/,\s*(?:and\s+)?|\s+and\s+/).map((c) => c.trim());

test('"What the tests cover" names the fixture set\'s languages, which test/languages.ts holds', () => {
  const m = /in the (\d+) languages of `test\/fixtures\/multilingual` \(([^)]*)\)/.exec(readme);
  expect(m).not.toBeNull();
  const fixtures = readdirSync(resolve(REPO_ROOT, 'test', 'fixtures', 'multilingual', 'sources'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => canonicalLanguage(f.replace(/\.yaml$/, '')));
  const covered = COVERED_LANGUAGES.map(canonicalLanguage);
  expect(codes(m![2])).toEqual(covered);
  expect(Number(m![1])).toBe(covered.length);
  expect([...fixtures].sort()).toEqual([...covered].sort());
});

test('the stopword list names STOPWORD_LANGUAGES, and "Furniture in N languages" counts the covered ones', () => {
  const m = /\*\*Stopword lists\*\* \(from `stopwords-iso`, single words only\) for ([^.]*)\./.exec(readme);
  expect(m).not.toBeNull();
  // Bokmål is written "nb (no)": the tag and the stopwords-iso file it comes from.
  expect(codes(m![1].replace(' (no)', ''))).toEqual([...STOPWORD_LANGUAGES]);
  const furniture = /\*\*Furniture in (\d+) languages\.\*\* .*? know ([^.]*)\./.exec(readme);
  expect(furniture).not.toBeNull();
  expect(Number(furniture![1])).toBe(COVERED_LANGUAGES.length);
  expect(codes(furniture![2])).toHaveLength(COVERED_LANGUAGES.length);
});
