/**
 * PUT on a full disk answers 507 insufficient-storage, and the set stays the last good version:
 * in service, on disk, and for a service started afresh on the same directory. Also: an id too
 * long to be a file name is the request's fault (422), not the server's (500 ENAMETOOLONG).
 */
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { RULESET_ID_MAX } from '../../src/requests/ruleset-id';
import { mountSmallDisk, type SmallDisk } from '../full-disk';
import { makeRulesDir, testApp } from './helpers';

const TOKEN = 'test-admin-token';
const auth = { Authorization: `Bearer ${TOKEN}` };
const phrases = (n: number) => ({
  id: 'upi',
  extends: 'default',
  hosts: ['*.upi.com'],
  rules: [
    {
      id: 'upi-footer',
      category: 'legal',
      description: 'The UPI copyright line.',
      kind: 'phrase',
      phrases: ['Copyright UPI', ...Array.from({ length: n }, (_, i) => `filler phrase number ${i} of a long list`)],
      examples: { remove: ['Copyright UPI'], keep: ['UPI reported on Monday.'] },
    },
  ],
});

const disk = mountSmallDisk();
if (typeof disk === 'string') console.warn(`skipping the full-disk tests: ${disk}`);
(typeof disk === 'string' ? describe.skip : describe)('PUT on a full disk', () => {
  const d = disk as SmallDisk;
  afterAll(() => d.unmount());

  it('507 problem+json; GET, the disk and a restarted service still have the previous version', async () => {
    const source = makeRulesDir();
    const dir = join(d.dir, 'rules');
    mkdirSync(dir);
    cpSync(source.dir, dir, { recursive: true });
    source.cleanup();
    const t = testApp(dir, { DECLUTTER_ADMIN_TOKEN: TOKEN });
    try {
      await request(t.app).get('/v1/rulesets/upi').expect(200).expect('ETag', '"upi@2"');
      d.fillLeaving(8 * 1024);
      const r = await request(t.app).put('/v1/rulesets/upi').set(auth).send(phrases(2000)).expect(507);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.body).toMatchObject({ code: 'insufficient-storage', status: 507 });
      expect(r.body.detail).toContain('previous version stays live');
      await request(t.app).get('/v1/rulesets/upi').expect(200).expect('ETag', '"upi@2"');
      expect(readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tmp'))).toEqual([]);

      const restarted = testApp(dir, { DECLUTTER_ADMIN_TOKEN: TOKEN });
      try {
        await request(restarted.app).get('/v1/rulesets/upi').expect(200).expect('ETag', '"upi@2"');
        d.free();
        await request(restarted.app).put('/v1/rulesets/upi').set(auth).send(phrases(2000)).expect(200).expect('ETag', '"upi@3"');
      } finally {
        await restarted.close();
      }
    } finally {
      await t.close();
      d.free();
    }
  });
});

describe('rule-set ids', () => {
  it('422 invalid-request naming the path id when it is over the limit; at the limit it is just unknown', async () => {
    const rules = makeRulesDir();
    const t = testApp(rules.dir, { DECLUTTER_ADMIN_TOKEN: TOKEN });
    try {
      const long = 'a'.repeat(RULESET_ID_MAX + 1);
      for (const [method, path] of [
        ['put', `/v1/rulesets/${long}`],
        ['get', `/v1/rulesets/${long}`],
        ['delete', `/v1/rulesets/${long}`],
        ['get', `/v1/rulesets/${long}/versions`],
      ] as const) {
        const r = await request(t.app)[method](path).set(auth).send({ id: long, rules: [] }).expect(422);
        expect(r.body).toMatchObject({ code: 'invalid-request', errors: [{ in: 'path', field: 'id' }] });
      }
      const r = await request(t.app)
        .put(`/v1/rulesets/${'a'.repeat(300)}`)
        .set(auth)
        .send({ rules: [] })
        .expect(422);
      expect(r.body.detail).toContain(`at most ${RULESET_ID_MAX} characters`);
      await request(t.app)
        .get(`/v1/rulesets/${'a'.repeat(RULESET_ID_MAX)}`)
        .expect(404);
    } finally {
      await t.close();
      rules.cleanup();
    }
  });
});
