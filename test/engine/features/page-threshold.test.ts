/** A threshold for each page: the model's threshold moved by what the page's scores say. */
import { onGrid, pageFeatures, pageThreshold, PAGE_FEATURES, thresholdFor } from '../../../src/engine/features/page-threshold';
import { LOCAL_COLUMN, LOCAL_FEATURES, type DocFeatures } from '../../../src/engine/features/local';
import type { DocScores } from '../../../src/engine/features/model';

function scores(logits: number[], sentenceEnds: number[] = []): DocScores {
  const n = logits.length;
  const local = new Float64Array(n * LOCAL_FEATURES.length);
  sentenceEnds.forEach((r) => (local[r * LOCAL_FEATURES.length + LOCAL_COLUMN.sentenceEnd] = 1));
  const features = { active: logits.map((_, i) => i), local } as unknown as DocFeatures;
  return { features, localLogit: Float64Array.from(logits), context: new Float64Array(0), run: { first: 0, last: -1 }, logit: Float64Array.from(logits) };
}

const at = (name: string) => PAGE_FEATURES.findIndex((f) => f.name === name);

describe('pageFeatures', () => {
  it('measures the share of blocks read as article, the mean score, the undecided share and the prose share', () => {
    const x = pageFeatures(scores([3, 3, -3, 0], [0, 1]));
    expect(x[at('articleShare')]).toBeCloseTo(0.75);
    expect(x[at('unsure')]).toBeCloseTo(0.25);
    expect(x[at('prose')]).toBeCloseTo(0.5);
    expect(x[at('meanScore')]).toBeCloseTo((2 * 0.9526 + 0.0474 + 0.5) / 4, 3);
    expect(x[at('blocks')]).toBeCloseTo(Math.log2(5));
    expect(x[at('links')]).toBe(0);
  });

  it('gives zeros for a page without blocks', () => {
    expect(Array.from(pageFeatures(scores([])))).toEqual(new Array(PAGE_FEATURES.length).fill(0));
  });
});

describe('thresholdFor', () => {
  it('keeps the threshold without a model, and a page at every mean gets it moved by the bias only', () => {
    const x = pageFeatures(scores([3, -3]));
    expect(thresholdFor(0.45, undefined, x)).toBe(0.45);
    expect(thresholdFor(0.45, { bias: 0, features: { articleShare: { weight: 2, mean: x[at('articleShare')] } } }, x)).toBe(0.45);
    expect(thresholdFor(0.5, { bias: Math.log(3), features: {} }, x)).toBe(0.75);
  });

  it('raises the threshold of a page above a feature mean when the weight is positive, lowers it when negative', () => {
    const x = pageFeatures(scores([3, 3, 3, -3]));
    const up = thresholdFor(0.45, { bias: 0, features: { articleShare: { weight: 2, mean: 0.5 } } }, x);
    const down = thresholdFor(0.45, { bias: 0, features: { articleShare: { weight: -2, mean: 0.5 } } }, x);
    expect(up).toBeGreaterThan(0.45);
    expect(down).toBeLessThan(0.45);
    // Exactly: logit(0.45) ± 2 × 0.25, on the grid.
    expect(up).toBe(onGrid(1 / (1 + Math.exp(-(Math.log(0.45 / 0.55) + 0.5)))));
  });

  it('keeps the page threshold on the grid and inside its bounds', () => {
    expect(onGrid(0.01)).toBe(0.15);
    expect(onGrid(0.99)).toBe(0.8);
    expect(onGrid(0.4374)).toBe(0.425);
    expect(onGrid(0.4376)).toBe(0.45);
  });

  it("reads link density from an HTML page's DOM rows", () => {
    const s = scores([3, 3]);
    const plain = pageThreshold(s, 0.5, { bias: 0, features: { links: { weight: 4, mean: 0 } } });
    expect(plain).toBe(0.5);
    const dom = new Float64Array(2 * 64).fill(1);
    expect(pageThreshold(s, 0.5, { bias: 0, features: { links: { weight: 4, mean: 0 } } }, dom)).toBe(0.8);
  });
});
