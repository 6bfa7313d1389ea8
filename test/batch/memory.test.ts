/**
 * Bounded memory: about 200 MB of NDJSON, generated on the fly, through a real server in a child
 * process, while we read the answer. The check is the server's peak resident memory (VmHWM, worker
 * threads included), not time. Linux only: it reads /proc.
 */
import { linux, PARAGRAPHS_TEXT, peakRssMB, RSS_BOUND_MB, startBatchServer, streamBatch } from './memory-kit';
import { requireBuild } from './server-helpers';

const BODY_BYTES = 200e6;

(linux ? test : test.skip)(
  'a ~200 MB batch streams through with the server under 300 MB resident',
  async () => {
    requireBuild();
    const { child, url } = await startBatchServer('declutter-mem-');
    try {
      // Paragraph-shaped lines of ~100 KB, each under a fresh id.
      const text = JSON.stringify(PARAGRAPHS_TEXT);
      let sent = 0;
      let docs = 0;
      let answered = 0;
      let errors = 0;
      await streamBatch(
        url,
        'application/x-ndjson',
        () => {
          if (sent >= BODY_BYTES) return null;
          const line = `{"id":"doc-${docs++}","text":${text}}\n`;
          sent += line.length;
          return line;
        },
        (line) => {
          if (line.startsWith(`{"id":"doc-${answered}","error"`)) errors++;
          answered++;
        },
      );
      expect(answered).toBe(docs);
      expect(errors).toBe(0);
      expect(peakRssMB(child.pid!)).toBeLessThan(RSS_BOUND_MB);
    } finally {
      child.kill('SIGTERM');
    }
  },
  120_000,
);
