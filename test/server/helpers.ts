/** Builds apps over a temporary rules directory, with logs silenced. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config';
import { RuleSetRegistry } from '../../src/rulesets/registry';
import { createApp, type AppDeps } from '../../src/server/app';
import { AppPool } from '../../src/server/worker-pool';

export const REPO = resolve(__dirname, '..', '..');
export const SHARED = resolve(REPO, '..', 'shared');

/**
 * A small default set of our own, so that these tests pin the HTTP layer and do not move when the
 * shipped rules are tuned.
 */
const DEFAULT_SET = `id: default
version: 1
description: Test default set.
rules:
  - id: markup-residue
    category: residue
    description: HTML attribute fragment left by the scraper.
    kind: pattern
    scope: inline
    pattern: '(?:class|style|id)=["”][^"”\\n]*["”]>?'
    examples:
      remove: ['class="sc-1 x">']
      keep: ['He said the class was "full".']
  - id: ad-marker
    category: ad
    description: A block that only says that an advertisement follows.
    kind: phrase
    phrases: [Advertisement, Anzeige]
    examples:
      remove: ["Advertisement"]
      keep: ["The advertisement industry grew by 4%."]
`;

/** A rules directory with a default set, a host-bound set extending it and one broken file. */
export function makeRulesDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'declutter-rules-'));
  writeFileSync(join(dir, 'default.yaml'), DEFAULT_SET);
  writeFileSync(
    join(dir, 'upi.yaml'),
    [
      'id: upi',
      'version: 2',
      'description: UPI pages',
      'extends: default',
      'hosts: ["*.upi.com"]',
      'rules:',
      '  - id: upi-footer',
      '    category: legal',
      '    description: The UPI copyright line.',
      '    kind: phrase',
      '    phrases: ["Copyright UPI"]',
      '    examples: { remove: ["Copyright UPI"], keep: ["UPI reported the copyright case."] }',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'broken.yaml'), 'id: broken\nversion: 1\nrules:\n  - id: x\n    kind: nosuchkind\n');
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function testConfig(rulesDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({ DECLUTTER_RULES_DIR: rulesDir, LOG_LEVEL: 'silent', ...env }, REPO);
}

/**
 * Pools of the apps a test file built, stopped after its last test: every document is cleaned in
 * the pool, so nearly every app starts one, and its threads would keep jest from exiting.
 */
const pools: AppPool[] = [];
if (typeof afterAll === 'function') afterAll(() => Promise.all(pools.splice(0).map((p) => p.close())));

/** A pool stopped with the test file (close() may stop it earlier: closing twice is once). */
export function testPool(config: Config): AppPool {
  const pool = new AppPool(config);
  pools.push(pool);
  return pool;
}

/** An app on `rulesDir`; `close()` stops the worker threads it started (else they stop after the file's tests). */
export function testApp(rulesDir: string, env: Record<string, string> = {}, registry?: RuleSetRegistry) {
  const config = testConfig(rulesDir, env);
  const reg = registry ?? RuleSetRegistry.fromDir(config.rulesDir);
  const deps: AppDeps = { config, registry: reg, logger: pino({ level: 'silent' }), pool: testPool(config) };
  return { app: createApp(deps), registry: reg, config, deps, close: () => deps.pool.close() };
}

/** The contract's invariant: the input less its removed spans, whitespace collapsed, is the text. */
export function rebuild(input: string, removed: { start: number; end: number }[]): string {
  let out = '';
  let at = 0;
  for (const r of removed) {
    out += input.slice(at, r.start) + ' ';
    at = r.end;
  }
  return (out + input.slice(at)).replace(/\s+/g, ' ').trim();
}
