/**
 * A feature table: the named features a scorer model weighs, in the order of the columns of the
 * rows that compute them. Rows are written by name through `columnsOf`, never by position, so
 * that adding, removing or moving a feature cannot shift another's column; a rule set's weights
 * are keyed by name too (densify in model.ts), so the order is nobody's contract.
 */
export interface FeatureInfo {
  name: string;
  /** What the block is like when the value is below the typical block's ("short block"). */
  low: string;
  /** ... and when above ("long block"). */
  high: string;
  /**
   * The direction the feature must push, when it has one by its meaning: training keeps the
   * weight at or above 0 (1) or at or below 0 (-1), so that a reason never names, say, "inside
   * the main text" as what counted against a block.
   */
  sign?: 1 | -1;
}

/** Each feature's column, by name; a table declared `as const` gives a misspelt name a type error. */
export function columnsOf<N extends string>(table: readonly { readonly name: N }[]): Readonly<Record<N, number>> {
  const columns = {} as Record<N, number>;
  table.forEach((f, i) => {
    if (f.name in columns) throw new Error(`feature "${f.name}" is in the table twice`);
    columns[f.name] = i;
  });
  return columns;
}
