/** Every rule kind the engine knows, by name. Adding a kind is adding a module here. */
import type { RuleKind } from '../rule';
import { phraseKind } from './phrase';
import { patternKind } from './pattern';
import { teaserKind } from './teaser';
import { duplicateKind } from './duplicate';
import { scorerKind } from './scorer';
import { menuKind } from './menu';
import { selectorKind } from './selector';
import { markupKind } from './markup';
import { subtreeKind } from './subtree';

export const RULE_KINDS: ReadonlyMap<string, RuleKind> = new Map(
  [phraseKind, patternKind, teaserKind, duplicateKind, scorerKind, menuKind, selectorKind, markupKind, subtreeKind].map((k) => [k.kind, k]),
);
