import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseByteSize } from '../../src/config';
import { PACKAGED_RULES_DIR } from '../../src/rulesets/load';
import { REPO } from './helpers';

const nowhere = mkdtempSync(join(tmpdir(), 'declutter-cwd-'));
afterAll(() => rmSync(nowhere, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    const c = loadConfig({}, REPO);
    expect(c).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      rulesDir: join(REPO, 'rules'),
      adminToken: undefined,
      logLevel: 'info',
      bodyLimit: 5 * 1024 * 1024,
      docTimeoutMs: 10_000,
    });
  });

  it('falls back to the packaged rules when ./rules does not exist', () => {
    expect(loadConfig({}, nowhere).rulesDir).toBe(PACKAGED_RULES_DIR);
  });

  it('reads every setting', () => {
    const c = loadConfig(
      {
        PORT: '9000',
        HOST: '127.0.0.1',
        DECLUTTER_RULES_DIR: 'rules',
        DECLUTTER_ADMIN_TOKEN: 's3cret-admin-token',
        LOG_LEVEL: 'DEBUG',
        DECLUTTER_BODY_LIMIT: '512kb',
        DECLUTTER_DOC_TIMEOUT_MS: '250',
        DECLUTTER_WORKERS: '2',
      },
      REPO,
    );
    expect(c).toMatchObject({
      port: 9000,
      host: '127.0.0.1',
      rulesDir: join(REPO, 'rules'),
      adminToken: 's3cret-admin-token',
      logLevel: 'debug',
      bodyLimit: 512 * 1024,
      docTimeoutMs: 250,
      workers: 2,
    });
  });

  it('tunes the heap growing factor by default, and leaves it to V8 at 0', () => {
    expect(loadConfig({}, REPO).heapGrowingPercent).toBe(20);
    expect(loadConfig({ DECLUTTER_HEAP_GROWING_PERCENT: '0' }, REPO).heapGrowingPercent).toBe(0);
    expect(() => loadConfig({ DECLUTTER_HEAP_GROWING_PERCENT: '-1' }, REPO)).toThrow(
      /^DECLUTTER_HEAP_GROWING_PERCENT must be an integer from 0 to 1000, not "-1"$/,
    );
  });

  it('limits failed key and token attempts to 10 a minute by default; 0 turns the limit off', () => {
    expect(loadConfig({}, REPO).authFailures).toBe(10);
    expect(loadConfig({ DECLUTTER_AUTH_FAILURES: '0' }, REPO).authFailures).toBe(0);
  });

  it('groups queued batch documents 8 or 64 K characters to a message by default; 1 document sends each alone', () => {
    expect(loadConfig({}, REPO)).toMatchObject({ batchGroupDocs: 8, batchGroupChars: 65536 });
    expect(loadConfig({ DECLUTTER_BATCH_GROUP_DOCS: '1', DECLUTTER_BATCH_GROUP_CHARS: '20000' }, REPO)).toMatchObject({
      batchGroupDocs: 1,
      batchGroupChars: 20000,
    });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DECLUTTER_ADMIN_TOKEN: ' ' }, REPO)).toMatchObject({ port: 8080, adminToken: undefined });
  });

  it.each([
    [{ PORT: 'http' }, /^PORT must be an integer from 0 to 65535, not "http"$/],
    [{ PORT: '70000' }, /^PORT must be/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of fatal, error/],
    [{ DECLUTTER_BODY_LIMIT: 'lots' }, /^DECLUTTER_BODY_LIMIT must be a size/],
    [{ DECLUTTER_BODY_LIMIT: '0' }, /^DECLUTTER_BODY_LIMIT must be a size/],
    [{ DECLUTTER_DOC_TIMEOUT_MS: '-5' }, /^DECLUTTER_DOC_TIMEOUT_MS must be an integer/],
    [{ DECLUTTER_RULES_DIR: '/no/such/dir' }, /^DECLUTTER_RULES_DIR is not a directory: \/no\/such\/dir$/],
    [{ DECLUTTER_ADMIN_TOKEN: 'x' }, /^DECLUTTER_ADMIN_TOKEN must be at least 16 printable characters without spaces \(it has 1\)/],
    [{ DECLUTTER_ADMIN_TOKEN: 'fifteen-chars!!' }, /^DECLUTTER_ADMIN_TOKEN must be at least 16/],
    [{ DECLUTTER_ADMIN_TOKEN: 'sixteen chars ok' }, /^DECLUTTER_ADMIN_TOKEN must be at least 16 printable characters without spaces/],
    [{ DECLUTTER_AUTH_FAILURES: 'many' }, /^DECLUTTER_AUTH_FAILURES must be an integer/],
    [{ DECLUTTER_BATCH_GROUP_DOCS: '0' }, /^DECLUTTER_BATCH_GROUP_DOCS must be an integer from 1 to 1000, not "0"$/],
    [{ DECLUTTER_BATCH_GROUP_CHARS: '64k' }, /^DECLUTTER_BATCH_GROUP_CHARS must be an integer from 1 to 100000000, not "64k"$/],
  ])('refuses %j with one line', (env, message) => {
    let error: unknown;
    try {
      loadConfig(env, REPO);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('parses sizes in binary units', () => {
    expect(parseByteSize('5mb')).toBe(5 * 1024 * 1024);
    expect(parseByteSize('1.5KB')).toBe(1536);
    expect(parseByteSize('100')).toBe(100);
    expect(parseByteSize('5 parsecs')).toBeUndefined();
  });
});
