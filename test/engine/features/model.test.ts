/** keepMask: which blocks stay once every block has its article score. */
import { decodeKeep, extendTail, keepMask, startAtHeadline, type DocScores } from '../../../src/engine/features/model';
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

describe('extendTail: the article closing run after its last kept block', () => {
  // Rows' local logits (block model), words and block indices; final logits put only rows 0-1 above the threshold.
  function tail(localLogits: number[], words: number[], active = localLogits.map((_, i) => i), dated: number[] = []): number[] {
    const n = localLogits.length;
    const F = LOCAL_FEATURES.length;
    const local = new Float64Array(n * F);
    for (const r of dated) local[r * F + LOCAL_COLUMN.dateOrTime] = 1;
    const features = { active, local, shapes: words.map((w) => ({ words: w })) } as unknown as DocFeatures;
    const logit = Float64Array.from(localLogits.map((_, i) => (i < 2 ? 3 : -3)));
    const s: DocScores = { features, localLogit: Float64Array.from(localLogits), context: new Float64Array(0), run: { first: 0, last: 1 }, logit };
    const keep = keepMask(s, 0.5, true);
    extendTail(s, keep);
    return Array.from(keep);
  }

  it('keeps the lines after the article that read as article text by themselves, up to a weaker line', () => {
    // Score-table rows at local 0.4 (logit -0.4) continue the article; menu lines (-3) end the run.
    expect(tail([3, 3, -0.4, -0.4, -3, -3, -3, -0.4], [40, 40, 6, 6, 2, 2, 2, 6])).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
    // Two short lines between two such lines (a subhead, "Meal 2" and "Eat every 2-3 hours") go with them; three do not.
    expect(tail([3, 3, -0.4, -3, -0.4], [40, 40, 20, 2, 20])).toEqual([1, 1, 1, 1, 1]);
    expect(tail([3, 3, -0.4, -3, -3, -0.4], [40, 40, 20, 2, 4, 20])).toEqual([1, 1, 1, 1, 1, 1]);
    expect(tail([3, 3, -0.4, -3, -3, -3, -0.4], [40, 40, 20, 2, 2, 2, 20])).toEqual([1, 1, 1, 0, 0, 0, 0]);
    // Right after the kept text a short line heads what follows ("Be a Contributor"), not the article.
    expect(tail([3, 3, -3, -0.4, -0.4], [40, 40, 3, 20, 20])).toEqual([1, 1, 0, 0, 0]);
    // A dated short line (a comment's name and date) or a long weak one is no subhead.
    expect(tail([3, 3, -0.4, -3, -0.4], [40, 40, 20, 4, 20], undefined, [3])).toEqual([1, 1, 1, 0, 0]);
    expect(tail([3, 3, -0.4, -3, -0.4], [40, 40, 20, 30, 20])).toEqual([1, 1, 1, 0, 0]);
  });

  it('stops where the explicit rules removed furniture', () => {
    expect(tail([3, 3, -0.4, -0.4], [40, 40, 6, 6], [0, 1, 2, 5])).toEqual([1, 1, 1, 0]);
    expect(tail([3, 3, -0.4, -0.4], [40, 40, 6, 6], [0, 1, 3, 4])).toEqual([1, 1, 0, 0]);
  });

  it("is a step of its own: keepMask alone keeps the threshold's choice (as HTML pages, cut at elements, do)", () => {
    const n = 4;
    const features = {
      active: [0, 1, 2, 3],
      local: new Float64Array(n * LOCAL_FEATURES.length),
      shapes: [40, 40, 6, 6].map((w) => ({ words: w })),
    } as unknown as DocFeatures;
    const s: DocScores = {
      features,
      localLogit: Float64Array.from([3, 3, -0.4, -0.4]),
      context: new Float64Array(0),
      run: { first: 0, last: 1 },
      logit: Float64Array.from([3, 3, -3, -3]),
    };
    expect(Array.from(keepMask(s, 0.5, true))).toEqual([1, 1, 0, 0]);
  });
});

describe('startAtHeadline: the article starts at the line repeating the page title', () => {
  // Rows' words, share of words in the page title (echoesTitle), and whether the row ends a sentence; all rows kept.
  function start(words: number[], echo: number[], sentence: boolean[], keep = words.map(() => 1)): number[] {
    return cut(words, echo, sentence, keep).keep;
  }
  function cut(words: number[], echo: number[], sentence: boolean[], keep = words.map(() => 1)): { keep: number[]; headline: number } {
    const n = words.length;
    const F = LOCAL_FEATURES.length;
    const local = new Float64Array(n * F);
    echo.forEach((e, r) => (local[r * F + LOCAL_COLUMN.echoesTitle] = e));
    const shapes = words.map((w, r) => ({ words: w, endsSentence: sentence[r], innerSentenceEnds: 0 }));
    const features = { active: words.map((_, i) => i), local, shapes } as unknown as DocFeatures;
    const zero = new Float64Array(n);
    const s: DocScores = { features, localLogit: zero, context: new Float64Array(0), run: { first: 0, last: n - 1 }, logit: zero };
    const k = Uint8Array.from(keep);
    const headline = startAtHeadline(s, k);
    return { keep: Array.from(k), headline };
  }

  it('drops the kept lines between the page title and the headline that repeats it', () => {
    // Title, a menu label, a teaser headline, the headline (all title words), a paragraph, another.
    expect(start([6, 2, 7, 6, 30, 30], [0, 0, 0.1, 1, 0.2, 0.1], [false, false, false, false, true, true])).toEqual([0, 0, 0, 1, 1, 1]);
    // What was dropped stays dropped; the headline's own verdict stands.
    expect(start([6, 2, 6, 30], [0, 0, 1, 0.2], [false, false, false, true], [1, 1, 0, 1])).toEqual([0, 0, 0, 1]);
  });

  it("names the headline's row where it cut, so the dropped lines get their own reason, and -1 where it did not", () => {
    expect(cut([6, 2, 7, 6, 30], [0, 0, 0.1, 1, 0.2], [false, false, false, false, true]).headline).toBe(3);
    expect(cut([6, 2, 6, 30], [0, 0, 0.5, 0.2], [false, false, false, true]).headline).toBe(-1);
  });

  it('leaves the page alone without such a headline before the first paragraph', () => {
    // A line sharing under 0.8 of its words with the title, or of fewer than three words, is no headline.
    expect(start([6, 2, 6, 30], [0, 0, 0.5, 0.2], [false, false, false, true])).toEqual([1, 1, 1, 1]);
    expect(start([6, 2, 2, 30], [0, 0, 1, 0.2], [false, false, false, true])).toEqual([1, 1, 1, 1]);
    // A repeat after the first paragraph (a related link, the headline again at the foot) does not cut the article.
    expect(start([6, 30, 6, 30], [0, 0.1, 1, 0.1], [false, true, false, true])).toEqual([1, 1, 1, 1]);
  });
});
