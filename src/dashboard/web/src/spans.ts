/**
 * Cuts a document into pieces for display: text and removed spans, grouped into chunks of about
 * CHUNK_CHARS so that a 1 MB document is rendered a few chunks per frame instead of in one long
 * task, and off-screen chunks can be skipped by the browser's layout (content-visibility).
 */
export interface RemovedSpan {
  start: number;
  end: number;
  text: string;
  rule: string;
  category: string;
  reason: string;
}

export type Piece = { kind: 'text'; start: number; end: number } | { kind: 'removed'; start: number; end: number; index: number };

/**
 * About 16 KB a chunk: a 10 KB page is a single chunk (drawn at once, no flicker while typing),
 * while a 1 MB page becomes ~64 chunks, each cheap enough (a few ms) to add within one frame.
 */
export const CHUNK_CHARS = 16_000;

/** Chunks of pieces covering [0, length); a chunk ends at a newline where one is near, so lines are not split. */
export function chunkPieces(length: number, removed: RemovedSpan[], text: string, chunkChars = CHUNK_CHARS): Piece[][] {
  const pieces: Piece[] = [];
  let at = 0;
  removed.forEach((r, index) => {
    if (r.start > at) pieces.push({ kind: 'text', start: at, end: r.start });
    pieces.push({ kind: 'removed', start: r.start, end: r.end, index });
    at = Math.max(at, r.end);
  });
  if (at < length) pieces.push({ kind: 'text', start: at, end: length });

  const chunks: Piece[][] = [];
  let current: Piece[] = [];
  let size = 0;
  for (const piece of pieces) {
    let p = piece;
    // Long stretches of kept text are cut at newlines so every chunk stays near the target size.
    while (p.kind === 'text' && size + (p.end - p.start) > chunkChars) {
      const room = Math.max(1, chunkChars - size);
      let cut = text.lastIndexOf('\n', p.start + room);
      if (cut <= p.start) cut = p.start + room;
      else cut += 1;
      current.push({ kind: 'text', start: p.start, end: cut });
      chunks.push(current);
      current = [];
      size = 0;
      p = { kind: 'text', start: cut, end: p.end };
      if (p.start >= p.end) break;
    }
    if (p.start >= p.end && p.kind === 'text') continue;
    current.push(p);
    size += p.end - p.start;
    if (size >= chunkChars) {
      chunks.push(current);
      current = [];
      size = 0;
    }
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/** Removed characters and spans per category, and hits per rule, for the legend and rule list. */
export function tally(removed: RemovedSpan[]): { categories: Map<string, { spans: number; chars: number }>; rules: Map<string, number> } {
  const categories = new Map<string, { spans: number; chars: number }>();
  const rules = new Map<string, number>();
  for (const r of removed) {
    const c = categories.get(r.category) ?? { spans: 0, chars: 0 };
    c.spans++;
    c.chars += r.end - r.start;
    categories.set(r.category, c);
    rules.set(r.rule, (rules.get(r.rule) ?? 0) + 1);
  }
  return { categories, rules };
}
