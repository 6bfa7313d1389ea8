/** PUT and DELETE on /v1/rulesets/{id}, versions and history, on a real temporary directory. */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import YAML from 'yaml';
import { makeRulesDir, REPO, testApp } from './helpers';

const TOKEN = 'test-admin-token';
const auth = { Authorization: `Bearer ${TOKEN}` };

const mine = (phrases: string[] = ['Read more at Example']) => ({
  id: 'example',
  version: 99, // ignored: the server numbers versions
  extends: 'default',
  hosts: ['*.example.com'],
  rules: [
    {
      id: 'example-footer',
      category: 'teaser',
      description: 'The read-more line of example.com.',
      kind: 'phrase',
      phrases,
      examples: { remove: [phrases[0]], keep: ['We read more about it.'] },
    },
  ],
});

function fresh(env: Record<string, string> = { DECLUTTER_ADMIN_TOKEN: TOKEN }) {
  const rules = makeRulesDir();
  const t = testApp(rules.dir, env);
  // Writes are checked in the worker pool: its threads go with the directory.
  const cleanup = async () => {
    await t.close();
    rules.cleanup();
  };
  return { ...t, dir: rules.dir, cleanup };
}

describe('writes are guarded', () => {
  it('403 writes-disabled when no token is configured, whatever is sent', async () => {
    const t = fresh({});
    try {
      const r = await request(t.app).put('/v1/rulesets/example').set(auth).send(mine()).expect(403);
      expect(r.body.code).toBe('writes-disabled');
      await request(t.app).delete('/v1/rulesets/upi').set(auth).expect(403);
      await request(t.app).get('/v1/rulesets/upi').expect(200); // reads stay open
    } finally {
      await t.cleanup();
    }
  });

  it('401 with WWW-Authenticate for a missing or wrong token, before reading the body', async () => {
    const t = fresh();
    try {
      for (const headers of [{}, { Authorization: 'Bearer nope' }, { Authorization: `Basic ${TOKEN}` }, { Authorization: `Bearer ${TOKEN}x` }]) {
        const r = await request(t.app).put('/v1/rulesets/example').set(headers).set('Content-Type', 'application/json').send('{not json').expect(401);
        expect(r.body.code).toBe('unauthorized');
        expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
      }
      await request(t.app).delete('/v1/rulesets/upi').expect(401);
      expect(existsSync(join(t.dir, 'upi.yaml'))).toBe(true);
    } finally {
      await t.cleanup();
    }
  });
});

describe('PUT /v1/rulesets/{id}', () => {
  const t = fresh();
  afterAll(() => t.cleanup());

  it('creates a set: 201, version 1, ETag, Location, the file on disk, live at once', async () => {
    const r = await request(t.app).put('/v1/rulesets/example').set(auth).set('If-None-Match', '*').send(mine()).expect(201);
    expect(r.headers.etag).toBe('"example@1"');
    expect(r.headers.location).toBe('/v1/rulesets/example');
    expect(r.body).toMatchObject({ id: 'example', version: 1, extends: 'default' });
    expect(YAML.parse(readFileSync(join(t.dir, 'example.yaml'), 'utf8'))).toEqual(r.body);
    expect(t.registry.get('example')?.version).toBe(1);
    expect(t.registry.forUrl('https://news.example.com/a')?.id).toBe('example');
  });

  it('412 for If-None-Match: * when it exists', async () => {
    const r = await request(t.app).put('/v1/rulesets/example').set(auth).set('If-None-Match', '*').send(mine()).expect(412);
    expect(r.body.code).toBe('precondition-failed');
  });

  it('updates with the current ETag: 200, version + 1, every version kept in history', async () => {
    const r = await request(t.app)
      .put('/v1/rulesets/example')
      .set(auth)
      .set('If-Match', '"example@1"')
      .send(mine(['Read more at Example.com']))
      .expect(200);
    expect(r.headers.etag).toBe('"example@2"');
    expect(r.body.version).toBe(2);
    expect(readdirSync(join(t.dir, '.history', 'example')).sort()).toEqual(['1.yaml', '2.yaml']);
    expect(YAML.parse(readFileSync(join(t.dir, '.history', 'example', '1.yaml'), 'utf8')).rules[0].phrases).toEqual(['Read more at Example']);
  });

  it('412 for a stale If-Match, with the current ETag; nothing written', async () => {
    const r = await request(t.app)
      .put('/v1/rulesets/example')
      .set(auth)
      .set('If-Match', '"example@1"')
      .send(mine(['stale']))
      .expect(412);
    expect(r.body).toMatchObject({ code: 'precondition-failed', currentEtag: '"example@2"' });
    expect(t.registry.get('example')?.version).toBe(2);
    expect(readFileSync(join(t.dir, 'example.yaml'), 'utf8')).not.toMatch(/stale/);
  });

  it('accepts YAML bodies and answers YAML when asked', async () => {
    const body = YAML.stringify(mine(['Read more at Example (yaml)']));
    const r = await request(t.app)
      .put('/v1/rulesets/example')
      .set(auth)
      .set('Content-Type', 'application/yaml')
      .set('Accept', 'application/yaml')
      .send(body)
      .expect(200);
    expect(r.headers['content-type']).toMatch(/^application\/yaml/);
    expect(YAML.parse(r.text)).toMatchObject({ id: 'example', version: 3 });
  });

  it('422 naming the rule and field for an invalid set', async () => {
    const bad = mine();
    (bad.rules[0] as Record<string, unknown>).kind = 'pattern';
    (bad.rules[0] as Record<string, unknown>).pattern = '(unclosed';
    (bad.rules[0] as Record<string, unknown>).scope = 'inline';
    delete (bad.rules[0] as Record<string, unknown>).phrases;
    const r = await request(t.app).put('/v1/rulesets/example').set(auth).send(bad).expect(422);
    expect(r.body.code).toBe('invalid-ruleset');
    expect(r.body.errors).toEqual([expect.objectContaining({ rule: 'example-footer', field: 'pattern' })]);
  });

  it('422 when the body id differs from the path, or extends an unknown set, or breaks a set extending it', async () => {
    let r = await request(t.app)
      .put('/v1/rulesets/example')
      .set(auth)
      .send({ ...mine(), id: 'other' })
      .expect(422);
    expect(r.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
    r = await request(t.app)
      .put('/v1/rulesets/example')
      .set(auth)
      .send({ ...mine(), extends: 'nosuch' })
      .expect(422);
    expect(r.body.errors).toEqual([expect.objectContaining({ field: 'extends' })]);
    // upi extends default and inherits ad-marker; a default without... removing markup-residue is fine, but upi disabling a rule default lost is not:
    await request(t.app)
      .put('/v1/rulesets/upi')
      .set(auth)
      .send({ ...YAML.parse(readFileSync(join(t.dir, 'upi.yaml'), 'utf8')), disable: ['ad-marker'] })
      .expect(200);
    const def = (await request(t.app).get('/v1/rulesets/default').expect(200)).body;
    r = await request(t.app)
      .put('/v1/rulesets/default')
      .set(auth)
      .send({ ...def, rules: def.rules.filter((x: { id: string }) => x.id !== 'ad-marker') })
      .expect(422);
    expect(r.body.detail).toMatch(/"upi" extends this one/);
  });

  it('400 for YAML that does not parse, 415 for other types, 413 beyond the body limit', async () => {
    let r = await request(t.app).put('/v1/rulesets/example').set(auth).set('Content-Type', 'application/yaml').send('id: [unclosed').expect(400);
    expect(r.body.code).toBe('malformed-yaml');
    r = await request(t.app).put('/v1/rulesets/example').set(auth).set('Content-Type', 'text/plain').send('id: example').expect(415);
    expect(r.body.code).toBe('unsupported-media-type');
    r = await request(t.app)
      .put('/v1/rulesets/example')
      .set(auth)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ ...mine(), description: 'x'.repeat(1.1 * 1024 * 1024) }))
      .expect(413);
    expect(r.body.code).toBe('body-too-large');
  });

  it('lists versions newest first and serves each', async () => {
    const r = await request(t.app).get('/v1/rulesets/example/versions').expect(200);
    expect(r.body.id).toBe('example');
    expect(r.body.versions.map((v: { version: number; current: boolean }) => [v.version, v.current])).toEqual([
      [3, true],
      [2, false],
      [1, false],
    ]);
    expect(r.body.versions[0].savedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const v1 = await request(t.app).get('/v1/rulesets/example/versions/1').expect(200);
    expect(v1.headers.etag).toBe('"example@1"');
    expect(v1.body.rules[0].phrases).toEqual(['Read more at Example']);
    await request(t.app).get('/v1/rulesets/example/versions/7').expect(404);
    await request(t.app).get('/v1/rulesets/nosuch/versions').expect(404);
  });
});

describe('DELETE /v1/rulesets/{id}', () => {
  const t = fresh();
  afterAll(() => t.cleanup());

  it('409 for default and for a set others extend; 404 for an unknown set', async () => {
    let r = await request(t.app).delete('/v1/rulesets/default').set(auth).expect(409);
    expect(r.body.code).toBe('ruleset-in-use');
    await request(t.app).put('/v1/rulesets/upi-sport').set(auth).send({ id: 'upi-sport', version: 1, extends: 'upi', rules: [] }).expect(201);
    r = await request(t.app).delete('/v1/rulesets/upi').set(auth).expect(409);
    expect(r.body.detail).toMatch(/upi-sport/);
    r = await request(t.app).delete('/v1/rulesets/nosuch').set(auth).expect(404);
    expect(r.body.code).toBe('unknown-ruleset');
    // Ids are file names: one that climbs out of the directory never reaches the disk.
    writeFileSync(join(t.dir, '..', 'outside.yaml'), 'id: outside\n');
    try {
      await request(t.app).delete('/v1/rulesets/..%2Foutside').set(auth).expect(404);
      await request(t.app).get('/v1/rulesets/..%2Foutside/versions').expect(404);
      await request(t.app).put('/v1/rulesets/..%2Foutside').set(auth).send({ version: 1, rules: [] }).expect(422);
      expect(existsSync(join(t.dir, '..', 'outside.yaml'))).toBe(true);
    } finally {
      rmSync(join(t.dir, '..', 'outside.yaml'), { force: true });
    }
  });

  it('412 for a stale If-Match; 204 otherwise, the file moved to history, versions still listed', async () => {
    await request(t.app).delete('/v1/rulesets/upi-sport').set(auth).set('If-Match', '"upi-sport@7"').expect(412);
    await request(t.app).delete('/v1/rulesets/upi-sport').set(auth).set('If-Match', '"upi-sport@1"').expect(204);
    expect(existsSync(join(t.dir, 'upi-sport.yaml'))).toBe(false);
    expect(t.registry.get('upi-sport')).toBeUndefined();
    await request(t.app).get('/v1/rulesets/upi-sport').expect(404);
    const r = await request(t.app).get('/v1/rulesets/upi-sport/versions').expect(200);
    expect(r.body.versions).toEqual([expect.objectContaining({ version: 1, current: false })]);
    // Created again, it continues the numbering, so no version is ever overwritten.
    const again = await request(t.app).put('/v1/rulesets/upi-sport').set(auth).send({ id: 'upi-sport', version: 1, extends: 'upi', rules: [] }).expect(201);
    expect(again.body.version).toBe(2);
  });
});

describe('concurrent writes', () => {
  it('N parallel PUTs with the same If-Match: one wins, the rest 412, history complete', async () => {
    const t = fresh();
    try {
      await request(t.app).put('/v1/rulesets/example').set(auth).send(mine()).expect(201);
      const n = 8;
      const replies = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          request(t.app)
            .put('/v1/rulesets/example')
            .set(auth)
            .set('If-Match', '"example@1"')
            .send(mine([`Writer ${i}`])),
        ),
      );
      const statuses = replies.map((r) => r.status).sort();
      expect(statuses).toEqual([200, ...Array(n - 1).fill(412)]);
      const winner = replies.find((r) => r.status === 200)!;
      const onDisk = YAML.parse(readFileSync(join(t.dir, 'example.yaml'), 'utf8'));
      expect(onDisk).toEqual(winner.body);
      expect(onDisk.version).toBe(2);

      // Without If-Match every write lands, one after the other: versions 3..10, none lost.
      const blind = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          request(t.app)
            .put('/v1/rulesets/example')
            .set(auth)
            .send(mine([`Blind ${i}`])),
        ),
      );
      expect(blind.map((r) => r.status)).toEqual(Array(n).fill(200));
      expect(blind.map((r) => r.body.version).sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
      const versions = (await request(t.app).get('/v1/rulesets/example/versions').expect(200)).body.versions.map((v: { version: number }) => v.version);
      expect(versions).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
      // Every blind write's text is in exactly one version.
      const texts = await Promise.all(
        versions.map((v: number) =>
          request(t.app)
            .get(`/v1/rulesets/example/versions/${v}`)
            .then((r) => r.body.rules[0].phrases[0]),
        ),
      );
      for (let i = 0; i < n; i++) expect(texts.filter((x: string) => x === `Blind ${i}`)).toHaveLength(1);
      expect(existsSync(join(t.dir, '.locks', 'example.lock'))).toBe(false);
    } finally {
      await t.cleanup();
    }
  });
});

describe('saves check the rules and keep the file as written', () => {
  const t = fresh();
  afterAll(() => t.cleanup());

  it('422 naming the rule and the example when a rule does not do what its own examples say; nothing saved', async () => {
    const bad = mine(['Read more at Example']);
    bad.rules[0].examples.remove = ['Read more at Example', 'Read more elsewhere'];
    const r = await request(t.app).put('/v1/rulesets/example').set(auth).send(bad).expect(422);
    expect(r.body.code).toBe('invalid-ruleset');
    expect(r.body.errors).toEqual([
      expect.objectContaining({ rule: 'example-footer', field: 'examples/remove/1', message: expect.stringMatching(/removes nothing/) }),
    ]);
    expect(existsSync(join(t.dir, 'example.yaml'))).toBe(false);
    expect(t.registry.get('example')).toBeUndefined();
    await request(t.app).get('/v1/rulesets/example').expect(404);
  });

  it('keeps the comments and layout of the stored file, changing only what changed, in YAML 1.1 readers too', async () => {
    const file = join(t.dir, 'commented.yaml');
    const original = [
      '# A hand-reviewed set: these comments must survive saves from the API and the dashboard.',
      'id: commented',
      'version: 3',
      'extends: default',
      'rules:',
      '  # --- the section comment ---',
      '  - id: yes-no',
      '    category: boilerplate',
      '    description: >-',
      '      Answers left alone on a line',
      '      by a poll widget.',
      '    kind: phrase',
      '    # why these phrases: a reviewer note',
      "    phrases: ['yes', 'no', 'off']",
      "    examples: { remove: ['yes'], keep: ['yes, he said, the vote is on.'] }",
      '',
    ].join('\n');
    writeFileSync(file, original);
    t.registry.reload();
    const got = await request(t.app).get('/v1/rulesets/commented').expect(200);
    const next = { ...got.body, rules: [{ ...got.body.rules[0], phrases: ['yes', 'no', 'off', 'on', 'y'] }] };
    const r = await request(t.app).put('/v1/rulesets/commented').set(auth).set('If-Match', got.headers.etag).send(next).expect(200);
    expect(r.body.version).toBe(4);
    const text = readFileSync(file, 'utf8');
    for (const comment of ['# A hand-reviewed set', '# --- the section comment ---', '# why these phrases']) expect(text).toContain(comment);
    // Only the version and the phrases changed: every other line is as it was.
    const changed = text.split('\n').filter((line) => !original.split('\n').includes(line));
    expect(changed.join('\n')).toMatch(/^version: 4\n\s+phrases:/);
    expect(text).toContain('    description: >-\n      Answers left alone on a line\n');
    const saved = { ...r.body };
    expect(YAML.parse(text)).toEqual(saved);
    expect(YAML.parse(text, { version: '1.1' })).toEqual(saved);
  });

  it('writes a new set so that YAML 1.1 readers read the same values', async () => {
    const set = mine(['on', 'No', 'Y', '0777', '1:20', 'null', '2001-12-14']);
    set.rules[0].examples = { remove: ['on'], keep: ['We read more about it.'] };
    const r = await request(t.app).put('/v1/rulesets/example').set(auth).send(set).expect(201);
    const text = readFileSync(join(t.dir, 'example.yaml'), 'utf8');
    expect(YAML.parse(text, { version: '1.1' })).toEqual(r.body);
    expect(YAML.parse(text)).toEqual(r.body);
    const got = await request(t.app).get('/v1/rulesets/example').set('Accept', 'application/yaml').expect(200);
    expect(YAML.parse(got.text, { version: '1.1' })).toEqual(r.body);
  });

  it('a scorer naming a model file: GET shows the reference, which PUTs back; only files of models/ can be named', async () => {
    mkdirSync(join(t.dir, 'models'));
    copyFileSync(join(REPO, 'rules', 'models', 'text.yaml'), join(t.dir, 'models', 'text.yaml'));
    const scorer = {
      id: 'page-scorer',
      category: 'boilerplate',
      description: 'A block the article scorer judged not to be part of the article.',
      kind: 'scorer',
      model: 'models/text.yaml',
      examples: {
        remove: [
          {
            text: 'Home\n\nNews\n\nThe city council voted on Tuesday to extend the tram line to the northern districts, a project that has been debated for more than a decade.\n\nPrivacy Policy | Terms of Use | Contact',
            removed: ['Privacy Policy | Terms of Use | Contact'],
          },
        ],
        keep: ['The city council voted on Tuesday to extend the tram line to the northern districts, a project that has been debated for more than a decade.'],
      },
    };
    t.registry.reload();
    const put = await request(t.app)
      .put('/v1/rulesets/scored')
      .set(auth)
      .send({ id: 'scored', version: 1, extends: 'default', rules: [scorer] })
      .expect(201);
    expect(put.body.rules[0].model).toBe('models/text.yaml');
    expect(put.body.rules[0].block).toBeUndefined();
    const got = await request(t.app).get('/v1/rulesets/scored').expect(200);
    expect(got.body.rules[0]).toEqual(scorer);
    await request(t.app).put('/v1/rulesets/scored').set(auth).set('If-Match', got.headers.etag).send(got.body).expect(200);
    // What runs has the model's weights: the trained file's own values, which retraining may move.
    const trained = YAML.parse(readFileSync(join(REPO, 'rules', 'models', 'text.yaml'), 'utf8')) as { threshold: number; runCut: number };
    expect(typeof trained.threshold).toBe('number');
    expect(t.registry.get('scored')!.defs.find((d) => d.id === 'page-scorer')).toMatchObject({ threshold: trained.threshold, runCut: trained.runCut });
    for (const model of ['models/../../etc/passwd.yaml', '/etc/passwd', '../default.yaml', 'models/nope.yaml']) {
      const r = await request(t.app)
        .put('/v1/rulesets/scored')
        .set(auth)
        .send({ id: 'scored', version: 1, rules: [{ ...scorer, model }] })
        .expect(422);
      expect(r.body.errors).toEqual([expect.objectContaining({ rule: 'page-scorer', field: 'model' })]);
    }
  });
});
