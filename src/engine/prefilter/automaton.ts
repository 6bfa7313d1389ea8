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

/**
 * How text is compared with the literals: as case-insensitive regular expressions compare it
 * ("regex"), or as `text.toLowerCase().includes(literal)` would ("lowercase"), which differs in
 * two characters: the long s stays itself, and U+0130 (İ) becomes "i" plus a combining dot, which
 * this automaton does not model: a caller in that mode must not scan a text that contains one.
 */
export type Folding = 'regex' | 'lowercase';
/** At most this many distinct characters in the literals (plus one letter for all the others). */
const MAX_ALPHABET = 256;

/** An automaton's transition table and what each state reports. */
interface Tables {
  /** Row-major transitions, `width` letters a state: 16-bit states while they fit (a smaller table stays in cache). */
  delta: Uint16Array | Int32Array;
  /** States from here on report slots; the others report none. */
  firstOut: number;
  /** Slots reported in state s ≥ firstOut: outSlots[outStart[s - firstOut] .. outStart[s - firstOut + 1]). */
  outStart: Int32Array;
  outSlots: Int32Array;
}

export class LiteralAutomaton {
  /**
   * Character code → letter of the alphabet: the literals' distinct characters numbered from 1,
   * and 0 for every character no literal holds. Only those characters get a column, not all of
   * ASCII: the table is a third of the size, which a scan of every block feels in cache misses,
   * and writing the tables' pages was most of the build, which every CLI run and worker pays.
   */
  private readonly fold: Uint8Array;
  private readonly width: number;
  /**
   * Built on the first scan: a set has an automaton per block-length tier (stage.ts), and a short
   * document's blocks reach only the first, so a CLI run on one builds only the tables it uses.
   */
  private tables: Tables | undefined;
  private literals: readonly (readonly string[])[] | undefined;
  readonly slots: number;

  /** `literals[i]` lists slot i's literals (non-empty, folded: see literals.ts). Throws when they use too many characters. */
  constructor(literals: readonly (readonly string[])[], folding: Folding = 'regex') {
    this.slots = literals.length;
    const fold = new Uint8Array(0x10000);
    let width = 1;
    for (const list of literals)
      for (const lit of list)
        for (let i = 0; i < lit.length; i++) {
          const c = lit.charCodeAt(i);
          if (c === 0 || (c >= 0x41 && c <= 0x5a) || c === 0x212a || (c === 0x17f && folding === 'regex'))
            throw new Error(`not a folded literal: ${JSON.stringify(lit)}`);
          if (fold[c] === 0) {
            if (width >= MAX_ALPHABET) throw new Error('too many distinct characters in the literals');
            fold[c] = width++;
          }
        }
    // How text compares with the literals: ASCII upper case as lower, the two non-ASCII
    // characters that fold onto ASCII letters as those letters, every other character as itself.
    for (let c = 0x41; c <= 0x5a; c++) fold[c] = fold[c + 0x20];
    if (folding === 'regex') fold[0x17f] = fold[0x73];
    fold[0x212a] = fold[0x6b];
    this.fold = fold;
    this.width = width;
    this.literals = literals;
  }

  private build(): Tables {
    const { fold, width } = this;
    const literals = this.literals!;
    this.literals = undefined;
    // The trie is kept sparse (each state's children in a list) while the failure links are
    // found, and the dense table is written once, in the final numbering, each row a copy of its
    // failure state's row with the state's own edges set over it. Filling a table row by row,
    // letter by letter, and numbering it again in a second table (what this did before) cost a
    // CLI run on a small text about 40 ms of cold code for the default set's 5,400 states.
    let chars = 0;
    for (const list of literals) for (const lit of list) chars += lit.length;
    /** The letter that leads to a state, its first child and its next sibling (0: none; the root is no one's child). */
    const letter = new Int32Array(chars + 1);
    const firstChild = new Int32Array(chars + 1);
    const nextSibling = new Int32Array(chars + 1);
    const rootChild = new Int32Array(width);
    const child = (s: number, c: number): number => {
      if (s === 0) return rootChild[c];
      for (let t = firstChild[s]; t !== 0; t = nextSibling[t]) if (letter[t] === c) return t;
      return 0;
    };
    const out: (number[] | undefined)[] = [undefined];
    literals.forEach((list, slot) => {
      for (const lit of list) {
        let s = 0;
        for (let i = 0; i < lit.length; i++) {
          const c = fold[lit.charCodeAt(i)];
          let t = child(s, c);
          if (t === 0) {
            t = out.length;
            out.push(undefined);
            letter[t] = c;
            nextSibling[t] = firstChild[s];
            firstChild[s] = t;
            if (s === 0) rootChild[c] = t;
          }
          s = t;
        }
        (out[s] ??= []).push(slot);
      }
    });
    const n = out.length;
    const fail = new Int32Array(n);
    // Breadth first: a state's failure target is shallower, so its own failure link and what it
    // reports are complete already.
    const queue: number[] = [];
    for (let t = firstChild[0]; t !== 0; t = nextSibling[t]) queue.push(t);
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q];
      const inherited = out[fail[s]];
      if (inherited) (out[s] ??= []).push(...inherited);
      for (let t = firstChild[s]; t !== 0; t = nextSibling[t]) {
        let f = fail[s];
        let g = child(f, letter[t]);
        while (g === 0 && f !== 0) {
          f = fail[f];
          g = child(f, letter[t]);
        }
        fail[t] = g;
        queue.push(t);
      }
    }
    // States numbered again, those that report nothing first (the root stays 0): the scan tells a
    // reporting state by one comparison instead of reading its output range at every character.
    const id = new Int32Array(n);
    let next = 0;
    for (let s = 0; s < n; s++) if (!out[s]) id[s] = next++;
    const firstOut = next;
    for (let s = 0; s < n; s++) if (out[s]) id[s] = next++;
    const table = n <= 0x10000 ? new Uint16Array(n * width) : new Int32Array(n * width);
    for (let t = firstChild[0]; t !== 0; t = nextSibling[t]) table[letter[t]] = id[t];
    for (const s of queue) {
      const to = id[s] * width;
      const from = id[fail[s]] * width;
      table.copyWithin(to, from, from + width);
      for (let t = firstChild[s]; t !== 0; t = nextSibling[t]) table[to + letter[t]] = id[t];
    }
    // Reporting states keep their relative order, so their new numbers rise with s. A slot may be
    // reported twice in a state (two of its literals end there): scan marks it once.
    const outStart = new Int32Array(n - firstOut + 1);
    let o = 0;
    for (let s = 0; s < n; s++)
      if (out[s]) {
        outStart[o + 1] = outStart[o] + out[s]!.length;
        o++;
      }
    const outSlots = new Int32Array(outStart[n - firstOut]);
    for (let s = 0; s < n; s++) if (out[s]) outSlots.set(out[s]!, outStart[id[s] - firstOut]);
    this.tables = { delta: table, firstOut, outStart, outSlots };
    return this.tables;
  }

  /**
   * As `scan` for the slots below `firstRecorded`; a slot from there on is not marked but told to
   * `record` with the index of the last character of each occurrence, in text order. Returns how
   * many marks it set.
   */
  scanRecording(text: string, marks: Uint8Array, firstRecorded: number, record: (slot: number, last: number) => void): number {
    const { fold, width } = this;
    const { delta, firstOut, outStart, outSlots } = this.tables ?? this.build();
    let s = 0;
    let found = 0;
    for (let i = 0; i < text.length; i++) {
      s = delta[s * width + fold[text.charCodeAt(i)]];
      if (s < firstOut) continue;
      const end = outStart[s - firstOut + 1];
      for (let k = outStart[s - firstOut]; k < end; k++) {
        const slot = outSlots[k];
        if (slot >= firstRecorded) record(slot, i);
        else if (marks[slot] === 0) {
          marks[slot] = 1;
          found++;
        }
      }
    }
    return found;
  }

  /** Sets marks[slot] = 1 for every slot with a literal in `text`; returns how many it set. */
  scan(text: string, marks: Uint8Array): number {
    return this.scanRecording(text, marks, this.slots, recordNothing);
  }
}

/** scan records no slot: every slot is below `slots`. */
function recordNothing(): void {}
