import request from 'supertest';
import YAML from 'yaml';
import { makeRulesDir, testApp } from './helpers';

const rules = makeRulesDir();
const { app, registry, close } = testApp(rules.dir);
// YAML answers are rendered in the worker pool: its threads go with the directory.
afterAll(async () => {
  await close();
  rules.cleanup();
});

describe('GET /v1/rulesets', () => {
  it('lists the sets that loaded, with version, hosts and rule count', async () => {
    const r = await request(app).get('/v1/rulesets').expect(200);
    const ids = r.body.rulesets.map((s: { id: string }) => s.id);
    expect(ids).toEqual(['default', 'upi']);
    const def = registry.get('default')!;
    const upi = r.body.rulesets[1];
    expect(upi).toEqual({
      id: 'upi',
      version: 2,
      description: 'UPI pages',
      extends: 'default',
      hosts: ['*.upi.com'],
      rules: def.rules.length + 1,
      etag: '"upi@2"',
    });
  });
});

describe('GET /v1/rulesets/{id}', () => {
  it('answers the set as written, in JSON by default', async () => {
    const r = await request(app).get('/v1/rulesets/upi').expect(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.body).toMatchObject({ id: 'upi', version: 2, extends: 'default' });
    expect(r.body.rules.map((x: { id: string }) => x.id)).toEqual(['upi-footer']);
  });

  it('answers YAML when asked, equal to the JSON', async () => {
    const json = await request(app).get('/v1/rulesets/default').expect(200);
    const r = await request(app).get('/v1/rulesets/default').set('Accept', 'application/yaml').expect(200);
    expect(r.headers['content-type']).toMatch(/^application\/yaml/);
    expect(r.headers.vary).toMatch(/Accept/);
    expect(YAML.parse(r.text)).toEqual(json.body);
  });

  it('answers 404 problem for an unknown or refused set', async () => {
    for (const id of ['nope', 'broken']) {
      const r = await request(app).get(`/v1/rulesets/${id}`).expect(404);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.body).toMatchObject({ code: 'unknown-ruleset', status: 404, instance: `/v1/rulesets/${id}` });
    }
  });

  it('answers 406 when no offered representation is acceptable', async () => {
    const r = await request(app).get('/v1/rulesets/default').set('Accept', 'image/png').expect(406);
    expect(r.body.code).toBe('not-acceptable');
  });

  it('answers 405 with Allow for methods the resource does not have', async () => {
    const r = await request(app).post('/v1/rulesets/default').send({}).expect(405);
    expect(r.headers.allow).toBe('GET, PUT, DELETE, HEAD, OPTIONS');
    expect(r.body.code).toBe('method-not-allowed');
  });

  it('gives the ETag, and the effective rules with where each comes from', async () => {
    const r = await request(app).get('/v1/rulesets/upi?effective=true').expect(200);
    expect(r.headers.etag).toBe('"upi@2"');
    const rules = r.body.effectiveRules as { id: string; from: string; enabled: boolean }[];
    expect(rules.map((x) => [x.id, x.from, x.enabled])).toEqual([
      ['markup-residue', 'default', true],
      ['ad-marker', 'default', true],
      ['upi-footer', 'upi', true],
    ]);
  });
});
