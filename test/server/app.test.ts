import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import request from 'supertest';
import { RuleSetRegistry } from '../../src/rulesets/registry';
import { makeRulesDir, testApp } from './helpers';

const rules = makeRulesDir();
const empty = mkdtempSync(join(tmpdir(), 'declutter-empty-'));
const { app, close } = testApp(rules.dir);
afterAll(async () => {
  await close();
  rules.cleanup();
  rmSync(empty, { recursive: true, force: true });
});

/** Every (path, method) the app routes, read from Express's own router. */
function routesOf(expressApp: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (stack: { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } }[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') out.add(`${m} ${layer.route.path}`);
      } else if (layer.handle?.stack) walk(layer.handle.stack as never);
    }
  };
  walk((expressApp as { router: { stack: never[] } }).router.stack);
  return out;
}

describe('health and readiness', () => {
  it('is live and ready with the default set, listing refused files', async () => {
    await request(app).get('/healthz').expect(200, { status: 'ok' });
    const r = await request(app).get('/readyz').expect(200);
    expect(r.body).toMatchObject({ status: 'ready', rulesets: 2 });
    expect(r.body.refused).toEqual([{ file: expect.stringMatching(/broken\.yaml$/), message: expect.any(String) }]);
  });

  it('is live but not ready without a default set, and cleaning says so', async () => {
    const bare = testApp(empty).app;
    await request(bare).get('/healthz').expect(200);
    const r = await request(bare).get('/readyz').expect(503);
    expect(r.body).toMatchObject({ status: 'not ready', rulesets: 0 });
    const c = await request(bare).post('/v1/clean').type('text/plain').send('hello').expect(503);
    expect(c.body.code).toBe('not-ready');
    expect(c.headers['retry-after']).toBe('5');
  });
});

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document describing every route the app serves', async () => {
    const r = await request(app).get('/openapi.json').expect(200);
    const doc = r.body;
    expect(doc.openapi).toBe('3.1.0');
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths as Record<string, object>)) {
      for (const m of Object.keys(ops)) documented.add(`${m} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    const served = routesOf(app);
    expect(served.size).toBeGreaterThanOrEqual(7);
    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !served.has(r))).toEqual([]);
  });

  it('resolves every $ref and carries the request schema that validates', async () => {
    const doc = (await request(app).get('/openapi.json')).body;
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]*"/g) ?? [];
    for (const ref of refs) {
      const name = ref.match(/#\/components\/schemas\/([^"]+)/)?.[1];
      expect(name && doc.components.schemas[name]).toBeTruthy();
    }
    const req = doc.components.schemas.CleanRequest;
    expect(req.oneOf).toEqual([{ required: ['text'] }, { required: ['html'] }]);
    expect(req.additionalProperties).toBe(false);
    expect(req.properties.ruleset.anyOf[1]).toEqual({ $ref: '#/components/schemas/RuleSet' });
    expect(doc.components.schemas.RuleSet.properties.rules.items.anyOf.map((s: { $ref: string }) => s.$ref)).toContain('#/components/schemas/rule-phrase');
    const params = doc.paths['/v1/clean'].post.parameters.map((p: { name: string }) => p.name);
    expect(params.sort()).toEqual(['detail', 'format', 'id', 'lang', 'offsets', 'ruleset', 'url']);
  });
});

describe('routing and errors', () => {
  it('answers 404 problem for an unknown route', async () => {
    const r = await request(app).get('/v2/nothing').expect(404);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({
      type: 'urn:declutter:problem:not-found',
      title: expect.any(String),
      status: 404,
      code: 'not-found',
      instance: '/v2/nothing',
    });
  });

  it('answers 405 with Allow for a wrong method, and OPTIONS with the methods', async () => {
    const r = await request(app).get('/v1/clean').expect(405);
    expect(r.headers.allow).toBe('POST, OPTIONS');
    expect(r.body.code).toBe('method-not-allowed');
    await request(app).delete('/healthz').expect(405);
    const o = await request(app).options('/v1/rulesets').expect(204);
    expect(o.headers.allow).toBe('GET, HEAD, OPTIONS');
  });

  it('mounts the batch router', async () => {
    const r = await request(app).get('/v1/clean/batch').expect(405);
    expect(r.headers.allow).toMatch(/POST/);
  });

  it('echoes a client request id and makes one otherwise', async () => {
    const given = await request(app).get('/healthz').set('X-Request-Id', 'trace-123').expect(200);
    expect(given.headers['x-request-id']).toBe('trace-123');
    const made = await request(app).get('/healthz').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const p = await request(app).get('/nope').set('X-Request-Id', 'trace-456').expect(404);
    expect(p.body.requestId).toBe('trace-456');
  });

  it('answers a bug with 500 problem that leaks neither message nor stack', async () => {
    const registry = RuleSetRegistry.fromDir(rules.dir);
    registry.forUrl = () => {
      throw new Error('secret internals at /srv/app.js:12');
    };
    const broken = testApp(rules.dir, {}, registry).app;
    const r = await request(broken).post('/v1/clean').type('text/plain').send('hello').set('X-Request-Id', 'bug-1').expect(500);
    expect(r.body).toMatchObject({ code: 'internal', status: 500, requestId: 'bug-1' });
    expect(r.text).not.toMatch(/secret|\/srv|at /);
    // The service is still up.
    await request(broken).get('/healthz').expect(200);
  });

  it('never answers 5xx to arbitrary bodies and content types', async () => {
    const types = ['text/plain', 'application/json', 'text/html', 'application/x-ndjson', 'application/merge-patch+json', 'text/plain; charset=utf-16le', ''];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...types),
        fc.oneof(fc.string(), fc.json(), fc.string({ unit: 'binary' })),
        fc.constantFrom('/v1/clean', '/v1/clean?offsets=codepoint', '/v1/clean?ruleset=upi'),
        async (type, body, path) => {
          const req = request(app).post(path);
          if (type) req.set('Content-Type', type);
          const r = await req.send(body);
          expect(r.status).toBeLessThan(500);
          if (r.status >= 400) expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
        },
      ),
      { numRuns: 60 },
    );
  });
});
