/**
 * The public shapes of the engine: what a cleaning returns and what the rules see.
 * The result shape is the outside contract (../shared/CONTRACT.md); change it only by adding.
 */

/** Categories named by the contract. Rule sets may add their own, so the field stays a string. */
export const STANDARD_CATEGORIES = ['residue', 'ad', 'comment', 'teaser', 'navigation', 'byline', 'social', 'legal', 'duplicate', 'boilerplate'] as const;
export type Category = (typeof STANDARD_CATEGORIES)[number] | (string & {});

export interface Removal {
  start: number;
  end: number;
  text: string;
  rule: string;
  category: Category;
  reason: string;
}

export interface CleanStats {
  inputChars: number;
  outputChars: number;
  removedChars: number;
  blocks: number;
  removedBlocks: number;
  elapsedMs: number;
}

export interface CleanResult {
  id?: string;
  text: string;
  removed: Removal[];
  stats: CleanStats;
  ruleset: { id: string; version: number };
  lang: string;
}

export type OffsetUnit = 'utf16' | 'codepoint';

export interface CleanOptions {
  /** Echoed in the result. */
  id?: string;
  /** Offsets in UTF-16 code units (default, JavaScript's own) or in Unicode code points. */
  offsets?: OffsetUnit;
  /** ISO 639-1 code; detected from the text when absent. */
  lang?: string;
  /** The page's address, when known: only informational inside the engine. */
  url?: string;
}
