/** A real listening service (createApp + listen) with its batch pool, and an NDJSON client. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { RuleSetRegistry } from '../../src/rulesets/registry';
import { createApp, type AppDeps } from '../../src/server/app';
import { AppPool } from '../../src/server/worker-pool';
import { REPO_ROOT } from '../paths';

export const WORKER = resolve(REPO_ROOT, 'dist', 'batch', 'worker.js');

/** The pool runs the compiled worker: say so plainly instead of failing inside piscina. */
export function requireBuild(): void {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run "npm run build" first (npm test does)`);
}

/**
 * A rules directory with one cheap rule, for tests that measure the pipeline (memory, back
 * pressure) rather than the engine's cost.
 */
export function oneRuleDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(
    join(dir, 'default.yaml'),
    [
      'id: default',
      'version: 1',
      'rules:',
      '  - id: ad-marker',
      '    category: ad',
      '    description: An advertisement marker.',
      '    kind: phrase',
      '    phrases: [Advertisement]',
      '    examples: { remove: ["Advertisement"], keep: ["The advertisement industry grew."] }',
      '',
    ].join('\n'),
  );
  return dir;
}

export interface TestServer {
  url: string;
  deps: AppDeps;
  close(): Promise<void>;
}

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const config = loadConfig({ DECLUTTER_RULES_DIR: resolve(REPO_ROOT, 'rules'), ...env }, REPO_ROOT);
  const deps: AppDeps = { config, registry: RuleSetRegistry.fromDir(config.rulesDir), logger: pino({ level: 'silent' }), pool: new AppPool(config) };
  const server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    deps,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await deps.pool.close();
    },
  };
}

export interface Reply {
  status: number;
  contentType: string;
  body: string;
}

export function post(url: string, body: string | Buffer, contentType = 'application/x-ndjson', headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolvePromise, reject) => {
    const req = http.request(`${url}`, { method: 'POST', headers: { 'Content-Type': contentType, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolvePromise({ status: res.statusCode!, contentType: String(res.headers['content-type']), body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const parseLines = (body: string) =>
  body
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, any>);

/** Polls until `check` holds; fails with `what` after `ms` (a guard against hanging, not a timing claim). */
export async function eventually(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Polls until `read()` has returned the same value for `quietMs` with `check` holding throughout;
 * resolves with that value. A momentary lull (the pool idle while the next chunk is in flight)
 * is not mistaken for a stop. Fails with `what` after `ms` (a guard against hanging).
 */
export async function steady<T>(read: () => T, check: () => boolean, quietMs: number, what: string, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  let last = JSON.stringify(read());
  let since = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    const now = JSON.stringify(read());
    if (now !== last || !check()) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return read();
    }
    if (Date.now() > until) throw new Error(`never settled: ${what}`);
  }
}
