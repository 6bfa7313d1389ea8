import { EventEmitter } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { ConfigError, loadConfig } from '../../src/config';
import { RuleSetRegistry } from '../../src/rulesets/registry';
import { createApp, type AppDeps } from '../../src/server/app';
import { MAX_BUCKETS, TokenBuckets } from '../../src/server/security';
import { slowBodyGuard } from '../../src/server/slow-body';
import { makeRulesDir, REPO, testApp, testPool } from './helpers';

const rules = makeRulesDir();
afterAll(() => rules.cleanup());

const KEY = 'k-0123456789abcdef';
const OTHER_KEY = 'k-fedcba9876543210';

describe('security headers', () => {
  const { app, close } = testApp(rules.dir);
  afterAll(close);

  it('sets helmet headers on API answers and on the dashboard, without HSTS or upgrading to https', async () => {
    for (const path of ['/healthz', '/dashboard/']) {
      const r = await request(app).get(path);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(r.headers['strict-transport-security']).toBeUndefined();
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("worker-src 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
    }
  });
});

describe('API keys', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const config = loadConfig({ DECLUTTER_RULES_DIR: rules.dir, DECLUTTER_API_KEYS: `${KEY}, ${OTHER_KEY}` }, REPO);
  // Debug: the level at which request headers, and so the keys' redaction, reach the log.
  const app = createApp({ config, registry: RuleSetRegistry.fromDir(config.rulesDir), logger: pino({ level: 'debug' }, sink), pool: testPool(config) });

  it('refuses the cleaning endpoints without a valid key with a 401 problem', async () => {
    for (const [path, type, body] of [
      ['/v1/clean', 'text/plain', 'Hello'],
      ['/v1/clean/batch', 'application/x-ndjson', '{"text":"Hello"}\n'],
      ['/v1/evaluate', 'application/json', '{"documents":[]}'],
      ['/v1/rulesets/default/evaluate', 'application/json', '{"documents":[]}'],
    ]) {
      const r = await request(app).post(path).set('Content-Type', type).set('X-API-Key', 'not-a-key').send(body);
      expect([path, r.status, r.headers['content-type'], r.body.code]).toEqual([path, 401, 'application/problem+json; charset=utf-8', 'invalid-api-key']);
      expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    const none = await request(app).post('/v1/clean').type('text/plain').send('Hello').expect(401);
    expect(none.body.detail).toMatch(/send an API key/);
    // Refused before routing, but counted under the route it was for.
    const metrics = (await request(app).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/declutter_http_request_duration_seconds_count\{route="\/v1\/clean",method="POST",status="401"\} [1-9]/);
    expect(metrics).toMatch(/declutter_http_request_duration_seconds_count\{route="\/v1\/rulesets\/:id\/evaluate",method="POST",status="401"\} [1-9]/);
  });

  it('accepts a key as a bearer token or as X-API-Key', async () => {
    await request(app).post('/v1/clean').type('text/plain').set('Authorization', `Bearer ${KEY}`).send('Hello').expect(200);
    await request(app).post('/v1/clean').type('text/plain').set('X-API-Key', OTHER_KEY).send('Hello').expect(200);
  });

  it('leaves probes, metrics and rule-set reads open', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/v1/rulesets']) await request(app).get(path).expect(200);
  });

  it('never writes a key to the log', async () => {
    await request(app).post('/v1/clean').type('text/plain').set('X-API-Key', KEY).send('Hello').expect(200);
    await request(app).post('/v1/clean').type('text/plain').set('Authorization', `Bearer ${OTHER_KEY}`).send('Hello').expect(200);
    const log = lines.join('');
    expect(log).toContain('[redacted]');
    expect(log).not.toContain(KEY);
    expect(log).not.toContain(OTHER_KEY);
  });

  it('refuses short keys at start, without echoing them', () => {
    expect(() => loadConfig({ DECLUTTER_API_KEYS: 'short-key' }, REPO)).toThrow(ConfigError);
    expect(() => loadConfig({ DECLUTTER_API_KEYS: 'short-key' }, REPO)).toThrow(/^(?!.*short-key)/);
  });
});

/**
 * Documents are cleaned in the worker pool: start it and compile the set there first, so that the
 * requests below follow each other within the bucket's refill (a cold worker takes a second or two).
 */
async function warm(deps: AppDeps): Promise<void> {
  await deps.pool.start().clean({ id: 'warm', text: 'Hello', ruleset: deps.registry.get('default')! });
}

describe('rate limit', () => {
  it('answers 429 with Retry-After once a client has used its burst, per key', async () => {
    const { app, close, deps } = testApp(rules.dir, { DECLUTTER_RATE_LIMIT: '1', DECLUTTER_RATE_BURST: '2', DECLUTTER_API_KEYS: `${KEY},${OTHER_KEY}` });
    try {
      await warm(deps);
      const send = (key: string) => request(app).post('/v1/clean').type('text/plain').set('X-API-Key', key).send('Hello');
      expect((await send(KEY)).status).toBe(200);
      expect((await send(KEY)).status).toBe(200);
      const limited = await send(KEY);
      expect([limited.status, limited.body.code, limited.headers['content-type']]).toEqual([429, 'rate-limited', 'application/problem+json; charset=utf-8']);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // Another client has its own bucket; probes are never limited.
      expect((await send(OTHER_KEY)).status).toBe(200);
      await request(app).get('/healthz').expect(200);
    } finally {
      await close();
    }
  });

  it('limits by address when there are no keys', async () => {
    const { app, close, deps } = testApp(rules.dir, { DECLUTTER_RATE_LIMIT: '1' });
    try {
      await warm(deps);
      await request(app).post('/v1/clean').type('text/plain').send('Hello').expect(200);
      await request(app).post('/v1/clean').type('text/plain').send('Hello').expect(429);
    } finally {
      await close();
    }
  });
});

describe('TokenBuckets', () => {
  it('refills at the rate up to the burst', () => {
    let now = 0;
    const b = new TokenBuckets(2, 3, () => now);
    expect([b.take('a'), b.take('a'), b.take('a')]).toEqual([0, 0, 0]);
    expect(b.take('a')).toBeCloseTo(0.5);
    now += 500; // one token back at 2 a second
    expect(b.take('a')).toBe(0);
    expect(b.take('a')).toBeGreaterThan(0);
    now += 60_000; // never more than the burst
    expect([b.take('a'), b.take('a'), b.take('a')]).toEqual([0, 0, 0]);
    expect(b.take('a')).toBeGreaterThan(0);
  });

  it('forgets clients rather than grow without bound', () => {
    const b = new TokenBuckets(1, 1, () => 0);
    for (let i = 0; i < MAX_BUCKETS * 2; i++) b.take(`ip:${i}`);
    expect(b.size).toBeLessThanOrEqual(MAX_BUCKETS);
  });
});

describe('slow bodies', () => {
  it('answers 408 problem+json to a body that trickles in, and closes the connection', async () => {
    const { app, close } = testApp(rules.dir, { DECLUTTER_BODY_TIMEOUT_MS: '1000', DECLUTTER_BODY_MIN_RATE: '1kb' });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as AddressInfo;
      const socket = net.connect(port, '127.0.0.1');
      let answer = '';
      socket.on('data', (d) => (answer += d));
      socket.write('POST /v1/clean HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n');
      // A byte every 100 ms: 10 bytes a second, far under the 1 KB/s that would extend the time.
      const drip = setInterval(() => !socket.destroyed && socket.write('a'), 100);
      // Bounded wait: the guard checks every 500 ms, so 1 s + 0.5 s; 10 s means it never came.
      const ended = await new Promise<boolean>((resolve) => {
        socket.once('close', () => resolve(true));
        setTimeout(() => resolve(false), 10_000);
      });
      clearInterval(drip);
      socket.destroy();
      expect(ended).toBe(true);
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toContain('application/problem+json');
      expect(answer).toContain('"code":"request-timeout"');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await close();
    }
  });
});

describe('slow-body guard, by the clock', () => {
  afterEach(() => jest.useRealTimers());

  /** A request whose socket has read `bytesRead` bytes; `paused` says the service stopped reading it. */
  function fakeExchange(state: { paused: boolean; bytesRead: number }) {
    const socket = {
      destroyed: false,
      destroy: jest.fn(),
      destroySoon: jest.fn(),
      isPaused: () => state.paused,
      get bytesRead() {
        return state.bytesRead;
      },
    };
    const req = { headers: { 'transfer-encoding': 'chunked' }, complete: false, readableLength: 0, readableHighWaterMark: 16 * 1024, socket };
    // A streaming batch: its answer has begun, so expiry can only break the connection off.
    const res = Object.assign(new EventEmitter(), { headersSent: true, writableEnded: false });
    return { req, res, socket };
  }

  function guarded(state: { paused: boolean; bytesRead: number }) {
    const guard = slowBodyGuard({ timeoutMs: 1000, minBytesPerSecond: 1000 });
    const x = fakeExchange(state);
    guard(x.req as never, x.res as never, () => undefined);
    return x;
  }

  it('cuts off a body that stops arriving while the service waits for it', () => {
    jest.useFakeTimers();
    const state = { paused: false, bytesRead: 0 };
    const { socket } = guarded(state);
    jest.advanceTimersByTime(900);
    expect(socket.destroy).not.toHaveBeenCalled();
    jest.advanceTimersByTime(700);
    expect(socket.destroy).toHaveBeenCalled();
  });

  it('never cuts off a body the service is not reading (a batch held back by its window or its client)', () => {
    jest.useFakeTimers();
    const state = { paused: true, bytesRead: 0 };
    const { socket } = guarded(state);
    jest.advanceTimersByTime(60_000);
    expect(socket.destroy).not.toHaveBeenCalled();
    // Reading again: the clock resumes where it stopped.
    state.paused = false;
    jest.advanceTimersByTime(1600);
    expect(socket.destroy).toHaveBeenCalled();
  });

  it('gives a second more for every DECLUTTER_BODY_MIN_RATE bytes that arrive', () => {
    jest.useFakeTimers();
    const state = { paused: false, bytesRead: 0 };
    const { socket } = guarded(state);
    // 1000 bytes a second is exactly the minimum rate: time never runs out.
    for (let s = 0; s < 30; s++) {
      state.bytesRead += 1000;
      jest.advanceTimersByTime(1000);
    }
    expect(socket.destroy).not.toHaveBeenCalled();
    // A trickle of 5 bytes a second does not keep up.
    for (let s = 0; s < 3; s++) {
      state.bytesRead += 5;
      jest.advanceTimersByTime(1000);
    }
    expect(socket.destroy).toHaveBeenCalled();
  });
});
