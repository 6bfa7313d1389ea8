/**
 * Scoring a labelled set: the one place that turns documents and their cleaning outcomes into the
 * set's figures (exactly those of ../shared/eval/score.mjs), each document's own figures, and what
 * was removed per rule and per category. `declutter eval` and the quality gate, the evaluate API
 * and the dashboard's in-browser scoring all go through it, so they cannot disagree. No imports
 * but the metrics: Vite bundles it into the dashboard's worker.
 */
import {
  aggregateShingles,
  aggregateSnippets,
  f1Of,
  precisionOf,
  recallOf,
  shingleMatch,
  snippetDocumentScores,
  snippetMatch,
  type Scores,
  type SnippetCounts,
} from './metrics';

/**
 * A document in the contract's labelled formats: `gold` (the article body), or `with`/`without`
 * snippets. One with neither is cleaned and its removals counted, but not scored (score.mjs skips it).
 */
export interface LabelledDocument {
  id: string;
  text: string;
  gold?: string;
  with?: string[];
  without?: string[];
}

/** What scoring reads of a removed span. */
export interface RemovedSpanRef {
  rule: string;
  category: string;
  start: number;
  end: number;
}

/** A cleaning result as far as scoring goes: the engine's CleanResult and a batch answer's line both fit. */
export interface CleanedDocument {
  text: string;
  removed: readonly RemovedSpanRef[];
  /** The input's size as the cleaner measured it (a page in HTML characters); the document's text otherwise. */
  stats?: { inputChars: number };
}

/** One document's cleaning: a result, or why there is none (scored as an empty prediction, as score.mjs scores a missing one). */
export type CleaningOutcome = { result: CleanedDocument } | { error: { code: string; detail: string } };

export interface DocumentScore {
  id: string;
  /** Shingles for a gold document; snippets otherwise, a side with nothing to find counting as perfect. */
  precision: number;
  recall: number;
  f1: number;
  removedChars: number;
  /** Removed spans per rule. */
  hits: Record<string, number>;
  /** A with/without document's snippet counts. */
  tp?: number;
  fp?: number;
  fn?: number;
  tn?: number;
  error?: { code: string; detail: string };
}

export interface RuleRemovals {
  rule: string;
  category: string;
  hits: number;
  removedChars: number;
}

export interface CategoryRemovals {
  category: string;
  hits: number;
  removedChars: number;
}

export interface SetScore {
  /** score.mjs's figures: `shingle` over the gold documents, `snippets` over the with/without ones. */
  metrics: { shingle?: Scores; snippets?: Scores & SnippetCounts };
  /** In the order of their first removal; each caller sorts as its readers need. */
  rules: RuleRemovals[];
  categories: CategoryRemovals[];
  /** The labelled documents, in input order. */
  documents: DocumentScore[];
  /** Documents that could not be cleaned. */
  failed: number;
  /** Characters given to the cleaner: what removal shares are shares of. */
  inputChars: number;
}

/**
 * Takes documents one at a time, so that a caller cleaning a large set need not hold every result
 * (`declutter eval --html` on a dev set is tens of MB of pages).
 */
/** The answer of the evaluate API (docs/rulesets-api.md), which the dashboard reads too. */
export interface EvaluationAnswer {
  ruleset: { id: string; version: number };
  metrics: SetScore['metrics'];
  /** Most removed characters first, then most hits. */
  rules: RuleRemovals[];
  categories: CategoryRemovals[];
  documents: DocumentScore[];
  /** Documents that could not be cleaned (time budget, engine failure). */
  failed: number;
}

export class LabelledSetScorer {
  private readonly shingleDocs: [number, number, number][] = [];
  private readonly snippetDocs: SnippetCounts[] = [];
  private readonly rules = new Map<string, RuleRemovals>();
  private readonly categories = new Map<string, CategoryRemovals>();
  private readonly documents: DocumentScore[] = [];
  private failed = 0;
  private inputChars = 0;

  add(doc: LabelledDocument, outcome: CleaningOutcome): void {
    const result = 'result' in outcome ? outcome.result : undefined;
    if (!result) this.failed++;
    this.inputChars += result?.stats?.inputChars ?? doc.text.length;
    const text = result?.text ?? '';
    const hits: Record<string, number> = {};
    let removedChars = 0;
    for (const r of result?.removed ?? []) {
      const n = r.end - r.start;
      removedChars += n;
      hits[r.rule] = (hits[r.rule] ?? 0) + 1;
      const rule = this.rules.get(r.rule) ?? { rule: r.rule, category: r.category, hits: 0, removedChars: 0 };
      rule.hits++;
      rule.removedChars += n;
      this.rules.set(r.rule, rule);
      const category = this.categories.get(r.category) ?? { category: r.category, hits: 0, removedChars: 0 };
      category.hits++;
      category.removedChars += n;
      this.categories.set(r.category, category);
    }
    let score: DocumentScore;
    if (typeof doc.gold === 'string') {
      const m = shingleMatch(doc.gold, text);
      this.shingleDocs.push(m);
      const p = precisionOf(...m),
        r = recallOf(...m);
      score = { id: doc.id, precision: p, recall: r, f1: f1Of(p, r), removedChars, hits };
    } else if (Array.isArray(doc.with)) {
      const c = snippetMatch(doc.with, doc.without ?? [], text);
      this.snippetDocs.push(c);
      score = { id: doc.id, ...snippetDocumentScores(c), removedChars, hits, ...c };
    } else {
      return;
    }
    if ('error' in outcome) score.error = outcome.error;
    this.documents.push(score);
  }

  score(): SetScore {
    const metrics: SetScore['metrics'] = {};
    if (this.shingleDocs.length) metrics.shingle = aggregateShingles(this.shingleDocs);
    if (this.snippetDocs.length) metrics.snippets = aggregateSnippets(this.snippetDocs);
    return {
      metrics,
      rules: [...this.rules.values()],
      categories: [...this.categories.values()],
      documents: this.documents,
      failed: this.failed,
      inputChars: this.inputChars,
    };
  }
}

/** `outcomes[i]` is the cleaning of `docs[i]`. */
export function scoreLabelledSet(docs: readonly LabelledDocument[], outcomes: readonly CleaningOutcome[]): SetScore {
  const scorer = new LabelledSetScorer();
  docs.forEach((doc, i) => scorer.add(doc, outcomes[i]));
  return scorer.score();
}
