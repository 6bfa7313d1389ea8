/**
 * kind: selector. CSS selectors for HTML input: an element any of them matches goes whole, with
 * everything inside it ("aside, .related, [class*=comment]"). The engine tests every element of
 * a page once against all selector rules while it builds the blocks (html/blocks.ts); on text
 * input these rules do nothing. Selectors are compiled once, with css-select (cheerio's engine).
 */
import { Type } from '@sinclair/typebox';
import { compile } from 'css-select';
import type { AnyNode, Element } from 'domhandler';
import type { CompiledRule, RuleDefBase, RuleKind } from '../rule';

interface SelectorDef extends RuleDefBase {
  selector: string;
}

export interface SelectorRule extends CompiledRule {
  /** True when the element matches the rule's selector. */
  matches(el: Element): boolean;
}

function compileSelector(selector: string): (el: Element) => boolean {
  const query = compile<AnyNode, Element>(selector, { xmlMode: false, cacheResults: false });
  return (el) => query(el);
}

/** Rules that only judge HTML pages (their examples are pages): selectors and scorers with a dom model. */
export function isHtmlRule(def: RuleDefBase): boolean {
  return def.kind === 'selector' || (def.kind === 'scorer' && def.dom !== undefined);
}

export function isSelectorRule(rule: CompiledRule): rule is SelectorRule {
  return typeof (rule as SelectorRule).matches === 'function';
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
      def, id: def.id, category: def.category, stage: 'document',
      // Applied while the page's blocks are built; nothing is left to do with the text.
      document() {},
      matches,
    };
  },
};
