/**
 * What a rule kind provides to the pipeline. A rule is data (see schema.ts); its kind turns it
 * into one of three kinds of step:
 * - inline: finds spans inside blocks (markup residue, photo credits glued to a caption);
 * - block: judges one block at a time, possibly using the document's context (phrases, teasers);
 * - document: judges blocks with the whole document in view (repeats, the scorer).
 * Rules that judge elements of an HTML page (selectors) also say which elements go, through
 * `matches`, which the HTML engine tests while it builds the page's blocks.
 */
import type { TProperties } from '@sinclair/typebox';
import type { Element } from 'domhandler';
import type { Block } from './segment';
import type { DocContext } from './context';
import type { KindOptions } from './regex';
import type { DocRequirement, LiteralSites } from './prefilter/requirements';

export type Stage = 'inline' | 'block' | 'document';

/** An example is a whole document: a string, or a string plus the substrings that must (not) go. */
export type RemoveExample = string | { text: string; removed?: string[] };
export type KeepExample = string | { text: string; kept?: string[] };

export interface RuleDefBase {
  id: string;
  category: string;
  description: string;
  kind: string;
  enabled?: boolean;
  examples: { remove: RemoveExample[]; keep: KeepExample[] };
  [field: string]: unknown;
}

export type InlinePush = (start: number, end: number, reason: string) => void;

/**
 * What a phrase rule can match, for the block stage's combined lookup (prefilter/stage.ts): a
 * squashed block (kinds/phrase.ts) it can match starts with one of `starts` or `single` and ends
 * with one of `endings` or `single`, and is at most `maxLen` long.
 */
export interface PhraseIndex {
  /** First two characters of the squashed phrases longer than one. */
  readonly starts: readonly string[];
  /** Last two characters of the same. */
  readonly endings: readonly string[];
  /** Squashed one-character phrases. */
  readonly single: readonly string[];
  /** Every squashed phrase. */
  readonly phrases: readonly string[];
  readonly maxLen: number;
}

/**
 * What a block rule promises the stage's prefilter: `literals`, lower-case ASCII strings one of
 * which (case folded) is in every block the rule removes, and `maxChars`, the longest block it
 * removes; or `phrases`, its phrase index. A rule without one runs on every block.
 */
export type BlockPrefilter = { literals: readonly string[]; maxChars?: number } | { phrases: PhraseIndex };

export interface CompiledRule {
  readonly def: RuleDefBase;
  readonly id: string;
  readonly category: string;
  readonly stage: Stage;
  /**
   * Inline rules search the whole input once (fast) and report absolute offsets; `push` drops
   * matches that cross a block's end, after which `inlineBlock` is asked for that block alone.
   */
  inline?(input: string, push: InlinePush, doc: DocContext): void;
  inlineBlock?(block: Block, push: InlinePush): void;
  /** Block rules: a reason when the block (its text left after inline removals) should go. */
  block?(block: Block, doc: DocContext): string | null;
  /** Set by rules that run only on documents mentioning certain strings; the set finds them all in one scan. */
  requires?: DocRequirement;
  /** Inline rules: literals whose occurrences the same scan records, for the rule to read (DocContext.literalSites). */
  literalSites?: LiteralSites;
  /** Block rules: lets the stage skip blocks the rule cannot remove (never one it would). */
  prefilter?: BlockPrefilter;
  /** Document rules: call `remove` for each block index that should go. */
  document?(doc: DocContext, remove: (blockIndex: number, reason: string) => void): void;
  /** Element rules (HTML pages only): true when the element goes whole, with everything inside it. */
  matches?(el: Element): boolean;
  /**
   * Block rules that judge a block against the rest of the page (a teaser's topic against the
   * article's): on a text that is all article there is no page to judge against, so such a
   * removal is no sign of a page dump and gives way to the article test (engine/article-shape.ts).
   */
  readonly pageRelative?: boolean;
}

export interface RuleKind {
  kind: string;
  /** Human summary used in the generated schema and docs. */
  summary: string;
  /** The kind's own fields, beside the base fields every rule has. */
  properties: TProperties;
  /** Fields the kind requires (the rest are optional). */
  required: string[];
  /** Further checks a schema cannot express (a regex that does not compile...): field → message. */
  check?(def: RuleDefBase, options: KindOptions): { field: string; message: string } | null;
  compile(def: RuleDefBase, options: KindOptions): CompiledRule;
}

/**
 * A rule of the document stage: the kinds that judge the whole document (subtree, duplicate,
 * menu, scorer) compile to the rule's identity and their `document` pass, and this writes the
 * identity once for them.
 */
export function documentRule(def: RuleDefBase, pass: Pick<CompiledRule, 'document'> & Partial<CompiledRule>): CompiledRule {
  return { def, id: def.id, category: def.category, stage: 'document', ...pass };
}
