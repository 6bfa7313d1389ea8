/**
 * Block labels from gold text: a block is article text when most of its word 4-grams occur in
 * the gold article (the shingles the metric counts). Blocks too short for a 4-gram count as
 * article text when their words occur, in order, in the gold.
 */
import { SHINGLE, tokens } from '../scoring/metrics';

/** More than half of the block's shingles in the gold: mostly article, so keeping it pays. */
export const ARTICLE_SHARE = 0.5;

export interface GoldIndex {
  shingles: Set<string>;
  /** The gold's tokens joined with a separator on both ends, for short-block lookups. */
  joined: string;
  tokenCount: number;
}

const SEP = '\u0001';

export function indexGold(gold: string): GoldIndex {
  const t = tokens(gold);
  const shingles = new Set<string>();
  for (let i = 0; i + SHINGLE <= t.length; i++) shingles.add(t.slice(i, i + SHINGLE).join(SEP));
  return { shingles, joined: SEP + t.join(SEP) + SEP, tokenCount: t.length };
}

/** Share of the block's shingles found in the gold, 0..1. */
export function goldShare(blockText: string, gold: GoldIndex): number {
  const t = tokens(blockText);
  if (t.length === 0) return 0;
  if (t.length < SHINGLE) return gold.joined.includes(SEP + t.join(SEP) + SEP) ? 1 : 0;
  let found = 0;
  const total = t.length - SHINGLE + 1;
  for (let i = 0; i < total; i++) if (gold.shingles.has(t.slice(i, i + SHINGLE).join(SEP))) found++;
  return found / total;
}
