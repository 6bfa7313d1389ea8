/**
 * Leave-one-source-out validation: for every source (a labelled set: a different crawl, a
 * different idea of "content"), a scorer trained on all the other sources judges it. Pages of
 * one source share sites and annotators, so k-fold splits inside one set flatter a model; a
 * source it has never seen is what a new user's pages look like. Each document is prepared once
 * (the rules before the scorer, features, labels), then one model is fitted per left-out source
 * plus one on everything for the in-sample figures beside them.
 */
import type { RuleSetDef } from '../engine/schema';
import { aggregateShingles, shingleMatch, type Scores } from '../scoring/metrics';
import type { LabelledDoc } from './data';
import { keptText, prepare, prepareHtml, withoutScorer, type TrainingDoc } from './dataset';
import { fitScorer, keptBy, prng, weighted, type TrainOptions } from './train';
import type { ScorerModel } from '../engine/features/model';

export interface Source {
  /** The set's name (its file name without extension). */
  name: string;
  docs: LabelledDoc[];
  /**
   * How much its blocks count in training, 1 by default. A source whose notion of content
   * differs (CleanEval keeps forum posts and comments) teaches less at a lower weight.
   */
  weight?: number;
}

export interface SourceFigures {
  source: string;
  docs: number;
  /** Judged by a scorer trained on the other sources only. */
  heldOut: Scores;
  /** Judged by a scorer trained on every source, itself included. */
  inSample: Scores;
  /** Judged by a scorer trained on the other sources only, with its one threshold for every page (pageThreshold runs only). */
  global?: Scores;
  /** Judged by the scorer the set ships (its model file), when asked for. */
  shipped?: Scores;
}

export type LosoOptions = Pick<
  TrainOptions,
  'html' | 'regex' | 'fit' | 'runCut' | 'window' | 'runFloor' | 'runGap' | 'without' | 'switchCosts' | 'thresholdChoice' | 'pageThreshold'
> & {
  /** The set's own scorer model, for a third column. */
  shipped?: ScorerModel;
  /** Called after each fitted model, for progress lines. */
  progress?: (message: string) => void;
};

/**
 * A fixed sample of `size` documents of a set (all when it has no more), in their set order: the
 * same seed gives the same pages everywhere, so figures of two runs compare.
 */
export function sampleDocs<T>(docs: T[], size: number, seed: number): T[] {
  if (!(size > 0) || docs.length <= size) return docs;
  const order = docs.map((_, i) => i);
  const rand = prng(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order
    .slice(0, size)
    .sort((a, b) => a - b)
    .map((i) => docs[i]);
}

/** The documents a source can train and be judged on: with a gold, and with html for HTML. */
export function usable(docs: LabelledDoc[], html: boolean | undefined): LabelledDoc[] {
  return docs.filter((d) => typeof d.gold === 'string' && (!html || typeof d.html === 'string'));
}

/** Prepared documents of every source, each block weighed by its source's weight. */
export function prepareSources(sources: Source[], base: RuleSetDef, options: Pick<TrainOptions, 'html' | 'regex'>): TrainingDoc[][] {
  const before = withoutScorer(base, { regex: options.regex });
  const prep = options.html ? prepareHtml : prepare;
  return sources.map((s) => usable(s.docs, options.html).map((d) => weighted(prep(d, before), s.weight ?? 1)));
}

/** score.mjs's figures for prepared documents under a model (the text the engine would give). */
export function scorePreparedDocs(docs: TrainingDoc[], model: ScorerModel): Scores {
  return aggregateShingles(docs.map((t) => shingleMatch(t.doc.gold ?? '', keptText(t, keptBy(t, model)))));
}

export function leaveOneSourceOut(sources: Source[], base: RuleSetDef, options: LosoOptions = {}): SourceFigures[] {
  const prepared = prepareSources(sources, base, options);
  const fit = (docs: TrainingDoc[]) => fitScorer(docs, { holdout: 0, seed: 1, ...options });
  const all = fit(prepared.flat());
  options.progress?.(`fitted on all ${sources.length} sources (threshold ${all.threshold}, switch cost ${all.switchCost ?? 0})`);
  return sources.map((s, i) => {
    const model = fit(prepared.filter((_, j) => j !== i).flat());
    options.progress?.(`fitted without ${s.name} (threshold ${model.threshold}, switch cost ${model.switchCost ?? 0})`);
    const row: SourceFigures = {
      source: s.name,
      docs: prepared[i].length,
      heldOut: scorePreparedDocs(prepared[i], model),
      inSample: scorePreparedDocs(prepared[i], all),
    };
    if (model.pageThreshold) options.progress?.(`page threshold without ${s.name}: ${JSON.stringify(model.pageThreshold)}`);
    if (options.pageThreshold ?? options.html) row.global = scorePreparedDocs(prepared[i], { ...model, pageThreshold: undefined });
    if (options.shipped) row.shipped = scorePreparedDocs(prepared[i], options.shipped);
    return row;
  });
}

/** The table `scripts/cross-validate.js --loso` and `declutter train` print. */
export function formatLoso(rows: SourceFigures[], apart: ReadonlySet<string> = new Set()): string[] {
  type Column = 'heldOut' | 'inSample' | 'global' | 'shipped';
  const columns: Column[] = ['heldOut', 'inSample'];
  if (rows.every((r) => r.global)) columns.push('global');
  if (rows.every((r) => r.shipped)) columns.push('shipped');
  const title: Record<Column, string> = {
    heldOut: 'held-out P / R / F1',
    inSample: 'in-sample P / R / F1',
    global: 'one threshold P/R/F1',
    shipped: 'shipped P / R / F1',
  };
  const f = (s: Pick<Scores, 'precision' | 'recall' | 'f1'>) => `${s.precision.toFixed(3)} ${s.recall.toFixed(3)} ${s.f1.toFixed(3)}`.padEnd(22);
  const lines = [`${'source'.padEnd(18)} docs   ${columns.map((c) => title[c].padEnd(22)).join('')}`];
  for (const r of rows)
    lines.push(`${r.source.padEnd(18)} ${String(r.docs).padStart(4)}   ${columns.map((c) => f(r[c]!)).join('')}${apart.has(r.source) ? '(apart)' : ''}`);
  const counted = rows.filter((r) => !apart.has(r.source));
  if (counted.length > 1) {
    const mean = (c: Column) => {
      const m = (k: 'precision' | 'recall' | 'f1') => counted.reduce((a, r) => a + r[c]![k], 0) / counted.length;
      return { precision: m('precision'), recall: m('recall'), f1: m('f1') };
    };
    lines.push(
      `${'mean of sources'.padEnd(18)} ${''.padStart(4)}   ${columns.map((c) => f(mean(c))).join('')}${counted.length < rows.length ? '(sources apart left out)' : ''}`,
    );
  }
  return lines;
}
