/** Bounded admission (src/server/admission.ts): refuse single requests at the cap, queue batches for room. */
import { Admission } from '../../src/server/admission';

describe('Admission', () => {
  it('admits within both caps and refuses beyond either', () => {
    const a = new Admission({ maxDocuments: 2, maxBytes: 100 });
    const one = a.tryEnter(1, 60)!;
    expect(one).toBeDefined();
    expect(a.tryEnter(1, 50)).toBeUndefined(); // bytes
    const two = a.tryEnter(1, 40)!;
    expect(a.tryEnter(1, 0)).toBeUndefined(); // documents
    expect(a.full).toBe(true);
    one.release();
    one.release(); // twice is once
    expect(a.documents).toBe(1);
    expect(a.bytes).toBe(40);
    two.release();
    expect(a.full).toBe(false);
  });

  it('always lets one document in when nothing is in, however large', () => {
    const a = new Admission({ maxDocuments: 1, maxBytes: 10 });
    expect(a.tryEnter(1, 1000)).toBeDefined();
  });

  it('grants waiting work in order as room frees, and single requests do not jump the queue', async () => {
    const a = new Admission({ maxDocuments: 1, maxBytes: 100 });
    const first = a.tryEnter(1, 10)!;
    const order: string[] = [];
    const second = a.enter(1, 10).then((t) => (order.push('second'), t));
    const third = a.enter(1, 10).then((t) => (order.push('third'), t));
    first.release();
    expect(a.tryEnter(1, 1)).toBeUndefined(); // "third" waits ahead of it
    (await second)!.release();
    (await third)!.release();
    expect(order).toEqual(['second', 'third']);
    expect(a.documents).toBe(0);
  });

  it('gives up waiting when the signal aborts, and lets the next in', async () => {
    const a = new Admission({ maxDocuments: 1, maxBytes: 100 });
    const held = a.tryEnter(1, 1)!;
    const abort = new AbortController();
    const waiting = a.enter(1, 1, abort.signal);
    abort.abort();
    expect(await waiting).toBeUndefined();
    held.release();
    expect(a.documents).toBe(0);
  });

  it('resizes a ticket once its body is known', () => {
    const a = new Admission({ maxDocuments: 10, maxBytes: 100 });
    const t = a.tryEnter(1, 100)!;
    t.resize(3, 20);
    expect([a.documents, a.bytes]).toEqual([3, 20]);
    t.release();
    expect([a.documents, a.bytes]).toEqual([0, 0]);
  });
});
