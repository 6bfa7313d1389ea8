/**
 * What the browser tests share: a real service (createApp over a copy of rules/, with an admin
 * token) listening on a free port, the dashboard build, and Debian's Chromium driven by
 * playwright-core with a fresh profile. No browser is ever downloaded.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Server } from 'node:http';
import pino from 'pino';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { defaultDashboardDir } from '../../src/dashboard/router';
import { RuleSetRegistry } from '../../src/rulesets/registry';
import { createApp } from '../../src/server/app';
import { AppPool } from '../../src/server/worker-pool';
import { REPO_ROOT } from '../paths';

export const CHROMIUM = '/usr/bin/chromium';
export const ADMIN_TOKEN = 'dashboard-test-token';
export const ARTIFACTS = resolve(REPO_ROOT, 'test-artifacts', 'dashboard');

/**
 * Browser tests run wherever Chromium is installed, and always in CI (where a missing Chromium is
 * a broken setup that must fail, not a reason to skip). Elsewhere they skip, saying so.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) return true;

  console.warn(`dashboard browser tests SKIPPED: ${CHROMIUM} is absent and CI is unset (apt-get install -y chromium to run them)`);
  return false;
}

/** Builds the page when this test runs before `npm run build` (e.g. `npx jest test/dashboard` in a fresh tree). */
export function ensureDashboardBuilt(): void {
  if (existsSync(join(defaultDashboardDir(), 'index.html'))) return;
  execFileSync(process.execPath, [require.resolve('vite/bin/vite.js'), 'build', '--config', 'src/dashboard/vite.config.mjs'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
}

export interface Service {
  url: string;
  rulesDir: string;
  close(): Promise<void>;
}

/** `env`: further settings, e.g. DECLUTTER_API_KEYS for a service that wants keys. */
export async function startService(env: Record<string, string> = {}): Promise<Service> {
  const rulesDir = mkdtempSync(join(tmpdir(), 'declutter-dash-rules-'));
  cpSync(resolve(REPO_ROOT, 'rules'), rulesDir, { recursive: true });
  const config = loadConfig({ DECLUTTER_RULES_DIR: rulesDir, LOG_LEVEL: 'silent', DECLUTTER_ADMIN_TOKEN: ADMIN_TOKEN, ...env }, REPO_ROOT);
  const registry = RuleSetRegistry.fromDir(config.rulesDir);
  const deps = { config, registry, logger: pino({ level: 'silent' }), pool: new AppPool(config) };
  const app = createApp(deps);
  const server: Server = await new Promise((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    rulesDir,
    async close() {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
      await deps.pool.close();
      rmSync(rulesDir, { recursive: true, force: true });
    },
  };
}

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserSession> {
  // launch() gives every browser a fresh temporary profile of its own (removed on close).
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    browser,
    context,
    async close() {
      await context.close();
      await browser.close();
    },
  };
}
