/**
 * The WARC/WET reader on files written by warcio from the dev pages: the documents it makes are
 * the ones the NDJSON reader makes from the same pages; damaged records get one clear error each,
 * the others are skipped and counted, and the rest go on.
 */
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ndjsonItems, type PipelineItem } from '../../src/batch';
import { newTally, warcItems, type WarcTally } from '../../src/batch/warc';
import { decodeIn } from '../../src/engine/html/charset';
import { RuleSetRegistry } from '../../src/rulesets/registry';
import { REPO_ROOT } from '../paths';
import { devPages, responseRecord, warcOfPages, wetOfPages } from './warc-data';
import { WARCSerializer } from 'warcio';

const registry = RuleSetRegistry.fromDir(resolve(REPO_ROOT, 'rules'));
const MAX = 10 * 1024 * 1024;

async function* chunked(data: Buffer, size = 7000): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

/**
 * A WARC page stays in bytes for the worker to decode (warc.ts): decoded here as the worker does,
 * so that it reads as the `html` line of the same page.
 */
function decoded(p: PipelineItem['prepared']): PipelineItem['prepared'] {
  if (!('doc' in p) || !p.doc.bytes) return p;
  const { bytes, transfer: _transfer, ...doc } = p.doc;
  return { ...p, doc: { ...doc, text: decodeIn(bytes.data, bytes.encoding) } };
}

async function collect(items: AsyncIterable<PipelineItem>) {
  const out: PipelineItem['prepared'][] = [];
  for await (const item of items) out.push(decoded(item.prepared));
  return out;
}

async function readWarc(data: Buffer, tally: WarcTally = newTally(), size?: number) {
  return collect(warcItems(chunked(data, size), { source: registry, defaults: {}, maxRecordBytes: MAX, tally }));
}

async function readNdjson(lines: object[]) {
  const text = lines.map((l) => JSON.stringify(l)).join('\n');
  return collect(ndjsonItems(chunked(Buffer.from(text)), { source: registry, defaults: {}, maxLineBytes: MAX }));
}

/** A prepared document without its line number (WARC records and NDJSON lines count apart). */
const docOf = (p: PipelineItem['prepared']) =>
  'doc' in p ? { ...p.doc, ruleset: 'id' in p.doc.ruleset ? p.doc.ruleset.id : p.doc.ruleset.key } : p.error.code;

describe('a WARC of response records', () => {
  const pages = devPages(8);

  test('HTML responses become the documents {id, url, html} lines make; damage costs one record each; the rest are skipped and counted', async () => {
    const fixture = await warcOfPages(pages);
    const tally = newTally();
    const prepared = await readWarc(fixture.data, tally);
    const errors = prepared.filter((p) => 'error' in p);
    expect(errors.map((p) => [p.id, 'error' in p && p.error.code])).toEqual(fixture.broken.map((b) => [b.id, b.code]));
    for (const e of errors) expect('error' in e && e.error.detail).toMatch(/^record \d+: /);
    expect(errors.map((e) => 'error' in e && e.error.detail).join('\n')).toMatch(/truncated|corrupt/);
    expect(errors.map((e) => 'error' in e && e.error.detail).join('\n')).toMatch(/Content-Length/);

    const viaNdjson = await readNdjson(fixture.good.map((p) => ({ id: p.id, url: p.url, html: p.html })));
    expect(prepared.filter((p) => 'doc' in p).map(docOf)).toEqual(viaNdjson.map(docOf));
    expect(tally.skipped).toEqual(fixture.skipped);
    expect(tally.pages).toBe(fixture.good.length);
    expect(tally.errors).toBe(fixture.broken.length);
  });

  test('the same records read alike from a plain WARC and in any chunk size', async () => {
    const records = [];
    for (const p of pages.slice(0, 3)) records.push(Buffer.from(await WARCSerializer.serialize(responseRecord(p, Buffer.from(p.html)))));
    const plain = Buffer.concat(records);
    const a = (await readWarc(plain, newTally(), 100)).map(docOf);
    const b = (await readWarc(plain, newTally(), 65536)).map(docOf);
    const c = (await readWarc(gzipSync(plain))).map(docOf);
    expect(a).toHaveLength(3);
    expect(b).toEqual(a);
    // A whole file gzipped as one member reads the same as per-record members.
    expect(c).toEqual(a);
  });

  test('the charset comes from the HTTP header, then the page', async () => {
    const page = { id: '<urn:uuid:c>', url: 'https://example.com/latin' };
    const latin1 = Buffer.from('<html><body><p>Caf\xe9 cr\xe8me</p></body></html>', 'latin1');
    const declared = Buffer.from(await WARCSerializer.serialize(responseRecord(page, latin1, 'text/html; charset=iso-8859-1')));
    const meta = Buffer.from(
      await WARCSerializer.serialize(responseRecord(page, Buffer.concat([Buffer.from('<meta charset="windows-1252">'), latin1]), 'text/html')),
    );
    const [a, b] = await readWarc(Buffer.concat([declared, meta]));
    expect('doc' in a && a.doc.text).toContain('Café crème');
    expect('doc' in b && b.doc.text).toContain('Café crème');
  });

  test('bytes that are no WARC at all give one error, not a crash', async () => {
    const tally = newTally();
    const out = await readWarc(Buffer.from('{"id":"a","text":"not a warc"}\n'), tally);
    expect(out.map((p) => 'error' in p && p.error.code)).toEqual(['malformed-warc']);
  });

  test('a record over the limit is passed over with record-too-large, and the next one is read', async () => {
    const big = Buffer.from(await WARCSerializer.serialize(responseRecord(pages[0], Buffer.from(pages[0].html))));
    const small = Buffer.from(await WARCSerializer.serialize(responseRecord(pages[1], Buffer.from(pages[1].html))));
    const out = await collect(warcItems(chunked(Buffer.concat([big, small])), { source: registry, defaults: {}, maxRecordBytes: small.length }));
    expect(out.map((p) => ('error' in p ? p.error.code : p.id))).toEqual(['record-too-large', pages[1].id]);
  });
});

describe('a WET of text dumps', () => {
  test('conversion records become the documents {id, url, text} lines make, gzipped or not', async () => {
    const pages = devPages(5);
    const viaNdjson = (await readNdjson(pages.map((p) => ({ id: p.id, url: p.url, text: p.text })))).map(docOf);
    expect((await readWarc(await wetOfPages(pages))).map(docOf)).toEqual(viaNdjson);
    expect((await readWarc(await wetOfPages(pages, true))).map(docOf)).toEqual(viaNdjson);
  });
});
