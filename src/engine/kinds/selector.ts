/**
 * kind: selector. CSS selectors for HTML input: an element any of them matches goes whole, with
 * everything inside it ("aside, .related, [class*=comment]"). The engine tests every element of
 * a page once against all selector rules while it builds the blocks (html/blocks.ts); on text
 * input these rules do nothing. Selectors are compiled once, with css-select (cheerio's engine).
 */
import { Type } from '@sinclair/typebox';
import { compile } from 'css-select';
import { parse, type Selector } from 'css-what';
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

/** Attribute operators whose value must appear in the attribute's value. */
const CONTAINING = new Set(['element', 'equals', 'start', 'end', 'any', 'hyphen']);

function keyOf(compound: Selector[]): Key | null {
  let at = compound.length;
  while (at > 0 && !['child', 'descendant', 'adjacent', 'sibling', 'parent', 'column-combinator'].includes(compound[at - 1].type)) at--;
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
 * A compiled selector. css-select costs microseconds per element, and a page has thousands of
 * elements for every selector rule: each element is first checked against what the selectors'
 * subjects require (a tag, an attribute and part of its value), and only candidates go to css-select.
 */
function compileSelector(selector: string): (el: Element) => boolean {
  const query = compile<AnyNode, Element>(selector, { xmlMode: false, cacheResults: false });
  const keys = parse(selector).map(keyOf);
  if (keys.some((k) => k === null)) return (el) => query(el);
  const maybe = (el: Element) => {
    for (const k of keys as Key[]) {
      if (k.tag && el.name !== k.tag) continue;
      if (k.attr) {
        const v = el.attribs[k.attr];
        if (v === undefined || (k.contains && !v.toLowerCase().includes(k.contains))) continue;
      }
      return true;
    }
    return false;
  };
  return (el) => maybe(el) && query(el);
}

/** Rules that only judge HTML pages (their examples are pages): selectors and scorers with a dom model. */
export function isHtmlRule(def: RuleDefBase): boolean {
  return def.kind === 'selector' || (def.kind === 'scorer' && def.dom !== undefined);
}

export const selectorKind: RuleKind = {
  kind: 'selector',
  summary: 'HTML input only: elements matching a CSS selector go whole, with their content.',
  properties: {
    selector: Type.String({ minLength: 1, description: 'A CSS selector list (css-select syntax): tags, classes, ids, attributes, combinators, :not().' }),
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
    const matches = compileSelector(def.selector);
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
