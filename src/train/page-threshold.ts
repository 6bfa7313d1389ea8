/**
 * Training's per-page threshold (engine/features/page-threshold.ts): with the block and context
 * models fitted and the global threshold chosen, a small linear model over the page features
 * moves each page's threshold in log-odds. Its weights are chosen by coordinate search on the
 * figure training judges thresholds by (ThresholdChoice, train.ts) over the training pages, each
 * page decided at its own threshold, less a charge per unit of weight, so a feature that buys
 * nothing keeps weight 0 and a model that buys less than MIN_GAIN is not kept. Pages are judged
 * as the rule decides them (keptBy: the decoding, the text dump's tail and headline steps, the
 * comment cut), not by the bare mask the global threshold is chosen on: with the bare mask
 * (and a charge of 5e-4) held-out text was unchanged and HTML fell (mean 0.952 -> 0.951:
 * aeb-dev 0.955 -> 0.950, cleanportaleval 0.964 -> 0.959, l3s-gn1 0.952 -> 0.957).
 *
 * On for HTML, off for text (TrainOptions.pageThreshold). Leave one source out
 * (`cross-validate.js --loso [--html] --page-threshold`, 100 pages a source, seed 1; held-out F1
 * with one threshold -> with the page's, the same fitted models):
 * - HTML: aeb-dev 0.955 =, readability-dev 0.952 -> 0.954, cleanportaleval 0.964 =, dragnet
 *   0.935 =, l3s-gn1 0.952 -> 0.958 (mean 0.952 -> 0.953), cleaneval 0.898 = (apart). Only two
 *   folds learnt one (without readability-dev, without l3s-gn1); the shipped model (dev sets
 *   only) learns none: one threshold is as good on those pages.
 * - Text: aeb-dev 0.914 =, readability-dev 0.917 =, cleanportaleval 0.956 -> 0.967, dragnet
 *   0.911 -> 0.903, l3s-gn1 0.952 = (mean 0.930 -> 0.931), cleaneval 0.885 = (apart): one source
 *   gains what another loses, and dragnet's floor (0.906) fails, so text keeps one threshold.
 * What the folds learnt is mostly a shift of the whole page's threshold plus the `unsure` share
 * (the folds without cleanportaleval and without l3s-gn1 moved it by -0.7 and +0.9 log-odds, i.e.
 * 0.5 -> ~0.33 and 0.5 -> ~0.71), so part of the gain corrects the global choice on a flat curve
 * rather than adapting to the page. Replayed on each fold's pages (the same decisions, features
 * fixed), held-out mean with a charge of 0.003 / 0.005 / 0.008 / 0.012: HTML 0.9524 / 0.9533 /
 * 0.9521 / 0.9515 (one threshold 0.9515), text 0.9300 / 0.9307 / 0.9285 / 0.9285 (0.9299); the
 * bias alone (no features) learnt nothing at any charge (HTML 0.9515, text 0.9285). Feature
 * subsets (without links, without blocks, articleShare with unsure) gave the same; adding the
 * means of every block and DOM feature, or score quantiles, no more (within 0.001). The ceiling,
 * each held-out page at its best threshold: HTML aeb-dev 0.969, cleanportaleval 0.969; text
 * aeb-dev 0.935, cleanportaleval 0.975; each source at its best single threshold: HTML 0.956 /
 * 0.964, text 0.918 / 0.968.
 */
import { sigmoid, type DocScores, type ScorerModel } from '../engine/features/model';
import {
  PAGE_FEATURES,
  PAGE_THRESHOLD_MAX,
  PAGE_THRESHOLD_MIN,
  PAGE_THRESHOLD_STEP,
  onGrid,
  pageFeatures,
  type PageThresholdModel,
} from '../engine/features/page-threshold';
import { DOM_FEATURES } from '../engine/html/dom-features';
import { shingleMatch, shingles } from '../scoring/metrics';
import { keptText, type TrainingDoc } from './dataset';

/** Weight steps tried for each feature, in log-odds per standard deviation of the feature. */
const STEPS = Array.from({ length: 31 }, (_, i) => Math.round((i - 15) * 10) / 100);
/** Rounds of the coordinate search. */
const SWEEPS = 4;
/** Charge per unit of weight (log-odds per standard deviation), in F1. */
const PENALTY = 5e-3;
/** Gain in the training figure below which the page threshold is left out. */
const MIN_GAIN = 1e-3;

export type PageFigure = (perDoc: [number, number, number][], weights: number[]) => number;

/** How training scores a page and decides its blocks (train.ts scorePrepared and keptBy), passed in to keep the modules acyclic. */
export interface PageDecision {
  score: (t: TrainingDoc, model: ScorerModel) => DocScores;
  keep: (t: TrainingDoc, model: ScorerModel) => Uint8Array;
}

export function fitPageThreshold(prepared: TrainingDoc[], model: ScorerModel, figure: PageFigure, decide: PageDecision): PageThresholdModel | undefined {
  const grid: number[] = [];
  for (let t = PAGE_THRESHOLD_MIN; t <= PAGE_THRESHOLD_MAX + 1e-9; t += PAGE_THRESHOLD_STEP) grid.push(onGrid(t));
  const linkDensity = DOM_FEATURES.findIndex((f) => f.name === 'linkDensity');
  const X: Float64Array[] = [];
  const matches: [number, number, number][][] = [];
  const weights = prepared.map((t) => t.docWeight ?? 1);
  for (const t of prepared) {
    const scores = decide.score(t, model);
    X.push(pageFeatures(scores, t.dom ? { values: t.dom, width: DOM_FEATURES.length, linkDensity } : undefined));
    const gold = shingles(t.doc.gold ?? '');
    const seen = new Map<string, [number, number, number]>();
    matches.push(
      grid.map((g) => {
        const keep = decide.keep(t, { ...model, threshold: g, pageThreshold: undefined });
        const key = keep.join('');
        let m = seen.get(key);
        if (!m) seen.set(key, (m = shingleMatch(t.doc.gold ?? '', keptText(t, keep), gold)));
        return m;
      }),
    );
  }
  const K = PAGE_FEATURES.length;
  // The features' means and spreads over the pages that count (by their weights).
  const mean = new Float64Array(K),
    std = new Float64Array(K);
  const total = weights.reduce((a, w) => a + w, 0) || 1;
  for (let k = 0; k < K; k++) {
    X.forEach((x, i) => (mean[k] += (weights[i] * x[k]) / total));
    X.forEach((x, i) => (std[k] += (weights[i] * (x[k] - mean[k]) ** 2) / total));
    std[k] = Math.sqrt(std[k]);
  }
  const z0 = Math.log(model.threshold / (1 - model.threshold));
  // w[0] is the bias, w[k + 1] feature k's weight per standard deviation.
  const w = new Float64Array(K + 1);
  const objective = (v: Float64Array) => {
    const perDoc = X.map((x, i) => {
      let z = z0 + v[0];
      for (let k = 0; k < K; k++) if (std[k] > 1e-9) z += (v[k + 1] * (x[k] - mean[k])) / std[k];
      const at = Math.round((onGrid(sigmoid(z)) - PAGE_THRESHOLD_MIN) / PAGE_THRESHOLD_STEP);
      return matches[i][at];
    });
    let charge = 0;
    for (let k = 1; k <= K; k++) charge += Math.abs(v[k]);
    return figure(perDoc, weights) - PENALTY * charge;
  };
  const start = objective(w);
  let best = start;
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    let moved = false;
    for (let c = 0; c <= K; c++) {
      if (c > 0 && !(std[c - 1] > 1e-9)) continue;
      const was = w[c];
      let bestStep = was;
      for (const s of STEPS) {
        w[c] = s;
        const f = objective(w);
        if (f > best + 1e-7) {
          best = f;
          bestStep = s;
        }
      }
      w[c] = bestStep;
      if (bestStep !== was) moved = true;
    }
    if (!moved) break;
  }
  if (best < start + MIN_GAIN) return undefined;
  const features: PageThresholdModel['features'] = {};
  PAGE_FEATURES.forEach((f, k) => {
    if (w[k + 1] !== 0) features[f.name] = { weight: round(w[k + 1] / std[k]), mean: round(mean[k]) };
  });
  return { bias: w[0], features };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
