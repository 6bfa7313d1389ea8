/**
 * The article as a page's structured data states it: schema.org JSON-LD (`<script
 * type="application/ld+json">`) carries the body of news and blog articles as `articleBody`
 * (`text` on other creative works, `reviewBody` on reviews). Pages that draw their article with
 * scripts show none of it without them; the block builder then reads the body from here
 * (blocks.ts, `structuredBody`).
 */
import type { AnyNode, Element, Text } from 'domhandler';
import { BODY_BREAKS } from './elements';
import { parseDocumentLinear } from './linear-parser';

/** Fields holding the whole body of a schema.org creative work. */
const BODY_FIELDS = ['articleBody', 'text', 'reviewBody'] as const;
/** A body shorter than this is a summary, not an article. */
const MIN_BODY_CHARS = 200;
/** JSON-LD larger than this is not parsed (a page's structured data is a few kilobytes). */
const MAX_JSON_CHARS = 2_000_000;
/** Objects looked at, at most: `@graph` arrays can be long, and the walk must stay bounded. */
const MAX_OBJECTS = 10_000;

export function isJsonLd(el: Element): boolean {
  return el.name === 'script' && (el.attribs.type ?? '').trim().toLowerCase() === 'application/ld+json';
}

/**
 * The longest article body stated by one JSON-LD script, as paragraphs (its line breaks), tags
 * stripped and whitespace collapsed; null when none.
 */
export function structuredBody(script: Element): { paragraphs: string[]; text: string; node: Text } | null {
  const node = script.children.find((c) => c.type === 'text') as Text | undefined;
  if (!node || node.data.length > MAX_JSON_CHARS) return null;
  let data: unknown;
  try {
    data = JSON.parse(node.data);
  } catch {
    return null;
  }
  let best = '';
  // Iterative walk over objects and arrays: JSON-LD nests graphs, and depth is the page's choice.
  const stack: unknown[] = [data];
  for (let seen = 0; stack.length && seen < MAX_OBJECTS; seen++) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (const x of v) if (x && typeof x === 'object') stack.push(x);
      continue;
    }
    if (!v || typeof v !== 'object') continue;
    const o = v as Record<string, unknown>;
    for (const f of BODY_FIELDS) {
      const s = o[f];
      if (typeof s === 'string' && s.length > best.length) best = s;
    }
    for (const x of Object.values(o)) if (x && typeof x === 'object') stack.push(x);
  }
  const paragraphs = plainText(best)
    .split(/\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  const text = paragraphs.join(' ');
  return text.length >= MIN_BODY_CHARS ? { paragraphs, text, node } : null;
}

/** A body's text as a reader sees it: bodies hold entities (`&apos;`) and sometimes markup. */
function plainText(body: string): string {
  if (!/[<&]/.test(body)) return body;
  let out = '';
  const stack: AnyNode[] = [parseDocumentLinear(body, { decodeEntities: true })];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'text') out += (n as Text).data;
    else if ('children' in n) {
      if (n.type === 'tag' && BODY_BREAKS.has((n as Element).name)) out += '\n';
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    }
  }
  return out;
}

const squash = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
/** Letters and digits of the body's opening that must appear in the visible text for it to count as shown. */
const OPENING_CHARS = 80;

/** True when the page's visible text already shows the body (its opening is there). */
export function isShown(body: string, visible: string): boolean {
  const opening = squash(body).slice(0, OPENING_CHARS);
  return squash(visible).includes(opening);
}
