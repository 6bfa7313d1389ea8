/**
 * WARC and WET files the tests write themselves, with warcio's writer, from the dev pages: no
 * download, and every damage a crawl really shows is put in on purpose, at a known record.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { WARCRecord, WARCSerializer } from 'warcio';
import { AEB_DEV } from '../paths';

export interface DevPage {
  id: string;
  url: string;
  html: string;
  text: string;
}

/** The first `n` dev pages, each with a WARC record id of its own. */
export function devPages(n: number): DevPage[] {
  return readFileSync(AEB_DEV, 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, n)
    .map((line, i) => {
      const { url, html, text } = JSON.parse(line) as { url: string; html: string; text: string };
      // As warcio writes it into WARC-Target-URI.
      return { id: `<urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}>`, url: new URL(url).href, html, text };
    });
}

const DATE = '2026-11-30T12:00:00Z';
const bytes = (s: string) => Buffer.from(s, 'utf8');

async function serialize(record: WARCRecord, gzip: boolean): Promise<Buffer> {
  return Buffer.from(await WARCSerializer.serialize(record, { gzip }));
}

export function responseRecord(page: { id: string; url: string }, body: Buffer, contentType = 'text/html; charset=utf-8', status = '200 OK'): WARCRecord {
  return WARCRecord.create(
    {
      url: page.url,
      date: DATE,
      type: 'response',
      warcVersion: 'WARC/1.1',
      statusline: `HTTP/1.1 ${status}`,
      httpHeaders: { 'Content-Type': contentType },
      warcHeaders: { 'WARC-Record-ID': page.id },
    },
    [body],
  );
}

function requestRecord(page: DevPage): WARCRecord {
  return WARCRecord.create(
    {
      url: page.url,
      date: DATE,
      type: 'request',
      warcVersion: 'WARC/1.1',
      statusline: `GET ${new URL(page.url).pathname} HTTP/1.1`,
      httpHeaders: { Host: new URL(page.url).host },
    },
    [],
  );
}

export interface WarcFixture {
  /** The file's bytes. */
  data: Buffer;
  /** Pages that must come out cleaned, in order. */
  good: DevPage[];
  /** Record ids that must come out as errors, with their codes. */
  broken: { id: string | null; code: string }[];
  /** Records that must be skipped, by reason. */
  skipped: Record<string, number>;
}

/**
 * A `.warc.gz` (one gzip member per record, as crawlers write them) of request + response pairs,
 * with a warcinfo, a metadata and a revisit record, a PNG response, and two damaged responses: one
 * whose gzip member is cut in half, one whose Content-Length is 100 bytes short.
 */
export async function warcOfPages(pages: DevPage[]): Promise<WarcFixture> {
  const members: Buffer[] = [];
  const info = await WARCRecord.createWARCInfo({ filename: 'dev.warc.gz', warcVersion: 'WARC/1.1' }, { software: 'declutter tests' });
  members.push(await serialize(info, true));
  const good: DevPage[] = [];
  const broken: WarcFixture['broken'] = [];
  for (const [i, page] of pages.entries()) {
    members.push(await serialize(requestRecord(page), true));
    if (i === 2) {
      // Truncated: the member holding this response stops half way.
      const member = await serialize(responseRecord(page, bytes(page.html)), true);
      members.push(member.subarray(0, member.length >> 1));
      broken.push({ id: page.id, code: 'malformed-warc' });
      continue;
    }
    if (i === 4) {
      // A Content-Length 100 bytes short of the content.
      const plain = (await serialize(responseRecord(page, bytes(page.html)), false)).toString('latin1');
      const wrong = plain.replace(/\r\nContent-Length: (\d+)\r\n/, (_, n: string) => `\r\nContent-Length: ${Number(n) - 100}\r\n`);
      members.push(gzipSync(Buffer.from(wrong, 'latin1')));
      broken.push({ id: page.id, code: 'malformed-warc' });
      continue;
    }
    members.push(await serialize(responseRecord(page, bytes(page.html)), true));
    good.push(page);
    if (i === 1) {
      // The same page fetched again and found unchanged: a revisit, no payload.
      const revisit = WARCRecord.create(
        {
          url: page.url,
          date: DATE,
          type: 'revisit',
          warcVersion: 'WARC/1.1',
          refersToUrl: page.url,
          refersToDate: DATE,
          warcHeaders: { 'WARC-Refers-To': page.id },
        },
        [],
      );
      members.push(await serialize(revisit, true));
      const png = responseRecord(
        { id: '<urn:uuid:00000000-0000-4000-8000-ffffffff0001>', url: `${page.url}/logo.png` },
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]),
        'image/png',
      );
      members.push(await serialize(png, true));
      const meta = WARCRecord.create(
        { url: page.url, date: DATE, type: 'metadata', warcVersion: 'WARC/1.1', warcHeaders: { 'Content-Type': 'application/warc-fields' } },
        [bytes('outlinks: 3\r\n')],
      );
      members.push(await serialize(meta, true));
    }
  }
  return {
    data: Buffer.concat(members),
    good,
    broken,
    skipped: { warcinfo: 1, request: pages.length, revisit: 1, 'not-html': 1, metadata: 1 },
  };
}

/** A WET file (uncompressed, as `.wet`): one conversion record of each page's text dump. */
export async function wetOfPages(pages: DevPage[], gzip = false): Promise<Buffer> {
  const records: Buffer[] = [];
  for (const page of pages) {
    const record = WARCRecord.create(
      {
        url: page.url,
        date: DATE,
        type: 'conversion',
        warcVersion: 'WARC/1.0',
        warcHeaders: { 'WARC-Record-ID': page.id, 'WARC-Refers-To': '<urn:uuid:11111111-0000-4000-8000-000000000000>', 'Content-Type': 'text/plain' },
      },
      [bytes(page.text)],
    );
    records.push(await serialize(record, gzip));
  }
  return Buffer.concat(records);
}
