import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import request from 'supertest';
import { makeRulesDir, rebuild, SHARED, testApp } from './helpers';

const rules = makeRulesDir();
// One worker thread is enough for the inline rule sets these tests send.
const { app, close } = testApp(rules.dir, { DECLUTTER_BODY_LIMIT: '64kb', DECLUTTER_WORKERS: '1', DECLUTTER_DOC_TIMEOUT_MS: '1000' });
afterAll(async () => {
  await close();
  rules.cleanup();
});

const PROSE = 'The council approved the new budget on Tuesday after a long debate about schools, roads and the future of the harbour.';
const DOC = `Advertisement\n\n${PROSE}`;

const inlineSet = (rules: unknown[], extra: Record<string, unknown> = {}) => ({ id: 'tuning', version: 1, rules, ...extra });
const phraseRule = (id: string, phrases: string[]) => ({
  id,
  category: 'ad',
  description: `Removes ${phrases.join(', ')}.`,
  kind: 'phrase',
  phrases,
  examples: { remove: [phrases[0]], keep: [PROSE] },
});

describe('POST /v1/clean with text/plain', () => {
  it('answers the contract result', async () => {
    const r = await request(app).post('/v1/clean').type('text/plain').send(DOC).expect(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.body.text).toBe(PROSE);
    expect(r.body.removed).toEqual([{ start: 0, end: 13, text: 'Advertisement', rule: 'ad-marker', category: 'ad', reason: expect.any(String) }]);
    expect(r.body.ruleset).toEqual({ id: 'default', version: 1 });
    expect(r.body.lang).toBe('en');
    expect(r.body.stats).toMatchObject({ inputChars: DOC.length, removedBlocks: 1 });
  });

  it('takes id, lang, ruleset and offsets from the query', async () => {
    const r = await request(app).post('/v1/clean?id=doc-7&lang=de&ruleset=upi&offsets=codepoint').type('text/plain').send(DOC).expect(200);
    expect(r.body).toMatchObject({ id: 'doc-7', lang: 'de', ruleset: { id: 'upi', version: 2 } });
  });

  it('reduces a regional language tag to the language', async () => {
    const r = await request(app).post('/v1/clean?lang=pt-BR').type('text/plain').send(DOC).expect(200);
    expect(r.body.lang).toBe('pt');
  });

  it('counts code points when asked (emoji before the removed span)', async () => {
    const text = `🎉🎉 ${PROSE}\n\nAdvertisement\n\n${PROSE}`;
    const utf16 = await request(app).post('/v1/clean').type('text/plain').send(text).expect(200);
    const points = await request(app).post('/v1/clean?offsets=codepoint').type('text/plain').send(text).expect(200);
    const at = text.indexOf('Advertisement');
    expect(utf16.body.removed[0]).toMatchObject({ start: at, end: at + 13 });
    // Each emoji is two UTF-16 code units but one code point.
    expect(points.body.removed[0]).toMatchObject({ start: at - 2, end: at + 11, text: 'Advertisement' });
    expect([...text].slice(at - 2, at + 11).join('')).toBe('Advertisement');
  });

  it('cleans an empty body to an empty result', async () => {
    const r = await request(app).post('/v1/clean').set('Content-Type', 'text/plain').send('').expect(200);
    expect(r.body).toMatchObject({ text: '', removed: [] });
  });

  it('chooses the rule set by the url host', async () => {
    const doc = `Copyright UPI\n\n${PROSE}`;
    const upi = await request(app).post('/v1/clean?url=https://www.upi.com/Top_News/x.html').type('text/plain').send(doc).expect(200);
    expect(upi.body.ruleset.id).toBe('upi');
    expect(upi.body.text).toBe(PROSE);
    const other = await request(app).post('/v1/clean?url=https://example.com/a').type('text/plain').send(doc).expect(200);
    expect(other.body.ruleset.id).toBe('default');
    expect(other.body.text).toContain('Copyright UPI');
  });

  it('refuses unknown and repeated query parameters with 422 naming them', async () => {
    const r = await request(app).post('/v1/clean?offset=codepoint&offsets=bytes').type('text/plain').send(DOC).expect(422);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.body.code).toBe('invalid-request');
    expect(r.body.errors).toEqual(
      expect.arrayContaining([
        { in: 'query', field: 'offset', message: 'is not a known field' },
        { in: 'query', field: 'offsets', message: 'must be one of utf16, codepoint' },
      ]),
    );
    const twice = await request(app).post('/v1/clean?id=a&id=b').type('text/plain').send(DOC).expect(422);
    expect(twice.body.errors[0]).toMatchObject({ field: 'id' });
  });
});

describe('POST /v1/clean with application/json', () => {
  it('answers the same result as text/plain, with the id echoed', async () => {
    const r = await request(app)
      .post('/v1/clean')
      .send({ text: DOC, id: 'a1', options: { offsets: 'utf16' } })
      .expect(200);
    expect(r.body.id).toBe('a1');
    expect(r.body.text).toBe(PROSE);
  });

  it('lets body fields win over query parameters', async () => {
    const r = await request(app).post('/v1/clean?id=from-query&lang=fr').send({ text: DOC, id: 'from-body' }).expect(200);
    expect(r.body).toMatchObject({ id: 'from-body', lang: 'fr' });
  });

  it('takes "url": null as no url, as batch lines and evaluations do', async () => {
    const r = await request(app).post('/v1/clean').send({ text: DOC, url: null }).expect(200);
    expect(r.body.ruleset.id).toBe('default');
  });

  it('keeps the invariant on a labelled seed', async () => {
    const seed = JSON.parse(readFileSync(join(SHARED, 'data', 'seeds.jsonl'), 'utf8').split('\n')[0]);
    const r = await request(app).post('/v1/clean').send({ text: seed.text, id: seed.id }).expect(200);
    expect(r.body.removed.length).toBeGreaterThan(0);
    let last = 0;
    for (const s of r.body.removed) {
      expect(s.start).toBeGreaterThanOrEqual(last);
      expect(seed.text.slice(s.start, s.end)).toBe(s.text);
      last = s.end;
    }
    expect(rebuild(seed.text, r.body.removed)).toBe(r.body.text.replace(/\s+/g, ' ').trim());
  });

  it('cleans with a valid inline rule set', async () => {
    const set = inlineSet([phraseRule('buy-now', ['Buy now'])]);
    const r = await request(app)
      .post('/v1/clean')
      .send({ text: `Buy now\n\nAdvertisement\n\n${PROSE}`, ruleset: set })
      .expect(200);
    expect(r.body.ruleset).toEqual({ id: 'tuning', version: 1 });
    expect(r.body.removed.map((s: { rule: string }) => s.rule)).toEqual(['buy-now']);
  });

  it("resolves an inline set's extends against the stored sets, even under the base's own id", async () => {
    const set = inlineSet([phraseRule('buy-now', ['Buy now'])], { id: 'default', version: 2, extends: 'default' });
    const r = await request(app)
      .post('/v1/clean')
      .send({ text: `Buy now\n\nAdvertisement\n\n${PROSE}`, ruleset: set })
      .expect(200);
    expect(r.body.ruleset).toEqual({ id: 'default', version: 2 });
    expect(r.body.removed.map((s: { rule: string }) => s.rule)).toEqual(['buy-now', 'ad-marker']);
  });

  it('refuses an invalid inline rule set with 422 naming the rule and field', async () => {
    const bad = { ...phraseRule('buy-now', ['Buy now']), colour: 'red' };
    const r = await request(app)
      .post('/v1/clean')
      .send({ text: DOC, ruleset: inlineSet([bad, { ...phraseRule('p2', ['x']), kind: 'magic' }]) })
      .expect(422);
    expect(r.body.code).toBe('invalid-ruleset');
    expect(r.body.errors).toEqual([
      { rule: 'buy-now', field: 'colour', message: 'is not a known field' },
      { rule: 'p2', field: 'kind', message: expect.stringContaining('unknown kind "magic"') },
    ]);
    expect(r.body.detail).toContain('rule "buy-now", field "colour"');
  });

  it('refuses an inline set extending an unknown set', async () => {
    const r = await request(app)
      .post('/v1/clean')
      .send({ text: DOC, ruleset: inlineSet([], { extends: 'nope' }) })
      .expect(422);
    expect(r.body.errors).toEqual([{ field: 'extends', message: 'unknown rule set "nope"' }]);
  });

  it('refuses a pattern that does not compile', async () => {
    const rule = { id: 'bad-re', category: 'ad', description: 'x', kind: 'pattern', scope: 'inline', pattern: '(unclosed', examples: { remove: [], keep: [] } };
    const r = await request(app)
      .post('/v1/clean')
      .send({ text: DOC, ruleset: inlineSet([rule]) })
      .expect(422);
    expect(r.body.errors[0]).toMatchObject({ rule: 'bad-re', field: 'pattern' });
  });

  it('answers 404 for an unknown rule-set id, by body or query', async () => {
    const a = await request(app).post('/v1/clean').send({ text: DOC, ruleset: 'nope' }).expect(404);
    expect(a.body).toMatchObject({ code: 'unknown-ruleset', status: 404 });
    await request(app).post('/v1/clean?ruleset=nope').type('text/plain').send(DOC).expect(404);
    // A set whose file was refused is as unknown as one never written.
    await request(app).post('/v1/clean?ruleset=broken').type('text/plain').send(DOC).expect(404);
  });

  it.each([
    [{}, 'text', 'is required'],
    [{ text: 5 }, 'text', 'must be a string'],
    [{ text: 'x', lang: 'english!' }, 'lang', 'must be an ISO 639-1 code'],
    [{ text: 'x', options: { offsets: 'bytes' } }, 'options/offsets', 'must be one of utf16, codepoint'],
    [{ text: 'x', options: { depth: 1 } }, 'options/depth', 'is not a known field'],
    [{ text: 'x', extra: true }, 'extra', 'is not a known field'],
    [{ text: 'x', ruleset: 'Not An Id' }, 'ruleset', 'must match pattern'],
    [{ text: 'x', ruleset: ['default'] }, 'ruleset', 'must be a rule-set id'],
    [[{ text: 'x' }], '(body)', 'must be an object'],
  ])('answers 422 for %j naming %s', async (body, field, message) => {
    const r = await request(app)
      .post('/v1/clean')
      .send(body as object)
      .expect(422);
    expect(r.body.code).toBe('invalid-request');
    expect(r.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.stringContaining(message) })]));
  });

  it('answers 400 for malformed JSON', async () => {
    const r = await request(app).post('/v1/clean').set('Content-Type', 'application/json').send('{"text": "unfinished').expect(400);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ code: 'malformed-json', status: 400, type: 'urn:declutter:problem:malformed-json', instance: '/v1/clean' });
  });
});

describe('POST /v1/clean refusals', () => {
  it('answers 413 above the body limit, for both content types', async () => {
    const big = 'x'.repeat(65 * 1024);
    const a = await request(app).post('/v1/clean').type('text/plain').send(big).expect(413);
    expect(a.body).toMatchObject({ code: 'body-too-large', detail: expect.stringContaining(`${64 * 1024} bytes`) });
    await request(app).post('/v1/clean').send({ text: big }).expect(413);
  });

  // HTML input itself is tested in html.test.ts.
  it('answers 422 for JSON with both text and html, or with neither', async () => {
    const both = await request(app).post('/v1/clean').send({ text: 'hi', html: '<p>hi</p>' }).expect(422);
    expect(both.body).toMatchObject({ code: 'invalid-request', errors: [expect.objectContaining({ field: 'html' })] });
    expect(both.body.detail).toMatch(/exactly one of "text".*"html"/);
    const neither = await request(app).post('/v1/clean').send({ id: 'x' }).expect(422);
    expect(neither.body).toMatchObject({ code: 'invalid-request', errors: [expect.objectContaining({ field: 'text' })] });
  });

  it('answers 415 for other media types and for none', async () => {
    const a = await request(app).post('/v1/clean').type('form').send('text=hello').expect(415);
    expect(a.body).toMatchObject({ code: 'unsupported-media-type', detail: expect.stringContaining('application/x-www-form-urlencoded') });
    const b = await request(app).post('/v1/clean').expect(415);
    expect(b.body.detail).toMatch(/no Content-Type/);
  });

  it('answers 415 for a charset it cannot decode', async () => {
    const r = await request(app).post('/v1/clean').set('Content-Type', 'text/plain; charset=klingon').send('hello').expect(415);
    expect(r.body.code).toBe('unsupported-charset');
  });

  it('reads UTF-8 text as iconv-lite decoded it: BOM dropped, one U+FFFD for each invalid sequence', async () => {
    // Read as bytes and decoded in the worker (routes/clean.ts isUtf8Text); express.text decoded it here before.
    const body = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('Caf\u00e9 \u20ac '),
      Buffer.from([0xc3, 0x28, 0xed, 0xa0, 0x80, 0xff]),
      Buffer.from(' fin'),
    ]);
    const expected = iconv.decode(body, 'utf-8');
    expect(expected).toBe('Caf\u00e9 \u20ac \ufffd(\ufffd\ufffd\ufffd\ufffd fin');
    // The same answer as for the decoded text sent in JSON (the engine drops U+FFFD, so the text alone would not tell).
    const asJson = await request(app).post('/v1/clean').send({ text: expected }).expect(200);
    for (const type of ['text/plain', 'text/plain; charset=UTF-8', 'text/plain; charset=utf8']) {
      const r = await request(app).post('/v1/clean').set('Content-Type', type).send(body).expect(200);
      const timeless = (b: { stats: object }) => ({ ...b, stats: { ...b.stats, elapsedMs: 0 } });
      expect([type, timeless(r.body)]).toEqual([type, timeless(asJson.body)]);
    }
  });

  it('reads other charsets it knows', async () => {
    const latin1 = Buffer.from('Caf\xe9 au lait', 'latin1');
    const r = await request(app).post('/v1/clean').set('Content-Type', 'text/plain; charset=iso-8859-1').send(latin1).expect(200);
    expect(r.body.text).toBe('Café au lait');
  });
});

// User-written patterns run on RE2 (src/rulesets/safe-regex.ts): the classic backtracking
// pattern answers at once; one RE2 cannot run and the ReDoS check refuses never reaches a worker.
// The worker pool's time budget itself is tested with an expensive document in test/batch/server.test.ts.
describe('POST /v1/clean with an inline set that would backtrack forever', () => {
  it('runs ^(a+)+$ on RE2, and refuses a lookbehind variant with 422 naming rule and field', async () => {
    const rule = (pattern: string) => ({
      id: 'backtracker',
      category: 'ad',
      description: 'Nested quantifiers.',
      kind: 'pattern',
      scope: 'block',
      pattern,
      examples: { remove: [], keep: [] },
    });
    const r = await request(app)
      .post('/v1/clean')
      .send({ text: `${'a'.repeat(40)}!`, ruleset: inlineSet([rule('^(a+)+$')]) })
      .expect(200);
    expect(r.body.text).toBe(`${'a'.repeat(40)}!`);
    const refused = await request(app)
      .post('/v1/clean')
      .send({ text: `${'a'.repeat(40)}!`, ruleset: inlineSet([rule('(?<=b)(a+)+$')]) })
      .expect(422);
    expect(refused.body).toMatchObject({ code: 'invalid-ruleset', errors: [expect.objectContaining({ rule: 'backtracker', field: 'pattern' })] });
  });
});
