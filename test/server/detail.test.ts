/**
 * `detail` over HTTP, against a real `declutter serve` (the worker pool writes the compact lines):
 * POST /v1/clean by query parameter and by `options.detail`, and POST /v1/clean/batch by query
 * parameter and by a line's own option, as NDJSON, JSON and WARC. Each compact answer is checked
 * against the full answer of the same document: same spans at the same offsets, same text.
 * Needs `npm run build`.
 */
import { readFileSync } from 'node:fs';
import { AEB_DEV } from '../paths';
import { copyRules, send, startService, type Service } from '../reliability/service';
import { wetOfPages, devPages } from '../batch/warc-data';

interface Result {
  id?: unknown;
  text: string;
  removed?: { start: number; end: number; rule: string; category?: string; reason?: string; text?: string }[];
  rules?: Record<string, { category: string; reason: string }>;
  stats: { elapsedMs: number };
  error?: { code: string; detail: string };
}

const docs = readFileSync(AEB_DEV, 'utf8')
  .split('\n')
  .filter(Boolean)
  .slice(0, 4)
  .map((l) => JSON.parse(l) as { id: string; text: string });

let service: Service;
let rules: { dir: string; cleanup(): void };

beforeAll(async () => {
  rules = copyRules();
  service = await startService({ DECLUTTER_RULES_DIR: rules.dir, DECLUTTER_WORKERS: '2' });
});

afterAll(async () => {
  await service?.stop();
  rules?.cleanup();
});

/** The time a cleaning took is the one field that differs between two answers. */
const withoutTime = (line: string) => line.replace(/"elapsedMs":[0-9.e+-]+/, '"elapsedMs":0');

function post(path: string, type: string, body: string | Buffer, headers: Record<string, string> = {}) {
  return send(service.url, { path, headers: { 'content-type': type, ...headers }, body });
}

/** Checks a compact answer against the full one of the same document. */
function expectCompactOf(compact: Result, full: Result, detail: 'spans' | 'none'): void {
  expect(compact.text).toBe(full.text);
  if (detail === 'none') {
    expect(Object.keys(compact).filter((k) => k !== 'id')).toEqual(['text', 'stats', 'ruleset', 'lang']);
    return;
  }
  expect(compact.removed).toEqual(full.removed!.map((r) => ({ start: r.start, end: r.end, rule: r.rule })));
  expect(Object.keys(compact.rules!)).toEqual([...new Set(full.removed!.map((r) => r.rule))]);
  for (const r of full.removed!) expect(compact.rules![r.rule].category).toBe(r.category);
}

describe('POST /v1/clean', () => {
  test('detail=full (and no detail) answers the bytes of the full result', async () => {
    const plain = await post('/v1/clean', 'text/plain', docs[0].text);
    const full = await post('/v1/clean?detail=full', 'text/plain', docs[0].text);
    expect(plain.status).toBe(200);
    expect(withoutTime(full.body.toString())).toBe(withoutTime(plain.body.toString()));
  });

  test('?detail=spans and ?detail=none answer the compact shapes of the same result', async () => {
    const full = JSON.parse((await post('/v1/clean', 'text/plain', docs[1].text)).body.toString()) as Result;
    expect(full.removed!.length).toBeGreaterThan(10);
    for (const detail of ['spans', 'none'] as const) {
      const r = await post(`/v1/clean?detail=${detail}`, 'text/plain', docs[1].text);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expectCompactOf(JSON.parse(r.body.toString()) as Result, full, detail);
    }
  });

  test('options.detail in a JSON body wins over the query parameter', async () => {
    const body = JSON.stringify({ id: 'j1', text: docs[2].text, options: { detail: 'none' } });
    const r = await post('/v1/clean?detail=spans', 'application/json', body);
    expect(r.status).toBe(200);
    const result = JSON.parse(r.body.toString()) as Result;
    expect(Object.keys(result)).toEqual(['id', 'text', 'stats', 'ruleset', 'lang']);
    expect(result.id).toBe('j1');
  });

  test('a bad detail is a 422 invalid-request problem naming where it came from', async () => {
    const q = await post('/v1/clean?detail=short', 'text/plain', 'Some text.');
    expect(q.status).toBe(422);
    expect(q.headers['content-type']).toMatch(/^application\/problem\+json/);
    const qp = JSON.parse(q.body.toString());
    expect(qp.code).toBe('invalid-request');
    expect(qp.detail).toBe('query parameter "detail" must be one of full, spans, none');

    const b = await post('/v1/clean', 'application/json', JSON.stringify({ text: 'Some text.', options: { detail: 'all' } }));
    expect(b.status).toBe(422);
    const bp = JSON.parse(b.body.toString());
    expect(bp.code).toBe('invalid-request');
    expect(bp.errors).toEqual([{ in: 'body', field: 'options/detail', message: 'must be one of full, spans, none' }]);
  });
});

describe('POST /v1/clean/batch', () => {
  const ndjson = (lines: object[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  const linesOf = (body: Buffer) =>
    body
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Result);

  test("?detail= shapes every line; a line's own options.detail wins; lines stay in order", async () => {
    const input = docs.map((d, i) => (i === 1 ? { id: d.id, text: d.text, options: { detail: 'full' } } : { id: d.id, text: d.text }));
    const full = linesOf((await post('/v1/clean/batch', 'application/x-ndjson', ndjson(docs.map((d) => ({ id: d.id, text: d.text }))))).body);
    const r = await post('/v1/clean/batch?detail=spans', 'application/x-ndjson', ndjson(input));
    expect(r.status).toBe(200);
    const got = linesOf(r.body);
    expect(got.map((l) => l.id)).toEqual(docs.map((d) => d.id));
    for (const [i, line] of got.entries()) {
      if (i === 1) expect(withoutTime(JSON.stringify(line))).toBe(withoutTime(JSON.stringify(full[i])));
      else expectCompactOf(line, full[i], 'spans');
    }
  });

  test('detail=full is the default: the same lines as without it', async () => {
    const body = ndjson(docs.map((d) => ({ id: d.id, text: d.text })));
    const a = (await post('/v1/clean/batch', 'application/x-ndjson', body)).body.toString();
    const b = (await post('/v1/clean/batch?detail=full', 'application/x-ndjson', body)).body.toString();
    expect(b.split('\n').map(withoutTime)).toEqual(a.split('\n').map(withoutTime));
  });

  test('a JSON batch with ?detail=none answers results without spans', async () => {
    const r = await post('/v1/clean/batch?detail=none', 'application/json', JSON.stringify({ documents: docs.map((d) => ({ id: d.id, text: d.text })) }));
    expect(r.status).toBe(200);
    const { results } = JSON.parse(r.body.toString()) as { results: Result[] };
    expect(results.map((x) => Object.keys(x))).toEqual(docs.map(() => ['id', 'text', 'stats', 'ruleset', 'lang']));
  });

  test("a bad ?detail= is a 422 problem; a bad line option is that line's error and the rest go on", async () => {
    const q = await post('/v1/clean/batch?detail=tiny', 'application/x-ndjson', ndjson([{ id: 'a', text: 'Some text.' }]));
    expect(q.status).toBe(422);
    expect(JSON.parse(q.body.toString())).toMatchObject({
      code: 'invalid-request',
      errors: [{ in: 'query', field: 'detail', message: 'must be one of full, spans, none' }],
    });

    const r = await post(
      '/v1/clean/batch?detail=none',
      'application/x-ndjson',
      ndjson([
        { id: 'a', text: docs[0].text },
        { id: 'b', text: 'Some text.', options: { detail: 'some' } },
        { id: 'c', text: docs[1].text },
      ]),
    );
    const lines = linesOf(r.body);
    expect(lines.map((l) => l.id)).toEqual(['a', 'b', 'c']);
    expect(lines[1].error).toMatchObject({ code: 'invalid-request' });
    expect(lines[1].error!.detail).toContain('"options/detail" must be one of full, spans, none');
    expect(Object.keys(lines[2])).toEqual(['id', 'text', 'stats', 'ruleset', 'lang']);
  });

  test('a WET body answers compact NDJSON lines; WARC output carries the clean text either way', async () => {
    const pages = devPages(2);
    const wet = await wetOfPages(pages);
    const spans = linesOf((await post('/v1/clean/batch?detail=spans', 'application/warc', wet)).body);
    expect(spans.map((l) => l.id)).toEqual(pages.map((p) => p.id));
    for (const l of spans) expect(l.removed!.every((s) => Object.keys(s).join() === 'start,end,rule')).toBe(true);

    const asWarc = (detail: string) => post(`/v1/clean/batch?detail=${detail}`, 'application/warc', wet, { accept: 'application/warc' });
    const [full, none] = await Promise.all([asWarc('full'), asWarc('none')]);
    expect(full.headers['content-type']).toMatch(/^application\/warc/);
    // Record ids and dates differ between two runs; the clean text each record carries does not.
    const texts = (b: Buffer) =>
      b
        .toString()
        .split(/\r\n\r\n/)
        .filter((_, i) => i % 2 === 1);
    expect(texts(none.body)).toEqual(texts(full.body));
    expect(texts(full.body).join('')).toContain(spans[0].text.slice(0, 200));
  });
});
