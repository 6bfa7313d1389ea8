/**
 * Bounded memory for WARC input: a generated WET.gz of ~150 MB of records (one gzip member per
 * record, a request record between pages, as crawls have) through a real server in a child
 * process, read while it is sent. The check is the server's peak resident memory (VmHWM, worker
 * threads included) against the NDJSON batches' bound, not time. Linux only: it reads /proc.
 */
import { gzipSync } from 'node:zlib';
import { linux, PARAGRAPHS_TEXT, peakRssMB, RSS_BOUND_MB, startBatchServer, streamBatch } from './memory-kit';
import { requireBuild } from './server-helpers';

/** Decompressed: the records are repetitive text, so far fewer bytes cross the socket. */
const RECORD_BYTES = 150e6;

/** A WARC record as one gzip member; written by hand so that thousands cost no digest each. */
function member(type: string, id: number, block: string, extra = ''): Buffer {
  const body = Buffer.from(block, 'utf8');
  const head =
    `WARC/1.0\r\nWARC-Type: ${type}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-${String(id).padStart(12, '0')}>\r\n` +
    `WARC-Target-URI: https://example.com/page/${id}\r\nWARC-Date: 2026-11-30T12:00:00Z\r\n${extra}Content-Length: ${body.length}\r\n\r\n`;
  return gzipSync(Buffer.concat([Buffer.from(head), body, Buffer.from('\r\n\r\n')]));
}

(linux ? test : test.skip)(
  'a ~150 MB WET.gz streams through with the server under the NDJSON bound',
  async () => {
    requireBuild();
    const { child, url } = await startBatchServer('declutter-warc-mem-');
    try {
      const request = 'GET /page HTTP/1.1\r\nHost: example.com\r\n\r\n';
      let produced = 0;
      let pages = 0;
      let answered = 0;
      let errors = 0;
      await streamBatch(
        url,
        'application/warc',
        () => {
          if (produced >= RECORD_BYTES) return null;
          const n = pages++;
          produced += PARAGRAPHS_TEXT.length;
          return Buffer.concat([
            member('request', 2 * n, request, 'Content-Type: application/http; msgtype=request\r\n'),
            member('conversion', 2 * n + 1, PARAGRAPHS_TEXT, 'Content-Type: text/plain\r\n'),
          ]);
        },
        (line) => {
          if (line.slice(0, 200).includes('"error":')) errors++;
          answered++;
        },
      );
      expect(errors).toBe(0);
      // One line per page; the request records are skipped.
      expect(answered).toBe(pages);
      expect(peakRssMB(child.pid!)).toBeLessThan(RSS_BOUND_MB);
    } finally {
      child.kill('SIGTERM');
    }
  },
  240_000,
);
