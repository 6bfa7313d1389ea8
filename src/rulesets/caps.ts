/**
 * Size caps for rule sets that arrive over HTTP (inline sets, PUT bodies). Validating, checking and
 * compiling a set costs time in proportion to its rules, patterns and selectors, so an unbounded
 * set is a way to hold a worker (and, before they ran in workers, the whole service) for minutes.
 * The caps are checked by one cheap walk over the parsed value, before any of that work starts;
 * the defaults are far above any set a person writes (the packaged default set: 49 rules, 4 KB of
 * patterns, 2 selectors, depth 7) and far below what costs seconds.
 */
import { isPlainObject } from '../plain-object';

export interface RuleSetCaps {
  /** Rules of the set itself (inherited ones were capped when their set was written). */
  maxRules: number;
  /** Pattern sources (a rule's `pattern`, or each alternative of a list). */
  maxPatterns: number;
  /** Characters of all pattern sources together. */
  maxPatternChars: number;
  /** Selectors of all selector rules (each comma-separated item of a list counts). */
  maxSelectors: number;
  /** Characters of all selectors together. */
  maxSelectorChars: number;
  /** Nesting of objects and arrays (the set itself is depth 1). */
  maxDepth: number;
}

export const DEFAULT_RULESET_CAPS: RuleSetCaps = {
  maxRules: 1000,
  maxPatterns: 2000,
  maxPatternChars: 256 * 1024,
  maxSelectors: 1000,
  maxSelectorChars: 64 * 1024,
  maxDepth: 32,
};

/** The first cap `input` goes past, as a sentence for the problem's detail; undefined within them all. */
export function capViolation(input: unknown, caps: RuleSetCaps): string | undefined {
  const depth = nestingBeyond(input, caps.maxDepth);
  if (depth) return `it is nested deeper than ${caps.maxDepth} levels (DECLUTTER_RULESET_MAX_DEPTH)`;
  if (!isPlainObject(input) || !Array.isArray(input.rules)) return undefined; // the schema check says what is wrong
  const rules: unknown[] = input.rules;
  if (rules.length > caps.maxRules) return `it has ${rules.length} rules, more than ${caps.maxRules} (DECLUTTER_RULESET_MAX_RULES)`;
  let patterns = 0;
  let patternChars = 0;
  let selectors = 0;
  let selectorChars = 0;
  for (const rule of rules) {
    if (!isPlainObject(rule)) continue;
    const p = rule.pattern;
    for (const source of typeof p === 'string' ? [p] : Array.isArray(p) ? p : []) {
      patterns++;
      if (typeof source === 'string') patternChars += source.length;
    }
    if (typeof rule.selector === 'string') {
      selectorChars += rule.selector.length;
      // Commas inside :not(...) or attribute values count too: an upper bound is all a cap needs.
      for (let at = rule.selector.indexOf(','); at >= 0; at = rule.selector.indexOf(',', at + 1)) selectors++;
      selectors++;
    }
  }
  if (patterns > caps.maxPatterns) return `it has ${patterns} patterns, more than ${caps.maxPatterns} (DECLUTTER_RULESET_MAX_PATTERNS)`;
  if (patternChars > caps.maxPatternChars)
    return `its patterns have ${patternChars} characters, more than ${caps.maxPatternChars} (DECLUTTER_RULESET_MAX_PATTERN_CHARS)`;
  if (selectors > caps.maxSelectors) return `it has ${selectors} selectors, more than ${caps.maxSelectors} (DECLUTTER_RULESET_MAX_SELECTORS)`;
  if (selectorChars > caps.maxSelectorChars)
    return `its selectors have ${selectorChars} characters, more than ${caps.maxSelectorChars} (DECLUTTER_RULESET_MAX_SELECTOR_CHARS)`;
  return undefined;
}

/** True when objects and arrays nest deeper than `max`; iterative, so any depth is walked safely. */
export function nestingBeyond(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * An upper bound on how deep a YAML text nests, read without parsing it: flow brackets open a
 * level each, and each deeper indentation (or `- ` / `? ` indicator at a line's start) opens one
 * more. Parsing a deeply nested YAML text costs seconds, and this answers in one pass over the
 * characters, so a hostile PUT is refused before any parser sees it. Quoted scalars and comments
 * are skipped roughly (a bound may come out high for odd texts, never low for the shapes that cost).
 */
const QUOTE_MAY_FOLLOW = new Set([' ', '\t', '[', '{', ',', ':']);

export function yamlDepthBound(text: string): number {
  let deepest = 0;
  let flow = 0;
  const indents: number[] = [];
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    let i = at;
    while (i < end && text[i] === ' ') i++;
    const content = i < end && text[i] !== '#' && text[i] !== '\r';
    if (content && flow === 0) {
      // Columns, not positions in the text: indentation is measured from the line's start.
      while (indents.length && indents[indents.length - 1] >= i - at) indents.pop();
      indents.push(i - at);
      // "- - - x": each indicator is a level of its own, on one line.
      while (i + 1 < end && (text[i] === '-' || text[i] === '?') && text[i + 1] === ' ') {
        indents.push(i - at + 1);
        i += 2;
        while (i < end && text[i] === ' ') i++;
      }
    }
    let quote = '';
    for (; i < end; i++) {
      const c = text[i];
      if (quote) {
        if (c === quote) quote = '';
        else if (c === '\\' && quote === '"') i++;
      } else if (c === '"' || c === "'") {
        if (i === at || QUOTE_MAY_FOLLOW.has(text[i - 1])) quote = c;
      } else if (c === '#' && (i === at || text[i - 1] === ' ')) break;
      else if (c === '[' || c === '{') deepest = Math.max(deepest, indents.length + ++flow);
      else if ((c === ']' || c === '}') && flow > 0) flow--;
    }
    deepest = Math.max(deepest, indents.length + flow);
    at = end + 1;
  }
  return deepest;
}
