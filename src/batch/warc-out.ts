/**
 * WARC output: each result as a `conversion` record of the clean text, the way Common Crawl's WET
 * files carry a page's text, so the output feeds the tools that read WET. `WARC-Refers-To` names
 * the source record, `WARC-Target-URI` and `WARC-Date` are the source's. A record that could not be
 * cleaned becomes a `metadata` record whose block is the error (application/problem+json), so
 * nothing is lost silently and WET readers, which look at conversion records, pass over it.
 *
 * The pipeline writes results in input order, one per item, so the sources ride along in a queue:
 * an item's source is queued as it is read and taken when its result is written (the window bounds
 * the queue). Records are serialised by warcio.
 */
import type { Writable } from 'node:stream';
import { WARCRecord, WARCSerializer } from 'warcio';
import type { LineSink } from './pipeline';
import type { WarcItem, WarcSource } from './warc';

export const WARC_CONTENT_TYPE = 'application/warc';

/** Pairs each item with its result: call `track` on the items the pipeline reads. */
export class SourceQueue {
  private readonly queue: WarcSource[] = [];

  async *track(items: AsyncIterable<WarcItem>): AsyncGenerator<WarcItem> {
    for await (const item of items) {
      this.queue.push(item.source);
      yield item;
    }
  }

  take(): WarcSource {
    return this.queue.shift() ?? {};
  }
}

/** The WARC records of one result line (as the worker wrote it, or an error line). */
export async function warcRecordOf(line: string, source: WarcSource): Promise<Uint8Array> {
  const result = JSON.parse(line) as { text?: string; error?: unknown };
  const warcHeaders: Record<string, string> = {};
  if (source.uri !== undefined) warcHeaders['WARC-Target-URI'] = source.uri;
  if (source.recordId !== undefined) warcHeaders['WARC-Refers-To'] = source.recordId;
  const isError = result.error !== undefined;
  warcHeaders['Content-Type'] = isError ? 'application/problem+json' : 'text/plain; charset=utf-8';
  const body = Buffer.from(isError ? JSON.stringify(result.error) : (result.text ?? ''), 'utf8');
  const record = WARCRecord.create({ type: isError ? 'metadata' : 'conversion', date: source.date, warcVersion: 'WARC/1.0', warcHeaders }, [body]);
  return WARCSerializer.serialize(record);
}

export interface WarcSink extends LineSink {
  /**
   * Resolves when the last record is out. The pipeline counts a line as written when it hands it
   * over; a record is serialised after that, so the caller must wait for this before ending the stream.
   */
  settled(): Promise<void>;
}

/**
 * A sink that writes WARC records instead of lines, over a stream; like streamSink, it waits for
 * 'drain' once the stream holds more than `slackBytes`.
 */
export function warcSink(stream: Writable, slackBytes: number, sources: SourceQueue): WarcSink {
  let last: Promise<void> = Promise.resolve();
  const writeOne = async (line: string) => {
    const bytes = await warcRecordOf(line, sources.take());
    if (stream.destroyed) throw new Error('the output stream is closed');
    const ok = stream.write(bytes);
    if (ok || stream.writableLength < slackBytes) return;
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        stream.off('close', closed);
        resolve();
      };
      const closed = () => {
        stream.off('drain', done);
        reject(new Error('the output stream closed'));
      };
      stream.once('drain', done);
      stream.once('close', closed);
    });
  };
  return {
    write(line: string) {
      last = writeOne(line);
      return last;
    },
    settled: () => last,
  };
}
