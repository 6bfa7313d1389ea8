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

/**
 * An inline rule's required literals (literals.ts requiredLiteralLead), every occurrence of which
 * the requirements' scan of the document records: the rule then tries its pattern only around
 * them, without searching the document for them itself (kinds/pattern.ts).
 */
export interface LiteralSites {
  /** Identifies the rule's occurrences in the scan's answer. */
  readonly key: object;
  /** The literals as the pattern's matches hold them: lower case unless `exact`. */
  readonly literals: readonly string[];
  /** True when case counts (a pattern without the i flag): an occurrence is one as written. */
  readonly exact: boolean;
}

/** What the scan says of a document: the requirements' marks, and each LiteralSites' occurrences (start offsets, ascending). */
export interface DocScan {
  /** What `holds` reads; null when the document must be searched the old way. */
  marks: Uint8Array | null;
  /** By LiteralSites index; null when the scan cannot tell them (the rules search for their literals themselves). */
  sites: number[][] | null;
  /**
   * Block i's marks for the block stage's literal rules at [i * n, (i + 1) * n) (n: the stage's
   * rules): 1 where the block's text holds one of the rule's literals (prefilter/stage.ts), as
   * the stage's own scan of the block would mark it. Null when the scan cannot tell.
   */
  blockMarks: Uint8Array | null;
}

/** Where a document's blocks are: sorted, apart, each `input.slice(start, end)`. */
interface BlockExtent {
  readonly start: number;
  readonly end: number;
}

/** Folds onto "s" in a case-insensitive pattern but not in toLowerCase: the automaton compares as toLowerCase does. */
const LONG_S = '\u017f';

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
  private readonly siteIndex = new Map<object, number>();
  /** The automaton's slots from here on are the sites' literals, one a slot. */
  private firstSiteSlot = 0;
  /** Per literal slot (from firstSiteSlot): its site, its length and, when case counts, the literal as written. */
  private readonly siteOfSlot: number[] = [];
  private readonly lengthOfSlot: number[] = [];
  private readonly exactOfSlot: (string | null)[] = [];

  /** The block stage's rules (slots of its marks), and the automaton's slot of the first one's literals. */
  private blockRules = 0;
  private firstBlockSlot = 0;

  /**
   * `sites`: inline rules whose literals' occurrences the same scan records (LiteralSites).
   * `blockLiterals`: by block-stage rule, the literals one of which (case folded) every block
   * it removes holds (prefilter/stage.ts); the scan marks each block's rules by them.
   */
  constructor(requirements: readonly DocRequirement[], sites: readonly LiteralSites[] = [], blockLiterals: readonly (readonly string[])[] = []) {
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
    const firstSiteSlot = lists.length;
    const siteLists: string[][] = [];
    for (const site of sites) {
      const literals = [...new Set(site.literals)];
      // Lower case is how the automaton compares (toLowerCase); a literal it cannot hold leaves its rule to search alone.
      if (literals.length === 0 || !literals.every((l) => l.length > 0 && [...l.toLowerCase()].every(isLiteralChar))) continue;
      const k = this.siteIndex.size;
      this.siteIndex.set(site.key, k);
      for (const l of literals) {
        siteLists.push([l.toLowerCase()]);
        this.siteOfSlot.push(k);
        this.lengthOfSlot.push(l.length);
        this.exactOfSlot.push(site.exact ? l : null);
      }
    }
    // The block literals are folded as case-insensitive patterns fold (literals.ts): as toLowerCase
    // does, but for the long s, with which a document is not scanned for them.
    const blockLists = blockLiterals.some((l) => l.length > 0) ? blockLiterals.map((l) => [...l]) : [];
    let automaton: LiteralAutomaton | null = null;
    try {
      automaton = usable.length || siteLists.length || blockLists.length ? new LiteralAutomaton([...lists, ...siteLists, ...blockLists], 'lowercase') : null;
      this.blockRules = blockLists.length;
    } catch {
      try {
        // Without the sites and block literals, as before them: the rules search for their literals themselves.
        this.clearSites();
        automaton = usable.length ? new LiteralAutomaton(lists, 'lowercase') : null;
      } catch {
        this.slots.clear();
      }
    }
    this.firstSiteSlot = firstSiteSlot;
    this.firstBlockSlot = firstSiteSlot + this.siteOfSlot.length;
    this.automaton = automaton;
  }

  private clearSites(): void {
    this.siteIndex.clear();
    this.siteOfSlot.length = 0;
    this.lengthOfSlot.length = 0;
    this.exactOfSlot.length = 0;
  }

  /** The rule's index in DocScan.sites, or undefined when the scan does not record its literals. */
  siteOf(site: LiteralSites): number | undefined {
    return this.siteIndex.get(site.key);
  }

  /**
   * One scan of the document for both: the requirements' marks (as `scan`) and every occurrence of
   * the sites' literals. Occurrences are only recorded where the automaton compares as the
   * patterns do: not in a document with a long s, which a case-insensitive pattern reads as "s"
   * (nor with a dotted capital I, which toLowerCase makes two characters).
   */
  scanDocument(input: string, blocks: readonly BlockExtent[] = []): DocScan {
    if (!this.automaton || input.includes(DOTTED_CAPITAL_I)) return { marks: null, sites: null, blockMarks: null };
    const marks = new Uint8Array(this.automaton.slots);
    if ((this.siteIndex.size === 0 && this.blockRules === 0) || input.includes(LONG_S)) {
      this.automaton.scan(input, marks);
      return { marks, sites: null, blockMarks: null };
    }
    const sites: number[][] = [];
    for (let k = 0; k < this.siteIndex.size; k++) sites.push([]);
    const first = this.firstSiteSlot;
    const firstBlock = this.firstBlockSlot;
    const n = this.blockRules;
    const blockMarks = n > 0 ? new Uint8Array(blocks.length * n) : null;
    const { siteOfSlot, lengthOfSlot, exactOfSlot } = this;
    // Occurrences come in the order of their last characters: the block holding the last one is found by walking on.
    let at = 0;
    this.automaton.scanRecording(input, marks, first, (slot, last) => {
      if (slot >= firstBlock) {
        while (at < blocks.length && blocks[at].end <= last) at++;
        if (at < blocks.length && blocks[at].start <= last) blockMarks![at * n + slot - firstBlock] = 1;
        return;
      }
      const j = slot - first;
      const start = last + 1 - lengthOfSlot[j];
      const exact = exactOfSlot[j];
      if (exact !== null && !input.startsWith(exact, start)) return;
      sites[siteOfSlot[j]].push(start);
    });
    for (const list of sites) {
      // Recorded by where each occurrence ends: a longer literal ending later may start earlier.
      for (let i = 1; i < list.length; i++)
        if (list[i] < list[i - 1]) {
          list.sort((a, b) => a - b);
          break;
        }
    }
    return { marks, sites: this.siteIndex.size > 0 ? sites : null, blockMarks };
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
