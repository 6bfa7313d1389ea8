import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { RuleSetRegistry } from '../../src/rulesets/registry';
import { createApp } from '../../src/server/app';
import { AppPool } from '../../src/server/worker-pool';
import { makeRulesDir, testConfig } from './helpers';

const rules = makeRulesDir();
afterAll(() => rules.cleanup());

function appWithCapturedLogs(registry?: RuleSetRegistry) {
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
    logger: pino({ level: 'info' }, sink),
    pool: new AppPool(config),
  });
  return { app, lines };
}

describe('request logs', () => {
  it('log each request with its id, and never the Authorization header', async () => {
    const { app, lines } = appWithCapturedLogs();
    await request(app).post('/v1/clean').type('text/plain').set('X-Request-Id', 'log-1').set('Authorization', 'Bearer hunter2').send('hello').expect(200);
    const line = lines.find((l) => (l.req as { id?: string })?.id === 'log-1');
    expect(line).toMatchObject({ msg: 'request completed', res: { statusCode: 200 } });
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
