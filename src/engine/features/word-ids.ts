/**
 * The scorer's words as numbers: one table per document gives each distinct lower-cased word an
 * id, in the order first seen. The block pass (shape.ts) hashes a word as it reads its letters and
 * finds it by comparing the letters with the stored word, so a word costs no string of its own
 * unless it is new; the features (local.ts, stopwords.ts) then count and mark ids in typed arrays
 * instead of hashing every word into maps. An id stands for exactly one string (the table compares
 * whole words), so every count is the one the strings gave.
 */

/** Multiplier of the words' hash (FNV's prime; odd, so no bit is lost modulo 2^32). */
const HASH_BASE = 0x01000193;

/** The next hash after `h` with the character code `c`: a word's hash is folded over its codes in order. */
export function foldHash(h: number, c: number): number {
  return (Math.imul(h, HASH_BASE) + c) | 0;
}

/** A string's hash: foldHash over its codes (the words' here; the repeated lines' in kinds/duplicate.ts). */
export function hashOf(w: string): number {
  let h = 0;
  for (let i = 0; i < w.length; i++) h = foldHash(h, w.charCodeAt(i));
  return h;
}

export class WordIds {
  /** Open addressing: id + 1 per slot, 0 for an empty one. */
  private slots: Int32Array;
  private hashes: Int32Array;
  /** The words by id. */
  readonly words: string[] = [];

  constructor(expected = 256) {
    let size = 64;
    while (size < expected * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.hashes = new Int32Array(size >> 1);
  }

  get size(): number {
    return this.words.length;
  }

  /**
   * The id of the word `text.slice(start, end)`, whose hash (foldHash over its codes) is `hash`;
   * the word is added when new. `asciiFold`: the stretch is ASCII letters and digits, and the word
   * is the stretch lower-cased (a letter's code with 0x20 set).
   */
  idOfRange(text: string, start: number, end: number, hash: number, asciiFold = false): number {
    const fold = asciiFold ? 0x20 : 0;
    const n = end - start;
    const mask = this.slots.length - 1;
    let at = (hash ^ (hash >>> 16)) & mask;
    for (let e = this.slots[at]; e !== 0; at = (at + 1) & mask, e = this.slots[at]) {
      const id = e - 1;
      if (this.hashes[id] !== hash) continue;
      const w = this.words[id];
      if (w.length !== n) continue;
      let k = 0;
      while (k < n && w.charCodeAt(k) === (text.charCodeAt(start + k) | fold)) k++;
      if (k === n) return id;
    }
    const id = this.words.length;
    const word = start === 0 && end === text.length ? text : text.slice(start, end);
    this.words.push(asciiFold ? word.toLowerCase() : word);
    if (id === this.hashes.length) {
      const grown = new Int32Array(id * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[id] = hash;
    this.slots[at] = id + 1;
    // At most half full, so that probes stay short.
    if (this.words.length * 2 > this.slots.length) this.rehash();
    return id;
  }

  /** The id of the word `w`, added when new. */
  idOf(w: string): number {
    return this.idOfRange(w, 0, w.length, hashOf(w));
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.words.length; id++) {
      const h = this.hashes[id];
      let at = (h ^ (h >>> 16)) & mask;
      while (slots[at] !== 0) at = (at + 1) & mask;
      slots[at] = id + 1;
    }
    this.slots = slots;
  }
}
