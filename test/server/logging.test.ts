import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { RuleSetRegistry } from '../../src/rulesets/registry';
import { createApp } from '../../src/server/app';
import { makeRulesDir, testConfig, testPool } from './helpers';

const rules = makeRulesDir();
afterAll(() => rules.cleanup());

function appWithCapturedLogs(registry?: RuleSetRegistry, level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  const config = testConfig(rules.dir);
  const app = createApp({
    config,
    registry: registry ?? RuleSetRegistry.fromDir(config.rulesDir),
    logger: pino({ level }, sink),
    pool: testPool(config),
  });
  return { app, lines };
}

/** The line of the request that had this X-Request-Id. */
const lineOf = (lines: Record<string, any>[], id: string) => lines.find((l) => l.req?.id === id);

describe('request logs', () => {
  it('log one small line a request: id, method, URL, status, time and bytes each way, no headers', async () => {
    const { app, lines } = appWithCapturedLogs();
    const res = await request(app).post('/v1/clean?format=text').type('text/plain').set('X-Request-Id', 'log-1').send('hello').expect(200);
    const line = lineOf(lines, 'log-1')!;
    expect(Object.keys(line).sort()).toEqual(['hostname', 'level', 'msg', 'pid', 'req', 'reqBytes', 'res', 'resBytes', 'responseTime', 'time']);
    expect(line).toMatchObject({ msg: 'request completed', req: { id: 'log-1', method: 'POST', url: '/v1/clean?format=text' }, res: { statusCode: 200 } });
    expect(Object.keys(line.req).sort()).toEqual(['id', 'method', 'url']);
    expect(Object.keys(line.res)).toEqual(['statusCode']);
    expect(line.responseTime).toEqual(expect.any(Number));
    // Bytes on the wire: the body plus the request line and headers, the answer with its headers.
    expect(line.reqBytes).toBeGreaterThan('hello'.length);
    expect(line.reqBytes).toBeLessThan(1000);
    expect(line.resBytes).toBeGreaterThan(Buffer.byteLength(res.text));
    expect(JSON.stringify(line).length).toBeLessThan(400);
    expect(JSON.stringify(line)).not.toContain('content-security-policy');
  });

  it('log headers at debug level only, with credentials redacted', async () => {
    const { app, lines } = appWithCapturedLogs(undefined, 'debug');
    await request(app)
      .post('/v1/clean')
      .type('text/plain')
      .set('X-Request-Id', 'log-2')
      .set('Authorization', 'Bearer hunter2')
      .set('X-API-Key', 'key-hunter3')
      .set('Cookie', 'session=hunter4')
      .send('hello')
      .expect(200);
    const line = lineOf(lines, 'log-2')!;
    expect(line.req.headers).toMatchObject({ authorization: '[redacted]', 'x-api-key': '[redacted]', cookie: '[redacted]', 'content-type': 'text/plain' });
    expect(line.res.headers).toMatchObject({ 'content-security-policy': expect.any(String), 'x-request-id': 'log-2' });
    expect(JSON.stringify(lines)).not.toMatch(/hunter[234]/);
  });

  it('never log the Authorization header at info level either', async () => {
    const { app, lines } = appWithCapturedLogs();
    await request(app).post('/v1/clean').type('text/plain').set('Authorization', 'Bearer hunter2').send('hello').expect(200);
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain('hunter2');
  });

  it('log client errors at info level, and skip probes', async () => {
    const { app, lines } = appWithCapturedLogs();
    await request(app).get('/healthz').expect(200);
    expect(lines).toEqual([]);
    await request(app).get('/nope').expect(404);
    expect(lines[0]).toMatchObject({ level: 30, res: { statusCode: 404 } });
  });

  it('log a bug at error level with its stack', async () => {
    const registry = RuleSetRegistry.fromDir(rules.dir);
    registry.forUrl = () => {
      throw new Error('the bug');
    };
    const { app, lines } = appWithCapturedLogs(registry);
    await request(app).post('/v1/clean').type('text/plain').send('hello').expect(500);
    expect(lines[0]).toMatchObject({ level: 50, err: { message: 'the bug', stack: expect.stringContaining('logging.test.ts') } });
  });
});
