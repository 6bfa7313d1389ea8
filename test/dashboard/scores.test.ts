/**
 * The corpus panel shows the same figures whether the service scored the run (evaluate answer) or
 * the browser did (src/scoring in a worker, after /v1/clean/batch): one scorer, one report builder.
 */
import { scoreEvaluation } from '../../src/rulesets/evaluation';
import { scoreLabelledSet, type CleaningOutcome, type LabelledDocument } from '../../src/scoring/labelled-set';
import { runReport } from '../../src/dashboard/web/src/scores';

const span = (rule: string, category: string, start: number, end: number) => ({ rule, category, start, end });
const docs: LabelledDocument[] = [
  {
    id: 'g',
    text: 'The council approved the budget on Monday after a long debate.\n\nAdvertisement',
    gold: 'The council approved the budget on Monday after a long debate.',
  },
  // Nothing to find: the dashboard used to score it 0 where the service said 1.
  { id: 'nothing', text: 'Copyright UPI', with: [], without: ['Advertisement'] },
  { id: 's', text: 'Markets rose.\n\nCopyright UPI', with: ['Markets rose'], without: ['Copyright UPI'] },
  { id: 'slow', text: 'Rain is expected.', with: ['Rain is expected'], without: [] },
];
const outcomes: CleaningOutcome[] = [
  { result: { text: 'The council approved the budget on Monday after a long debate.', removed: [span('ad-marker', 'ad', 64, 77)] } },
  { result: { text: '', removed: [span('upi-footer', 'legal', 0, 13)] } },
  { result: { text: 'Markets rose.\n\nCopyright UPI', removed: [] } },
  { error: { code: 'clean-timeout', detail: 'over the time budget' } },
];

test('a run reads the same from the service’s answer and from the browser’s scoring', () => {
  const viaService = runReport('saved', 3, scoreEvaluation({ id: 'default', version: 3 }, docs, outcomes));
  const inBrowser = runReport('saved', 3, scoreLabelledSet(docs, outcomes));
  expect(inBrowser).toEqual(viaService);
  expect(inBrowser.score.perDoc.map((d) => [d.id, d.f1])).toEqual([
    ['g', 1],
    ['nothing', 1],
    ['s', 2 / 3],
    ['slow', 0],
  ]);
  expect(inBrowser.score.snippets).toMatchObject({ docs: 3, tp: 1, fp: 1, fn: 1, tn: 1 });
  expect(inBrowser.rules.get('upi-footer')).toEqual({ category: 'legal', hits: 1, chars: 13 });
  expect(inBrowser.categories).toEqual(
    new Map([
      ['ad', 13],
      ['legal', 13],
    ]),
  );
  expect(inBrowser.failures).toEqual(['slow: over the time budget']);
});
