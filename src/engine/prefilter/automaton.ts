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
/** The alphabet is ASCII plus at most this many other characters, numbered from 128. */
const MAX_ALPHABET = 256;

/** An automaton's transition table and what each state reports. */
interface Tables {
  delta: Int32Array;
  /** Slots reported in state s: outSlots[outStart[s] .. outStart[s + 1]). */
  outStart: Int32Array;
  outSlots: Int32Array;
}

export class LiteralAutomaton {
  /** Character code → letter of the alphabet (0, which no literal holds, for the rest). */
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
    for (let c = 0; c < ASCII; c++) fold[c] = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
    // toLowerCase leaves the long s alone; U+0130 it turns into two characters (the caller checks).
    if (folding === 'regex') fold[0x17f] = 0x73;
    fold[0x212a] = 0x6b;
    let width = ASCII;
    /** The characters beyond ASCII that fold to a letter. */
    const beyond = [0x17f, 0x212a];
    for (const list of literals)
      for (const lit of list)
        for (let i = 0; i < lit.length; i++) {
          const c = lit.charCodeAt(i);
          if (c >= ASCII && fold[c] === 0) {
            if (width >= MAX_ALPHABET) throw new Error('too many distinct characters in the literals');
            fold[c] = width++;
            beyond.push(c);
          }
        }
    // Checked first: a literal holds only letters of the alphabet, in their folded form.
    for (const list of literals)
      for (const lit of list)
        for (let i = 0; i < lit.length; i++) {
          const c = fold[lit.charCodeAt(i)];
          if (c === 0 || (c < ASCII && c !== lit.charCodeAt(i))) throw new Error(`not a folded literal: ${JSON.stringify(lit)}`);
        }
    this.width = compactAlphabet(fold, width, literals, beyond);
    this.fold = fold;
    this.literals = literals;
  }

  private build(): Tables {
    const { fold, width } = this;
    const literals = this.literals!;
    this.literals = undefined;
    // The trie is written straight into the transition table (a child is never the root, so 0
    // means "no edge yet"), then breadth first every missing edge is copied from the failure
    // state's row. Maps per state, asked for every letter of every state, made the build cost
    // more than the rest of compiling the set.
    // Room for one state per character of the literals; states are numbered in order, so only
    // the first rows are ever written, and the pages of the rest are never touched (a page's
    // first write, not the allocation, is what costs).
    let chars = 0;
    for (const list of literals) for (const lit of list) chars += lit.length;
    let delta = new Int32Array((chars + 1) * width);
    const out: (number[] | undefined)[] = [undefined];
    literals.forEach((list, slot) => {
      for (const lit of list) {
        let s = 0;
        for (let i = 0; i < lit.length; i++) {
          const at = s * width + fold[lit.charCodeAt(i)];
          if (delta[at] === 0) {
            delta[at] = out.length;
            out.push(undefined);
          }
          s = delta[at];
        }
        (out[s] ??= []).push(slot);
      }
    });
    const n = out.length;
    delta = delta.subarray(0, n * width);
    const fail = new Int32Array(n);
    // Breadth first: a state's failure target is shallower, so its row is complete already.
    const queue: number[] = [];
    for (let c = 0; c < width; c++) if (delta[c] !== 0) queue.push(delta[c]);
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q];
      const row = s * width;
      const failRow = fail[s] * width;
      const inherited = out[fail[s]];
      if (inherited) (out[s] ??= []).push(...inherited);
      for (let c = 0; c < width; c++) {
        const next = delta[row + c];
        if (next === 0) delta[row + c] = delta[failRow + c];
        else {
          fail[next] = delta[failRow + c];
          queue.push(next);
        }
      }
    }
    // A slot may be reported twice in a state (two of its literals end there): scan marks it once.
    const outStart = new Int32Array(n + 1);
    for (let s = 0; s < n; s++) outStart[s + 1] = outStart[s] + (out[s]?.length ?? 0);
    const outSlots = new Int32Array(outStart[n]);
    for (let s = 0; s < n; s++) if (out[s]) outSlots.set(out[s]!, outStart[s]);
    this.tables = { delta, outStart, outSlots };
    return this.tables;
  }

  /** Sets marks[slot] = 1 for every slot with a literal in `text`; returns how many it set. */
  scan(text: string, marks: Uint8Array): number {
    const { fold, width } = this;
    const { delta, outStart, outSlots } = this.tables ?? this.build();
    let s = 0;
    let found = 0;
    for (let i = 0; i < text.length; i++) {
      s = delta[s * width + fold[text.charCodeAt(i)]];
      const end = outStart[s + 1];
      for (let k = outStart[s]; k < end; k++) {
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

/**
 * Renumbers the alphabet to the letters the literals hold (1..k), every other character becoming
 * letter 0; returns k + 1, the new width. `beyond` lists the characters past ASCII that `fold`
 * gives a letter (every other is 0 already). A letter no literal holds leads from every state back to
 * the root, so all such letters act alike and one letter does for them: the default set's
 * literals hold 54 of the 135 letters, and the tables (one row of `width` per state, over 4,000
 * states in the largest of its five automata) shrink by as much. Writing those tables was most of
 * the build, which every CLI run and worker pays.
 */
function compactAlphabet(fold: Uint8Array, width: number, literals: readonly (readonly string[])[], beyond: readonly number[]): number {
  const renumber = new Uint8Array(width);
  for (const list of literals) for (const lit of list) for (let i = 0; i < lit.length; i++) renumber[fold[lit.charCodeAt(i)]] = 1;
  let k = 0;
  for (let letter = 1; letter < width; letter++) if (renumber[letter]) renumber[letter] = ++k;
  for (let c = 0; c < ASCII; c++) fold[c] = renumber[fold[c]];
  for (const c of beyond) fold[c] = renumber[fold[c]];
  return k + 1;
}
