/**
 * src/scoring gives the figures of ../shared/eval/score.mjs itself (run as a child process on the
 * same set and predictions), on a small hand-made set with every edge and on samples of real sets.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreLabelledSet, type CleaningOutcome, type LabelledDocument } from '../../src/scoring/labelled-set';
import { AEB_DEV, SCORE_MJS, SEEDS } from '../paths';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'declutter-scoring-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface PerDoc {
  id: string;
  precision?: number;
  recall?: number;
  with?: string;
  without_leaked?: string;
}

/** score.mjs on the set and the predictions (an id without a prediction is left out of the file). */
function scoreMjs(set: object[], pred: Map<string, string>) {
  const setFile = join(dir, 'set.jsonl');
  const predFile = join(dir, 'pred.jsonl');
  writeFileSync(setFile, set.map((d) => JSON.stringify(d)).join('\n') + '\n');
  writeFileSync(predFile, [...pred].map(([id, text]) => JSON.stringify({ id, text })).join('\n') + '\n');
  return JSON.parse(execFileSync(process.execPath, [SCORE_MJS, '--set', setFile, '--pred', predFile, '--per-doc', '--json'], { encoding: 'utf8' }));
}

/** The same predictions as cleaning outcomes: a missing one is a failed cleaning, scored as empty. */
function outcomesOf(docs: LabelledDocument[], pred: Map<string, string>): CleaningOutcome[] {
  return docs.map((d) =>
    pred.has(d.id) ? { result: { text: pred.get(d.id)!, removed: [] } } : { error: { code: 'clean-timeout', detail: 'over the time budget' } },
  );
}

function firstLines(path: string, n: number): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, n);
}

describe('a small set with every edge', () => {
  const article = 'The council approved the budget on Monday after a long debate about schools, roads and the new library.';
  const docs: LabelledDocument[] = [
    { id: 'gold-kept', text: `${article}\n\nAdvertisement`, gold: article },
    { id: 'gold-leaky', text: `${article}\n\nShare this story on social media now`, gold: article },
    { id: 'gold-missing', text: article, gold: article },
    { id: 'gold-empty', text: 'Menu Home', gold: '' },
    { id: 'gold-short', text: 'Short note.', gold: 'Short note.' },
    { id: 'snip-partial', text: 'x', with: ['Markets rose  sharply', 'Bonds fell'], without: ['Copyright UPI', 'Advertisement'] },
    // Nothing to find: no `with` snippet, and the `without` one is not kept.
    { id: 'snip-nothing', text: 'x', with: [], without: ['Copyright UPI'] },
    { id: 'snip-nothing-leaked', text: 'x', with: [], without: ['Advertisement'] },
    { id: 'snip-missing', text: 'x', with: ['Markets rose'], without: [] },
    { id: 'unlabelled', text: 'no labels at all' },
  ];
  const pred = new Map([
    ['gold-kept', article],
    ['gold-leaky', `${article} Share this story on social media now`],
    ['gold-empty', ''],
    ['gold-short', 'Short note.'],
    ['snip-partial', 'Markets rose\nsharply in early trading. Copyright UPI'],
    ['snip-nothing', 'Markets rose sharply.'],
    ['snip-nothing-leaked', 'Advertisement'],
    ['unlabelled', 'no labels'],
  ]);

  test('the set figures are exactly score.mjs', () => {
    const ours = scoreLabelledSet(docs, outcomesOf(docs, pred));
    const theirs = scoreMjs(docs, pred);
    expect(ours.metrics.shingle).toEqual(theirs.shingle);
    expect(ours.metrics.snippets).toEqual(theirs.snippets);
    expect(ours.metrics.snippets).toMatchObject({ docs: 4, tp: 1, fp: 2, fn: 2, tn: 2 });
    expect(ours.failed).toBe(2);
  });

  test("each document's figures are score.mjs's (it gives snippet documents' counts only)", () => {
    const ours = scoreLabelledSet(docs, outcomesOf(docs, pred));
    const theirs: PerDoc[] = scoreMjs(docs, pred).perDoc;
    // score.mjs skips the unlabelled document; so do we.
    expect(ours.documents.map((d) => d.id)).toEqual(theirs.map((d) => d.id));
    theirs.forEach((t, i) => {
      const d = ours.documents[i];
      const doc = docs[i];
      if (t.with === undefined) {
        expect([d.precision, d.recall]).toEqual([t.precision, t.recall]);
      } else {
        expect(`${d.tp}/${doc.with!.length}`).toBe(t.with);
        expect(`${d.fp}/${doc.without!.length}`).toBe(t.without_leaked);
      }
    });
    expect(ours.documents.find((d) => d.id === 'gold-missing')).toMatchObject({ precision: 0, recall: 0, f1: 0, error: { code: 'clean-timeout' } });
  });

  test('a with/without document with nothing to find scores as perfect on the empty side', () => {
    const byId = new Map(scoreLabelledSet(docs, outcomesOf(docs, pred)).documents.map((d) => [d.id, d]));
    expect(byId.get('snip-nothing')).toMatchObject({ precision: 1, recall: 1, f1: 1, tp: 0, fp: 0, fn: 0, tn: 1 });
    // Recall has nothing to find (1), precision kept only a leak (0).
    expect(byId.get('snip-nothing-leaked')).toMatchObject({ precision: 0, recall: 1, f1: 0 });
    expect(byId.get('snip-partial')).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(byId.get('snip-missing')).toMatchObject({ precision: 1, recall: 0, f1: 0, error: { code: 'clean-timeout' } });
  });
});

describe('removals', () => {
  test('per rule, per category and per document; a failed document removes nothing', () => {
    const span = (rule: string, category: string, start: number, end: number) => ({ rule, category, start, end });
    const docs: LabelledDocument[] = [
      { id: 'a', text: 'a'.repeat(100), gold: 'a' },
      { id: 'b', text: 'b'.repeat(50), with: ['b'], without: [] },
      { id: 'c', text: 'c'.repeat(30), gold: 'c' },
      { id: 'd', text: 'unlabelled, still cleaned' },
    ];
    const scored = scoreLabelledSet(docs, [
      { result: { text: 'a', removed: [span('ad-marker', 'ad', 0, 10), span('nav', 'navigation', 10, 40)], stats: { inputChars: 400 } } },
      { result: { text: 'b', removed: [span('nav', 'navigation', 0, 5), span('nav', 'navigation', 5, 7)] } },
      { error: { code: 'clean-timeout', detail: 'slow' } },
      { result: { text: '', removed: [span('ad-marker', 'ad', 0, 4)] } },
    ]);
    expect(scored.rules).toEqual([
      { rule: 'ad-marker', category: 'ad', hits: 2, removedChars: 14 },
      { rule: 'nav', category: 'navigation', hits: 3, removedChars: 37 },
    ]);
    expect(scored.categories).toEqual([
      { category: 'ad', hits: 2, removedChars: 14 },
      { category: 'navigation', hits: 3, removedChars: 37 },
    ]);
    expect(scored.documents.map((d) => [d.id, d.removedChars, d.hits])).toEqual([
      ['a', 40, { 'ad-marker': 1, nav: 1 }],
      ['b', 7, { nav: 2 }],
      ['c', 0, {}],
    ]);
    // The cleaner's own measure of its input when it gives one (a page in HTML characters).
    expect(scored.inputChars).toBe(400 + 50 + 30 + 'unlabelled, still cleaned'.length);
    expect(scored.failed).toBe(1);
  });
});

describe('samples of real sets', () => {
  test('gold documents: same shingle precision, recall and F1 as score.mjs', () => {
    const docs = firstLines(AEB_DEV, 6).map((l) => JSON.parse(l) as LabelledDocument & { gold: string });
    // Predictions of different quality: the raw text, the gold, half the gold, nothing.
    const pred = new Map<string, string>(
      docs.map((d, i) => [d.id, [d.text, d.gold, d.gold.slice(0, d.gold.length / 2), '', d.text.slice(0, 500), d.gold + ' extra words here now'][i % 6]]),
    );
    const ours = scoreLabelledSet(docs, outcomesOf(docs, pred));
    expect(ours.metrics.shingle).toEqual(scoreMjs(docs, pred).shingle);
    expect(ours.documents).toHaveLength(docs.length);
    expect(ours.documents[1].f1).toBe(1); // the gold itself
  });

  test('snippet documents: same counts as score.mjs', () => {
    const docs = firstLines(SEEDS, 5).map((l) => JSON.parse(l) as LabelledDocument & { with: string[]; without: string[] });
    const pred = new Map(docs.map((d, i) => [d.id, i % 2 ? d.with.join(' ') : d.text]));
    const ours = scoreLabelledSet(docs, outcomesOf(docs, pred));
    expect(ours.metrics.snippets).toEqual(scoreMjs(docs, pred).snippets);
    expect(ours.documents[1]).toMatchObject({ f1: 1, fp: 0, tn: docs[1].without.length });
  });
});
