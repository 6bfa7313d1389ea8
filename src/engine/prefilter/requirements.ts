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

/**
 * The longest stretch of `needle` the automaton compares exactly: wherever the lower-cased
 * document holds the needle, it holds this stretch too ("zdj" of "zdjęcie").
 */
function standIn(needle: string): string {
  let best = '';
  let run = '';
  for (const ch of needle) {
    if (isLiteralChar(ch)) {
      run += ch;
      if (run.length > best.length) best = run;
    } else run = '';
  }
  return best;
}

/** A needle with a letter the automaton cannot compare, and the automaton's slot for its stand-in. */
interface Unsure {
  needle: string;
  slot: number;
}

export class RequirementIndex {
  private readonly slots = new Map<object, number>();
  /**
   * Per requirement slot, its needles with a letter beyond ASCII that has case ("zdjęcie",
   * "comentário"): the automaton looks for a stand-in, and only a document holding that is
   * lower-cased and searched for the needle itself. Such a needle used to send its whole
   * requirement to the old way, which lower-cased every document.
   */
  private readonly unsure: Unsure[][] = [];
  private readonly automaton: LiteralAutomaton | null;

  constructor(requirements: readonly DocRequirement[]) {
    // Needles the automaton compares exactly (printable ASCII and caseless symbols), or through a stand-in.
    const usable = requirements.filter((r) => r.needles.length > 0 && r.needles.every((n) => standIn(n).length > 0));
    const lists: string[][] = [];
    usable.forEach((r, slot) => {
      this.slots.set(r.key, slot);
      lists.push(r.needles.filter((n) => standIn(n) === n));
    });
    usable.forEach((r, slot) => {
      this.unsure[slot] = r.needles
        .filter((n) => standIn(n) !== n)
        .map((needle) => {
          lists.push([standIn(needle)]);
          return { needle, slot: lists.length - 1 };
        });
    });
    let automaton: LiteralAutomaton | null = null;
    try {
      automaton = usable.length ? new LiteralAutomaton(lists, 'lowercase') : null;
    } catch {
      this.slots.clear();
    }
    this.automaton = automaton;
  }

  /** The requirement's slot in `scan`'s answer, or undefined when it is not indexed. */
  slotOf(requirement: DocRequirement): number | undefined {
    return this.slots.get(requirement.key);
  }

  /** What `holds` reads: the automaton's marks for the document; null when it must be searched the old way. */
  scan(input: string): Uint8Array | null {
    if (!this.automaton || input.includes(DOTTED_CAPITAL_I)) return null;
    const marks = new Uint8Array(this.automaton.slots);
    this.automaton.scan(input, marks);
    return marks;
  }

  /**
   * True when the document (`scan` gave `marks`; `lower` gives it lower-cased) mentions one of the
   * needles of the requirement in `slot`. Answers once searched are written into `marks`.
   */
  holds(slot: number, marks: Uint8Array, lower: () => string): boolean {
    if (marks[slot] === 1) return true;
    for (const u of this.unsure[slot]) {
      if (marks[u.slot] === 0) continue;
      if (lower().includes(u.needle)) {
        marks[slot] = 1;
        return true;
      }
      marks[u.slot] = 0;
    }
    return false;
  }
}
