import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startServer } from '../../src/server';
import { makeRulesDir, REPO, testConfig } from './helpers';

const rules = makeRulesDir();
afterAll(() => rules.cleanup());

describe('startServer', () => {
  it('listens on the configured address and closes', async () => {
    const running = await startServer(testConfig(rules.dir, { PORT: '0', HOST: '127.0.0.1' }), { logger: pino({ level: 'silent' }), handleSignals: false });
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const r = await fetch(`${running.url}/v1/clean`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'Advertisement\n\nHello' });
      const body = (await r.json()) as { text?: string; detail?: string };
      expect([r.status, body.text ?? body.detail]).toEqual([200, 'Hello']);
    } finally {
      await running.close();
    }
    expect(running.server.listening).toBe(false);
  });

  it('says ready only once it has warmed up: a page cleaned in every worker thread', async () => {
    const lines: Record<string, any>[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
        done();
      },
    });
    const running = await startServer(testConfig(rules.dir, { PORT: '0', HOST: '127.0.0.1', DECLUTTER_WORKERS: '2' }), {
      logger: pino({ level: 'info' }, sink),
      handleSignals: false,
    });
    try {
      for (;;) {
        const r = await fetch(`${running.url}/readyz`);
        const { status } = (await r.json()) as { status: string };
        if (r.status === 200) break;
        expect(status).toBe('warming up');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const warmed = lines.find((l) => l.msg === 'warmed up');
      expect(warmed).toMatchObject({ threads: 2 });
      // The fixture's broken.yaml is warned about; the warm-up itself must not be.
      expect(lines.filter((l) => l.level >= 40 && /warm/.test(l.msg))).toEqual([]);
    } finally {
      await running.close();
    }
  });

  it('answers a whole batch to a client that half-closed after sending it', async () => {
    const running = await startServer(testConfig(rules.dir, { PORT: '0', HOST: '127.0.0.1', DECLUTTER_WORKERS: '2' }), {
      logger: pino({ level: 'silent' }),
      handleSignals: false,
    });
    try {
      // Enough documents that the body is read to its end (and the FIN with it) while results are still being written.
      const N = 60;
      const doc = 'Advertisement\n\n' + 'The council approved the budget after a long debate about schools and roads.\n'.repeat(100);
      const body = Array.from({ length: N }, (_, i) => JSON.stringify({ id: i, text: doc })).join('\n') + '\n';
      const socket = net.connect(Number(new URL(running.url).port), '127.0.0.1');
      let received = '';
      socket.on('data', (d: Buffer) => (received += d.toString('utf8')));
      await new Promise<void>((r) => socket.once('connect', () => r()));
      socket.write(`POST /v1/clean/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
      socket.end(body);
      await new Promise<void>((r) => socket.once('close', () => r()));
      const ids = received
        .split('\n')
        .filter((l) => l.startsWith('{"id"'))
        .map((l) => (JSON.parse(l) as { id: number }).id);
      expect(ids).toEqual(Array.from({ length: N }, (_, i) => i));
      // The chunked answer's last chunk: it ended, not broke off.
      expect(received.endsWith('0\r\n\r\n')).toBe(true);
    } finally {
      await running.close();
    }
  });

  it('refuses to start on a port in use', async () => {
    const first = await startServer(testConfig(rules.dir, { PORT: '0', HOST: '127.0.0.1' }), { logger: pino({ level: 'silent' }), handleSignals: false });
    try {
      const port = new URL(first.url).port;
      await expect(
        startServer(testConfig(rules.dir, { PORT: port, HOST: '127.0.0.1' }), { logger: pino({ level: 'silent' }), handleSignals: false }),
      ).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });

  // The compiled CLI is what runs in production; `npm test` builds it first.
  const cli = join(REPO, 'dist', 'cli.js');
  (existsSync(cli) ? it : it.skip)('`declutter serve` exits 0 on SIGTERM, and 1 with one line on a bad setting', async () => {
    const child = spawn(process.execPath, [cli, 'serve'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DECLUTTER_RULES_DIR: rules.dir, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = /"url":"([^"]+)"/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(out).toContain('shutting down');

    const bad = spawn(process.execPath, [cli, 'serve'], { env: { ...process.env, PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    bad.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => bad.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toEqual([expect.stringContaining('PORT must be an integer')]);
  });
});
