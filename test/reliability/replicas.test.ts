/**
 * Two replicas behind nginx on loopback, configured with deploy/nginx/declutter.conf (the file
 * docker-compose uses) inside a generated main config: load spreads over both, batches stream
 * through, and a rule set saved through one replica is used by the other within 2 s.
 *
 * Needs Debian's nginx (apt-get install -y nginx; CI installs it). Where it is absent and CI is
 * unset the test skips, saying so; in CI a missing nginx is a broken setup and fails.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { REPO_ROOT } from '../paths';
import { freePort } from '../pg-cluster';
import { copyRules, eventually, sampleDocuments, send, startService, statusOf, writeFigures, type Service } from './service';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => spawnSync(p, ['-v']).status === 0);
const available = NGINX !== undefined || Boolean(process.env.CI);
if (!available) {
  console.warn('replicas test SKIPPED: nginx is absent and CI is unset (apt-get install -y nginx to run it)');
}

const ADMIN_TOKEN = 'replicas-test-admin-token';

/** The main config: paths in `prefix`, the two replicas as the upstream, the shipped server block with our port. */
function writeNginxConfig(prefix: string, port: number, replicas: number[]): string {
  const server = readFileSync(resolve(REPO_ROOT, 'deploy', 'nginx', 'declutter.conf'), 'utf8').replace(/listen 8080;/, `listen 127.0.0.1:${port};`);
  if (!server.includes(`listen 127.0.0.1:${port};`)) throw new Error('deploy/nginx/declutter.conf no longer has "listen 8080;"');
  writeFileSync(join(prefix, 'declutter.conf'), server);
  const conf = `daemon off;
${process.getuid?.() === 0 ? 'user root root;' : ''}
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 256; }
http {
  access_log ${prefix}/access.log;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  upstream declutter {
${replicas.map((p) => `    server 127.0.0.1:${p};`).join('\n')}
    keepalive 8;
    keepalive_timeout 60s;
  }
  include ${prefix}/declutter.conf;
}
`;
  const file = join(prefix, 'nginx.conf');
  writeFileSync(file, conf);
  return file;
}

function metricValue(text: string, prefix: string): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

(available ? describe : describe.skip)('two replicas behind nginx', () => {
  let rules: { dir: string; cleanup(): void };
  let replicas: Service[] = [];
  let nginx: ChildProcess | undefined;
  let prefix: string;
  let proxy: string;

  beforeAll(async () => {
    if (!NGINX) throw new Error('nginx is not installed: apt-get install -y nginx (CI installs it in .ci/run)');
    rules = copyRules();
    const env = { DECLUTTER_RULES_DIR: rules.dir, DECLUTTER_ADMIN_TOKEN: ADMIN_TOKEN, DECLUTTER_TRUST_PROXY: 'loopback', DECLUTTER_WORKERS: '1' };
    replicas = await Promise.all([startService(env), startService(env)]);
    prefix = mkdtempSync(join(tmpdir(), 'declutter-nginx-'));
    const port = await freePort();
    const conf = writeNginxConfig(
      prefix,
      port,
      replicas.map((r) => r.port),
    );
    let stderr = '';
    nginx = spawn(NGINX, ['-p', prefix, '-c', conf, '-e', join(prefix, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
    nginx.stderr!.on('data', (d) => (stderr += d));
    const killOnExit = () => nginx?.kill('SIGKILL');
    process.once('exit', killOnExit);
    nginx.once('exit', () => process.off('exit', killOnExit));
    proxy = `http://127.0.0.1:${port}`;
    await eventually(
      async () => {
        if (nginx!.exitCode !== null) throw new Error(`nginx exited: ${stderr}${readFileSync(join(prefix, 'error.log'), 'utf8')}`);
        return (await statusOf(`${proxy}/healthz`)) === 200;
      },
      'nginx answers /healthz',
      15_000,
    );
  });

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const gone = new Promise((r) => nginx!.once('exit', r));
      // SIGTERM: nginx's fast shutdown (SIGQUIT would wait for a request a failed test left open).
      nginx.kill('SIGTERM');
      await gone;
    }
    const codes = await Promise.all(replicas.map((r) => r.stop()));
    rules?.cleanup();
    if (prefix) rmSync(prefix, { recursive: true, force: true });
    expect(codes).toEqual(replicas.map(() => 0));
  });

  it('spreads load over both replicas with no errors', async () => {
    const docs = sampleDocuments(10, 10 * 1024);
    const result = await new Promise<autocannon.Result>((ok, fail) =>
      autocannon(
        {
          url: `${proxy}/v1/clean`,
          connections: 8,
          overallRate: 50,
          duration: 4,
          requests: docs.map((body) => ({ method: 'POST', path: '/v1/clean', headers: { 'content-type': 'text/plain' }, body })),
        },
        (err, r) => (err ? fail(err) : ok(r)),
      ),
    );
    const served = await Promise.all(
      replicas.map(async (r) =>
        metricValue(
          (await send(r.url, { method: 'GET', path: '/metrics' })).body.toString('utf8'),
          'declutter_http_request_duration_seconds_count{route="/v1/clean",method="POST",status="200"}',
        ),
      ),
    );
    writeFigures('replicas-load', {
      command: 'npx jest test/reliability/replicas.test.ts',
      requests: result.requests.total,
      errors: result.errors,
      non2xx: result.non2xx,
      timeouts: result.timeouts,
      perReplica: served,
    });
    expect([result.errors, result.non2xx, result.timeouts]).toEqual([0, 0, 0]);
    // autocannon leaves out the requests still in flight when its time is up: one per connection at most.
    expect(served[0] + served[1]).toBeGreaterThanOrEqual(result.requests.total);
    expect(served[0] + served[1]).toBeLessThanOrEqual(result.requests.total + 8);
    // Round robin: each replica takes a fair share (a third at least, whatever the machine's speed).
    for (const n of served) expect(n).toBeGreaterThanOrEqual(result.requests.total / 3);
    // /metrics is per replica: nginx does not serve it.
    expect((await send(proxy, { method: 'GET', path: '/metrics' })).status).toBe(404);
  });

  it('streams an NDJSON batch through the proxy, in order', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => i);
    const body = ids.map((i) => JSON.stringify({ id: i, text: `Advertisement\n\nLine ${i} of a batch that goes through nginx on its way.` })).join('\n') + '\n';
    const r = await send(proxy, { path: '/v1/clean/batch', headers: { 'Content-Type': 'application/x-ndjson' }, body });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = r.body
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(ids);
  });

  it('answers the first lines of a batch through the proxy while the client is still sending', async () => {
    const line = (i: number) => JSON.stringify({ id: i, text: `Advertisement\n\nLine ${i} of a batch that streams through nginx.` }) + '\n';
    const req = http.request(`${proxy}/v1/clean/batch`, {
      method: 'POST',
      agent: false,
      headers: { 'Content-Type': 'application/x-ndjson', 'Transfer-Encoding': 'chunked' },
    });
    let received = '';
    const gotResponse = new Promise<http.IncomingMessage>((ok, fail) => {
      req.on('response', ok);
      req.on('error', fail);
    });
    req.write([0, 1, 2, 3, 4].map(line).join(''));
    const res = await gotResponse;
    res.setEncoding('utf8');
    res.on('data', (d: string) => (received += d));
    const ended = new Promise((ok) => res.on('end', ok));
    // With request buffering on, nginx would hold these lines until the body ended: nothing would come back.
    await eventually(() => received.split('\n').filter(Boolean).length >= 5, 'the first five results arrive before the body ends', 15_000);
    req.end([5, 6, 7].map(line).join(''));
    await ended;
    expect(
      received
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).id),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('a rule set saved through one replica is used by the other within 2 s', async () => {
    const set = {
      id: 'relnews',
      extends: 'default',
      description: 'Saved through the proxy by the reliability suite.',
      rules: [
        {
          id: 'relnews-promo',
          category: 'teaser',
          description: 'The promo line of the reliability suite.',
          kind: 'phrase',
          phrases: ['Read more from the reliability desk'],
          examples: { remove: ['Read more from the reliability desk'], keep: ['The reliability desk said more would follow.'] },
        },
      ],
    };
    const saved = await send(proxy, {
      method: 'PUT',
      path: '/v1/rulesets/relnews',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify(set),
    });
    expect(saved.status).toBe(201);
    // Both replicas know it within 2 s: the one that wrote it at once, the other through its watcher.
    const waited = await eventually(
      async () => {
        const statuses = await Promise.all(replicas.map((r) => send(r.url, { method: 'GET', path: '/v1/rulesets/relnews' }).then((x) => x.status)));
        return statuses.every((s) => s === 200);
      },
      'both replicas serve rule set relnews',
      2000,
      25,
    );
    const doc = 'Read more from the reliability desk\n\nThe harbour reopened on Monday after a week of storms, the port authority said in a statement.';
    for (const r of replicas) {
      const cleaned = JSON.parse(
        (await send(r.url, { path: '/v1/clean?ruleset=relnews', headers: { 'Content-Type': 'text/plain' }, body: doc })).body.toString('utf8'),
      );
      expect(cleaned.ruleset).toEqual({ id: 'relnews', version: 1 });
      expect(cleaned.removed.map((s: { rule: string }) => s.rule)).toContain('relnews-promo');
    }
    writeFigures('replicas-ruleset', { command: 'npx jest test/reliability/replicas.test.ts', visibleOnBothAfterMs: waited });
  });
});
