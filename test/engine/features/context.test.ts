import { CONTEXT_FEATURES, bridgeRun, containingRunSums, contextFeatures, mainRun } from '../../../src/engine/features/context';
import type { DocFeatures } from '../../../src/engine/features/local';
import type { BlockShape } from '../../../src/engine/features/shape';

function fakeDoc(words: number[], paragraph: number[] = words.map((_, i) => i)): DocFeatures {
  return {
    paragraph: Int32Array.from(paragraph),
    active: words.map((_, i) => i),
    shapes: words.map((w) => ({ words: w }) as BlockShape),
    contentWords: words.map(() => new Int32Array(0)),
    vocabularySize: 0,
    local: new Float64Array(0),
  };
}

describe('mainRun', () => {
  it('finds the stretch where article-like words outweigh the rest most', () => {
    const df = fakeDoc([2, 2, 60, 3, 80, 2, 2, 40]);
    const p = Float64Array.from([0.1, 0.1, 0.9, 0.4, 0.95, 0.1, 0.1, 0.6]);
    expect(mainRun(df, p, 0.5)).toEqual({ first: 2, last: 7 });
    // With each block counting at least 25 words, the short lines in between separate the texts.
    expect(mainRun(df, p, 0.5, 25)).toEqual({ first: 2, last: 4 });
  });
  it('takes or leaves the lines of one paragraph together', () => {
    // Rows 1-3 are one paragraph (a list); row 1 alone would lower the sum, the paragraph as a whole raises it.
    const df = fakeDoc([40, 10, 30, 30, 2], [0, 1, 1, 1, 2]);
    const p = Float64Array.from([0.9, 0.2, 0.8, 0.8, 0.1]);
    expect(mainRun(df, p, 0.5)).toEqual({ first: 0, last: 3 });
    const split = fakeDoc([40, 10, 30, 30, 2], [0, 1, 2, 3, 4]);
    expect(mainRun(split, Float64Array.from([0.1, 0.1, 0.8, 0.8, 0.1]), 0.5)).toEqual({ first: 2, last: 3 });
    // The same rows as one paragraph: its first line comes along.
    const joined = fakeDoc([40, 10, 30, 30, 2], [0, 1, 1, 1, 2]);
    expect(mainRun(joined, Float64Array.from([0.1, 0.1, 0.8, 0.8, 0.1]), 0.5)).toEqual({ first: 1, last: 3 });
  });
  it('is empty when nothing is article-like', () => {
    const run = mainRun(fakeDoc([3, 3]), Float64Array.from([0.1, 0.2]), 0.5);
    expect(run.first).toBeGreaterThan(run.last);
  });
});

describe('bridgeRun', () => {
  // An article, a subhead and two short list lines, then the article's second half; then share
  // lines and a comment-length stretch too far away to join.
  const words = [80, 4, 6, 6, 60, 3, 3, 3, 3, 40];
  const p = Float64Array.from([0.9, 0.05, 0.05, 0.05, 0.8, 0.05, 0.05, 0.05, 0.05, 0.8]);
  it('joins a second half parted from the main run by a few short lines', () => {
    const df = fakeDoc(words);
    const run = mainRun(df, p, 0.45, 25);
    expect(run).toEqual({ first: 0, last: 0 });
    expect(bridgeRun(df, p, run, 0.45, 25, 3)).toEqual({ first: 0, last: 4 });
  });
  it('leaves the run alone at gap 0 and across more short lines than the gap', () => {
    const df = fakeDoc(words);
    const run = mainRun(df, p, 0.45, 25);
    expect(bridgeRun(df, p, run, 0.45, 25, 0)).toEqual(run);
    expect(bridgeRun(df, p, run, 0.45, 25, 2)).toEqual(run);
  });
  it('joins a first half before the main run the same way', () => {
    const df = fakeDoc([...words].reverse());
    const q = Float64Array.from([...p].reverse());
    const run = mainRun(df, q, 0.45, 25);
    expect(run).toEqual({ first: 9, last: 9 });
    expect(bridgeRun(df, q, run, 0.45, 25, 3)).toEqual({ first: 5, last: 9 });
  });
});

describe('contextFeatures', () => {
  it('gives neighbours, run membership and distance', () => {
    const df = fakeDoc([2, 50, 50, 2, 2, 2]);
    const logit = Float64Array.from([-3, 3, 3, -3, -3, -3]);
    const { values, run } = contextFeatures(df, logit, { runCut: 0.5, window: 1 });
    const F = CONTEXT_FEATURES.length;
    const get = (r: number, name: string) => values[r * F + CONTEXT_FEATURES.findIndex((f) => f.name === name)];
    expect(run).toEqual({ first: 1, last: 2 });
    expect(get(1, 'mainRun')).toBe(1);
    expect(get(5, 'mainRun')).toBe(0);
    expect(get(5, 'runDistance')).toBeCloseTo(Math.log10(4));
    expect(get(5, 'afterRun')).toBe(1);
    expect(get(0, 'afterRun')).toBe(0);
    expect(get(0, 'neighbours')).toBeGreaterThan(0.9);
    expect(get(4, 'neighbours')).toBeLessThan(0.1);
    expect(get(1, 'self')).toBe(3);
  });
});

describe('containingRunSums', () => {
  it('gives every row the best run through it: a second text gets its own sum, a gap is bridged', () => {
    // Rows 0-1 a text, 2-4 a menu, 5 prose after it, 6-7 more menu.
    const df = fakeDoc([30, 30, 2, 2, 2, 50, 2, 2]);
    const p = Float64Array.from([0.9, 0.9, 0.1, 0.1, 0.1, 0.9, 0.1, 0.1]);
    const { sums, best } = containingRunSums(df, p, 0.5);
    expect(best).toBeCloseTo(24 - 2.4 + 20);
    // The prose after the menu: the best run through it reaches back across the menu.
    expect(sums[0]).toBeCloseTo(best);
    expect(sums[5]).toBeCloseTo(best);
    // With 25 words a row, the menu outweighs the bridge: each text stands alone.
    const floored = containingRunSums(df, p, 0.5, 25);
    expect(floored.sums[0]).toBeCloseTo(24);
    expect(floored.sums[5]).toBeCloseTo(20);
    expect(floored.best).toBeCloseTo(24);
    // The trailing menu is worth nothing: the best run through it only drains the prose's sum.
    expect(floored.sums[7]).toBeCloseTo(0);
  });

  it('apart from a run, counts only runs that stay clear of it', () => {
    const df = fakeDoc([30, 30, 2, 2, 2, 50, 2, 2]);
    const p = Float64Array.from([0.9, 0.9, 0.1, 0.1, 0.1, 0.9, 0.1, 0.1]);
    const apart = containingRunSums(df, p, 0.5, 1, { first: 0, last: 1 });
    expect(apart.sums[0]).toBe(0);
    // The prose after the menu no longer reaches back into rows 0-1: only its own stretch counts.
    expect(apart.sums[5]).toBeCloseTo(20);
    expect(apart.sums[2]).toBeCloseTo(20 - 2.4);
  });
});

describe('page-relative features', () => {
  it('find a text of weak items when the rest of the page is weaker', () => {
    // An article of five short items scoring ~0.3 between two menus of six lines scoring ~0.05.
    const menu = [2, 2, 2, 2, 2, 2];
    const words = [...menu, 8, 9, 8, 10, 9, ...menu];
    const logit = Float64Array.from(words.map((w) => (w === 2 ? -3 : -0.8)));
    const { values, run } = contextFeatures(fakeDoc(words), logit, { runCut: 0.5, window: 1 });
    const F = CONTEXT_FEATURES.length;
    const get = (r: number, name: string) => values[r * F + CONTEXT_FEATURES.findIndex((f) => f.name === name)];
    expect(run.first).toBeGreaterThan(run.last); // nothing reaches the main run's cut
    expect(words.map((_, r) => get(r, 'pageRun'))).toEqual(words.map((w) => (w === 2 ? 0 : 1)));
    expect(get(8, 'relativeSelf')).toBeGreaterThan(0);
    expect(get(0, 'relativeSelf')).toBeLessThanOrEqual(0);
  });
});
