/**
 * The build's copy of tinyld (scripts/fast-tinyld.js), which the engine loads instead of tinyld
 * when it is there: it must answer every text exactly as tinyld does.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tinyld from 'tinyld';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { writeFastTinyld } = require('../../scripts/fast-tinyld.js') as { writeFastTinyld(outDir: string): string | null };

const FIXTURES = join(__dirname, '..', 'fixtures');

/** Texts in many languages and shapes: the detector's sentences, the multilingual pages cut into paragraphs, and keys an object already has. */
function texts(): string[] {
  const out: string[] = [];
  const { sentences } = JSON.parse(readFileSync(join(FIXTURES, 'language-sentences.json'), 'utf8')) as {
    sentences: Record<string, { short: string[]; mixed: string[] }>;
  };
  for (const s of Object.values(sentences)) out.push(...s.short, ...s.mixed, [...s.short, ...s.mixed].join(' '));
  const pages = join(FIXTURES, 'multilingual');
  for (const name of readdirSync(pages).filter((n) => n.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(pages, name), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const page = JSON.parse(line) as { text?: string };
      if (page.text) out.push(...page.text.split('\n\n'), page.text.slice(0, 1000));
    }
  }
  out.push('', '   ', '12345', 'constructor __proto__ toString hasOwnProperty valueOf', 'a b c d e', '¿Qué?', 'x'.repeat(3000));
  return out;
}

describe('the fast tinyld copy', () => {
  let dir: string;
  let copy: typeof tinyld;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'declutter-tinyld-'));
    const problem = writeFastTinyld(dir);
    if (problem) throw new Error(problem);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    copy = require(join(dir, 'tinyld.js')) as typeof tinyld;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('answers every text as tinyld does: the same languages, order and scores', () => {
    const all = texts();
    expect(all.length).toBeGreaterThan(500);
    const differ = all.filter((t) => JSON.stringify(copy.detectAll(t)) !== JSON.stringify(tinyld.detectAll(t)));
    expect(differ).toEqual([]);
    expect(copy.detect('The council will vote on the new budget next week.')).toBe('en');
  });

  test('answers the same when its table is read whole at once (loadTable), as when it is looked up gram by gram', () => {
    // A second copy, so that this one reads its table whole before its first gram; the copy above
    // looked grams up until it had asked for FULL_AFTER of them, then read the table whole.
    const whole = mkdtempSync(join(tmpdir(), 'declutter-tinyld-'));
    try {
      const problem = writeFastTinyld(whole);
      if (problem) throw new Error(problem);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const wholeCopy = require(join(whole, 'tinyld.js')) as typeof tinyld & { loadTable(): void };
      wholeCopy.loadTable();
      const some = texts().slice(0, 200);
      const differ = some.filter((t) => JSON.stringify(wholeCopy.detectAll(t)) !== JSON.stringify(tinyld.detectAll(t)));
      expect(differ).toEqual([]);
    } finally {
      rmSync(whole, { recursive: true, force: true });
    }
  });

  test('keeps the rest of tinyld as it is', () => {
    expect(copy.supportedLanguages).toEqual(tinyld.supportedLanguages);
    expect(copy.toISO3('fr')).toBe(tinyld.toISO3('fr'));
  });
});
