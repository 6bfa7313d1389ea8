import http from 'node:http';
import pino from 'pino';
import { startServer, type RunningServer } from '../../src/server';
import { makeRulesDir, testConfig } from './helpers';

const rules = makeRulesDir();
afterAll(() => rules.cleanup());

const PROSE = 'The council approved the new budget on Tuesday after a long debate about schools, roads and the future of the harbour.';

function start(env: Record<string, string>): Promise<RunningServer> {
  return startServer(testConfig(rules.dir, { PORT: '0', HOST: '127.0.0.1', DECLUTTER_WORKERS: '1', ...env }), {
    logger: pino({ level: 'silent' }),
    handleSignals: false,
  });
}

function get(url: string): Promise<{ status: number; connection?: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
      })
      .on('error', reject);
  });
}

/** Starts an NDJSON batch, sending `first` now; answers a function sending the rest and the lines that came back. */
function openBatch(url: string, first: string) {
  const req = http.request(`${url}/v1/clean/batch`, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/x-ndjson' } });
  const answer = new Promise<{ status: number; lines: string[] }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, lines: body.split('\n').filter(Boolean) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  req.write(first);
  return { finish: (rest: string) => req.end(rest), answer };
}

const line = (id: number) => JSON.stringify({ id, text: `Advertisement\n\n${PROSE}` }) + '\n';

describe('graceful shutdown', () => {
  it('turns not ready at once, keeps answering during the delay, then finishes a streaming batch', async () => {
    // 3 s of delay: the probes below must land inside it even on a loaded machine (600 ms was tight).
    const running = await start({ DECLUTTER_SHUTDOWN_DELAY_MS: '3000' });
    const batch = openBatch(running.url, line(1) + line(2));
    // The batch is under way (its first lines are read) before the shutdown starts.
    await new Promise((r) => setTimeout(r, 300));
    const closed = running.close();
    let closedYet = false;
    void closed.then(() => (closedYet = true));

    const ready = await get(`${running.url}/readyz`);
    expect([ready.status, JSON.parse(ready.body).status, ready.connection]).toEqual([503, 'shutting down', 'close']);
    expect((await get(`${running.url}/healthz`)).status).toBe(200);

    batch.finish(line(3) + line(4));
    const answer = await batch.answer;
    expect(answer.status).toBe(200);
    expect(answer.lines.map((l) => JSON.parse(l).id)).toEqual([1, 2, 3, 4]);
    expect(answer.lines.every((l) => JSON.parse(l).text === PROSE)).toBe(true);
    await closed;
    expect(closedYet).toBe(true);
    expect(running.server.listening).toBe(false);
    // After the delay the listener is gone: new connections are refused.
    await expect(get(`${running.url}/healthz`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('closes what is still open when the drain timeout passes', async () => {
    const running = await start({ DECLUTTER_SHUTDOWN_TIMEOUT_MS: '300' });
    // A batch whose body never ends holds its connection until the timeout.
    const batch = openBatch(running.url, line(1));
    const outcome = batch.answer.then(
      (a) => ({ lines: a.lines.length, error: undefined as string | undefined }),
      (e: Error) => ({ lines: -1, error: e.message }),
    );
    await new Promise((r) => setTimeout(r, 300));
    await running.close();
    expect(running.server.listening).toBe(false);
    // Cut off: either mid-response (an error) or ended early; never complete with more lines than sent.
    const o = await outcome;
    expect(o.error !== undefined || o.lines <= 1).toBe(true);
  });
});
