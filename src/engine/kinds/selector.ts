/**
 * kind: selector. CSS selectors for HTML input: an element any of them matches goes whole, with
 * everything inside it ("aside, .related, [class*=comment]"). The engine tests every element of
 * a page once against all selector rules while it builds the blocks (html/blocks.ts); on text
 * input these rules do nothing. Selectors are compiled once, with css-select (cheerio's engine).
 */
import { Type } from '../typebox';
import type { Selector } from 'css-what';
import type { AnyNode, Element } from 'domhandler';
import type { CompiledRule, RuleDefBase, RuleKind } from '../rule';

interface SelectorDef extends RuleDefBase {
  selector: string;
}

export interface SelectorRule extends CompiledRule {
  /** True when the element matches the rule's selector. */
  matches(el: Element): boolean;
}

/** What the subject (the last compound) of one selector of the list requires, for a cheap first look. */
interface Key {
  tag?: string;
  attr?: string;
  /** Lower-cased text the attribute's value must contain. */
  contains?: string;
}

const TRAVERSALS = new Set(['child', 'descendant', 'adjacent', 'sibling', 'parent', 'column-combinator']);

/** Attribute operators whose value must appear in the attribute's value. */
const CONTAINING = new Set(['element', 'equals', 'start', 'end', 'any', 'hyphen']);

function keyOf(compound: Selector[]): Key | null {
  let at = compound.length;
  while (at > 0 && !TRAVERSALS.has(compound[at - 1].type)) at--;
  const key: Key = {};
  for (const t of compound.slice(at)) {
    if (t.type === 'tag' && !key.tag) key.tag = t.name.toLowerCase();
    // [a!=b] matches elements without the attribute too: it requires nothing.
    else if (t.type === 'attribute' && !key.attr && (t.action === 'exists' || CONTAINING.has(t.action))) {
      key.attr = t.name;
      if (CONTAINING.has(t.action) && t.value) key.contains = t.value.toLowerCase();
    }
  }
  return key.tag || key.attr ? key : null;
}

/**
 * css-select joins a selector list into one chain of closures that calls itself once per item,
 * so a list of ~100k selectors overflows the stack when an element is matched. The list is
 * compiled in chunks of this many, tried one after another in a loop.
 */
const CHUNK = 256;

/**
 * What css-what and css-select handle by recursion, capped so that no selector overflows the
 * stack: how deep pseudo-classes nest (`:not(:not(…))`), how long a list inside one is
 * (`:is(a, b, …)`), and how many compounds one selector chains (`a b c …`).
 */
export const SELECTOR_LIMITS = { nesting: 32, innerList: CHUNK, compounds: 256 } as const;

/** Deepest parenthesis nesting outside strings, found before css-what's recursive parser sees it. */
function parenDepth(selector: string): number {
  let depth = 0;
  let deepest = 0;
  let quote = '';
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '\\') i++;
    else if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') deepest = Math.max(deepest, ++depth);
    else if (c === ')') depth--;
  }
  return deepest;
}

/** The first limit a parsed selector list goes past, in words, or null. */
function overLimit(list: Selector[][]): string | null {
  const stack: Selector[][] = [];
  for (const s of list) stack.push(s);
  while (stack.length) {
    const compound = stack.pop()!;
    let compounds = 1;
    for (const t of compound) {
      if (TRAVERSALS.has(t.type)) compounds++;
      else if (t.type === 'pseudo' && Array.isArray(t.data)) {
        if (t.data.length > SELECTOR_LIMITS.innerList)
          return `a list inside :${t.name}() has ${t.data.length} selectors (at most ${SELECTOR_LIMITS.innerList})`;
        for (const inner of t.data) stack.push(inner);
      }
    }
    if (compounds > SELECTOR_LIMITS.compounds) return `one selector chains ${compounds} compounds (at most ${SELECTOR_LIMITS.compounds})`;
  }
  return null;
}

function parseSelectorList(selector: string): Selector[][] {
  const depth = parenDepth(selector);
  if (depth > SELECTOR_LIMITS.nesting) throw new Error(`the selector nests ${depth} levels of parentheses (at most ${SELECTOR_LIMITS.nesting})`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const list = (require('css-what') as typeof import('css-what')).parse(selector);
  const problem = overLimit(list);
  if (problem) throw new Error(problem);
  return list;
}

/**
 * A compiled selector. css-select costs microseconds per element, and a page has thousands of
 * elements for every selector rule: each element is first checked against what the selectors'
 * subjects require (a tag, an attribute and part of its value), and only candidates go to css-select.
 */
function compileSelector(selector: string): (el: Element) => boolean {
  const list = parseSelectorList(selector);
  // Before compiling: css-select sorts and extends the parsed tokens in place.
  const keys = list.map(keyOf);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { compile } = require('css-select') as typeof import('css-select');
  const chunks: ((el: Element) => boolean)[] = [];
  for (let at = 0; at < list.length; at += CHUNK) chunks.push(compile<AnyNode, Element>(list.slice(at, at + CHUNK), { xmlMode: false, cacheResults: false }));
  const query =
    chunks.length === 1
      ? chunks[0]
      : (el: Element) => {
          for (const q of chunks) if (q(el)) return true;
          return false;
        };
  if (keys.some((k) => k === null)) return query;
  // A long list repeats its subjects' requirements: each distinct one is looked at once.
  const distinct = [...new Map((keys as Key[]).map((k) => [`${k.tag ?? ''}\n${k.attr ?? ''}\n${k.contains ?? ''}`, k])).values()];
  const maybe = prefilter(distinct);
  return (el) => maybe(el) && query(el);
}

/**
 * True when an element may match one of the keys. Keys that name only an attribute are grouped by
 * it, so that each attribute is read and lower-cased once per element (a list of class selectors
 * such as ".sr-only, .screen-reader-text, …" read and lower-cased the class once per selector).
 */
function prefilter(keys: readonly Key[]): (el: Element) => boolean {
  const tags = new Set<string>();
  const byAttr = new Map<string, string[]>();
  const both: Key[] = [];
  for (const k of keys) {
    if (k.tag && !k.attr) tags.add(k.tag);
    else if (k.attr && !k.tag) {
      const needles = byAttr.get(k.attr) ?? [];
      // An attribute that only has to be there: the empty text is in every value.
      needles.push(k.contains ?? '');
      byAttr.set(k.attr, needles);
    } else both.push(k);
  }
  const attrs = [...byAttr];
  return (el) => {
    if (tags.has(el.name)) return true;
    for (const [attr, needles] of attrs) {
      const v = el.attribs[attr];
      if (v === undefined) continue;
      const lower = v.toLowerCase();
      for (const needle of needles) if (lower.includes(needle)) return true;
    }
    for (const k of both) {
      if (el.name !== k.tag) continue;
      const v = el.attribs[k.attr!];
      if (v === undefined || (k.contains && !v.toLowerCase().includes(k.contains))) continue;
      return true;
    }
    return false;
  };
}

/** Rules that only judge HTML pages (their examples are pages): selectors and scorers with a dom model. */
export function isHtmlRule(def: RuleDefBase): boolean {
  return def.kind === 'selector' || def.kind === 'subtree' || (def.kind === 'scorer' && def.dom !== undefined);
}

export const selectorKind: RuleKind = {
  kind: 'selector',
  summary: 'HTML input only: elements matching a CSS selector go whole, with their content.',
  get properties() {
    return {
      selector: Type.String({ minLength: 1, description: 'A CSS selector list (css-select syntax): tags, classes, ids, attributes, combinators, :not().' }),
    };
  },
  required: ['selector'],
  check(def) {
    try {
      compileSelector((def as SelectorDef).selector);
      return null;
    } catch (e) {
      return { field: 'selector', message: (e as Error).message };
    }
  },
  compile(raw): SelectorRule {
    const def = raw as SelectorDef;
    // Compiled on the first element asked about: text input never asks, and css-select with the
    // DOM modules it loads was a fifth of the modules `declutter clean` of a text file loaded.
    // Sets are validated (check above) before they are compiled, so no error is put off.
    let compiled: ((el: Element) => boolean) | undefined;
    const matches = (el: Element) => (compiled ??= compileSelector(def.selector))(el);
    return {
      def,
      id: def.id,
      category: def.category,
      stage: 'document',
      // Applied while the page's blocks are built; nothing is left to do with the text.
      document() {},
      matches,
    };
  },
};
