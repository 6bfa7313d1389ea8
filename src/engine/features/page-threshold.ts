/**
 * A threshold for each page instead of one for all: the model's threshold moved, in log-odds, by
 * a small linear model over what the scores say about the whole page (how much of it reads as
 * article, how sure the scorer is, how long it is). Sources of labelled pages disagree on what
 * to keep (a page whose gold keeps every caption wants a lower threshold than one whose gold
 * keeps only the body text), and some of that shows in the page's own scores. The weights are
 * data: `declutter train` learns them (train/page-threshold.ts) into the model file's
 * `pageThreshold`, and a model without one decides every page by its threshold as before.
 */
import type { TSchema } from '@sinclair/typebox';
import { Type } from '../typebox';
import type { DocScores, PageThresholdModel } from './model';
import { sigmoid } from './context';
import { LOCAL_COLUMN, LOCAL_FEATURES } from './local';
import { DOM_FEATURES } from '../html/dom-features';

export type { PageThresholdModel };

/** The page features, each with what a reason would call it. */
export const PAGE_FEATURES = [
  { name: 'articleShare', low: 'few blocks read as article', high: 'most blocks read as article' },
  { name: 'meanScore', low: 'low scores overall', high: 'high scores overall' },
  { name: 'blockScore', low: 'blocks weak by themselves', high: 'blocks strong by themselves' },
  { name: 'unsure', low: 'scores decided', high: 'many scores near even' },
  { name: 'prose', low: 'few lines end as sentences', high: 'most lines end as sentences' },
  { name: 'blocks', low: 'few blocks', high: 'many blocks' },
  { name: 'links', low: 'little link text (HTML)', high: 'much link text (HTML)' },
] as const;

export type PageFeatureName = (typeof PAGE_FEATURES)[number]['name'];

/** The threshold a page gets is a step of this grid, within these bounds (training judged the same grid). */
export const PAGE_THRESHOLD_STEP = 0.025;
export const PAGE_THRESHOLD_MIN = 0.15;
export const PAGE_THRESHOLD_MAX = 0.8;

const SENTENCE_END = LOCAL_COLUMN.sentenceEnd;
const L = LOCAL_FEATURES.length;

/**
 * The page features of a scored page, in PAGE_FEATURES order. `linkDensity` is the column of
 * the DOM rows (`dom`, HTML pages) holding each block's link density, when there are rows.
 */
export function pageFeatures(scores: DocScores, dom?: { values: Float64Array; width: number; linkDensity: number }): Float64Array {
  const n = scores.logit.length;
  const out = new Float64Array(PAGE_FEATURES.length);
  if (n === 0) return out;
  let article = 0,
    mean = 0,
    block = 0,
    unsure = 0,
    prose = 0,
    links = 0;
  for (let r = 0; r < n; r++) {
    const p = sigmoid(scores.logit[r]);
    if (p >= 0.5) article++;
    if (p >= 0.25 && p < 0.75) unsure++;
    mean += p;
    block += sigmoid(scores.localLogit[r]);
    prose += scores.features.local[r * L + SENTENCE_END];
    if (dom) links += dom.values[r * dom.width + dom.linkDensity];
  }
  out[0] = article / n;
  out[1] = mean / n;
  out[2] = block / n;
  out[3] = unsure / n;
  out[4] = prose / n;
  out[5] = Math.log2(1 + n);
  out[6] = links / n;
  return out;
}

/** The threshold as a step of the grid, within its bounds. */
export function onGrid(threshold: number): number {
  const t = Math.min(PAGE_THRESHOLD_MAX, Math.max(PAGE_THRESHOLD_MIN, threshold));
  return Math.round(Math.round(t / PAGE_THRESHOLD_STEP) * PAGE_THRESHOLD_STEP * 1000) / 1000;
}

/** The page's threshold from its features: `threshold` moved by the model (itself when there is none). */
export function thresholdFor(threshold: number, model: PageThresholdModel | undefined, x: Float64Array): number {
  if (!model) return threshold;
  let z = Math.log(threshold / (1 - threshold)) + model.bias;
  PAGE_FEATURES.forEach((f, k) => {
    const w = model.features[f.name];
    if (w) z += w.weight * (x[k] - w.mean);
  });
  return onGrid(sigmoid(z));
}

/** The DOM rows' column holding each block's link density. */
const LINK_COLUMN = DOM_FEATURES.findIndex((f) => f.name === 'linkDensity');

/**
 * The threshold the scorer uses on this page: the model's, moved by its `pageThreshold` when it
 * has one. `dom` is an HTML page's DOM feature rows (DOM_FEATURES order).
 */
export function pageThreshold(scores: DocScores, threshold: number, model: PageThresholdModel | undefined, dom?: Float64Array): number {
  if (!model) return threshold;
  let rows;
  if (dom) rows = { values: dom, width: DOM_FEATURES.length, linkDensity: LINK_COLUMN };
  return thresholdFor(threshold, model, pageFeatures(scores, rows));
}

/** The model file's `pageThreshold` field. */
export function pageThresholdSchema(): TSchema {
  const feature = Type.Object(
    {
      weight: Type.Number({ description: 'Log-odds the threshold moves per unit of the page feature: positive keeps less of such pages.' }),
      mean: Type.Number({ description: "The feature's mean over the training pages: a page at every mean gets the model's threshold." }),
    },
    { additionalProperties: false },
  );
  return Type.Object(
    {
      bias: Type.Number({ description: "Log-odds added to every page's threshold." }),
      features: Type.Partial(Type.Object(Object.fromEntries(PAGE_FEATURES.map((f) => [f.name, feature])), { additionalProperties: false }), {
        description: `What the page's scores say about it: ${PAGE_FEATURES.map((f) => f.name).join(', ')}.`,
      }),
    },
    {
      additionalProperties: false,
      description: `Moves the threshold page by page, in log-odds, by the page's features; the page's threshold is a step of ${PAGE_THRESHOLD_STEP} between ${PAGE_THRESHOLD_MIN} and ${PAGE_THRESHOLD_MAX}.`,
    },
  );
}
