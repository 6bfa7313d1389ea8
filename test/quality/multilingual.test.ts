/**
 * The quality gate on the multilingual fixture set (issue 17): documents written for the purpose in
 * the 29 languages crawlers meet, each with its site's furniture interleaved (ad markers, comment
 * prompts, share and newsletter buttons, menus, breadcrumbs, category labels, print and PDF tools,
 * pagination, cookie notices, legal links), as text dumps and as pages. `with` is the headline and
 * every paragraph, `without` every furniture line (scripts/multilingual-fixtures.js builds the
 * .jsonl files from test/fixtures/multilingual/sources). Snippet precision and recall of each
 * language, text and HTML, must stay at or above the floors in quality-floors.json
 * ("multilingual-text", "multilingual-html").
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanHtml, compileRuleSet } from '../../src/engine';
import { readRuleSetFile } from '../../src/rulesets/load';
import { readSet } from '../../src/train/data';
import { evaluate } from '../../src/train/evaluate';
import { REPO_ROOT } from '../paths';
import { COVERED_LANGUAGES } from '../languages';

/** The languages the README lists; each has a fixture file and floors. */
const LANGS = COVERED_LANGUAGES;

type PR = { precision: number; recall: number };
const floors = JSON.parse(readFileSync(join(REPO_ROOT, 'quality-floors.json'), 'utf8')) as Record<string, Record<string, PR>>;
const ruleset = compileRuleSet(readRuleSetFile(join(REPO_ROOT, 'rules', 'default.yaml')));
const DIR = join(REPO_ROOT, 'test', 'fixtures', 'multilingual');

it('the .jsonl files are what their sources give (node scripts/multilingual-fixtures.js rewrites them)', () => {
  // A real process: the script is the one that writes them, and exits 1 naming a stale file.
  expect(() => execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'multilingual-fixtures.js'), '--check'], { stdio: 'pipe' })).not.toThrow();
});

describe.each(LANGS)('multilingual fixtures: %s', (lang) => {
  const docs = readSet(join(DIR, `${lang}.jsonl`));

  it('has at least two documents, each with article text and furniture', () => {
    expect(docs.length).toBeGreaterThanOrEqual(2);
    for (const d of docs) {
      expect(d.with!.length).toBeGreaterThanOrEqual(4);
      expect(d.without!.length).toBeGreaterThanOrEqual(10);
      expect(typeof d.html).toBe('string');
    }
  });

  it.each([
    ['text', undefined],
    ['html', (d: (typeof docs)[number]) => cleanHtml(d.html!, ruleset)],
  ] as const)('%s: snippet precision and recall at or above the floors', (form, clean) => {
    const pinned = floors[`multilingual-${form}`][lang];
    const s = evaluate(docs, ruleset, clean).snippets!;
    const got = { precision: Number(s.precision.toFixed(3)), recall: Number(s.recall.toFixed(3)) };
    // Both figures in one comparison, so a failure shows the language's whole result.
    expect({ lang, form, precisionOk: got.precision >= pinned.precision, recallOk: got.recall >= pinned.recall, got, pinned }).toEqual({
      lang,
      form,
      precisionOk: true,
      recallOk: true,
      got,
      pinned,
    });
  });
});
