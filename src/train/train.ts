/**
 * `declutter train`: learns the article scorer's weights from labelled documents and reports
 * how well it does on the documents it learnt from and, separately, on documents held back.
 */
import { cleanText } from '../engine/clean';
import { compileRuleSet } from '../engine/ruleset';
import type { RuleSetDef } from '../engine/schema';
import type { RuleDefBase } from '../engine/rule';
import { CONTEXT_FEATURES, contextFeatures } from '../engine/features/context';
import { LOCAL_FEATURES } from '../engine/features/local';
import { densify, keepMask, linear, scoreFeatures, type DocScores, type ScorerModel } from '../engine/features/model';
import type { LabelledDoc } from './data';
import { DEFAULT_FIT, fitLogistic, type FitOptions } from './fit';
import { aggregateShingles, shingleMatch, type Scores } from './metrics';
import { keptText, prepare, withoutScorer, type TrainingDoc } from './dataset';

export const SCORER_RULE_ID = 'article-scorer';

export interface TrainOptions {
  /** Share of documents held back for the report, 0..<1. */
  holdout: number;
  seed: number;
  fit?: FitOptions;
  runCut?: number;
  window?: number;
  runFloor?: number;
  /** Chooses the held-back documents instead of a random split (for set-against-set figures). */
  heldOut?: (doc: LabelledDoc) => boolean;
  /** Feature names to leave out (for ablations); all are used by default. */
  without?: string[];
}

export interface SplitReport {
  docs: number;
  blocks: number;
  /** Share of blocks whose verdict agrees with the gold label. */
  blockAccuracy: number;
  /** The same, each block weighted by its share of the article's tokens. */
  weightedAccuracy: number;
  shingle: Scores;
}

export interface TrainResult {
  model: ScorerModel;
  rule: RuleDefBase;
  train: SplitReport;
  holdout: SplitReport | null;
  trainIds: string[];
  holdoutIds: string[];
}

/** Mulberry32: a small, well-mixed PRNG, so that a seed gives the same split everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function split<T>(items: T[], holdout: number, seed: number): { train: T[]; held: T[] } {
  const order = items.map((_, i) => i);
  const rand = prng(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const cut = Math.round(items.length * holdout);
  return { held: order.slice(0, cut).sort((a, b) => a - b).map((i) => items[i]), train: order.slice(cut).sort((a, b) => a - b).map((i) => items[i]) };
}

/** The defaults of the scorer kind (see kinds/scorer.ts for why these values). */
const DEFAULT_RUN_CUT = 0.5;
const DEFAULT_WINDOW = 2;
/**
 * Training's choice for the scorer's run floor: about one sentence. With it, a stretch of menu
 * or share lines separates the article from a comment thread or a related-stories block; in
 * cross-set tests (train on one dev set, test on the other) 25 beat 1 by 0.01-0.025 F1 and was
 * as good as 40 or 50.
 */
const DEFAULT_RUN_FLOOR = 25;
/** Thresholds tried on the training documents; outside this range the models' calibration is poor. */
const THRESHOLDS = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7];

function stack(rows: { values: Float64Array; labels: Uint8Array; weights: Float64Array }[], F: number) {
  const n = rows.reduce((a, r) => a + r.labels.length, 0);
  const x = new Float64Array(n * F), y = new Uint8Array(n), w = new Float64Array(n);
  let at = 0;
  for (const r of rows) {
    x.set(r.values, at * F);
    y.set(r.labels, at);
    w.set(r.weights, at);
    at += r.labels.length;
  }
  return { x, y, w };
}

/** The scores of every active block of a prepared document under a model. */
export function scorePrepared(t: TrainingDoc, model: ScorerModel): DocScores {
  return scoreFeatures(t.features, densify(model.block, LOCAL_FEATURES), densify(model.context, CONTEXT_FEATURES), model);
}

/** Which active blocks the scorer keeps, exactly as the rule decides. */
export function keptBy(t: TrainingDoc, model: ScorerModel): Uint8Array {
  return keepMask(scorePrepared(t, model), model.threshold);
}

export function fitScorer(prepared: TrainingDoc[], options: TrainOptions): ScorerModel {
  const fit = options.fit ?? DEFAULT_FIT;
  const use = (table: readonly { name: string }[]) => new Set(table.map((f) => f.name).filter((n) => !options.without?.includes(n)));
  const params = { runCut: options.runCut ?? DEFAULT_RUN_CUT, window: options.window ?? DEFAULT_WINDOW, runFloor: options.runFloor ?? DEFAULT_RUN_FLOOR };
  const L = stack(prepared.map((t) => ({ values: t.features.local, labels: t.labels, weights: t.weights })), LOCAL_FEATURES.length);
  const blockModel = fitLogistic(LOCAL_FEATURES, L.x, L.y, L.w, fit, use(LOCAL_FEATURES));
  const dense = densify(blockModel, LOCAL_FEATURES);
  const ctxRows = prepared.map((t) => {
    const local = new Float64Array(t.labels.length);
    for (let r = 0; r < local.length; r++) local[r] = linear(dense, t.features.local, r);
    return { values: contextFeatures(t.features, local, params).values, labels: t.labels, weights: t.weights };
  });
  const C = stack(ctxRows, CONTEXT_FEATURES.length);
  const contextModel = fitLogistic(CONTEXT_FEATURES, C.x, C.y, C.w, fit, use(CONTEXT_FEATURES));
  const model: ScorerModel = { threshold: 0.5, ...params, block: blockModel, context: contextModel };
  model.threshold = bestThreshold(prepared, model);
  return model;
}

/** The threshold with the best shingle F1 on the training documents (one value for all documents). */
function bestThreshold(prepared: TrainingDoc[], model: ScorerModel): number {
  const scores = prepared.map((t) => scorePrepared(t, model));
  let best = 0.5, bestF1 = -1;
  for (const th of THRESHOLDS) {
    const perDoc = prepared.map((t, i) => shingleMatch(t.doc.gold ?? '', keptText(t, keepMask(scores[i], th))));
    const f1 = aggregateShingles(perDoc).f1;
    if (f1 > bestF1 + 1e-9) {
      bestF1 = f1;
      best = th;
    }
  }
  return best;
}

export function scorerRule(model: ScorerModel): RuleDefBase {
  return {
    id: SCORER_RULE_ID,
    category: 'boilerplate',
    description: 'A block the article scorer judged not to be part of the article (menus, footers, teasers, comments).',
    kind: 'scorer',
    threshold: model.threshold,
    runCut: model.runCut,
    runFloor: model.runFloor,
    window: model.window,
    block: model.block,
    context: model.context,
    examples: {
      remove: [{ text: EXAMPLE_PAGE, removed: ['Home', 'Privacy Policy | Terms of Use | Contact'] }],
      keep: [{ text: EXAMPLE_PAGE, kept: [EXAMPLE_PARAGRAPHS[0], EXAMPLE_PARAGRAPHS[1]] }],
    },
  };
}

const EXAMPLE_PARAGRAPHS = [
  'The city council voted on Tuesday to extend the tram line to the northern districts, a project that has been debated for more than a decade.',
  'Construction is expected to start next spring, and the first trams should run in 2029, according to the mayor, who called the decision a turning point for the region.',
  'Residents of the northern districts have long complained that the bus connections are slow and crowded, and that the new line will shorten their trips by half.',
];
const EXAMPLE_PAGE = ['Home', 'News', 'Sport', ...EXAMPLE_PARAGRAPHS, 'Privacy Policy | Terms of Use | Contact'].join('\n');

function report(prepared: TrainingDoc[], docs: LabelledDoc[], rules: RuleSetDef, model: ScorerModel): SplitReport {
  let blocks = 0, correct = 0, wCorrect = 0, wTotal = 0;
  for (const t of prepared) {
    const keep = keptBy(t, model);
    for (let r = 0; r < keep.length; r++) {
      const ok = keep[r] === t.labels[r];
      blocks++;
      if (ok) correct++;
      wTotal += t.weights[r];
      if (ok) wCorrect += t.weights[r];
    }
  }
  const compiled = compileRuleSet(rules);
  const perDoc = docs.map((d) => shingleMatch(d.gold ?? '', cleanText(d.text, compiled).text));
  return { docs: docs.length, blocks, blockAccuracy: blocks ? correct / blocks : 0, weightedAccuracy: wTotal ? wCorrect / wTotal : 0, shingle: aggregateShingles(perDoc) };
}

/** Puts the scorer rule into a set: replaces a scorer rule of the same id, or appends it. */
export function withScorer(base: RuleSetDef, rule: RuleDefBase): RuleSetDef {
  const rules = base.rules.filter((r) => r.kind !== 'scorer');
  return { ...base, rules: [...rules, rule] };
}

export function train(docs: LabelledDoc[], base: RuleSetDef, options: TrainOptions): TrainResult {
  const gold = docs.filter((d) => typeof d.gold === 'string');
  if (gold.length === 0) throw new Error('no document with a "gold" text to learn from');
  const { train: trainDocs, held } = options.heldOut
    ? { train: gold.filter((d) => !options.heldOut!(d)), held: gold.filter(options.heldOut) }
    : split(gold, options.holdout, options.seed);
  const before = withoutScorer(base);
  const prepared = trainDocs.map((d) => prepare(d, before));
  const model = fitScorer(prepared, options);
  const rule = scorerRule(model);
  const rules = withScorer(base, rule);
  const heldPrepared = held.map((d) => prepare(d, before));
  return {
    model,
    rule,
    train: report(prepared, trainDocs, rules, model),
    holdout: held.length ? report(heldPrepared, held, rules, model) : null,
    trainIds: trainDocs.map((d) => d.id),
    holdoutIds: held.map((d) => d.id),
  };
}
