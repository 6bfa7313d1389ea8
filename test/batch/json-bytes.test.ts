/**
 * json-bytes.ts writes JSON straight to UTF-8: its bytes must be those of encoding
 * `JSON.stringify`'s string, for every full result the service and batches answer (the dev
 * sets' texts and pages) and for the values a result could hold at the edges: escapes, lone
 * surrogates, astral characters, undefined and non-finite numbers, `toJSON`, class instances.
 */
import { cleanOne } from '../../src/batch/clean-one';
import { jsonBytes } from '../../src/batch/json-bytes';
import type { CompiledRuleSet } from '../../src/engine';
import { defaultRuleSet } from '../../src/index';
import { readSet } from '../../src/train/data';
import { AEB_DEV } from '../paths';

const encoder = new TextEncoder();
const hex = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex'));
const expected = (v: unknown, newline = false) => {
  const json = JSON.stringify(v);
  return json === undefined ? undefined : hex(encoder.encode(newline ? `${json}\n` : json));
};

const docs = readSet(AEB_DEV);

let set: CompiledRuleSet;
beforeAll(() => {
  set = defaultRuleSet();
});

describe('jsonBytes', () => {
  it('writes the bytes of the encoded JSON.stringify for full text results of the dev set', () => {
    for (const d of docs.slice(0, 40)) {
      const result = { id: d.id, ...cleanOne(d.text, 'text', set, {}) };
      expect(hex(jsonBytes(result, 16))).toBe(expected(result));
    }
  });

  it('writes the bytes of the encoded JSON.stringify for full page results, with the article as HTML', () => {
    for (const d of docs.slice(0, 8)) {
      const result = { id: undefined, ...cleanOne(d.html!, 'html', set, { format: 'html', offsets: 'codepoint' }) };
      expect(hex(jsonBytes(result))).toBe(expected(result));
    }
  });

  it('escapes as JSON.stringify does, in short and long strings', () => {
    const odd = 'a"b\\c\n\r\t\b\f\u0000\u0001\u001f\u007f\u2028\u2029é€😀\ud800x\udc00\udbff';
    for (const s of [
      odd,
      odd.repeat(40),
      'x'.repeat(300) + '"',
      'é'.repeat(300),
      '\ud83d',
      'ok \ud83d'.repeat(100),
      '',
      'plain ascii text that is long enough',
    ])
      expect(hex(jsonBytes(s))).toBe(expected(s));
  });

  it('writes numbers, booleans, null and skips what JSON.stringify skips', () => {
    const v = {
      a: 0,
      b: -0,
      c: 12345678901234,
      d: 1.5e-7,
      e: -3,
      f: NaN,
      g: Infinity,
      h: 4294967295,
      i: 4294967296,
      j: true,
      k: null,
      skipped: undefined,
      fn: () => 1,
      arr: [1, undefined, () => 2, null, 'x'],
      nested: { deep: [{}, []] },
      [Symbol('s')]: 1,
    };
    expect(hex(jsonBytes(v))).toBe(expected(v));
    expect(jsonBytes(undefined)).toBeUndefined();
  });

  it('leaves toJSON, class instances and dates to JSON.stringify', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const v = { when: new Date(0), p: new Point(1, 2), custom: { toJSON: () => 'mine' }, map: new Map([[1, 2]]) };
    expect(hex(jsonBytes(v))).toBe(expected(v));
  });

  it('adds the newline when asked, and the bytes fill an ArrayBuffer a transfer can take', () => {
    const v = { text: 'é'.repeat(5000) };
    const bytes = jsonBytes(v, 8, true)!;
    expect(hex(bytes)).toBe(expected(v, true));
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer).toBeInstanceOf(ArrayBuffer);
    // Its own buffer, not Node's shared pool: others' bytes would go with a transfer.
    expect(bytes.buffer.byteLength).toBeLessThan(1 << 20);
    expect(bytes.buffer.byteLength).toBeGreaterThanOrEqual(bytes.byteLength);
  });
});
