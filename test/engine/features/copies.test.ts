import fc from 'fast-check';
import { heldShares, HELD_MIN_CHARS, HOLDER_MIN_CHARS } from '../../../src/engine/features/copies';

/** Forces the pairwise search (the reference) or the indexed one, whatever the size. */
const pairwise = (texts: string[]) => heldShares(texts, Number.MAX_SAFE_INTEGER);
const indexed = (texts: string[]) => heldShares(texts, 0);

const sentence = (i: number) => `Sentence number ${i} of the story tells what happened next, and why it matters to everyone. `;

describe('heldShares', () => {
  it('gives a block made of two other blocks the share of their characters, both ways', () => {
    const a = sentence(1).repeat(2).trim();
    const b = sentence(2).repeat(2).trim();
    const holder = `${a} ${b} ${sentence(3).repeat(5)}`.trim();
    const texts = ['Home', a, b, holder];
    for (const shares of [pairwise(texts), indexed(texts)]) {
      expect([...shares.slice(0, 3)]).toEqual([0, 0, 0]);
      expect(shares[3]).toBeCloseTo((a.length + b.length) / holder.length, 12);
    }
  });

  it('counts each copy of a held block, never the holder itself or a copy of it', () => {
    const a = sentence(7).trim();
    const holder = `${a} ${sentence(8).repeat(8)}`;
    const texts = [holder, a, a, holder];
    expect(a.length).toBeGreaterThanOrEqual(HELD_MIN_CHARS);
    expect(holder.length).toBeGreaterThanOrEqual(HOLDER_MIN_CHARS);
    const expected = (2 * a.length) / holder.length;
    for (const shares of [pairwise(texts), indexed(texts)]) expect([...shares]).toEqual([expected, 0, 0, expected]);
  });

  it('finds a held block at the very end of its holder and one that starts where another ends', () => {
    const a = sentence(4).trim();
    const b = sentence(5).trim();
    const holder = sentence(6).repeat(6) + a + b;
    const texts = [holder, b, a];
    expect([...indexed(texts)]).toEqual([...pairwise(texts)]);
    expect(indexed(texts)[0]).toBeCloseTo((a.length + b.length) / holder.length, 12);
  });

  it('gives the same numbers both ways on random pages made of shared pieces', () => {
    // Pieces of a few lengths around the two thresholds, glued into blocks, so that blocks often
    // hold each other, sometimes twice, sometimes across non-BMP characters.
    const piece = fc.oneof(
      fc.constantFrom('a', 'ab ', 'xy', '😀', 'é'),
      fc.string({ minLength: 30, maxLength: 90 }),
      fc.constantFrom(sentence(1), sentence(2), sentence(3)),
    );
    const pieces = fc.array(piece, { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(pieces, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(11), { maxLength: 10 }), (blocks, repeats) => {
        const texts = blocks.map((p) => p.join(''));
        // Long blocks made of others, verbatim, so that the indexed search has something to find.
        const n = texts.length;
        for (const k of repeats) if (k < n) texts.push(texts.slice(k, n).join('') + texts[k].repeat(3));
        expect([...indexed(texts)]).toEqual([...pairwise(texts)]);
      }),
      { numRuns: 300 },
    );
  });

  it('reads thousands of pages of blocks in one pass (the size where the indexed search is used)', () => {
    const page = [sentence(1).repeat(8), sentence(2), sentence(3), `${sentence(2)}${sentence(9).repeat(7)}`];
    const texts: string[] = [];
    for (let i = 0; i < 3000; i++) texts.push(...page);
    const shares = heldShares(texts);
    // Each copy of the fourth block holds the second block 3000 times over (every copy of it).
    const fourth = page[3];
    expect(shares[3]).toBe(Math.min(1, (3000 * page[1].length) / fourth.length));
    expect(shares[0]).toBe(0);
    expect(shares[texts.length - 1]).toBe(shares[3]);
  });
});
