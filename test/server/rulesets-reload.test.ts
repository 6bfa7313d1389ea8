/**
 * Hot reload on a real temporary directory: two apps (two replicas) sharing it, a corrupt file
 * written by hand, and a reload in the middle of a streamed batch.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import YAML from 'yaml';
import { requireBuild } from '../batch/server-helpers';
import { makeRulesDir, REPO, testApp } from './helpers';

const TOKEN = 'reload-admin-token';
const auth = { Authorization: `Bearer ${TOKEN}` };

/** Polls until `check` holds; gives up after `ms` (a guard against hanging, not a timing claim). */
async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const upiWith = (_dir: string, phrases: string[]) => ({
  id: 'upi',
  version: 1,
  description: 'UPI pages',
  extends: 'default',
  hosts: ['*.upi.com'],
  rules: [
    {
      id: 'upi-footer',
      category: 'legal',
      description: 'The UPI copyright line.',
      kind: 'phrase',
      phrases,
      examples: { remove: [phrases[0]], keep: ['UPI reported the copyright case.'] },
    },
  ],
});

describe('two replicas on one directory', () => {
  const rules = makeRulesDir();
  const a = testApp(rules.dir, { DECLUTTER_ADMIN_TOKEN: TOKEN });
  const b = testApp(rules.dir, { DECLUTTER_ADMIN_TOKEN: TOKEN });
  // Polling only matters across machines; fs.watch is on too, as in the service.
  const stopA = a.registry.watch({ pollMs: 1000 });
  const stopB = b.registry.watch({ pollMs: 1000 });
  afterAll(() => {
    stopA();
    stopB();
    rules.cleanup();
  });

  it('a save through one becomes live on the other', async () => {
    const r = await request(b.app)
      .put('/v1/rulesets/upi')
      .set(auth)
      .set('If-Match', '"upi@2"')
      .send(upiWith(rules.dir, ['Copyright UPI 2026']))
      .expect(200);
    expect(r.headers.etag).toBe('"upi@3"');
    // The other replica's poll (1 s) picks it up; how soon is a figure for the bench, not a test:
    // the bound here only stops a hang on a loaded machine.
    await eventually(() => a.registry.get('upi')?.version === 3, 'replica A picks up upi@3', 20_000);
    const got = await request(a.app).get('/v1/rulesets/upi').expect(200);
    expect(got.headers.etag).toBe('"upi@3"');
    // A's stale ETag is refused by the file on disk even if A had not reloaded yet.
    await request(a.app)
      .put('/v1/rulesets/upi')
      .set(auth)
      .set('If-Match', '"upi@2"')
      .send(upiWith(rules.dir, ['x']))
      .expect(412);
  });

  it('writes from both replicas at once: one wins per version, the other gets 412', async () => {
    const [ra, rb] = await Promise.all([
      request(a.app)
        .put('/v1/rulesets/upi')
        .set(auth)
        .set('If-Match', '"upi@3"')
        .send(upiWith(rules.dir, ['From A'])),
      request(b.app)
        .put('/v1/rulesets/upi')
        .set(auth)
        .set('If-Match', '"upi@3"')
        .send(upiWith(rules.dir, ['From B'])),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([200, 412]);
    const winner = ra.status === 200 ? 'From A' : 'From B';
    expect(YAML.parse(readFileSync(join(rules.dir, 'upi.yaml'), 'utf8')).rules[0].phrases).toEqual([winner]);
    await eventually(() => a.registry.get('upi')?.version === 4 && b.registry.get('upi')?.version === 4, 'both at upi@4');
  });

  it('a corrupt file keeps the last good version live, and /readyz lists it (still 200)', async () => {
    const before = a.registry.get('upi')!;
    writeFileSync(join(rules.dir, 'upi.yaml'), 'id: upi\nversion: 5\nrules: [ {id: x, kind: nosuchkind\n');
    await eventually(() => a.registry.refused.some((r) => r.file.endsWith('upi.yaml')), 'the broken upi.yaml is noticed');
    expect(a.registry.get('upi')).toBe(before);
    const ready = await request(a.app).get('/readyz').expect(200);
    expect(ready.body.status).toBe('ready');
    expect(ready.body.refused).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'upi', live: 4, file: join(rules.dir, 'upi.yaml') })]));
    const winner = (before.defs.at(-1)!.phrases as string[])[0];
    const cleaned = await request(a.app)
      .post('/v1/clean')
      .send({ text: `Story text here.\n\n${winner}`, url: 'https://www.upi.com/x' })
      .expect(200);
    expect(cleaned.body.ruleset).toEqual({ id: 'upi', version: 4 });
    expect(cleaned.body.removed.map((r: { text: string }) => r.text)).toEqual([winner]);
    // Fixed by hand: taken up, and the refusal goes away.
    writeFileSync(join(rules.dir, 'upi.yaml'), YAML.stringify({ ...upiWith(rules.dir, ['Fixed']), version: 5 }));
    await eventually(() => a.registry.get('upi')?.version === 5 && !a.registry.refused.some((r) => r.id === 'upi'), 'the fixed file is live');
  });
});

describe('a reload during a batch', () => {
  beforeAll(requireBuild);
  const rules = makeRulesDir();
  const t = testApp(rules.dir, { DECLUTTER_ADMIN_TOKEN: TOKEN, DECLUTTER_WORKERS: '2' });
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    server = t.app.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await t.close();
    rules.cleanup();
  });

  it('every document is cleaned with one version, the one its result names', async () => {
    const line = (i: number) =>
      `${JSON.stringify({ id: i, url: 'https://www.upi.com/story', text: `Paragraph ${i} of the story, with words.\n\nCopyright UPI\n\nCopyright UPI 2026` })}\n`;
    const lines: Record<string, any>[] = [];
    let buffer = '';
    const req = http.request(`${url}/v1/clean/batch`, { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson' } });
    const done = new Promise<number>((resolve, reject) => {
      req.on('response', (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          const parts = buffer.split('\n');
          buffer = parts.pop()!;
          for (const p of parts) if (p) lines.push(JSON.parse(p));
        });
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
    });
    for (let i = 0; i < 40; i++) req.write(line(i));
    await eventually(() => lines.length >= 10, 'the first results stream back');
    // The new version removes the other line: a result shows which set cleaned it.
    await request(t.app)
      .put('/v1/rulesets/upi')
      .set(auth)
      .set('If-Match', '"upi@2"')
      .send(upiWith(rules.dir, ['Copyright UPI 2026']))
      .expect(200);
    for (let i = 40; i < 80; i++) req.write(line(i));
    req.end();
    expect(await done).toBe(200);

    expect(lines.map((l) => l.id)).toEqual(Array.from({ length: 80 }, (_, i) => i));
    const versions = new Set(lines.map((l) => l.ruleset.version));
    expect(versions).toEqual(new Set([2, 3]));
    for (const l of lines) {
      expect(l.ruleset.id).toBe('upi');
      const removed = l.removed.map((r: { text: string }) => r.text);
      // upi@2 removes exactly "Copyright UPI"; upi@3 exactly "Copyright UPI 2026": never a mix.
      expect(removed).toEqual(l.ruleset.version === 2 ? ['Copyright UPI'] : ['Copyright UPI 2026']);
    }
    // Lines read after the swap use the new version.
    expect(lines.slice(40).every((l) => l.ruleset.version === 3)).toBe(true);
  });
});

describe('model files', () => {
  const rules = makeRulesDir();
  const t = testApp(rules.dir, {});
  afterAll(() => rules.cleanup());
  const modelText = (threshold: number) =>
    readFileSync(join(REPO, 'rules', 'models', 'text.yaml'), 'utf8').replace(/^threshold: .*$/m, `threshold: ${threshold}`);
  const threshold = () => t.registry.get('scored')!.defs.find((d) => d.id === 'page-scorer')!.threshold;

  it('are not taken for rule sets; a changed model reloads the sets that name it, and only those', () => {
    mkdirSync(join(rules.dir, 'models'));
    writeFileSync(join(rules.dir, 'models', 'text.yaml'), modelText(0.5));
    const scorer = {
      id: 'page-scorer',
      category: 'boilerplate',
      description: 'A block the article scorer judged not to be part of the article.',
      kind: 'scorer',
      model: 'models/text.yaml',
      examples: { remove: [], keep: [] },
    };
    writeFileSync(join(rules.dir, 'scored.yaml'), YAML.stringify({ id: 'scored', version: 1, extends: 'default', rules: [scorer] }));
    t.registry.reload();
    expect(t.registry.list().map((s) => s.id)).not.toContain('text');
    expect(threshold()).toBe(0.5);
    const upi = t.registry.get('upi');
    writeFileSync(join(rules.dir, 'models', 'text.yaml'), modelText(0.65));
    expect(t.registry.reload().changed).toBe(true);
    expect(threshold()).toBe(0.65);
    expect(t.registry.get('upi')).toBe(upi);
    // GET still shows the reference, not the weights.
    expect(t.registry.definition('scored')!.rules[0]).toEqual(scorer);
  });

  it('a model file that no longer loads is refused and its last good version stays in use', () => {
    writeFileSync(join(rules.dir, 'models', 'text.yaml'), 'threshold: 0.7\nblock: {bias: oops}\n');
    const { refused } = t.registry.reload();
    expect(refused).toEqual(expect.arrayContaining([expect.objectContaining({ file: join(rules.dir, 'models', 'text.yaml') })]));
    expect(threshold()).toBe(0.65);
  });
});

/** A stored set of `n` pattern rules: costly to read and compile (RE2 checks and compiles each pattern). */
function manyPatterns(n: number, version = 1): string {
  const rules = Array.from({ length: n }, (_, i) => ({
    id: `sponsored-${i}`,
    category: 'ad',
    description: `Sponsored item line ${i}.`,
    kind: 'pattern',
    scope: 'block',
    pattern: `^(?:Sponsored|Promoted) item ${i} (?:from|by) \\w+(?: \\w+){0,3}$`,
    examples: { remove: [`Sponsored item ${i} from Acme`], keep: [`The item ${i} was sponsored.`] },
  }));
  return YAML.stringify({ id: 'big', version, description: 'Many patterns.', rules });
}

describe('a reload compiles in the worker pool', () => {
  beforeAll(requireBuild);
  const rules = makeRulesDir();
  // A budget no loaded machine reaches: this test is about where the compiling runs.
  const t = testApp(rules.dir, { DECLUTTER_WORKERS: '1', DECLUTTER_DOC_TIMEOUT_MS: '120000' });
  afterAll(async () => {
    await t.close();
    rules.cleanup();
  });

  it('probes sent while a large stored set compiles are answered before it is live, and it cleans once live', async () => {
    // The worker started and warm, so the reload is its only work.
    await request(t.app).post('/v1/clean').send({ text: 'Advertisement\n\nStory.' }).expect(200);
    writeFileSync(join(rules.dir, 'big.yaml'), manyPatterns(300));
    // Compiled on the event loop, the set would be live before the first probe could even be sent.
    const reload = t.registry.refresh();
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      await request(t.app).get('/healthz').expect(200);
      seen.push(t.registry.get('big') ? 'live' : 'not live');
    }
    const { changed, refused } = await reload;
    expect(seen).toEqual(['not live', 'not live', 'not live']);
    expect(changed).toBe(true);
    expect(refused.filter((r) => !r.file.endsWith('broken.yaml'))).toEqual([]);
    expect(t.registry.list().find((s) => s.id === 'big')).toMatchObject({ version: 1, rules: 300 });
    const r = await request(t.app).post('/v1/clean?ruleset=big').send({ text: 'The story.\n\nSponsored item 7 from Acme Corp' }).expect(200);
    expect(r.body.removed.map((x: { rule: string }) => x.rule)).toEqual(['sponsored-7']);
  });

  it('a set over the time budget is refused and its last good version stays live', async () => {
    const slow = testApp(rules.dir, { DECLUTTER_WORKERS: '1', DECLUTTER_DOC_TIMEOUT_MS: '100' });
    try {
      const before = slow.registry.get('big');
      expect(before?.version).toBe(1);
      // 3,000 patterns: seconds of reading and compiling, far over 100 ms.
      writeFileSync(join(rules.dir, 'big.yaml'), manyPatterns(3000, 2));
      const { refused } = await slow.registry.refresh();
      expect(refused).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            file: join(rules.dir, 'big.yaml'),
            id: 'big',
            live: 1,
            message: expect.stringMatching(/^not reloaded: .*budget of 100 ms/),
          }),
        ]),
      );
      expect(slow.registry.get('big')).toBe(before);
      // The same files are not tried again on every poll: nothing changed since.
      expect((await slow.registry.refresh()).changed).toBe(false);
    } finally {
      await slow.close();
    }
  });
});
