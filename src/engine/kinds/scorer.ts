/**
 * kind: scorer. Finds the article in a whole-page dump: every block left by the other rules gets
 * an article score from two logistic models over named features (see features/), and blocks
 * scoring below the threshold go. The weights are data, written by `declutter train` into a model
 * file the rule names (the loader reads it) and readable in YAML; each removal names the features that weighed most against the block.
 */
import type { TSchema } from '@sinclair/typebox';
import { Type } from '../typebox';
import { documentRule, type CompiledRule, type RuleDefBase, type RuleKind } from '../rule';
import { CONTEXT_FEATURES } from '../features/context';
import { LOCAL_FEATURES } from '../features/local';
import type { FeatureInfo } from '../features/table';
import {
  contributions,
  densify,
  extendTail,
  startAtHeadline,
  keepMask,
  scoreDocument,
  scoreFeatures,
  sigmoid,
  type DocScores,
  type ExtraBlockFeatures,
  type ScorerModel,
} from '../features/model';
import { localFeatures } from '../features/local';
import { pageThreshold, pageThresholdSchema } from '../features/page-threshold';
import { DOM_FEATURES, domFeatures } from '../html/dom-features';
import { isHtmlDoc } from '../html/context';
import { sparedBlock } from '../article-shape';
import { keepHeadline, PAGE_TITLE_REASON } from '../headline';
import { commentsAfter } from '../comment-thread';
import type { DocContext } from '../context';

/**
 * Which rows the scorer keeps, the row it drops as the page's <title> (-1: none) and the headline
 * row above which a text dump's kept lines went (-1: none): the decoding (keepMask), then for a
 * text dump its closing run (features/model.ts extendTail) and its start at a line repeating the
 * title (startAtHeadline), then the headline above the first kept block (engine/headline.ts). The
 * rule and training's keptBy both decide with it, so a model is judged exactly as it will run.
 */
export function scorerKeep(
  doc: DocContext,
  scores: DocScores,
  threshold: number,
  switchCost: number | undefined,
  textDump: boolean,
  dom?: Float64Array,
): { keep: Uint8Array; pageTitle: number; headline: number } {
  const keep = keepMask(scores, threshold, textDump, switchCost);
  let headline = -1;
  if (textDump) {
    extendTail(scores, keep);
    headline = startAtHeadline(scores, keep);
  }
  const pageTitle = keepHeadline(doc, scores.features.active, keep, threshold, dom);
  return { keep, pageTitle, headline };
}

/** Why a line the decoding kept went with startAtHeadline. */
const ABOVE_HEADLINE_REASON =
  "above the article's headline (the line that repeats the page title): where a page dump puts its menus, section labels and teasers";

interface ScorerDef extends RuleDefBase, ScorerModel {
  explain?: number;
}

/** Three features are what a person reads in a reason; more become noise. */
const DEFAULT_EXPLAIN = 3;
/** A block is its own neighbourhood plus two blocks each side: jusText's context reaches about as far. */
export const DEFAULT_WINDOW = 2;
/** Even odds: a block adds to the main run when the block model thinks it is more likely article than not. */
export const DEFAULT_RUN_CUT = 0.5;
/** One word: a block weighs what it says unless the rule asks for more. */
const DEFAULT_RUN_FLOOR = 1;

function modelSchema(table: readonly FeatureInfo[], what: string): TSchema {
  const feature = Type.Object(
    {
      weight: Type.Number({ description: 'Log-odds per unit of the feature: positive means article-like.' }),
      mean: Type.Number({ description: 'The typical value in the training data; contributions are measured from it.' }),
    },
    { additionalProperties: false },
  );
  return Type.Object(
    {
      bias: Type.Number({ description: 'Log-odds of a block whose features are all at their means.' }),
      features: Type.Partial(Type.Object(Object.fromEntries(table.map((f) => [f.name, feature])), { additionalProperties: false }), {
        description: `${what}: ${table.map((f) => f.name).join(', ')}.`,
      }),
    },
    { additionalProperties: false },
  );
}

/**
 * The fields `declutter train` learns: they live in a model file of the rules directory
 * (rules/models/*.yaml), which a scorer rule names with `model`, or in the rule itself.
 */
function trainedProperties() {
  return {
    threshold: Type.Number({ minimum: 0, maximum: 1, description: 'Blocks whose article score (0..1) is below this are removed.' }),
    runCut: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1, description: `Block score above which a block extends the main text; default ${DEFAULT_RUN_CUT}.` }),
    ),
    runFloor: Type.Optional(
      Type.Number({
        minimum: 1,
        description: `Each block counts as at least this many words in the main run's sum, so that runs of short lines separate texts; default ${DEFAULT_RUN_FLOOR}.`,
      }),
    ),
    runGap: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          'Short lines (a subhead, a short list) that may part the main run from a further stretch of article text that then joins it; default 0 (none).',
      }),
    ),
    window: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: `Blocks on each side that count as neighbours; default ${DEFAULT_WINDOW}.` })),
    switchCost: Type.Optional(
      Type.Number({
        minimum: 0,
        description:
          'Log-odds it costs to pass between article and boilerplate from one block to the next; above 0 the blocks are decided together as a sequence; default 0 (each block by the threshold).',
      }),
    ),
    pageThreshold: Type.Optional(pageThresholdSchema()),
    block: modelSchema(LOCAL_FEATURES, 'The block judged by itself'),
    context: modelSchema(CONTEXT_FEATURES, 'The block in its surroundings ("self" is the block model\'s log-odds)'),
    dom: Type.Optional(
      modelSchema(
        DOM_FEATURES,
        "HTML pages only: the block's markup, added to the block model. A scorer with a dom model judges HTML pages only, and a set that has one uses it instead of its text scorers on HTML pages",
      ),
    ),
  };
}

/** The trained fields every scorer needs, from its rule or its model file. */
const REQUIRED_TRAINED = ['threshold', 'block', 'context'];

/** What a model file holds: the trained fields and nothing else. */
export function scorerModelSchema(): TSchema {
  return Type.Object(trainedProperties(), { additionalProperties: false });
}

/**
 * A model reference: a YAML file in the `models` folder beside the set. A plain relative name,
 * so a set (one sent through the API too) can name no file outside that folder.
 */
export const MODEL_REF_PATTERN = '^models/[a-z0-9][a-z0-9._-]*\\.ya?ml$';

export const scorerKind: RuleKind = {
  kind: 'scorer',
  summary: 'Scores every remaining block as article text or not with logistic models over named features; blocks below the threshold go.',
  get properties() {
    return {
      model: Type.Optional(
        Type.String({
          pattern: MODEL_REF_PATTERN,
          description:
            "The model file (models/NAME.yaml, beside the set) holding the trained fields: threshold, runCut, runFloor, window, block, context, dom. The loader reads it; a field the rule also gives is the rule's.",
        }),
      ),
      ...Object.fromEntries(Object.entries(trainedProperties()).map(([k, v]) => [k, REQUIRED_TRAINED.includes(k) ? Type.Optional(v) : v])),
      explain: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: `How many features a removal reason names; default ${DEFAULT_EXPLAIN}.` })),
    };
  },
  // threshold, block and context come from the rule or from its model file: check() asks for one.
  required: [],
  check(def) {
    if (def.model !== undefined) return null;
    const missing = REQUIRED_TRAINED.filter((f) => def[f] === undefined);
    return missing.length ? { field: missing[0], message: `is required (or name a model file with "model")` } : null;
  },
  compile(raw): CompiledRule {
    const def = raw as ScorerDef;
    // The engine reads no files: the loader puts the model's fields into the rule first.
    if (def.block === undefined) throw new Error(`rule "${def.id}": its model "${String(def.model)}" was not loaded into the rule`);
    const block = densify(def.block, LOCAL_FEATURES);
    const context = densify(def.context, CONTEXT_FEATURES);
    const params = {
      runCut: def.runCut ?? DEFAULT_RUN_CUT,
      window: def.window ?? DEFAULT_WINDOW,
      runFloor: def.runFloor ?? DEFAULT_RUN_FLOOR,
      runGap: def.runGap ?? 0,
    };
    const explain = def.explain ?? DEFAULT_EXPLAIN;
    const dom = def.dom ? densify(def.dom, DOM_FEATURES) : null;
    return documentRule(def, {
      document(doc, remove) {
        // Text that already reads as an article keeps its lines (engine/article-shape.ts).
        if (doc.articleShaped) return;
        let scores;
        let extra: ExtraBlockFeatures | undefined;
        if (dom) {
          // An HTML scorer: text documents have no markup to judge.
          if (!isHtmlDoc(doc)) return;
          const features = localFeatures(doc);
          extra = { table: DOM_FEATURES, model: dom, values: domFeatures(doc, features.active) };
          scores = scoreFeatures(features, block, context, params, extra);
        } else scores = scoreDocument(doc, block, context, params);
        // One threshold for every page, or this page's (features/page-threshold.ts).
        const threshold = pageThreshold(scores, def.threshold, def.pageThreshold, extra?.values);
        const { keep, pageTitle, headline } = scorerKeep(doc, scores, threshold, def.switchCost, !dom, extra?.values);
        // Readers' comments after the article go, as a thread (engine/comment-thread.ts), from a
        // page too: a thread whose box is named as comments goes before the scorer (html/prune.ts),
        // this catches those in unnamed boxes. HTML leave-one-source-out, held-out F1 without ->
        // with: dragnet 0.915 -> 0.920, l3s-gn1 0.951 -> 0.955, aeb-dev 0.953 = (P +0.001),
        // readability-dev 0.949 = , cleanportaleval 0.964 = ; CleanEval, whose gold counts
        // comments, 0.907 -> 0.893 (apart).
        const active = scores.features.active;
        const comments = commentsAfter(doc, active, keep);
        for (let r = 0; r < scores.logit.length; r++) {
          const inThread = comments !== null && keep[r] === 1 && active[r] >= comments.from;
          // The core of a text that found no furniture stays (engine/article-shape.ts).
          if ((keep[r] && !inThread) || sparedBlock(doc, active[r])) continue;
          if (inThread) {
            remove(active[r], comments.reason);
            continue;
          }
          if (r === pageTitle) {
            remove(active[r], PAGE_TITLE_REASON);
            continue;
          }
          const p = sigmoid(scores.logit[r]);
          // Above the headline, a line scored as article went because of where it stands; one
          // scored below the threshold keeps its score as the reason.
          if (r < headline && p >= threshold) {
            remove(active[r], ABOVE_HEADLINE_REASON);
            continue;
          }
          const top = contributions(scores, r, block, context, explain, extra);
          const why = top.map((c) => `${c.label} (${c.value.toFixed(1)})`).join(', ');
          // Decided as a sequence (switchCost), a block above the threshold may go with the boilerplate around it.
          const verdict = p < threshold ? `< ${threshold}` : `≥ ${threshold}, but it stands amid blocks below it and goes with them`;
          remove(scores.features.active[r], `article score ${p.toFixed(2)} ${verdict}${why ? `: ${why}` : ''}`);
        }
      },
    });
  },
};
