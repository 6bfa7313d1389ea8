/**
 * streamSink's `freeWritten` (free-bytes.ts): a batch line's bytes are freed once the response
 * wrote them, never before: what the client reads is every byte of every line, and the lines'
 * ArrayBuffers are detached afterwards. Lines of 300 KB, more than a socket takes at once, so
 * writes complete after write() returns (libuv still holds them), as a batch's full lines do.
 */
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { streamSink } from '../../src/batch/pipeline';

/** A line in an ArrayBuffer of its own, larger than the view (as json-bytes.ts makes them). */
function ownLine(n: number, size: number): Uint8Array {
  const buffer = new ArrayBuffer(size + 100);
  const line = new Uint8Array(buffer, 0, size);
  for (let i = 0; i < size - 1; i++) line[i] = 0x61 + ((i * 7 + n) % 26);
  line[size - 1] = 0x0a;
  return line;
}

test('an HTTP response gets every byte of its lines, and their buffers are freed once written', async () => {
  const lines = [0, 1, 2, 3, 4].map((n) => ownLine(n, 300_000));
  const expected = Buffer.concat(lines.map((l) => Buffer.from(l))); // copies, made before any write
  const finished: Promise<unknown>[] = [];
  const server = http.createServer(async (_req, res) => {
    finished.push(once(res, 'finish'));
    const sink = streamSink(res, 0, true);
    for (const line of lines) {
      const wait = sink.writeBytes!(line);
      expect(line.byteLength).toBe(300_000); // not before its write completed
      if (wait) await wait;
    }
    res.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    const body = await new Promise<Buffer>((resolve, reject) => {
      http.get(`http://127.0.0.1:${port}/`, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
        res.on('error', reject);
      });
    });
    await Promise.all(finished);
    expect(body.equals(expected)).toBe(true);
    for (const line of lines) expect(line.buffer.byteLength).toBe(0); // detached: freed
  } finally {
    server.close();
  }
});

test('without freeWritten the bytes stay: a stream that passes chunks on still has them to read', async () => {
  const stream = new PassThrough();
  const line = ownLine(0, 1000);
  const sink = streamSink(stream, 1 << 20);
  await sink.writeBytes!(line);
  stream.end();
  await once(stream, 'finish');
  const read = Buffer.concat(await stream.toArray());
  expect(line.byteLength).toBe(1000);
  expect(read.equals(Buffer.from(ownLine(0, 1000)))).toBe(true);
});
