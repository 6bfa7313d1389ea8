/**
 * Issue 15, items 1-2: the main thread only does I/O, and the work it takes on is bounded. Each
 * test runs a real listening service in this process, so a step that ran on the event loop would
 * hold this test's own requests too: the assertions are about order ("answered while busy"), not
 * about time.
 */
import http from 'node:http';
import { eventually, post, requireBuild, startTestServer, type TestServer } from '../batch/server-helpers';
import { makeRulesDir } from './helpers';

requireBuild();

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      })
      .on('error', reject);
  });
}

function request(method: string, url: string, body: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * 3 MB of one-character lines: ~12 s of CPU on the 2-core dev machine (1.5 MB took 6 s, after the
 * engine got faster), which froze the whole service when it ran in-process; far over the 2 s budget
 * below on any machine this runs on.
 */
const HEAVY_TEXT = 'a\n'.repeat(1_500_000);

const patternRule = (i: number, pattern: string) => ({
  id: `r${i}`,
  category: 'ad',
  description: 'A user-written pattern.',
  kind: 'pattern',
  scope: 'inline',
  pattern,
  examples: { remove: [], keep: [] },
});

describe('every CPU-bound step runs in the worker pool', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ DECLUTTER_WORKERS: '1', DECLUTTER_DOC_TIMEOUT_MS: '2000', DECLUTTER_BODY_LIMIT: '4mb' });
  });
  afterAll(() => s.close());

  it('a costly plain text with the stored default set leaves /healthz answering, then gets 422 clean-timeout', async () => {
    const order: string[] = [];
    const clean = post(`${s.url}/v1/clean`, HEAVY_TEXT, 'text/plain').then((r) => (order.push('clean'), r));
    await eventually(() => (s.deps.pool.started?.stats().running ?? 0) > 0, 'the text is being cleaned in a worker');
    const health = await get(`${s.url}/healthz`);
    order.push('healthz');
    expect(health.status).toBe(200);
    const r = await clean;
    expect(order).toEqual(['healthz', 'clean']);
    expect(r.status).toBe(422);
    expect(JSON.parse(r.body)).toMatchObject({ code: 'clean-timeout' });
  });
});

describe('requests of every kind are answered from the pool', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ DECLUTTER_WORKERS: '1', DECLUTTER_DOC_TIMEOUT_MS: '4000' });
  });
  afterAll(() => s.close());

  it('a small text is answered from the pool, byte for byte what the engine gives', async () => {
    const before = s.deps.pool.start().stats().completed;
    const r = await post(`${s.url}/v1/clean`, 'Advertisement\nThe minister said on Friday that the bridge would reopen in May.', 'text/plain');
    expect([r.status, r.status === 200 ? '' : r.body]).toEqual([200, '']);
    expect(JSON.parse(r.body)).toMatchObject({ text: 'The minister said on Friday that the bridge would reopen in May.', removed: [{ rule: 'ad-marker' }] });
    expect(s.deps.pool.started!.stats().completed).toBe(before + 1);
  });

  it('an inline set of 600 lookbehind patterns is refused as too costly (422 ruleset-too-costly), checked in a worker', async () => {
    const ruleset = { id: 'many', version: 1, rules: Array.from({ length: 600 }, (_, i) => patternRule(i, `(?<=x${i})y${i}`)) };
    const r = await post(`${s.url}/v1/clean`, JSON.stringify({ text: 'x1y1 stays', ruleset }), 'application/json');
    expect(r.status).toBe(422);
    expect(JSON.parse(r.body)).toMatchObject({
      code: 'ruleset-too-costly',
      detail: expect.stringMatching(/more than 64 of its patterns|took more than 2000 ms/),
    });
  });

  it('an inline set is still validated: a bad pattern is 422 invalid-ruleset naming the rule', async () => {
    const ruleset = { id: 'bad', version: 1, rules: [patternRule(1, '(unclosed')] };
    const r = await post(`${s.url}/v1/clean`, JSON.stringify({ text: 'x', ruleset }), 'application/json');
    expect(r.status).toBe(422);
    expect(JSON.parse(r.body)).toMatchObject({ code: 'invalid-ruleset', errors: [expect.objectContaining({ rule: 'r1', field: 'pattern' })] });
  });

  it('inline sets over a cap are 413 ruleset-too-large before any check: rules, selectors, nesting', async () => {
    const tooMany = { id: 'big', version: 1, rules: Array.from({ length: 1001 }, (_, i) => patternRule(i, `a${i}`)) };
    const selectors = {
      id: 'sel',
      version: 1,
      rules: [{ ...patternRule(1, 'x'), kind: 'selector', selector: Array.from({ length: 5000 }, (_, i) => `.c${i}`).join(',') }],
    };
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = [deep];
    const nested = { id: 'deep', version: 1, rules: [{ ...patternRule(1, 'x'), examples: { remove: deep, keep: [] } }] };
    for (const [ruleset, cap] of [
      [tooMany, /1001 rules/],
      [selectors, /5000 selectors/],
      [nested, /nested deeper than 32/],
    ] as const) {
      const r = await post(`${s.url}/v1/clean`, JSON.stringify({ text: 'x', ruleset }), 'application/json');
      expect(r.status).toBe(413);
      const body = JSON.parse(r.body);
      expect(body.code).toBe('ruleset-too-large');
      expect(body.detail).toMatch(cap);
    }
  });

  it('evaluation scores in a worker: /healthz is answered while 100k snippets are being scored', async () => {
    // Order, not counts: how many probes fit in the scoring time depends on the machine (CI saw 3
    // where this one saw dozens), but a probe sent while the worker is busy must come back first.
    // 100k snippets run into the 4 s budget on any machine this runs on, so the work outlasts a probe.
    const snippets = Array.from({ length: 100_000 }, (_, i) => `word${i % 12_000} word${(i + 1) % 12_000}`);
    const text = snippets.slice(0, 2_000).join(' ');
    const body = JSON.stringify({ documents: [{ id: 'd', text, with: snippets, without: [] }] });
    const order: string[] = [];
    const evaluation = post(`${s.url}/v1/evaluate`, body, 'application/json').then((r) => (order.push('evaluate'), r));
    await eventually(() => (s.deps.pool.started?.stats().running ?? 0) > 0, 'the snippets are being scored in a worker');
    const health = await get(`${s.url}/healthz`);
    order.push('healthz');
    expect(health.status).toBe(200);
    const r = await evaluation;
    expect(order).toEqual(['healthz', 'evaluate']);
    // Answered (scored) or over the budget: either way in a worker.
    expect([200, 422]).toContain(r.status);
    if (r.status === 422) expect(JSON.parse(r.body).code).toBe('clean-timeout');
  });
});

describe('rule-set writes and reads do their work in the pool', () => {
  const TOKEN = 'offload-admin-token-0123456789';
  const auth = { Authorization: `Bearer ${TOKEN}` };
  let s: TestServer;
  let rules: ReturnType<typeof makeRulesDir>;
  beforeAll(async () => {
    rules = makeRulesDir();
    s = await startTestServer({ DECLUTTER_RULES_DIR: rules.dir, DECLUTTER_ADMIN_TOKEN: TOKEN, DECLUTTER_WORKERS: '1' });
  });
  afterAll(async () => {
    await s.close();
    rules.cleanup();
  });

  it('a deeply nested YAML body is refused at once (413 ruleset-too-large), before any parser sees it', async () => {
    const yaml = `id: deep\nversion: 1\nrules: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`;
    const r = await request('PUT', `${s.url}/v1/rulesets/deep`, yaml, { ...auth, 'Content-Type': 'application/yaml' });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ code: 'ruleset-too-large' });
    // Refused on the main thread by the scan: no worker task was needed.
    expect(s.deps.pool.started?.stats().completed ?? 0).toBe(0);
  });

  it('a YAML PUT is parsed, checked and tested in a worker; malformed YAML is still 400', async () => {
    const yaml = [
      'id: mine',
      'version: 1',
      'rules:',
      '  - id: promo',
      '    category: teaser',
      '    description: A promo line.',
      '    kind: phrase',
      '    phrases: [Read our series]',
      '    examples: { remove: ["Read our series"], keep: ["We read our mail."] }',
      '',
    ].join('\n');
    const before = s.deps.pool.start().stats().completed;
    const r = await request('PUT', `${s.url}/v1/rulesets/mine`, yaml, { ...auth, 'Content-Type': 'application/yaml' });
    expect(r.status).toBe(201);
    expect(s.deps.pool.started!.stats().completed).toBeGreaterThan(before);
    const bad = await request('PUT', `${s.url}/v1/rulesets/mine`, 'id: [unclosed', { ...auth, 'Content-Type': 'application/yaml' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).code).toBe('malformed-yaml');
  });

  it('GET ?effective=true as YAML is rendered once per version, then served from the cache', async () => {
    const yaml = { Accept: 'application/yaml' };
    const first = await get(`${s.url}/v1/rulesets/default?effective=true`, yaml);
    expect(first.status).toBe(200);
    expect(first.body).toMatch(/^effectiveRules:/m);
    const tasks = s.deps.pool.started!.stats().completed;
    const second = await get(`${s.url}/v1/rulesets/default?effective=true`, yaml);
    expect(second.body).toBe(first.body);
    expect(s.deps.pool.started!.stats().completed).toBe(tasks);
  });
});

describe('bounded admission', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ DECLUTTER_WORKERS: '1', DECLUTTER_DOC_TIMEOUT_MS: '4000', DECLUTTER_BODY_LIMIT: '4mb', DECLUTTER_QUEUE_MAX_DOCS: '1' });
  });
  afterAll(() => s.close());

  const overloadedCount = async (route: string) => {
    const m = await get(`${s.url}/metrics`);
    const line = new RegExp(`^declutter_overloaded_total\\{route="${route.replace(/[/:]/g, (c) => `\\${c}`)}"\\} (\\d+)$`, 'm').exec(m.body);
    return line ? Number(line[1]) : 0;
  };

  it('at the cap, /v1/clean, evaluate and a new batch get 503 overloaded with Retry-After, counted in /metrics', async () => {
    const before = {
      clean: await overloadedCount('/v1/clean'),
      evaluate: await overloadedCount('/v1/evaluate'),
      batch: await overloadedCount('/v1/clean/batch'),
    };
    const heavy = post(`${s.url}/v1/clean`, HEAVY_TEXT, 'text/plain');
    await eventually(() => s.deps.pool.admission.documents >= 1, 'the heavy text is admitted');
    const refused = [
      await post(`${s.url}/v1/clean`, 'A small text.', 'text/plain'),
      await post(`${s.url}/v1/evaluate`, JSON.stringify({ documents: [{ id: 'd', text: 'x', gold: 'x' }] }), 'application/json'),
      await post(`${s.url}/v1/clean/batch`, JSON.stringify({ documents: [{ id: 1, text: 'x' }] }), 'application/json'),
    ];
    for (const r of refused) {
      expect(r.status).toBe(503);
      expect(JSON.parse(r.body)).toMatchObject({ code: 'overloaded' });
    }
    const headers = await new Promise<http.IncomingHttpHeaders>((resolve, reject) => {
      const req = http.request(`${s.url}/v1/clean`, { method: 'POST', headers: { 'Content-Type': 'text/plain' } }, (res) => {
        res.resume();
        resolve(res.headers);
      });
      req.on('error', reject);
      req.end('x');
    });
    expect(headers['retry-after']).toBe('1');
    expect((await heavy).status).toBe(422);
    expect(await overloadedCount('/v1/clean')).toBe(before.clean + 2);
    expect(await overloadedCount('/v1/evaluate')).toBe(before.evaluate + 1);
    expect(await overloadedCount('/v1/clean/batch')).toBe(before.batch + 1);
    // Everything taken on was given back.
    await eventually(() => s.deps.pool.admission.documents === 0 && s.deps.pool.admission.bytes === 0, 'the queue is empty again');
  });
});

describe('the queue cap holds across concurrent batches, which wait rather than fail', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ DECLUTTER_WORKERS: '1', DECLUTTER_QUEUE_MAX_DOCS: '2' });
  });
  afterAll(() => s.close());

  it('two batches of 40 lines each finish whole while no more than 2 documents are ever admitted', async () => {
    let most = 0;
    const sample = setInterval(() => (most = Math.max(most, s.deps.pool.admission.documents)), 1);
    const lines = (tag: string) =>
      Array.from({ length: 40 }, (_, i) =>
        JSON.stringify({ id: `${tag}-${i}`, text: `Advertisement\nParagraph ${i} of batch ${tag}, long enough to keep.` }),
      ).join('\n');
    try {
      const [a, b] = await Promise.all([post(`${s.url}/v1/clean/batch`, lines('a')), post(`${s.url}/v1/clean/batch`, lines('b'))]);
      for (const [r, tag] of [
        [a, 'a'],
        [b, 'b'],
      ] as const) {
        expect(r.status).toBe(200);
        const out = r.body
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { id: string; error?: unknown });
        expect(out.map((o) => o.id)).toEqual(Array.from({ length: 40 }, (_, i) => `${tag}-${i}`));
        expect(out.filter((o) => o.error)).toEqual([]);
      }
    } finally {
      clearInterval(sample);
    }
    expect(most).toBeLessThanOrEqual(2);
    expect(s.deps.pool.admission.documents).toBe(0);
  });
});
