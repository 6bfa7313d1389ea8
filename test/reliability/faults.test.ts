/**
 * Faults against real processes: a worker thread killed mid-batch, SIGTERM under load, and the
 * rules file corrupted on disk under load.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { copyRules, eventually, sampleDocuments, send, startService, writeFigures, type Service } from './service';

const docs = sampleDocuments(10, 10 * 1024);

function ndjson(ids: (string | number)[]): string {
  return ids.map((id, i) => JSON.stringify({ id, text: docs[i % docs.length] })).join('\n') + '\n';
}

function metric(text: string, line: string): number {
  const found = text.split('\n').find((l) => l.startsWith(line + ' '));
  return found ? Number(found.slice(line.length + 1)) : 0;
}

describe('a worker killed mid-batch', () => {
  let service: Service;
  let rules: { dir: string; cleanup(): void };
  beforeAll(async () => {
    rules = copyRules();
    // The fault hook (src/batch/faults.ts): a worker handed the document "crash-me" exits.
    service = await startService({ DECLUTTER_RULES_DIR: rules.dir, DECLUTTER_WORKERS: '2', DECLUTTER_TEST_CRASH_ID: 'crash-me' });
  });
  afterAll(async () => {
    expect(await service.stop()).toBe(0);
    rules.cleanup();
  });

  it('gives that document an error line, completes the batch, and the pool recovers', async () => {
    const ids: (string | number)[] = Array.from({ length: 40 }, (_, i) => i);
    ids[20] = 'crash-me';
    const r = await send(service.url, { path: '/v1/clean/batch', headers: { 'Content-Type': 'application/x-ndjson' }, body: ndjson(ids) });
    expect(r.status).toBe(200);
    const lines = r.body
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(ids);
    expect(lines[20].error).toMatchObject({ code: 'internal', status: 500, line: 21 });
    expect(lines.filter((l) => l.error)).toHaveLength(1);
    expect(lines.filter((l) => typeof l.text === 'string')).toHaveLength(39);

    // The pool is whole again: a second batch on every thread, all clean.
    const again = await send(service.url, {
      path: '/v1/clean/batch',
      headers: { 'Content-Type': 'application/x-ndjson' },
      body: ndjson(Array.from({ length: 20 }, (_, i) => `again-${i}`)),
    });
    const second = again.body
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(second).toHaveLength(20);
    expect(second.every((l) => typeof l.text === 'string')).toBe(true);

    const m = (await send(service.url, { method: 'GET', path: '/metrics' })).body.toString('utf8');
    expect(metric(m, 'declutter_documents_total{input="text",outcome="failed"}')).toBe(1);
    expect(metric(m, 'declutter_pool_threads')).toBe(2);
    expect((await send(service.url, { method: 'GET', path: '/healthz' })).status).toBe(200);
    writeFigures('worker-crash', {
      command: 'npx jest test/reliability/faults.test.ts -t "worker killed"',
      documents: 60,
      errorLines: 1,
      secondBatchClean: second.length,
    });
  });
});

interface ClientRecord {
  id: string;
  status?: number;
  complete?: boolean;
  error?: string;
  afterSignal: boolean;
}

/** POST /v1/clean with our request id; records whether a whole, parseable answer came back. */
function cleanOnce(url: string, id: string, body: string, agent: http.Agent | false, signalled: () => boolean): Promise<ClientRecord> {
  return new Promise((resolve) => {
    const req = http.request(`${url}/v1/clean`, { method: 'POST', agent, headers: { 'Content-Type': 'text/plain', 'X-Request-Id': id } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let complete: boolean;
        try {
          complete = typeof JSON.parse(text).text === 'string';
        } catch {
          complete = false;
        }
        resolve({ id, status: res.statusCode, complete, afterSignal: signalled() });
      });
      res.on('error', (e) => resolve({ id, status: res.statusCode, complete: false, error: e.message, afterSignal: signalled() }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ id, error: e.code ?? e.message, afterSignal: signalled() }));
    req.end(body);
  });
}

describe('SIGTERM under load', () => {
  it('answers every request it accepted in full, finishes a streaming batch, and exits 0', async () => {
    const rules = copyRules();
    const service = await startService({ DECLUTTER_RULES_DIR: rules.dir, DECLUTTER_WORKERS: '1' });
    const url = service.url;
    let signalled = false;
    const records: ClientRecord[] = [];
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 6 });

    // 12 clients, half on kept-alive connections and half on a connection per request, each sending
    // until the service stops taking connections (bounded: at most 400 requests each).
    const clients = Array.from({ length: 12 }, async (_, c) => {
      for (let i = 0; i < 400; i++) {
        const r = await cleanOnce(url, `rel-${c}-${i}`, docs[(c + i) % docs.length], c % 2 ? keepAlive : false, () => signalled);
        records.push(r);
        if (r.error && signalled) return;
      }
    });

    // A batch that is still uploading when the signal arrives.
    const batchReq = http.request(`${url}/v1/clean/batch`, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/x-ndjson' } });
    const batchAnswer = new Promise<string[]>((resolve, reject) => {
      batchReq.on('response', (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve(body.split('\n').filter(Boolean)));
        res.on('error', reject);
      });
      batchReq.on('error', reject);
    });
    batchReq.write(ndjson(Array.from({ length: 30 }, (_, i) => `b-${i}`)));

    await new Promise((r) => setTimeout(r, 2000));
    signalled = true;
    service.child.kill('SIGTERM');
    // The rest of the batch arrives after the signal, in three parts.
    for (let part = 1; part <= 3; part++) {
      await new Promise((r) => setTimeout(r, 200));
      batchReq.write(ndjson(Array.from({ length: 30 }, (_, i) => `b-${part * 30 + i}`)));
    }
    batchReq.end();

    const batchLines = await batchAnswer;
    await Promise.all(clients);
    keepAlive.destroy();
    const code = await service.exited;
    rules.cleanup();

    // What the service says it did: one "request completed" line per answer it sent.
    const logs = service.logLines();
    const served = new Map<string, number>();
    for (const l of logs)
      if (l.msg === 'request completed' && typeof l.req?.id === 'string' && l.req.id.startsWith('rel-')) served.set(l.req.id, l.res?.statusCode);
    const cutOff = logs.filter((l) => l.msg === 'request aborted' || l.msg === 'request errored');
    const byId = new Map(records.map((r) => [r.id, r]));

    const figures = {
      command: 'npx jest test/reliability/faults.test.ts -t SIGTERM',
      requestsSent: records.length,
      answeredInFull: records.filter((r) => r.complete).length,
      sentAfterSignal: records.filter((r) => r.afterSignal).length,
      notAccepted: records.filter((r) => r.error).length,
      clientErrorsBeforeSignal: records.filter((r) => r.error && !r.afterSignal).length,
      serverLoggedAnswers: served.size,
      serverCutOff: cutOff.length,
      inFlightAtDrain: logs.find((l) => l.msg?.startsWith('draining'))?.inFlight,
      batchLines: batchLines.length,
      exitCode: code,
    };
    writeFigures('sigterm', figures);

    expect(code).toBe(0);
    expect(logs.some((l) => l.msg === 'closed')).toBe(true);
    // The drain began with requests under way (the batch at least), so finishing them was tested.
    expect(figures.inFlightAtDrain).toBeGreaterThanOrEqual(1);
    expect(cutOff).toEqual([]);
    expect(figures.clientErrorsBeforeSignal).toBe(0);
    // Every request the service accepted (it logged an answer) came back whole, with that status.
    for (const [id, status] of served) expect([id, byId.get(id)?.status, byId.get(id)?.complete]).toEqual([id, status, true]);
    // Every request that did not come back whole was never accepted: no answer in the service's log.
    for (const r of records) if (!r.complete) expect([r.id, served.has(r.id)]).toEqual([r.id, false]);
    expect(records.filter((r) => r.complete).every((r) => r.status === 200)).toBe(true);
    // Some requests really were in flight around the signal, so the test tested something.
    expect(figures.sentAfterSignal).toBeGreaterThan(0);
    expect(batchLines.map((l) => JSON.parse(l).id)).toEqual(Array.from({ length: 120 }, (_, i) => `b-${i}`));
    expect(batchLines.every((l) => typeof JSON.parse(l).text === 'string')).toBe(true);
  });
});

describe('the rules file corrupted on disk under load', () => {
  it('keeps the last good set live, says so on /readyz, and drops no request', async () => {
    const rules = copyRules();
    const service = await startService({ DECLUTTER_RULES_DIR: rules.dir });
    try {
      const file = join(rules.dir, 'default.yaml');
      const good = readFileSync(file, 'utf8');
      const before = JSON.parse((await send(service.url, { method: 'GET', path: '/v1/rulesets/default' })).body.toString('utf8')).version;

      const load = new Promise<autocannon.Result>((resolve, reject) =>
        autocannon(
          {
            url: `${service.url}/v1/clean`,
            connections: 5,
            overallRate: 50,
            duration: 5,
            requests: docs.slice(0, 5).map((body) => ({ method: 'POST', path: '/v1/clean', headers: { 'content-type': 'text/plain' }, body })),
          },
          (err, result) => (err ? reject(err) : resolve(result)),
        ),
      );
      await new Promise((r) => setTimeout(r, 1000));
      writeFileSync(file, 'id: default\nversion: 99\nrules:\n  - id: [unclosed\n    kind: phrase\n');
      const readyz = async () => JSON.parse((await send(service.url, { method: 'GET', path: '/readyz' })).body.toString('utf8'));
      await eventually(
        async () => (await readyz()).refused.some((r: { file: string }) => r.file.endsWith('default.yaml')),
        '/readyz lists the broken default.yaml',
        10_000,
      );
      const ready = await send(service.url, { method: 'GET', path: '/readyz' });
      const body = JSON.parse(ready.body.toString('utf8'));
      expect(ready.status).toBe(200);
      expect(body.refused).toEqual([expect.objectContaining({ id: 'default', live: before, message: expect.any(String) })]);
      // Cleaning goes on with the last good version.
      const cleaned = JSON.parse(
        (await send(service.url, { path: '/v1/clean', headers: { 'Content-Type': 'text/plain' }, body: docs[0] })).body.toString('utf8'),
      );
      expect(cleaned.ruleset).toEqual({ id: 'default', version: before });

      const result = await load;
      writeFigures('corrupt-rules', {
        command: 'npx jest test/reliability/faults.test.ts -t corrupted',
        requests: result.requests.total,
        errors: result.errors,
        non2xx: result.non2xx,
        timeouts: result.timeouts,
        liveVersion: before,
      });
      expect([result.errors, result.non2xx, result.timeouts]).toEqual([0, 0, 0]);

      // Fixed on disk: picked up again, nothing refused.
      writeFileSync(file, good);
      await eventually(async () => (await readyz()).refused.length === 0, 'the refusal clears once the file is fixed', 10_000);
    } finally {
      expect(await service.stop()).toBe(0);
      rules.cleanup();
    }
  });
});
