/**
 * The engine: segment → inline rules → block rules → document rules → result. Each step is a
 * small named function; none does I/O. The result keeps the contract's invariant: deleting every
 * removed span from the input and collapsing whitespace gives `text` collapsed the same way.
 */
import { looksLikeArticle } from './article-shape';
import { DocContext } from './context';
import type { CompiledRuleSet } from './ruleset';
import { restOf, segment, type Block, type Span } from './segment';
import { collapseWhitespace, isCollapsed, isWhitespace, removalsToCodePoints } from './text';
import type { CleanOptions, CleanResult, Removal } from './types';

export function cleanText(input: string, ruleset: CompiledRuleSet, options: CleanOptions = {}): CleanResult {
  const started = performance.now();
  const doc = runRules(input, ruleset, options.lang);
  return assemble(input, doc, ruleset, options, started);
}

/** Steps 1–4: the document with every block's fate decided (training reads the blocks from here). */
export function runRules(input: string, ruleset: CompiledRuleSet, lang?: string, spareArticles = true): DocContext {
  const doc = new DocContext(input, segment(input), lang);
  doc.requirements = ruleset.requirements;
  applyInlineRules(doc, ruleset);
  applyBlockRules(doc, ruleset);
  // Training passes false: the scorer learns on page dumps as the structural rules leave them.
  doc.articleShaped = spareArticles && looksLikeArticle(doc, ruleset);
  applyDocumentRules(doc, ruleset);
  return doc;
}

/** Index of the block containing `offset`, or -1 when it falls between blocks. */
function blockAt(blocks: Block[], offset: number): number {
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = blocks[mid];
    if (offset < b.start) hi = mid - 1;
    else if (offset >= b.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** Step 2: inline rules, each over the whole input once; matches land in their blocks. */
export function applyInlineRules(doc: DocContext, ruleset: CompiledRuleSet): void {
  const { input, blocks } = doc;
  if (ruleset.inline.length === 0 || blocks.length === 0) return;
  for (const ruleIndex of ruleset.inline) {
    const rule = ruleset.rules[ruleIndex];
    let retry: Set<number> | null = null;
    const add = (start: number, end: number, reason: string) => {
      const at = blockAt(blocks, start);
      if (at < 0) return; // only whitespace between blocks: nothing to remove
      const b = blocks[at];
      if (end > b.end) {
        // The match ran past the line: look again inside this block alone.
        (retry ??= new Set()).add(at);
        return;
      }
      (b.inline ??= []).push({ start, end, rule: ruleIndex, reason });
    };
    rule.inline!(input, add, doc);
    if (retry) {
      for (const at of retry as Set<number>) {
        const b = blocks[at];
        rule.inlineBlock!(b, (start, end, reason) => {
          if (end <= b.end) (b.inline ??= []).push({ start, end, rule: ruleIndex, reason });
        });
      }
    }
  }
  for (const b of blocks) {
    if (!b.inline) continue;
    b.inline = disjoint(b.inline);
    b.rest = restOf(input, b);
  }
}

/**
 * Sorts spans and makes them disjoint: an overlapping later span keeps only its part past the
 * earlier one (earlier-starting matches win; at the same start, the earlier rule wins).
 */
function disjoint(spans: Span[]): Span[] {
  if (spans.length === 1) return spans;
  spans.sort((a, b) => a.start - b.start || a.rule - b.rule);
  const out: Span[] = [];
  let last: Span | undefined;
  for (const s of spans) {
    if (last && s.start < last.end) {
      if (s.end <= last.end) continue;
      s.start = last.end;
    }
    out.push(s);
    last = s;
  }
  return out;
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isWhitespace(s.charCodeAt(i))) return false;
  return true;
}

/** Step 3: block rules, in rule order; the first that objects removes the block. */
export function applyBlockRules(doc: DocContext, ruleset: CompiledRuleSet): void {
  const order = ruleset.block;
  if (order.length === 0) return;
  // A set compiled with its prefilter skips the rules that cannot remove the block; the others
  // run in the same order, so the first to object is the same rule.
  const filter = ruleset.blockFilter?.size === order.length ? ruleset.blockFilter : undefined;
  const marks = filter ? new Uint8Array(order.length) : undefined;
  // The literal rules' marks of every block from the one scan of the document, when the set's
  // requirements index made it with the same stage's literals (ruleset.ts).
  const found = filter && ruleset.requirements === doc.requirements ? doc.blockLiteralMarks() : null;
  const blocks = doc.blocks;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (b.removedBy >= 0 || (b.inline && isBlank(b.rest))) continue;
    // A block with inline removals is judged on what is left, which the document does not hold as such.
    if (filter) {
      if (found !== null && b.inline === null && b.rest.length === b.end - b.start) filter.markWith(b, marks!, found, i * order.length);
      else filter.mark(b, marks!);
    }
    for (let k = 0; k < order.length; k++) {
      if (marks && marks[k] === 0) continue;
      const ruleIndex = order[k];
      const reason = ruleset.rules[ruleIndex].block!(b, doc);
      if (reason !== null) {
        b.removedBy = ruleIndex;
        b.reason = reason;
        break;
      }
    }
  }
}

/** Step 4: document rules, which judge a block with all the others in view. */
export function applyDocumentRules(doc: DocContext, ruleset: CompiledRuleSet): void {
  for (const ruleIndex of ruleset.document) {
    ruleset.rules[ruleIndex].document!(doc, (i, reason) => {
      const b = doc.blocks[i];
      if (b && b.removedBy < 0) {
        b.removedBy = ruleIndex;
        b.reason = reason;
      }
    });
  }
}

/** Step 5: the result: spans in input order, the clean text, the figures. */
export function assemble(input: string, doc: DocContext, ruleset: CompiledRuleSet, options: CleanOptions, started: number): CleanResult {
  const spans: Span[] = [];
  const kept: string[] = [];
  let removedBlocks = 0;
  for (const b of doc.blocks) {
    if (b.removedBy >= 0) {
      removedBlocks++;
      pushBlockRemoval(input, b, spans);
      continue;
    }
    // A loop, not push(...b.inline): a spread passes every span as an argument, and a line with
    // ~100k matches (`&amp;` after `&amp;`) overflows the stack.
    if (b.inline) for (const s of b.inline) spans.push(s);
    const text = isCollapsed(b.rest) ? b.rest : collapseWhitespace(b.rest);
    if (text) kept.push(text);
    else removedBlocks++;
  }
  const removed: Removal[] = new Array(spans.length);
  let removedChars = 0;
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i];
    const rule = ruleset.rules[s.rule];
    removedChars += s.end - s.start;
    removed[i] = { start: s.start, end: s.end, text: input.slice(s.start, s.end), rule: rule.id, category: rule.category, reason: s.reason };
  }
  if (options.offsets === 'codepoint') removalsToCodePoints(input, removed);
  const text = kept.join('\n\n');
  const result: CleanResult = {
    text,
    removed,
    stats: {
      inputChars: input.length,
      outputChars: text.length,
      removedChars,
      blocks: doc.blocks.length,
      removedBlocks,
      elapsedMs: 0,
    },
    ruleset: { id: ruleset.id, version: ruleset.version },
    lang: doc.lang,
  };
  if (options.id !== undefined) result.id = options.id;
  result.stats.elapsedMs = Math.round((performance.now() - started) * 1000) / 1000;
  return result;
}

/**
 * A removed block becomes its inline spans plus, for every stretch they leave, a span of the
 * block rule: each part says which rule took it.
 */
function pushBlockRemoval(input: string, b: Block, out: Span[]): void {
  const fill = (from: number, to: number) => {
    while (from < to && isWhitespace(input.charCodeAt(from))) from++;
    while (to > from && isWhitespace(input.charCodeAt(to - 1))) to--;
    if (to > from) out.push({ start: from, end: to, rule: b.removedBy, reason: b.reason });
  };
  let at = b.start;
  if (b.inline) {
    for (const s of b.inline) {
      fill(at, s.start);
      out.push(s);
      at = s.end;
    }
  }
  fill(at, b.end);
}
