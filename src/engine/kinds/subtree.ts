/**
 * kind: subtree. HTML pages only: once the page's main content container is chosen, whole
 * elements inside and after it go by their shape (comment sections, lists of short linked items,
 * sharing and sign-up widgets, advertising, side boxes a wide container took in; html/prune.ts),
 * with everything inside them. It runs before the scorer, which then judges what is left. On text
 * input it does nothing.
 */
import { Type } from '../typebox';
import { documentRule, type CompiledRule, type RuleDefBase, type RuleKind } from '../rule';
import { isHtmlDoc } from '../html/context';
import { prunedSubtrees, SUBTREE_SHAPES, type SubtreeShape } from '../html/prune';

interface SubtreeDef extends RuleDefBase {
  shape: SubtreeShape;
}

export const subtreeKind: RuleKind = {
  kind: 'subtree',
  summary: 'HTML input only: elements inside or after the main content container that have a shape (comments, link-list, widget, ad, side-box) go whole.',
  get properties() {
    return {
      shape: Type.Union(
        SUBTREE_SHAPES.map((s) => Type.Literal(s)),
        {
          description:
            'comments: an element named as comments; link-list: four or more short items, mostly link text (teasers, headlines, tags); widget: a small element named as sharing, newsletter or login; ad: an element named as advertising; side-box: inside the container, an aside or an element named as a sidebar.',
        },
      ),
    };
  },
  required: ['shape'],
  compile(raw): CompiledRule {
    const def = raw as SubtreeDef;
    return documentRule(def, {
      document(doc, remove) {
        if (!isHtmlDoc(doc)) return;
        for (const s of prunedSubtrees(doc, def.shape)) for (let i = s.first; i <= s.last; i++) remove(i, `${def.description} Shape: ${s.reason}.`);
      },
    });
  },
};
