/**
 * Pattern rules may say which strings a document must mention for them to run (`requires`). Each
 * rule used to lower-case the whole document and search it once; all of a set's requirements are
 * now found in one scan of the document by one automaton, whose answers are those of
 * `document.toLowerCase()` searched for each needle.
 */
import { LiteralAutomaton } from './automaton';
import { isLiteralChar } from './literals';

/** toLowerCase turns it into two characters; documents holding it are searched the old way. */
const DOTTED_CAPITAL_I = '\u0130';

/** A document-level requirement: the rule runs only on documents mentioning one of `needles` (lower case). */
export interface DocRequirement {
  /** Identifies the requirement in the document's memo and the set's index. */
  readonly key: object;
  readonly needles: readonly string[];
}

export class RequirementIndex {
  private readonly slots = new Map<object, number>();
  private readonly automaton: LiteralAutomaton | null;

  constructor(requirements: readonly DocRequirement[]) {
    // Only needles the automaton compares exactly: printable ASCII and caseless symbols.
    const usable = requirements.filter((r) => r.needles.length > 0 && r.needles.every((n) => n.length > 0 && [...n].every(isLiteralChar)));
    usable.forEach((r, slot) => this.slots.set(r.key, slot));
    let automaton: LiteralAutomaton | null = null;
    try {
      automaton = usable.length
        ? new LiteralAutomaton(
            usable.map((r) => r.needles),
            'lowercase',
          )
        : null;
    } catch {
      this.slots.clear();
    }
    this.automaton = automaton;
  }

  /** The requirement's slot in `scan`'s answer, or undefined when it is not indexed. */
  slotOf(requirement: DocRequirement): number | undefined {
    return this.slots.get(requirement.key);
  }

  /** Per slot, 1 when the document mentions one of its needles; null when it must be searched the old way. */
  scan(input: string): Uint8Array | null {
    if (!this.automaton || input.includes(DOTTED_CAPITAL_I)) return null;
    const marks = new Uint8Array(this.automaton.slots);
    this.automaton.scan(input, marks);
    return marks;
  }
}
