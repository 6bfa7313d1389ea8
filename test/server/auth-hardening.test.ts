/**
 * Guessing keys and tokens is throttled per address; a short admin token stops the start;
 * credentials never reach the logs, in headers or in the query string; inline rule sets cannot
 * take the rule labels of /metrics.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { INLINE_RULE_LABEL } from '../../src/metrics';
import { RuleSetRegistry } from '../../src/rulesets/registry';
import { createApp } from '../../src/server/app';
import { redactedUrl } from '../../src/server/request-log';
import { AuthFailures, MAX_BUCKETS } from '../../src/server/security';
import { AppPool } from '../../src/server/worker-pool';
import { makeRulesDir, REPO, testApp, testConfig } from './helpers';

const rules = makeRulesDir();
afterAll(() => rules.cleanup());

const KEY = 'the-right-api-key-0123';
const TOKEN = 'the-right-admin-token';

describe('failed key and token attempts', () => {
  it('after DECLUTTER_AUTH_FAILURES wrong API keys a minute: 429 with Retry-After, the right key too; no key is not a guess', async () => {
    const t = testApp(rules.dir, { DECLUTTER_API_KEYS: KEY, DECLUTTER_AUTH_FAILURES: '3' });
    try {
      const clean = () => request(t.app).post('/v1/clean').type('text/plain');
      for (let i = 0; i < 5; i++) expect((await clean().send('hello').expect(401)).body.code).toBe('invalid-api-key');
      for (let i = 0; i < 3; i++) await clean().set('X-API-Key', `wrong-key-number-${i}`).send('hello').expect(401);
      const r = await clean().set('X-API-Key', 'wrong-key-number-4').send('hello').expect(429);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.body).toMatchObject({ code: 'rate-limited', status: 429 });
      expect(r.body.detail).toContain('failed key or token attempts');
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      await clean().set('Authorization', `Bearer ${KEY}`).send('hello').expect(429);
    } finally {
      await t.close();
    }
  });

  it('wrong admin tokens count the same way; 0 turns the limit off', async () => {
    const t = testApp(rules.dir, { DECLUTTER_ADMIN_TOKEN: TOKEN, DECLUTTER_AUTH_FAILURES: '2' });
    const off = testApp(rules.dir, { DECLUTTER_ADMIN_TOKEN: TOKEN, DECLUTTER_AUTH_FAILURES: '0' });
    try {
      const put = (app: typeof t.app, token: string) => request(app).delete('/v1/rulesets/nosuch').set('Authorization', `Bearer ${token}`);
      await put(t.app, 'guess-one').expect(401);
      await put(t.app, 'guess-two').expect(401);
      await put(t.app, 'guess-three').expect(429);
      await put(t.app, TOKEN).expect(429);
      for (let i = 0; i < 5; i++) await put(off.app, `guess-${i}`).expect(401);
      await put(off.app, TOKEN).expect(404);
    } finally {
      await t.close();
      await off.close();
    }
  });

  it('come back after the minute refills, and keep a bounded table whatever the addresses', () => {
    let now = 0;
    const table = new AuthFailures(2, () => now);
    expect(table.failed('ip:a')).toBeUndefined();
    expect(table.failed('ip:a')).toBeUndefined();
    expect(table.failed('ip:a')?.extra.headers).toEqual({ 'Retry-After': '30' });
    expect(table.blocked('ip:a')).toBeDefined();
    expect(table.blocked('ip:b')).toBeUndefined();
    now += 30_000;
    expect(table.blocked('ip:a')).toBeUndefined();
    for (let i = 0; i < 3 * MAX_BUCKETS; i++) table.failed(`ip:spray-${i}`);
    expect(table.clients).toBeLessThanOrEqual(MAX_BUCKETS);
  });
});

describe('DECLUTTER_ADMIN_TOKEN', () => {
  it('shorter than 16 characters stops `declutter serve` with one line and a non-zero exit', () => {
    // The timeout guards against a service that starts anyway; it is not a timing claim.
    const r = spawnSync(process.execPath, [join(REPO, 'dist', 'cli.js'), 'serve'], {
      env: { ...process.env, DECLUTTER_ADMIN_TOKEN: 'x', PORT: '0', DECLUTTER_RULES_DIR: rules.dir },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.signal).toBeNull();
    expect(r.status).not.toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('DECLUTTER_ADMIN_TOKEN must be at least 16 printable characters');
    expect(r.stderr).not.toContain('    at ');
  });
});

describe('credentials in logs', () => {
  function appWithCapturedLogs(level: string) {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const config = testConfig(rules.dir);
    const app = createApp({ config, registry: RuleSetRegistry.fromDir(config.rulesDir), logger: pino({ level }, sink), pool: new AppPool(config) });
    return { app, lines };
  }

  it('redacts every header and query parameter named like a credential, at debug level too', async () => {
    for (const level of ['info', 'debug']) {
      const { app, lines } = appWithCapturedLogs(level);
      await request(app)
        .post('/v1/clean?api_key=hunter1&access_token=hunter2&format=text&Password=hunter3')
        .type('text/plain')
        .set('Proxy-Authorization', 'Basic hunter4')
        .set('X-Auth-Token', 'hunter5')
        .set('X-Api-Key', 'hunter6')
        .set('X-Session-Token', 'hunter7')
        .send('hello'); // 422 (unknown query parameters): logged like any other answer
      const log = lines.join('');
      expect(log).not.toMatch(/hunter\d/);
      expect(log).toContain('format=text');
      if (level === 'debug') {
        const line = JSON.parse(lines.find((l) => l.includes('request completed'))!);
        expect(line.req.headers).toMatchObject({
          'proxy-authorization': '[redacted]',
          'x-auth-token': '[redacted]',
          'x-api-key': '[redacted]',
          'content-type': 'text/plain',
        });
      }
    }
  });

  it('keeps the rest of the URL as sent', () => {
    expect(redactedUrl('/v1/clean?format=text&lang=en')).toBe('/v1/clean?format=text&lang=en');
    expect(redactedUrl('/v1/clean?api%5Fkey=x&token&tok=1')).toBe('/v1/clean?api%5Fkey=[redacted]&token&tok=1');
    expect(redactedUrl('/v1/clean')).toBe('/v1/clean');
  });
});

describe('rule labels of /metrics', () => {
  it('count every rule of an inline set under "inline": 520 rule ids take no slot of the stored sets', async () => {
    const t = testApp(rules.dir, { DECLUTTER_WORKERS: '1' });
    try {
      const ids = Array.from({ length: 520 }, (_, i) => `flood-rule-${i}`);
      const ruleset = {
        id: 'flood',
        version: 1,
        rules: ids.map((id, i) => ({
          id,
          category: 'ad',
          description: 'A flood of rules.',
          kind: 'phrase',
          phrases: [`Flood word ${i}`],
          examples: { remove: [`Flood word ${i}`], keep: ['Nothing here.'] },
        })),
      };
      const text = ids.map((_, i) => `Flood word ${i}`).join('\n\n');
      const r = await request(t.app).post('/v1/clean').send({ text, ruleset }).expect(200);
      expect(r.body.removed.length).toBeGreaterThan(0);
      const metrics = (await request(t.app).get('/metrics').expect(200)).text;
      expect(metrics).not.toContain('flood-rule-');
      expect(metrics).toContain(`declutter_rule_hits_total{rule="${INLINE_RULE_LABEL}"}`);
    } finally {
      await t.close();
    }
  });
});
