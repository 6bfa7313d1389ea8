/**
 * Features of a block in its surroundings, computed from every block's own (local) score:
 * whether its neighbours look like article text (jusText's context smoothing), and where it
 * stands relative to the main text — the densest run of article-like blocks, found as the run
 * with the largest sum of word-weighted score margins (the maximum-subarray idea of body-text
 * extraction, applied to scores instead of tag counts).
 */
import type { DocFeatures } from './local';
import { topicShare } from './local';
import { columnsOf, type FeatureInfo } from './table';

const CONTEXT_TABLE = [
  { name: 'self', low: 'weak text by itself', high: 'strong text by itself', sign: 1 },
  { name: 'neighbours', low: 'amid boilerplate', high: 'amid article text', sign: 1 },
  { name: 'mainRun', low: 'outside the main text', high: 'inside the main text', sign: 1 },
  { name: 'runDistance', low: 'close to the main text', high: 'far from the main text', sign: -1 },
  { name: 'afterRun', low: 'before the main text', high: 'after the main text' },
  { name: 'runTopic', low: 'vocabulary foreign to the main text', high: 'vocabulary of the main text', sign: 1 },
  { name: 'selfAmidText', low: 'weak text among weak neighbours', high: 'good text among good neighbours', sign: 1 },
  // A page may hold more than one stretch of text (a comment thread, another story, prose after a
  // table) and articles made of short items score low throughout: these see past the single main
  // run. otherText is the strength of the best run through a block that stays clear of the main
  // run: a long text apart from the article is most often comments or another story.
  { name: 'otherText', low: 'in no other stretch of text', high: 'in a long text apart from the main one', sign: -1 },
  { name: 'pageRun', low: "outside the text by the page's own measure", high: "inside the text by the page's own measure", sign: 1 },
  { name: 'relativeSelf', low: 'weaker than most of the page', high: 'stronger than most of the page', sign: 1 },
  { name: 'runShare', low: 'in a stretch much weaker than the main text', high: 'in a stretch as strong as the main text', sign: 1 },
] as const satisfies readonly FeatureInfo[];
export const CONTEXT_FEATURES: readonly FeatureInfo[] = CONTEXT_TABLE;
export const CONTEXT_COLUMN = columnsOf(CONTEXT_TABLE);

export interface ContextParams {
  /**
   * Local probability above which a block adds to the main run and below which it subtracts:
   * the run is the stretch where article-like words outweigh the rest most.
   */
  runCut: number;
  /** How many blocks on each side count as neighbours. */
  window: number;
  /**
   * Every block weighs at least this many words in the run sum, so that a stretch of short
   * menu or share lines between the article and a comment thread still separates them.
   */
  runFloor?: number;
  /**
   * How many short lines (a subhead, a short list, a caption) may part the main run from a further
   * stretch of article text that then counts as the run's own (bridgeRun); 0 or absent: none.
   */
  runGap?: number;
}

/**
 * The page-relative run's cut: the local score that 70% of the page's blocks fall below. A page
 * whose article is a list of short items scores it low, but still above its menus; the run at
 * this cut finds it. Never above the main run's cut, never below 0.1 (then everything is debris).
 */
const PAGE_RUN_QUANTILE = 0.7;
const PAGE_RUN_MIN_CUT = 0.1;
/** otherText's scale: a stretch worth 1000 words of margin reads as 1. */
const STRENGTH_SCALE = 3;
/** Local logits beyond this say nothing more and would let one feature drown the others. */
const LOGIT_CLIP = 6;

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export interface MainRun {
  first: number;
  last: number;
}

/**
 * What a row adds to a run: its score's margin over the cut, weighed by its words (at least
 * `floor`, so a short line still counts). mainRun, containingRunSums and bridgeRun sum the same.
 */
function rowMargin(df: DocFeatures, prob: Float64Array, r: number, cut: number, floor: number): number {
  return (prob[r] - cut) * Math.max(floor, df.shapes[r].words);
}

/**
 * The run of active rows with the largest sum of (p - cut) × words; first > last when empty.
 * The run starts and ends at paragraph boundaries: the lines of one paragraph (a list, a text
 * wrapped with <br>) are in the main text or out of it together.
 */
export function mainRun(df: DocFeatures, prob: Float64Array, cut: number, floor = 1): MainRun {
  let best = 0,
    bestFirst = 0,
    bestLast = -1;
  let sum = 0,
    first = 0;
  const paragraph = df.paragraph;
  const n = prob.length;
  for (let r = 0; r < n; r++) {
    const starts = r === 0 || paragraph[r] !== paragraph[r - 1];
    if (starts && sum <= 0) {
      sum = 0;
      first = r;
    }
    sum += rowMargin(df, prob, r, cut, floor);
    const ends = r === n - 1 || paragraph[r] !== paragraph[r + 1];
    if (ends && sum > best) {
      best = sum;
      bestFirst = first;
      bestLast = r;
    }
  }
  return { first: bestFirst, last: bestLast };
}

/**
 * For every row, the largest run sum of any paragraph-aligned run that contains it (the best
 * run ending at its paragraph plus the best run starting there). The main run's rows get the
 * maximum; a second article on the page, or prose after a table, gets its own stretch's sum.
 * With `apartFrom`, only runs that stay clear of that run count (its own rows get 0).
 */
export function containingRunSums(df: DocFeatures, prob: Float64Array, cut: number, floor = 1, apartFrom?: MainRun): { sums: Float64Array; best: number } {
  const n = prob.length;
  const paragraph = df.paragraph;
  // Paragraph units: each row's value summed over its paragraph.
  const unitOf = new Int32Array(n);
  const values: number[] = [];
  for (let r = 0; r < n; r++) {
    if (r === 0 || paragraph[r] !== paragraph[r - 1]) values.push(0);
    unitOf[r] = values.length - 1;
    values[values.length - 1] += rowMargin(df, prob, r, cut, floor);
  }
  // Runs apart from a given run may not cross it: its rows weigh minus infinity, theirs get 0.
  if (apartFrom) for (let r = Math.max(0, apartFrom.first); r <= apartFrom.last; r++) values[unitOf[r]] = -Infinity;
  const u = values.length;
  const ending = new Float64Array(u),
    starting = new Float64Array(u);
  for (let k = 0; k < u; k++) ending[k] = values[k] + (k > 0 ? Math.max(0, ending[k - 1]) : 0);
  for (let k = u - 1; k >= 0; k--) starting[k] = values[k] + (k < u - 1 ? Math.max(0, starting[k + 1]) : 0);
  const sums = new Float64Array(n);
  let best = 0;
  for (let r = 0; r < n; r++) {
    const k = unitOf[r];
    sums[r] = values[k] === -Infinity ? 0 : ending[k] + starting[k] - values[k];
    if (sums[r] > best) best = sums[r];
  }
  return { sums, best };
}

/** Lines of at most this many words can sit between two halves of one article (subheads, list items). */
const BRIDGE_SHORT_WORDS = 12;
/** The further stretch must be worth at least this many words of margin: about a short paragraph. */
const BRIDGE_MIN_SUM = 10;

/**
 * The main run stretched over short interruptions: when at most `gap` short lines (a subhead, a
 * short list, an inline caption) part it from a further stretch whose run sum is positive, that
 * stretch is the same article's next part, not "a long text apart from the main one".
 *
 * Tried and not kept (`cross-validate.js --loso --sample 50`, held-out F1; before: aeb-dev 0.895,
 * readability-dev 0.886, cleanportaleval 0.963, dragnet 0.876, l3s-gn1 0.949, mean 0.914): counting
 * a whole paragraph of short lines (a list, a score table) as one step of the gap, up to 12 lines:
 * 0.896 / 0.889 / 0.966 / 0.876 / 0.942, mean 0.914 (l3s-gn1 loses what the others gain); the same
 * only when most skipped lines share a content word with the run's strong rows: 0.895 / 0.886 /
 * 0.958 / 0.876 / 0.949, mean 0.913 (the topic test rejects nearly every list; cleanportaleval's
 * change is its retrained threshold); paragraph steps capped at 6 lines: 0.895 / 0.887 / 0.957 /
 * 0.876 / 0.947, mean 0.912. None moves the mean.
 */
export function bridgeRun(df: DocFeatures, prob: Float64Array, run: MainRun, cut: number, floor: number, gap: number): MainRun {
  const n = prob.length;
  if (gap <= 0 || run.last < run.first) return run;
  const paragraph = df.paragraph;
  const value = new Float64Array(n);
  for (let r = 0; r < n; r++) value[r] = rowMargin(df, prob, r, cut, floor);
  // Best paragraph-aligned run sum starting at r (forward) or ending at r (backward), and where
  // it ends / starts: one pass each way, so the bridging stays linear on long pages.
  const ahead = new Float64Array(n),
    aheadEnd = new Int32Array(n);
  for (let r = n - 1; r >= 0; r--) {
    const ends = r === n - 1 || paragraph[r] !== paragraph[r + 1];
    const onward = r < n - 1 ? ahead[r + 1] : -Infinity;
    const stop = ends && !(onward > 0);
    ahead[r] = value[r] + (stop ? 0 : onward);
    aheadEnd[r] = stop ? r : aheadEnd[r + 1];
  }
  const behind = new Float64Array(n),
    behindStart = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const starts = r === 0 || paragraph[r] !== paragraph[r - 1];
    const onward = r > 0 ? behind[r - 1] : -Infinity;
    const stop = starts && !(onward > 0);
    behind[r] = value[r] + (stop ? 0 : onward);
    behindStart[r] = stop ? r : behindStart[r - 1];
  }
  const short = (r: number) => value[r] <= 0 && df.shapes[r].words <= BRIDGE_SHORT_WORDS;
  let { first, last } = run;
  for (;;) {
    // After: skip at most `gap` short, weak lines; the best run from the next strong line joins.
    let r = last + 1;
    while (r < n && r - last - 1 < gap && short(r)) r++;
    if (r >= n || r === last + 1 || value[r] <= 0 || ahead[r] < BRIDGE_MIN_SUM) break;
    last = aheadEnd[r];
  }
  for (;;) {
    let r = first - 1;
    while (r >= 0 && first - 1 - r < gap && short(r)) r--;
    if (r < 0 || r === first - 1 || value[r] <= 0 || behind[r] < BRIDGE_MIN_SUM) break;
    first = behindStart[r];
  }
  return { first, last };
}

export function contextFeatures(df: DocFeatures, localLogit: Float64Array, params: ContextParams): { values: Float64Array; run: MainRun } {
  const n = localLogit.length;
  const prob = new Float64Array(n);
  for (let r = 0; r < n; r++) prob[r] = sigmoid(localLogit[r]);
  const run = bridgeRun(df, prob, mainRun(df, prob, params.runCut, params.runFloor), params.runCut, params.runFloor ?? 1, params.runGap ?? 0);
  // The main text's vocabulary: in how many of its blocks each content word occurs.
  const runVocabulary = new Int32Array(df.vocabularySize);
  for (let r = run.first; r <= run.last; r++) {
    if (prob[r] < params.runCut) continue; // the run's own debris does not define its topic
    for (const id of df.contentWords[r]) runVocabulary[id]++;
  }
  const containing = containingRunSums(df, prob, params.runCut, params.runFloor);
  const apart = containingRunSums(df, prob, params.runCut, params.runFloor, run);
  const bestLog = Math.log10(1 + containing.best);
  const sorted = Float64Array.from(localLogit).sort();
  const quantile = n ? sorted[Math.min(n - 1, Math.floor(n * PAGE_RUN_QUANTILE))] : 0;
  const median = n ? sorted[n >> 1] : 0;
  const pageCut = Math.min(params.runCut, Math.max(PAGE_RUN_MIN_CUT, sigmoid(quantile)));
  const pageRun = mainRun(df, prob, pageCut, params.runFloor);
  const F = CONTEXT_FEATURES.length;
  const out = new Float64Array(n * F);
  const w = params.window;
  const C = CONTEXT_COLUMN;
  for (let r = 0; r < n; r++) {
    const row = r * F;
    out[row + C.self] = Math.max(-LOGIT_CLIP, Math.min(LOGIT_CLIP, localLogit[r]));
    let sum = 0,
      count = 0;
    for (let k = Math.max(0, r - w); k <= Math.min(n - 1, r + w); k++) {
      if (k === r) continue;
      sum += prob[k];
      count++;
    }
    out[row + C.neighbours] = count ? sum / count : 0.5;
    const inside = r >= run.first && r <= run.last;
    out[row + C.mainRun] = inside ? 1 : 0;
    const distance = inside ? 0 : r < run.first ? run.first - r : r - run.last;
    out[row + C.runDistance] = Math.log10(1 + distance);
    out[row + C.afterRun] = r > run.last ? 1 : 0;
    const own = inside && prob[r] >= params.runCut;
    out[row + C.runTopic] = topicShare(df.contentWords[r], runVocabulary, own);
    // Good text among good neighbours: the product lets the model trust neighbours only for
    // blocks that are not bad by themselves (jusText never rescues a "bad" block).
    out[row + C.selfAmidText] = prob[r] * out[row + C.neighbours];
    const strength = Math.log10(1 + Math.max(0, containing.sums[r]));
    out[row + C.otherText] = Math.log10(1 + Math.max(0, apart.sums[r])) / STRENGTH_SCALE;
    out[row + C.pageRun] = r >= pageRun.first && r <= pageRun.last ? 1 : 0;
    out[row + C.relativeSelf] = Math.max(-LOGIT_CLIP, Math.min(LOGIT_CLIP, localLogit[r] - median));
    out[row + C.runShare] = bestLog > 0 ? strength / bestLog : 0;
  }
  return { values: out, run };
}
