/**
 * Many literals found in one pass: an Aho-Corasick automaton whose failure links are resolved into
 * a dense transition table, so a text costs one table lookup per character whatever the number of
 * literals. Each literal belongs to one or more slots (rules); a scan marks the slots whose
 * literals occur in the text.
 *
 * Characters fold as case-insensitive regular expressions fold onto the literals' characters
 * (lower-case printable ASCII and caseless symbols, literals.ts): A-Z to a-z, and the two
 * non-ASCII characters whose simple case folding is an ASCII letter, U+017F (long s) to "s" and
 * U+212A (Kelvin sign) to "k". Every other character outside the literals' alphabet breaks every
 * partial match.
 */

const ASCII = 128;

/**
 * How text is compared with the literals: as case-insensitive regular expressions compare it
 * ("regex"), or as `text.toLowerCase().includes(literal)` would ("lowercase"), which differs in
 * two characters: the long s stays itself, and U+0130 (İ) becomes "i" plus a combining dot, which
 * this automaton does not model: a caller in that mode must not scan a text that contains one.
 */
export type Folding = 'regex' | 'lowercase';
/** At most this many distinct characters in the literals (plus one letter for all the others). */
const MAX_ALPHABET = 256;

export class LiteralAutomaton {
  /** Row-major transitions, `width` letters a state: 16-bit states while they fit (a smaller table stays in cache). */
  private readonly delta: Uint16Array | Int32Array;
  /**
   * Character code → letter of the alphabet: the literals' distinct characters numbered from 1,
   * and 0 for every character no literal holds. Only those characters get a column, not all of
   * ASCII: the table is a third of the size, which a scan of every block feels in cache misses.
   */
  private readonly fold: Uint8Array;
  private readonly width: number;
  /** States from here on report slots; the others report none. */
  private readonly firstOut: number;
  /** Slots reported in state s ≥ firstOut: outSlots[outStart[s - firstOut] .. outStart[s - firstOut + 1]). */
  private readonly outStart: Int32Array;
  private readonly outSlots: Int32Array;
  readonly slots: number;

  /** `literals[i]` lists slot i's literals (non-empty, folded: see literals.ts). Throws when they use too many characters. */
  constructor(literals: readonly (readonly string[])[], folding: Folding = 'regex') {
    this.slots = literals.length;
    // How text compares with the literals: ASCII upper case to lower, the two non-ASCII
    // characters that fold onto ASCII letters, every other character as itself.
    const canonical = (c: number): number => {
      if (c < ASCII) return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
      if (c === 0x17f && folding === 'regex') return 0x73;
      return c === 0x212a ? 0x6b : c;
    };
    const fold = new Uint8Array(0x10000);
    let width = 1;
    for (const list of literals)
      for (const lit of list)
        for (let i = 0; i < lit.length; i++) {
          const c = lit.charCodeAt(i);
          if (c === 0 || canonical(c) !== c) throw new Error(`not a folded literal: ${JSON.stringify(lit)}`);
          if (fold[c] === 0) {
            if (width >= MAX_ALPHABET) throw new Error('too many distinct characters in the literals');
            fold[c] = width++;
          }
        }
    for (let c = 0; c < 0x10000; c++) {
      const to = canonical(c);
      if (to !== c) fold[c] = fold[to];
    }
    const goto: Map<number, number>[] = [new Map()];
    const out: Set<number>[] = [new Set()];
    literals.forEach((list, slot) => {
      for (const lit of list) {
        let s = 0;
        for (let i = 0; i < lit.length; i++) {
          const c = fold[lit.charCodeAt(i)];
          let next = goto[s].get(c);
          if (next === undefined) {
            next = goto.length;
            goto.push(new Map());
            out.push(new Set());
            goto[s].set(c, next);
          }
          s = next;
        }
        out[s].add(slot);
      }
    });
    const n = goto.length;
    const delta = n <= 0x10000 ? new Uint16Array(n * width) : new Int32Array(n * width);
    const fail = new Int32Array(n);
    // Breadth first: a state's failure target is shallower, so its row is complete already.
    const queue: number[] = [];
    for (let c = 0; c < width; c++) {
      const next = goto[0].get(c);
      delta[c] = next ?? 0;
      if (next !== undefined) queue.push(next);
    }
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q];
      for (const slot of out[fail[s]]) out[s].add(slot);
      for (let c = 0; c < width; c++) {
        const next = goto[s].get(c);
        if (next === undefined) delta[s * width + c] = delta[fail[s] * width + c];
        else {
          fail[next] = delta[fail[s] * width + c];
          delta[s * width + c] = next;
          queue.push(next);
        }
      }
    }
    // States numbered again, those that report nothing first (the root stays 0): the scan tells a
    // reporting state by one comparison instead of reading its output range at every character.
    const id = new Int32Array(n);
    let next = 0;
    for (let s = 0; s < n; s++) if (out[s].size === 0) id[s] = next++;
    const firstOut = next;
    for (let s = 0; s < n; s++) if (out[s].size > 0) id[s] = next++;
    const table = n <= 0x10000 ? new Uint16Array(n * width) : new Int32Array(n * width);
    for (let s = 0; s < n; s++) for (let c = 0; c < width; c++) table[id[s] * width + c] = id[delta[s * width + c]];
    const reporting = n - firstOut;
    const outStart = new Int32Array(reporting + 1);
    const outSlots: number[] = [];
    for (let s = 0; s < n; s++) {
      if (out[s].size === 0) continue;
      const o = id[s] - firstOut;
      outStart[o] = outSlots.length; // reporting states keep their relative order, so o rises with s
      outSlots.push(...out[s]);
      outStart[o + 1] = outSlots.length;
    }
    this.delta = table;
    this.fold = fold;
    this.width = width;
    this.firstOut = firstOut;
    this.outStart = outStart;
    this.outSlots = Int32Array.from(outSlots);
  }

  /** Sets marks[slot] = 1 for every slot with a literal in `text`; returns how many it set. */
  scan(text: string, marks: Uint8Array): number {
    const { delta, fold, width, firstOut, outStart, outSlots } = this;
    let s = 0;
    let found = 0;
    for (let i = 0; i < text.length; i++) {
      s = delta[s * width + fold[text.charCodeAt(i)]];
      if (s < firstOut) continue;
      const end = outStart[s - firstOut + 1];
      for (let k = outStart[s - firstOut]; k < end; k++) {
        const slot = outSlots[k];
        if (marks[slot] === 0) {
          marks[slot] = 1;
          found++;
        }
      }
    }
    return found;
  }
}
