/** NDJSON framing: lines split across chunks, blank lines, CRLF, a BOM, over-long lines, a size cap. */
import { ndjsonLines, type RawLine } from '../../src/batch/lines';

async function collect(chunks: (string | Buffer)[], maxLineBytes = 1000, maxTotalBytes?: number): Promise<RawLine[]> {
  const out: RawLine[] = [];
  async function* source() {
    yield* chunks;
  }
  for await (const l of ndjsonLines(source(), { maxLineBytes, maxTotalBytes })) out.push(l);
  return out;
}

test('joins lines split across chunks, even inside a multi-byte character', async () => {
  const euro = Buffer.from('€'); // three bytes
  const lines = await collect([Buffer.from('{"a":"x'), euro.subarray(0, 1), Buffer.concat([euro.subarray(1), Buffer.from('"}\n{"b":1}')])]);
  expect(lines).toEqual([
    { kind: 'line', lineNo: 1, text: '{"a":"x€"}', bytes: 12 },
    { kind: 'line', lineNo: 2, text: '{"b":1}', bytes: 7 },
  ]);
});

test('skips blank lines but keeps counting them, and drops CR and a leading BOM', async () => {
  const lines = await collect(['\uFEFF{"a":1}\r\n', '\n  \n{"b":2}\r\n']);
  expect(lines.map((l) => [l.lineNo, l.kind === 'line' && l.text])).toEqual([
    [1, '{"a":1}'],
    [4, '{"b":2}'],
  ]);
});

test('an over-long line becomes one too-long entry with its head, and the next line is intact', async () => {
  const long = `{"id":"big","text":"${'x'.repeat(5000)}"}`;
  const lines = await collect([long.slice(0, 300), long.slice(300), '\n{"id":"next"}\n'], 1000);
  expect(lines[0]).toMatchObject({ kind: 'too-long', lineNo: 1, bytes: long.length });
  expect((lines[0] as { head: string }).head.startsWith('{"id":"big"')).toBe(true);
  expect(lines[1]).toEqual({ kind: 'line', lineNo: 2, text: '{"id":"next"}', bytes: 13 });
});

test('stops with body-too-large once the total passes the cap', async () => {
  const lines = await collect(['{"a":1}\n', '{"b":2}\n', '{"c":3}\n'], 1000, 12);
  expect(lines.map((l) => l.kind)).toEqual(['line', 'body-too-large']);
});
