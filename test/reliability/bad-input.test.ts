/**
 * Garbage in, against a real process: every answer is a correct 200 or a problem+json 4xx (or,
 * for a body that never finishes, the connection cut within a bound), and the service still
 * answers /healthz after each.
 */
import net from 'node:net';
import { copyRules, eventually, parseRaw, rawExchange, send, startService, statusOf, writeFigures, type RawReply, type Service } from './service';

let service: Service;
let rules: { dir: string; cleanup(): void };

// Short timeouts so the slow-client cases end in seconds, not the production 20-30 s.
const BODY_TIMEOUT_MS = 2000;
const HEADERS_TIMEOUT_MS = 2000;

beforeAll(async () => {
  rules = copyRules();
  service = await startService({
    DECLUTTER_RULES_DIR: rules.dir,
    DECLUTTER_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
    DECLUTTER_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    // 3 s of silence ends a request (the effective bound is at least the 2 s budget plus a second).
    DECLUTTER_IDLE_TIMEOUT_MS: '3000',
    DECLUTTER_DOC_TIMEOUT_MS: '2000',
  });
});
afterAll(async () => {
  const code = await service?.stop();
  rules?.cleanup();
  expect(code).toBe(0);
});

afterEach(async () => {
  expect(await statusOf(`${service.url}/healthz`)).toBe(200);
});

const clean = (body: string | Buffer, type?: string, path = '/v1/clean') => send(service.url, { path, body, headers: type ? { 'Content-Type': type } : {} });
const batch = (body: string | Buffer, type: string | undefined = 'application/x-ndjson') => clean(body, type, '/v1/clean/batch');

interface Checked {
  status: number;
  code?: string;
  json?: any;
}

/** A 200 with a JSON result, or a 4xx problem document whose status matches. */
function check(r: RawReply): Checked {
  const type = String(r.headers['content-type'] ?? '');
  if (r.status === 200) {
    expect(type).toMatch(/^application\/(json|x-ndjson)/);
    if (type.startsWith('application/json')) return { status: 200, json: JSON.parse(r.body.toString('utf8')) };
    return {
      status: 200,
      json: r.body
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    };
  }
  expect(r.status).toBeGreaterThanOrEqual(400);
  expect(r.status).toBeLessThan(500);
  expect(type).toBe('application/problem+json; charset=utf-8');
  const problem = JSON.parse(r.body.toString('utf8'));
  expect(problem).toMatchObject({ status: r.status, type: `urn:declutter:problem:${problem.code}`, title: expect.any(String), detail: expect.any(String) });
  return { status: r.status, code: problem.code };
}

/** The contract's invariants on one result. */
function checkResult(input: string, result: any): void {
  expect(typeof result.text).toBe('string');
  let last = -1;
  for (const span of result.removed) {
    expect(span.start).toBeGreaterThan(last);
    expect(input.slice(span.start, span.end)).toBe(span.text);
    last = span.end - 1;
  }
}

describe('malformed bodies', () => {
  it('malformed and truncated JSON: 400 malformed-json', async () => {
    for (const body of ['{"text": "abc', '{"text": "abc"', '{"text": "abc",}', '{', '"text"', 'nul', '{"text": "\\x41"}']) {
      expect(check(await clean(body, 'application/json'))).toMatchObject({ status: 400, code: 'malformed-json' });
    }
  });

  it('a body shorter than its Content-Length, then a half-close: a 400 problem or the connection closed', async () => {
    const out = await rawExchange(
      service.port,
      'POST /v1/clean HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"text":"abc',
      5000,
    );
    // The client is still there (only its body broke off): the server must not hang on it forever.
    const raw = parseRaw(out.received);
    expect(out.closed || raw !== undefined).toBe(true);
    if (raw) expect(raw.status).toBeGreaterThanOrEqual(400);
  });

  it('wrong and missing content types: 415 problem', async () => {
    for (const type of ['application/xml', 'image/png', 'multipart/form-data; boundary=x', 'text/csv', undefined]) {
      expect(check(await clean('<a>text</a>', type))).toMatchObject({ status: 415 });
      expect(check(await send(service.url, { path: '/v1/clean/batch', body: '{"text":"x"}\n', headers: type ? { 'Content-Type': type } : {} }))).toMatchObject({
        status: 415,
      });
    }
  });

  it('JSON that is not an object, or an object with the wrong fields: 422', async () => {
    for (const body of ['[]', '42', 'null', '{"text": 5}', '{"text": ["a"]}', '{"id": {}, "text": "x"}']) {
      const c = check(await clean(body, 'application/json'));
      expect([400, 422]).toContain(c.status);
    }
  });

  it('deeply nested JSON (100k brackets): a problem, never a crash', async () => {
    const open = '['.repeat(100_000);
    for (const body of [open, open + ']'.repeat(100_000), `{"text": ${open}${']'.repeat(100_000)}}`, `{"a":`.repeat(50_000) + '1' + '}'.repeat(50_000)]) {
      expect([400, 422]).toContain(check(await clean(body, 'application/json')).status);
    }
    const lines = check(await batch(`${open}\n{"id":"after","text":"still here"}\n`)).json;
    expect(lines).toHaveLength(2);
    expect(lines[0].error.status).toBe(400);
    expect(lines[1]).toMatchObject({ id: 'after', text: 'still here' });
  });
});

describe('awkward text', () => {
  it('invalid UTF-8 and NUL bytes: cleaned (bad bytes become U+FFFD) or refused, never a 5xx', async () => {
    const bad = Buffer.concat([
      Buffer.from('Advertisement\n\nCafé '),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82]),
      Buffer.from(' ok\u0000 and \u0000\u0000 more text.'),
    ]);
    const r = check(await clean(bad, 'text/plain'));
    expect(r.status).toBe(200);
    checkResult(bad.toString('utf8'), r.json);
    const asJson = Buffer.concat([Buffer.from('{"text": "a '), Buffer.from([0xff, 0xc0]), Buffer.from(' b\\u0000c"}')]);
    expect([200, 400]).toContain(check(await clean(asJson, 'application/json')).status);
    const lines = check(
      await batch(Buffer.concat([Buffer.from('{"id":1,"text":"x'), Buffer.from([0xff]), Buffer.from('"}\n{"id":2,"text":"\\u0000"}\n')])),
    ).json;
    expect(lines.map((l: any) => l.id)).toEqual([1, 2]);
  });

  it('RTL, emoji, combining marks and lone surrogates keep the offset contract in both units', async () => {
    const text = [
      'Advertisement',
      'مرحبا بالعالم، هذا نص عربي طويل بما فيه الكفاية ليبقى في المقال بعد التنظيف.',
      'שלום עולם, זהו טקסט בעברית שאמור להישאר במאמר.',
      '👩‍👩‍👧‍👦 family 🏳️‍🌈 flags 🇩🇪 and e\u0301\u0302\u0303 combining z\u0336\u0337a\u0338l\u0339g\u033ao.',
      'A lone surrogate \ud800 here and \udfff there.',
    ].join('\n\n');
    const utf16 = check(await clean(JSON.stringify({ text }), 'application/json'));
    expect(utf16.status).toBe(200);
    checkResult(text, utf16.json);
    const cp = check(await clean(JSON.stringify({ text, options: { offsets: 'codepoint' } }), 'application/json'));
    const points = Array.from(text);
    for (const span of cp.json.removed) expect(points.slice(span.start, span.end).join('')).toBe(span.text);
  });
});

describe('sizes', () => {
  it('a 10 MB single line: 413 on /v1/clean, an error line in a batch, and the batch goes on', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    expect(check(await clean(big, 'text/plain'))).toMatchObject({ status: 413, code: 'body-too-large' });
    const lines = check(await batch(`${JSON.stringify({ id: 'big', text: big })}\n{"id":"next","text":"Hello there."}\n`)).json;
    expect(lines.map((l: any) => [l.id, l.error?.code])).toEqual([
      ['big', 'line-too-long'],
      ['next', undefined],
    ]);
  });

  it('a body over the limit: 413 problem', async () => {
    expect(check(await clean('y'.repeat(6 * 1024 * 1024), 'text/plain'))).toMatchObject({ status: 413, code: 'body-too-large' });
    expect(check(await clean(JSON.stringify({ text: 'y'.repeat(6 * 1024 * 1024) }), 'application/json'))).toMatchObject({ status: 413 });
    expect(check(await batch(JSON.stringify({ documents: [{ text: 'z'.repeat(17 * 1024 * 1024) }] }), 'application/json'))).toMatchObject({ status: 413 });
  });

  it('100k tiny batch lines: 100k answers in order', async () => {
    const n = 100_000;
    let body = '';
    for (let i = 0; i < n; i++) body += `{"id":${i},"text":"w${i % 10}"}\n`;
    const started = Date.now();
    const r = await batch(body);
    writeFigures('tiny-lines', {
      command: 'npx jest test/reliability/bad-input.test.ts -t "100k tiny"',
      lines: n,
      bodyBytes: body.length,
      elapsedMs: Date.now() - started,
    });
    expect(r.status).toBe(200);
    const lines = r.body.toString('utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(n);
    // Spot checks: order and shape, without parsing all of them.
    for (const i of [0, 1, 4999, 50_000, n - 1]) expect(JSON.parse(lines[i])).toMatchObject({ id: i, text: `w${i % 10}` });
  });
});

describe('slow clients', () => {
  it('a body trickling a byte every 200 ms on /v1/clean: 408 problem+json within the bound', async () => {
    // Bound: the body timeout, plus the guard's 500 ms check period, plus slack for a busy machine.
    const out = await rawExchange(
      service.port,
      'POST /v1/clean HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n',
      BODY_TIMEOUT_MS + 8000,
      { every: 200, bytes: 'a' },
    );
    expect(out.closed).toBe(true);
    const raw = parseRaw(out.received)!;
    expect(raw.status).toBe(408);
    expect(raw.headers).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(raw.body)).toMatchObject({ status: 408, code: 'request-timeout' });
  });

  it('a batch trickling a byte every 200 ms: cut off within the bound', async () => {
    const out = await rawExchange(
      service.port,
      'POST /v1/clean/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n',
      BODY_TIMEOUT_MS + 8000,
      { every: 200, bytes: '1\r\n{\r\n' },
    );
    // The stream had started (200 and its headers), so breaking the connection is the answer.
    expect(out.closed).toBe(true);
    expect(parseRaw(out.received)?.status).toBe(200);
  });

  it('a batch client that stops reading its results: the connection is closed once it goes quiet', async () => {
    const aborted = async () => {
      const text = (await send(service.url, { method: 'GET', path: '/metrics' })).body.toString('utf8');
      const line = text
        .split('\n')
        .find((l) => l.startsWith('declutter_http_request_duration_seconds_count{route="/v1/clean/batch",method="POST",status="aborted"}'));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const before = await aborted();
    // Each line is 300 KB of one-word ad blocks: ~4 MB of results apiece (every span and its reason),
    // 40 MB in all, far past what the service buffers for a client (16 MB) plus the sockets'.
    const doc = 'Advertisement\n\n'.repeat(20_000);
    const body = Array.from({ length: 10 }, (_, i) => JSON.stringify({ id: i, text: doc })).join('\n') + '\n';
    const socket = net.connect(service.port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise((r) => socket.once('connect', r));
    socket.write(`POST /v1/clean/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
    socket.write(body);
    // Never read: the kernel's buffers fill, the service's writes stall, the window stays full.
    socket.pause();
    try {
      await eventually(async () => (await aborted()) > before, 'the stalled batch is given up', 60_000, 500);
    } finally {
      socket.destroy();
    }
  });

  it('headers trickling a byte every 200 ms: 408 from Node, or the connection closed, within the bound', async () => {
    const out = await rawExchange(service.port, 'POST /v1/clean HTTP/1.1\r\nHost: x\r\n', HEADERS_TIMEOUT_MS + 8000, { every: 200, bytes: 'X' });
    expect(out.closed).toBe(true);
    // No request exists yet to answer with a problem document: Node's bare 408, or nothing.
    if (out.received) expect(out.received).toMatch(/^HTTP\/1\.1 408 /);
  });
});
