import request from 'supertest';
import { tallyOf } from '../../src/batch/tally';
import { MAX_RULE_LABELS, recordCleaned } from '../../src/metrics';
import { makeRulesDir, testApp } from './helpers';

const rules = makeRulesDir();
const { app, close } = testApp(rules.dir, { DECLUTTER_WORKERS: '1' });
afterAll(async () => {
  await close();
  rules.cleanup();
});

const PROSE = 'The council approved the new budget on Tuesday after a long debate about schools, roads and the future of the harbour.';

/** One sample's value from the exposition text; undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

async function scrape(): Promise<string> {
  const r = await request(app).get('/metrics').expect(200);
  expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return r.text;
}

describe('GET /metrics', () => {
  it('counts cleaned documents, rule hits and removed characters by category', async () => {
    const before = await scrape();
    const ok = (t: string) => sample(t, 'declutter_documents_total', { input: 'text', outcome: 'ok' }) ?? 0;
    const hits = (t: string) => sample(t, 'declutter_rule_hits_total', { rule: 'ad-marker' }) ?? 0;
    const adChars = (t: string) => sample(t, 'declutter_removed_chars_total', { category: 'ad' }) ?? 0;
    await request(app).post('/v1/clean').type('text/plain').send(`Advertisement\n\n${PROSE}\n\nAnzeige`).expect(200);
    const after = await scrape();
    expect(ok(after) - ok(before)).toBe(1);
    expect(hits(after) - hits(before)).toBe(2);
    expect(adChars(after) - adChars(before)).toBe('Advertisement'.length + 'Anzeige'.length);
  });

  it('times requests by route pattern and status, never by raw path', async () => {
    await request(app).get('/v1/rulesets/no-such-set').expect(404);
    const text = await scrape();
    expect(sample(text, 'declutter_http_request_duration_seconds_count', { route: '/v1/rulesets/:id', method: 'GET', status: '404' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(text).not.toContain('no-such-set');
    expect(sample(text, 'declutter_http_response_bytes_total', { route: '/v1/rulesets/:id' })).toBeGreaterThan(0);
  });

  it('counts batch documents, refused lines and the pool', async () => {
    const before = await scrape();
    const body = [JSON.stringify({ id: 1, text: `Advertisement\n\n${PROSE}` }), '{"id": 2, "text":', JSON.stringify({ id: 3, text: PROSE })].join('\n');
    const r = await request(app).post('/v1/clean/batch').set('Content-Type', 'application/x-ndjson').send(body).expect(200);
    expect(r.text.trim().split('\n')).toHaveLength(3);
    const after = await scrape();
    const count = (t: string, outcome: string) => sample(t, 'declutter_documents_total', { input: 'text', outcome }) ?? 0;
    expect(count(after, 'ok') - count(before, 'ok')).toBe(2);
    expect(count(after, 'invalid') - count(before, 'invalid')).toBe(1);
    // Rule hits of batch documents come from the workers' tallies.
    expect(
      (sample(after, 'declutter_rule_hits_total', { rule: 'ad-marker' }) ?? 0) - (sample(before, 'declutter_rule_hits_total', { rule: 'ad-marker' }) ?? 0),
    ).toBe(1);
    expect(sample(after, 'declutter_pool_threads')).toBe(1);
    expect(sample(after, 'declutter_pool_queue_length')).toBe(0);
  });

  it('reports readiness, refused rule-set files and the process metrics', async () => {
    const text = await scrape();
    expect(sample(text, 'declutter_ready')).toBe(1);
    // makeRulesDir writes one broken file.
    expect(sample(text, 'declutter_ruleset_files_refused')).toBe(1);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('keeps the number of rule labels bounded whatever rule ids clients send', async () => {
    const removed = Array.from({ length: MAX_RULE_LABELS + 50 }, (_, i) => ({ start: i, end: i + 1, rule: `flood-${i}`, category: 'ad' }));
    recordCleaned('text', { removed });
    const text = await scrape();
    const series = text.split('\n').filter((l) => l.startsWith('declutter_rule_hits_total{'));
    expect(series.length).toBeLessThanOrEqual(MAX_RULE_LABELS);
    expect(sample(text, 'declutter_rule_hits_total', { rule: '(other)' })).toBeGreaterThanOrEqual(50);
  });
});

describe('tallyOf', () => {
  it('sums spans and characters per rule and category', () => {
    expect(
      tallyOf([
        { start: 0, end: 5, rule: 'a', category: 'ad' },
        { start: 9, end: 10, rule: 'b', category: 'legal' },
        { start: 20, end: 23, rule: 'a', category: 'ad' },
      ]),
    ).toEqual([
      ['a', 'ad', 2, 8],
      ['b', 'legal', 1, 1],
    ]);
  });
});
