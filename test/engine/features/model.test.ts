/** keepMask: which blocks stay once every block has its article score. */
import { decodeKeep, keepMask, type DocScores } from '../../../src/engine/features/model';
import { LOCAL_COLUMN, LOCAL_FEATURES, type DocFeatures } from '../../../src/engine/features/local';

function scores(logits: number[], run: { first: number; last: number }, firstLine: boolean): DocScores {
  const n = logits.length;
  const local = new Float64Array(n * LOCAL_FEATURES.length);
  if (firstLine) local[LOCAL_COLUMN.firstLine] = 1;
  const features = { active: logits.map((_, i) => i), local } as unknown as DocFeatures;
  return { features, localLogit: Float64Array.from(logits), context: new Float64Array(0), run, logit: Float64Array.from(logits) };
}

describe('keepMask', () => {
  it('keeps the blocks at or above the threshold', () => {
    expect(Array.from(keepMask(scores([-2, 1, 2, -1], { first: 1, last: 2 }, true), 0.5, true))).toEqual([0, 1, 1, 0]);
  });

  it('keeps the main run when no block passes', () => {
    expect(Array.from(keepMask(scores([-2, -1, -1, -3], { first: 1, last: 2 }, true), 0.5, true))).toEqual([0, 1, 1, 0]);
  });

  it('keeps all but the page title when there is no main run either', () => {
    const empty = { first: 0, last: -1 };
    expect(Array.from(keepMask(scores([-2, -2, -2, -2], empty, true), 0.5, true))).toEqual([0, 1, 1, 1]);
    // An HTML page's first block is content, and a text whose first line is not a title keeps it.
    expect(Array.from(keepMask(scores([-2, -2, -2, -2], empty, true), 0.5, false))).toEqual([1, 1, 1, 1]);
    expect(Array.from(keepMask(scores([-2, -2, -2, -2], empty, false), 0.5, true))).toEqual([1, 1, 1, 1]);
    // A one-line text is all there is.
    expect(Array.from(keepMask(scores([-2], empty, true), 0.5, true))).toEqual([1]);
  });
});

describe('decodeKeep: the blocks decided as a sequence', () => {
  const decode = (logits: number[], cost: number, threshold = 0.5) => Array.from(decodeKeep(Float64Array.from(logits), threshold, cost));

  it('keeps a weak line inside the article when cutting it out costs two switches more than it weighs', () => {
    expect(decode([3, 3, -1, 3, 3], 1)).toEqual([1, 1, 1, 1, 1]);
    // A cheaper switch, or a line more surely boilerplate, and it goes.
    expect(decode([3, 3, -1, 3, 3], 0.4)).toEqual([1, 1, 0, 1, 1]);
    expect(decode([3, 3, -3, 3, 3], 1)).toEqual([1, 1, 0, 1, 1]);
  });

  it('drops a lone line that barely passes amid boilerplate', () => {
    expect(decode([-3, -3, 1, -3, -3], 1)).toEqual([0, 0, 0, 0, 0]);
    expect(decode([-3, -3, 3, -3, -3], 1)).toEqual([0, 0, 1, 0, 0]);
  });

  it('measures each block against the threshold', () => {
    // logit 0 is probability 0.5: above a 0.3 threshold, below a 0.7 one.
    expect(decode([0, 0, 0], 1, 0.3)).toEqual([1, 1, 1]);
    expect(decode([0, 0, 0], 1, 0.7)).toEqual([0, 0, 0]);
    expect(decode([], 1)).toEqual([]);
  });

  it("weighs each block's evidence by its words: a one-word line follows its stretch, a paragraph decides for itself", () => {
    const weighted = (logits: number[], words: number[], cost: number) =>
      Array.from(
        decodeKeep(
          Float64Array.from(logits),
          0.5,
          cost,
          words.map((w) => ({ words: w })),
        ),
      );
    // Unweighted, the middle line's -1.5 outweighs the two switches (2 × 0.5) and it goes.
    expect(decode([3, -1.5, 3], 0.5)).toEqual([1, 0, 1]);
    // A one-word heading between two paragraphs weighs less than the switches: it stays.
    expect(weighted([3, -1.5, 3], [20, 1, 20], 0.5)).toEqual([1, 1, 1]);
    // A thirty-word paragraph as sure to be boilerplate weighs more: it goes.
    expect(weighted([3, -1.5, 3], [20, 30, 20], 0.5)).toEqual([1, 0, 1]);
  });

  it('switches at half the cost where the explicit rules removed furniture between two rows', () => {
    const across = (logits: number[], active: number[], cost: number) => Array.from(decodeKeep(Float64Array.from(logits), 0.5, cost, undefined, active));
    // Adjacent rows: the weak line amid menu lines is carried by the sure line after it.
    expect(across([-0.8, 3, 3], [0, 1, 2], 1)).toEqual([1, 1, 1]);
    // A removed menu between it and the article: the page breaks there, the line goes.
    expect(across([-0.8, 3, 3], [0, 4, 5], 1)).toEqual([0, 1, 1]);
    // The break does not push a sure line out.
    expect(across([2, -3, 3], [0, 4, 5], 1)).toEqual([1, 0, 1]);
  });

  it('keepMask uses it when the model has a switch cost', () => {
    const s = scores([3, 3, -1, 3, 3], { first: 0, last: 4 }, false);
    expect(Array.from(keepMask(s, 0.5, true))).toEqual([1, 1, 0, 1, 1]);
    expect(Array.from(keepMask(s, 0.5, true, 1))).toEqual([1, 1, 1, 1, 1]);
  });
});
