/**
 * Training data from labelled documents: each document runs through the rule set's other rules
 * (so that the scorer learns on what it will actually see), then every remaining block gets its
 * features, a label from the gold text and a weight.
 */
import { runRules } from '../engine/clean';
import type { DocContext } from '../engine/context';
import { compileRuleSet, type CompiledRuleSet } from '../engine/ruleset';
import type { RuleSetDef } from '../engine/schema';
import type { CompileOptions } from '../engine/regex';
import { collapseWhitespace } from '../engine/text';
import { LOCAL_COLUMN, LOCAL_FEATURES, localFeatures, type DocFeatures } from '../engine/features/local';
import { domFeatures } from '../engine/html/dom-features';
import { runHtmlRules } from '../engine/html';
import { goldShare, indexGold, ARTICLE_SHARE } from './align';
import type { LabelledDoc } from './data';
import { tokens } from '../scoring/metrics';

/**
 * A block's weight is its share of the article: errors cost in proportion to the tokens they
 * move, relative to the article's size (the metric normalises per document). The floor keeps a
 * tiny gold from giving one document all the weight.
 */
const MIN_GOLD_TOKENS = 50;
/**
 * A kept block also makes the shingles that straddle its edges wrong: up to three 4-grams on
 * each seam. So even a one-word block costs about as much as a four-word one.
 */
const SEAM_TOKENS = 3;
const HOLDS_OTHERS = LOCAL_COLUMN.holdsOthers;

export interface TrainingDoc {
  doc: LabelledDoc;
  context: DocContext;
  features: DocFeatures;
  labels: Uint8Array;
  weights: Float64Array;
  /** Gold share of each active block, kept for reports. */
  share: Float64Array;
  /** HTML training: the DOM feature rows of the active blocks (html/dom-features.ts). */
  dom?: Float64Array;
  /** The document's weight in choosing the threshold (its source's weight; 1 when absent). */
  docWeight?: number;
}

/** The rule set without its scorer rules: what runs before the scorer. */
export function withoutScorer(def: RuleSetDef, options: CompileOptions = {}): CompiledRuleSet {
  return compileRuleSet({ ...def, rules: def.rules.filter((r) => r.kind !== 'scorer') }, undefined, options);
}

/**
 * A labelled page for the HTML scorer: its `html` through the HTML engine (without the scorer),
 * then the same labels and weights as text, plus the blocks' DOM features.
 */
export function prepareHtml(doc: LabelledDoc, before: CompiledRuleSet): TrainingDoc {
  const context = runHtmlRules(doc.html ?? '', before, undefined, false);
  const t = label(doc, context);
  t.dom = domFeatures(context, t.features.active);
  return t;
}

export function prepare(doc: LabelledDoc, before: CompiledRuleSet): TrainingDoc {
  return label(doc, runRules(doc.text, before, undefined, false));
}

function label(doc: LabelledDoc, context: DocContext): TrainingDoc {
  const blocks = context.blocks;
  const features = localFeatures(context);
  const n = features.active.length;
  const labels = new Uint8Array(n);
  const weights = new Float64Array(n);
  const share = new Float64Array(n);
  const gold = indexGold(doc.gold ?? '');
  const scale = 1 / Math.max(MIN_GOLD_TOKENS, gold.tokenCount);
  for (let r = 0; r < n; r++) {
    const text = blocks[features.active[r]].rest;
    share[r] = goldShare(text, gold);
    // A block made of copies of other blocks doubles text the page already has: keeping it only
    // adds repeated shingles, whatever its words.
    const copy = features.local[r * LOCAL_FEATURES.length + HOLDS_OTHERS] > ARTICLE_SHARE;
    labels[r] = share[r] > ARTICLE_SHARE && !copy ? 1 : 0;
    weights[r] = (tokens(text).length + SEAM_TOKENS) * scale;
  }
  return { doc, context, features, labels, weights, share };
}

/** The clean text the engine would give if exactly the blocks with keep[r] stayed. */
export function keptText(t: TrainingDoc, keep: ArrayLike<boolean | number>): string {
  const out: string[] = [];
  const activeRow = new Map<number, number>();
  t.features.active.forEach((b, r) => activeRow.set(b, r));
  for (const b of t.context.blocks) {
    if (b.removedBy >= 0) continue;
    const r = activeRow.get(b.index);
    if (r !== undefined && !keep[r]) continue;
    const text = collapseWhitespace(b.rest);
    if (text) out.push(text);
  }
  return out.join('\n\n');
}
