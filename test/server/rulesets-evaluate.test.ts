/**
 * POST /v1/rulesets/{id}/evaluate and /v1/evaluate (scored as ../shared/eval/score.mjs scores),
 * catastrophic patterns over HTTP, and a set layered on default that a host match selects.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { requireBuild } from '../batch/server-helpers';
import { makeRulesDir, SHARED, testApp } from './helpers';

const TOKEN = 'eval-admin-token';
const auth = { Authorization: `Bearer ${TOKEN}` };
beforeAll(requireBuild);

const rules = makeRulesDir();
const t = testApp(rules.dir, { DECLUTTER_ADMIN_TOKEN: TOKEN, DECLUTTER_WORKERS: '2', DECLUTTER_DOC_TIMEOUT_MS: '5000' });
afterAll(async () => {
  await t.close();
  rules.cleanup();
});

const DOCS = [
  {
    id: 'g1',
    text: 'The council approved the budget on Monday after a long debate.\n\nAdvertisement\n\nCopyright UPI',
    gold: 'The council approved the budget on Monday after a long debate.',
  },
  {
    id: 'g2',
    text: 'Rain is expected across the region for the rest of the week, forecasters said.\n\nAnzeige',
    gold: 'Rain is expected across the region for the rest of the week, forecasters said.',
  },
  { id: 's1', text: 'Markets rose sharply in early trading on Tuesday morning.\n\nCopyright UPI', with: ['Markets rose sharply'], without: ['Copyright UPI'] },
];

describe('POST /v1/rulesets/{id}/evaluate', () => {
  it('scores a stored set: metrics exactly as score.mjs, hits per rule and category, per document', async () => {
    const r = await request(t.app).post('/v1/rulesets/default/evaluate').send({ documents: DOCS }).expect(200);
    expect(r.body.ruleset).toEqual({ id: 'default', version: 1 });
    expect(r.body.failed).toBe(0);
    expect(r.body.rules).toEqual([{ rule: 'ad-marker', category: 'ad', hits: 2, removedChars: 'Advertisement'.length + 'Anzeige'.length }]);
    expect(r.body.categories).toEqual([{ category: 'ad', hits: 2, removedChars: 20 }]);
    expect(r.body.documents.map((d: { id: string; hits: object }) => [d.id, d.hits])).toEqual([
      ['g1', { 'ad-marker': 1 }],
      ['g2', { 'ad-marker': 1 }],
      ['s1', {}],
    ]);
    expect(r.body.documents[2]).toMatchObject({ tp: 1, fp: 1, fn: 0, tn: 0 });

    // The same figures as the shared scorer on the texts the service produces.
    const dir = mkdtempSync(join(tmpdir(), 'declutter-eval-'));
    writeFileSync(join(dir, 'set.jsonl'), DOCS.map((d) => JSON.stringify(d)).join('\n'));
    const preds = await Promise.all(
      DOCS.map((d) =>
        request(t.app)
          .post('/v1/clean')
          .send({ id: d.id, text: d.text, ruleset: 'default' })
          .then((x) => JSON.stringify({ id: d.id, text: x.body.text })),
      ),
    );
    writeFileSync(join(dir, 'pred.jsonl'), preds.join('\n'));
    const scored = JSON.parse(
      execFileSync(process.execPath, [join(SHARED, 'eval', 'score.mjs'), '--set', join(dir, 'set.jsonl'), '--pred', join(dir, 'pred.jsonl'), '--json'], {
        encoding: 'utf8',
      }),
    );
    expect(r.body.metrics).toEqual(scored);
  });

  it('evaluates an inline set instead, with the stored one as baseline', async () => {
    const edited = { id: 'upi', version: 2, extends: 'upi', rules: [], disable: ['upi-footer'] };
    const r = await request(t.app).post('/v1/rulesets/upi/evaluate').send({ documents: DOCS, ruleset: edited, baseline: true }).expect(200);
    expect(r.body.baseline.ruleset).toEqual({ id: 'upi', version: 2 });
    expect(r.body.baseline.rules.map((x: { rule: string }) => x.rule).sort()).toEqual(['ad-marker', 'upi-footer']);
    expect(r.body.rules.map((x: { rule: string }) => x.rule)).toEqual(['ad-marker']);
    expect(r.body.baseline.metrics.snippets.fp).toBe(0);
    expect(r.body.metrics.snippets.fp).toBe(1);
  });

  it('404 for an unknown set, 422 for bad documents (named by index and field), 413 beyond the limits, 415 for non-JSON', async () => {
    await request(t.app).post('/v1/rulesets/nosuch/evaluate').send({ documents: DOCS }).expect(404);
    let r = await request(t.app)
      .post('/v1/rulesets/default/evaluate')
      .send({
        documents: [
          { id: 'a', text: 'x', gold: 'x' },
          { id: 'b', text: 3 },
        ],
      })
      .expect(422);
    expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(['documents/1/text', 'documents/1']);
    await request(t.app).post('/v1/rulesets/default/evaluate').send({ documents: [] }).expect(422);
    r = await request(t.app)
      .post('/v1/evaluate')
      .send({ documents: Array.from({ length: 501 }, (_, i) => ({ id: i, text: 'x', gold: 'x' })) })
      .expect(413);
    expect(r.body.code).toBe('body-too-large');
    r = await request(t.app).post('/v1/evaluate').set('Content-Type', 'text/plain').send('hello').expect(415);
    expect(r.body.code).toBe('unsupported-media-type');
  });

  it('POST /v1/evaluate takes an id or an inline set; an unsafe inline pattern is 422 naming rule and field', async () => {
    const byId = await request(t.app).post('/v1/evaluate').send({ ruleset: 'upi', documents: DOCS }).expect(200);
    expect(byId.body.ruleset).toEqual({ id: 'upi', version: 2 });
    const r = await request(t.app)
      .post('/v1/evaluate')
      .send({
        ruleset: {
          id: 'mine',
          version: 1,
          extends: 'default',
          rules: [
            {
              id: 'greedy',
              category: 'boilerplate',
              description: 'x',
              kind: 'pattern',
              scope: 'block',
              maxChars: 5000,
              pattern: '(?<=\\s)(\\w+\\s?)+$',
              examples: { remove: [], keep: [] },
            },
          ],
        },
        documents: DOCS,
      })
      .expect(422);
    expect(r.body.code).toBe('invalid-ruleset');
    expect(r.body.errors).toEqual([expect.objectContaining({ rule: 'greedy', field: 'pattern' })]);
  });
});

describe('catastrophic patterns over HTTP', () => {
  const hostile = `Story.\n\n${'a'.repeat(30000)}!`;
  const catastrophic = (pattern: string) => ({
    id: 'hostile',
    version: 1,
    extends: 'default',
    rules: [
      {
        id: 'nested',
        category: 'boilerplate',
        description: 'Nested quantifiers.',
        kind: 'pattern',
        scope: 'block',
        maxChars: 100000,
        pattern,
        examples: { remove: [], keep: [] },
      },
    ],
  });

  it('^(a+)+$ saved through the API runs on RE2: a stored set cleans in-process without hanging', async () => {
    await request(t.app).put('/v1/rulesets/hostile').set(auth).send(catastrophic('^(a+)+$')).expect(201);
    const r = await request(t.app).post('/v1/clean').send({ text: hostile, ruleset: 'hostile' }).expect(200);
    expect(r.body.text.startsWith('Story.')).toBe(true);
    expect(r.body.removed).toEqual([]); // the trailing "!" keeps the anchor from matching: RE2 says so at once
  });

  it('lookbehind with nested repetition cannot be saved: 422 naming rule and field', async () => {
    const r = await request(t.app).put('/v1/rulesets/hostile').set(auth).send(catastrophic('(?<=\\s)(a+\\s?)+$')).expect(422);
    expect(r.body.errors).toEqual([expect.objectContaining({ rule: 'nested', field: 'pattern' })]);
    expect(t.registry.get('hostile')?.version).toBe(1);
  });

  it('the same inline in /v1/clean is refused before any cleaning', async () => {
    const r = await request(t.app)
      .post('/v1/clean')
      .send({ text: hostile, ruleset: catastrophic('(?<=\\s)(a+\\s?)+$') })
      .expect(422);
    expect(r.body.code).toBe('invalid-ruleset');
  });
});

describe('a set layered on default, chosen by host', () => {
  it('changes the result of a document from its site only', async () => {
    const text = 'Police said the fire started late on Sunday night.\n\nFollow us on Mastodon for more';
    const before = await request(t.app).post('/v1/clean').send({ text, url: 'https://www.example-news.com/fire' }).expect(200);
    expect(before.body.ruleset).toEqual({ id: 'default', version: 1 });
    expect(before.body.text).toContain('Follow us on Mastodon');

    const site = {
      id: 'example-news',
      version: 1,
      extends: 'default',
      hosts: ['*.example-news.com'],
      rules: [
        {
          id: 'mastodon-prompt',
          category: 'social',
          description: "The site's follow prompt.",
          kind: 'phrase',
          phrases: ['Follow us on Mastodon for more'],
          examples: { remove: ['Follow us on Mastodon for more'], keep: ['Police follow the case.'] },
        },
      ],
    };
    await request(t.app).put('/v1/rulesets/example-news').set(auth).set('If-None-Match', '*').send(site).expect(201);

    const after = await request(t.app).post('/v1/clean').send({ text, url: 'https://www.example-news.com/fire' }).expect(200);
    expect(after.body.ruleset).toEqual({ id: 'example-news', version: 1 });
    expect(after.body.text).toBe('Police said the fire started late on Sunday night.');
    expect(after.body.removed).toEqual([expect.objectContaining({ rule: 'mastodon-prompt', category: 'social', text: 'Follow us on Mastodon for more' })]);
    // Inherited rules still run; other sites are untouched.
    const ad = await request(t.app)
      .post('/v1/clean')
      .send({ text: `${text}\n\nAdvertisement`, url: 'https://example-news.com/x' })
      .expect(200);
    expect(ad.body.removed.map((x: { rule: string }) => x.rule)).toEqual(['mastodon-prompt', 'ad-marker']);
    const other = await request(t.app).post('/v1/clean').send({ text, url: 'https://elsewhere.org/fire' }).expect(200);
    expect(other.body.ruleset.id).toBe('default');
    expect(other.body.text).toContain('Follow us on Mastodon');
  });
});
