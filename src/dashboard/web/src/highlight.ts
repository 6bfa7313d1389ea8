/**
 * Draws a document with its removed spans marked. Small documents are drawn at once; large ones
 * chunk by chunk, a few per animation frame, so the page stays responsive while a 1 MB document
 * appears; each chunk uses content-visibility so the browser skips layout of chunks off screen.
 */
import { categoryClass } from './categories';
import { chunkPieces, type RemovedSpan } from './spans';

/** Time per frame spent adding chunks: leaves most of a 16 ms frame for input and painting. */
const FRAME_BUDGET_MS = 8;

export interface HighlightHandle {
  cancel(): void;
  /** Resolves when every chunk is in the page. */
  done: Promise<void>;
}

function drawChunk(pieces: ReturnType<typeof chunkPieces>[number], text: string, removed: RemovedSpan[]): HTMLElement {
  const div = document.createElement('div');
  div.className = 'chunk';
  for (const p of pieces) {
    const slice = text.slice(p.start, p.end);
    if (p.kind === 'text') {
      div.append(slice);
      continue;
    }
    const r = removed[p.index];
    const mark = document.createElement('mark');
    mark.className = `rm ${categoryClass(r.category)}`;
    mark.dataset.i = String(p.index);
    mark.dataset.rule = r.rule;
    mark.dataset.category = r.category;
    // Roving focus: only one span is in the tab order; arrow keys move between spans.
    mark.tabIndex = p.index === 0 ? 0 : -1;
    mark.setAttribute('aria-label', `removed by ${r.rule} (${r.category}): ${slice.length > 80 ? slice.slice(0, 80) + '…' : slice}`);
    mark.textContent = slice;
    div.append(mark);
  }
  return div;
}

export function drawHighlights(container: HTMLElement, text: string, removed: RemovedSpan[]): HighlightHandle {
  const chunks = chunkPieces(text.length, removed, text);
  container.replaceChildren();
  let cancelled = false;
  let next = 0;
  const first = document.createDocumentFragment();
  // The first chunk (all of a typical page) is drawn synchronously: no flicker while typing.
  while (next < chunks.length && next < 1) first.append(drawChunk(chunks[next++], text, removed));
  container.append(first);
  container.setAttribute('aria-busy', next < chunks.length ? 'true' : 'false');
  const done = new Promise<void>((resolveDone) => {
    const step = () => {
      if (cancelled) return resolveDone();
      const started = performance.now();
      const frag = document.createDocumentFragment();
      while (next < chunks.length && performance.now() - started < FRAME_BUDGET_MS) frag.append(drawChunk(chunks[next++], text, removed));
      container.append(frag);
      if (next < chunks.length) requestAnimationFrame(step);
      else {
        container.setAttribute('aria-busy', 'false');
        resolveDone();
      }
    };
    if (next < chunks.length) requestAnimationFrame(step);
    else resolveDone();
  });
  return {
    cancel: () => {
      cancelled = true;
    },
    done,
  };
}
