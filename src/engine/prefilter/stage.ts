/**
 * One prefilter for the whole block stage. Before the block rules judge a block, one pass over
 * its text says which of them can possibly object:
 * - pattern rules: the literals one of which every match contains (literals.ts), all found by one
 *   automaton (automaton.ts) in one scan of the block;
 * - phrase rules: the block squashed once, then one lookup of its first and last two characters
 *   in maps shared by every phrase rule of the set, whatever the number of phrases;
 * - other rules run on every block.
 * The rules then run in their own order on the candidates alone, so the first rule that objects
 * is the same one as without the prefilter: only rules that would have said nothing are skipped.
 */
import type { CompiledRule, PhraseIndex } from '../rule';
import type { Block } from '../segment';
import { squash } from '../kinds/phrase';
import { LiteralAutomaton } from './automaton';

/** Phrase rules are told apart by one bit each of a 32-bit mask. */
const MAX_MASKED_PHRASE_RULES = 31;

const key2 = (s: string, at: number) => s.charCodeAt(at) * 0x10000 + s.charCodeAt(at + 1);

/** Letters and digits an ASCII window holds: the first (or last) four of a squashed text. */
const WINDOW = 4;
/**
 * An ASCII window of `length` characters as a number: base 128, the length in the two lowest
 * bits. Below 2^30, so a small integer to V8: the maps' lookups hash no heap number (with the
 * length first, four characters overflowed it and every lookup boxed a double).
 */
function windowKey(codes: ArrayLike<number>, length: number): number {
  let k = 0;
  for (let i = 0; i < length; i++) k = k * 128 + codes[i];
  return k * 4 + (length - 1);
}
/** The window of a squashed phrase, or -1 when it holds a character beyond ASCII. */
function phraseWindowKey(p: string, fromEnd: boolean): number {
  const length = Math.min(WINDOW, p.length);
  const codes: number[] = [];
  for (let i = 0; i < length; i++) {
    const c = p.charCodeAt(fromEnd ? p.length - length + i : i);
    if (c >= 0x80) return -1;
    codes.push(c);
  }
  return windowKey(codes, length);
}

class PhraseLookup {
  private readonly starts = new Map<number, number>();
  private readonly endings = new Map<number, number>();
  private readonly single = new Map<number, number>();
  /** By window key: the rules with a phrase that starts (ends) with that window. */
  private readonly heads = new Map<number, number>();
  private readonly tails = new Map<number, number>();
  /** Scratch for the block's windows (front, then back, in text order). */
  private readonly front = new Int32Array(WINDOW);
  private readonly back = new Int32Array(WINDOW);
  /** Longest block text (before squashing) any phrase rule looks at. */
  readonly maxRest: number;
  /** The largest squashed length any phrase rule accepts. */
  private readonly maxLen: number;

  /** `indexes[j]` is the index of phrase rule j, which answers to bit j. */
  constructor(
    indexes: readonly PhraseIndex[],
    private readonly slots: readonly number[],
  ) {
    const add = (map: Map<number, number>, key: number, bit: number) => map.set(key, (map.get(key) ?? 0) | bit);
    let maxLen = 0;
    indexes.forEach((ix, j) => {
      const bit = 1 << j;
      for (const s of ix.starts) add(this.starts, key2(s, 0), bit);
      for (const s of ix.endings) add(this.endings, key2(s, 0), bit);
      for (const s of ix.single) add(this.single, s.charCodeAt(0), bit);
      for (const p of ix.phrases) {
        // A phrase whose window holds a non-ASCII character never starts (ends) an ASCII window.
        const head = phraseWindowKey(p, false);
        const tail = phraseWindowKey(p, true);
        if (head >= 0) add(this.heads, head, bit);
        if (tail >= 0) add(this.tails, tail, bit);
      }
      maxLen = Math.max(maxLen, ix.maxLen);
    });
    this.maxLen = maxLen;
    this.maxRest = maxLen * 2;
  }

  /** Marks the phrase rules whose phrases can make up the block. */
  mark(b: Block, marks: Uint8Array): void {
    if (b.rest.length > this.maxRest) return;
    let mask = this.asciiWindows(b.rest);
    if (mask < 0) mask = this.squashedEnds(b);
    for (let j = 0; mask !== 0; j++, mask >>>= 1) if (mask & 1) marks[this.slots[j]] = 1;
  }

  /** The rules' mask read off the squashed block's ends. */
  private squashedEnds(b: Block): number {
    const s = (b.squashed ??= squash(b.rest));
    const n = s.length;
    if (n === 0 || n > this.maxLen) return 0;
    const first = this.single.get(s.charCodeAt(0)) ?? 0;
    const last = this.single.get(s.charCodeAt(n - 1)) ?? 0;
    if (n < 2) return first & last;
    return ((this.starts.get(key2(s, 0)) ?? 0) | first) & ((this.endings.get(key2(s, n - 2)) ?? 0) | last);
  }

  /**
   * The same question without squashing the block, when the letters and digits of its first and
   * last windows are ASCII (most blocks): squashing keeps letters and digits and lower-cases
   * them, which for ASCII is one character at a time. A rule qualifies when one of its phrases
   * can start the squashed block and one can end it: a phrase shorter than the window must be
   * the block's first (last) characters, a longer one must begin (end) with its window. -1 when
   * the windows cannot be read this way; the caller squashes then.
   */
  private asciiWindows(text: string): number {
    const front = this.front;
    const back = this.back;
    let nf = 0;
    for (let i = 0; i < text.length && nf < WINDOW; i++) {
      const c = squashedAscii(text.charCodeAt(i));
      if (c < 0) return -1;
      if (c > 0) front[nf++] = c;
    }
    if (nf === 0) return -1;
    let nb = 0;
    for (let i = text.length - 1; i >= 0 && nb < WINDOW; i--) {
      const c = squashedAscii(text.charCodeAt(i));
      if (c < 0) return -1;
      if (c > 0) back[WINDOW - 1 - nb++] = c;
    }
    // The keys of windowKey, built up a character at a time (no subarray, no array per window).
    let head = 0;
    for (let k = 1, v = 0; k <= nf; k++) {
      v = v * 128 + front[k - 1];
      head |= this.heads.get(v * 4 + (k - 1)) ?? 0;
    }
    if (head === 0) return 0;
    let tail = 0;
    for (let k = 1, v = 0, weight = 1; k <= nb; k++, weight *= 128) {
      v += back[WINDOW - k] * weight;
      tail |= this.tails.get(v * 4 + (k - 1)) ?? 0;
    }
    return head & tail;
  }
}

/**
 * A character as squashing treats it: the lower-case code of an ASCII letter or digit, 0 for a
 * character it drops that is ASCII, Latin-1 punctuation or general punctuation, -1 otherwise.
 */
function squashedAscii(c: number): number {
  if (c < 0x80) {
    if (c >= 0x61 && c <= 0x7a) return c;
    if (c >= 0x41 && c <= 0x5a) return c + 0x20;
    if (c >= 0x30 && c <= 0x39) return c;
    return 0;
  }
  // No-break space to ¿ (but ª ² ³ µ ¹ º ¼ ½ ¾, which are letters or numbers), and – — ’ “ ” • …
  if (c <= 0xbf) return c === 0xaa || c === 0xb2 || c === 0xb3 || c === 0xb5 || c === 0xb9 || c === 0xba || c >= 0xbc ? -1 : 0;
  if (c >= 0x2000 && c <= 0x206f) return 0;
  return -1;
}

export class BlockStageFilter {
  /** 1 for the stage's rules that run on every block. */
  private readonly always: Uint8Array;
  private readonly literals: LiteralTiers | null;
  private readonly phrases: PhraseLookup | null;
  readonly size: number;
  /**
   * By slot, the literals one of which every block its rule removes holds (empty: none known):
   * the set's scan of the whole document marks each block by them (prefilter/requirements.ts),
   * and `markWith` reads that instead of scanning the block again.
   */
  readonly literalLists: readonly (readonly string[])[];

  /** `rules` are the stage's rules in their order; slot k of the marks answers for rules[k]. */
  constructor(rules: readonly CompiledRule[]) {
    this.size = rules.length;
    this.always = new Uint8Array(rules.length);
    const literals: string[][] = rules.map(() => []);
    const phraseIndexes: PhraseIndex[] = [];
    const phraseSlots: number[] = [];
    let anyLiterals = false;
    const maxChars = rules.map((r) => (r.prefilter && 'literals' in r.prefilter ? (r.prefilter.maxChars ?? Infinity) : Infinity));
    const phraseRules = rules.filter((r) => r.prefilter && 'phrases' in r.prefilter).length;
    rules.forEach((r, k) => {
      const p = r.prefilter;
      if (p && 'literals' in p && p.literals.length > 0) {
        literals[k] = [...p.literals];
        anyLiterals = true;
      } else if (p && 'phrases' in p && phraseRules <= MAX_MASKED_PHRASE_RULES) {
        phraseIndexes.push(p.phrases);
        phraseSlots.push(k);
      } else this.always[k] = 1;
    });
    this.literals = anyLiterals ? new LiteralTiers(literals, maxChars, this.always) : null;
    // A rule whose literals the automaton refused runs on every block (`always`): none to look for.
    this.literalLists = literals.map((list, k) => (this.always[k] ? [] : list));
    this.phrases = phraseSlots.length ? new PhraseLookup(phraseIndexes, phraseSlots) : null;
  }

  /** Sets marks[k] to 1 when rule k may remove the block, 0 when it surely does not. */
  mark(b: Block, marks: Uint8Array): void {
    marks.set(this.always);
    this.literals?.scan(b.rest, marks);
    this.phrases?.mark(b, marks);
  }

  /**
   * As `mark`, for a block whose `rest` is its text as the document holds it: the literal rules'
   * marks are read from `found`, the document's scan (RequirementIndex.scanDocument's blockMarks),
   * at `offset`. One scan of the document instead of one of each block: a block of 60 characters
   * cost about as much in calls as in characters.
   */
  markWith(b: Block, marks: Uint8Array, found: Uint8Array, offset: number): void {
    const always = this.always;
    for (let k = 0; k < always.length; k++) marks[k] = always[k] | found[offset + k];
    this.phrases?.mark(b, marks);
  }
}

/** At most this many automata per set: each costs memory in proportion to its literals. */
const MAX_TIERS = 4;

/**
 * The literal rules' automata by block length. Pattern rules remove only blocks up to their
 * maxChars, so a long paragraph need only be searched for the literals of the rules that take
 * blocks that long (usually none): tier k holds the rules whose maxChars is above `floors[k]`, and
 * answers for blocks longer than that, up to the next floor.
 */
class LiteralTiers {
  private readonly floors: number[] = [];
  private readonly automata: (LiteralAutomaton | null)[] = [];

  constructor(literals: string[][], maxChars: number[], always: Uint8Array) {
    const limits = [...new Set(literals.flatMap((list, k) => (list.length ? [maxChars[k]] : [])))].sort((a, b) => a - b);
    // Floors at evenly spaced limits: tier 0 takes every literal rule.
    const floors = [0];
    for (let t = 1; t < MAX_TIERS && t < limits.length; t++) {
      const floor = limits[Math.floor((t * limits.length) / MAX_TIERS) - 1];
      if (floor > floors[floors.length - 1] && Number.isFinite(floor)) floors.push(floor);
    }
    // Past the longest maxChars no literal rule removes anything: no scan at all.
    const longest = limits[limits.length - 1];
    if (Number.isFinite(longest) && longest > floors[floors.length - 1]) floors.push(longest);
    for (const floor of floors) {
      const subset = literals.map((list, k) => (maxChars[k] > floor ? list : []));
      this.floors.push(floor);
      this.automata.push(subset.some((l) => l.length) ? automatonOr(subset, always) : null);
    }
  }

  scan(text: string, marks: Uint8Array): void {
    let t = this.floors.length - 1;
    while (t > 0 && text.length <= this.floors[t]) t--;
    this.automata[t]?.scan(text, marks);
  }
}

/** The automaton of the literals; when they cannot make one, their rules run on every block. */
function automatonOr(literals: string[][], always: Uint8Array): LiteralAutomaton | null {
  try {
    return new LiteralAutomaton(literals);
  } catch {
    literals.forEach((list, k) => {
      if (list.length) always[k] = 1;
    });
    return null;
  }
}
