/**
 * The same contract for both rule-set stores (set-store.ts): the rules directory and PostgreSQL
 * (a throwaway cluster, test/pg-cluster.ts). Two instances on one directory or one database stand
 * for two replicas.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import type { SetStore } from '../../src/rulesets/set-store';
import { StoreConflict } from '../../src/rulesets/store';
import { FileSetStore } from '../../src/rulesets/store-files';
import { PostgresSetStore } from '../../src/rulesets/store-postgres';
import { postgresAvailable, startCluster, type PgCluster } from '../pg-cluster';

const def = (id: string, note: string) => ({ id, version: 1, description: note, rules: [] });

interface Backing {
  name: string;
  /** A fresh, empty place for the sets; `open` then gives as many stores on it as asked. */
  fresh(): Promise<void>;
  open(): Promise<SetStore>;
  cleanup(): Promise<void>;
}

let cluster: PgCluster | undefined;
let databases = 0;
const emptyDir = mkdtempSync(join(tmpdir(), 'declutter-contract-models-'));

function filesBacking(): Backing {
  let dir = '';
  return {
    name: 'files',
    async fresh() {
      dir = mkdtempSync(join(tmpdir(), 'declutter-contract-'));
    },
    async open() {
      return new FileSetStore(dir);
    },
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresBacking(): Backing {
  let url = '';
  return {
    name: 'postgres',
    async fresh() {
      cluster ??= await startCluster();
      url = await cluster.createDatabase(`contract_${++databases}`);
    },
    async open() {
      const store = await PostgresSetStore.open(url, { rulesDir: emptyDir, seed: false });
      if (!store.health().reachable) throw new Error(`the test database did not answer: ${store.health().error}`);
      return store;
    },
    async cleanup() {},
  };
}

const backings = [filesBacking(), ...(postgresAvailable('the PostgreSQL store contract') ? [postgresBacking()] : [])];

afterAll(async () => {
  await cluster?.destroy();
  rmSync(emptyDir, { recursive: true, force: true });
});

describe.each(backings.map((b) => [b.name, b] as const))('the %s store', (_name, backing) => {
  let opened: SetStore[] = [];
  const open = async () => {
    const store = await backing.open();
    opened.push(store);
    return store;
  };
  beforeEach(() => backing.fresh());
  afterEach(async () => {
    await Promise.all(opened.map((s) => s.close()));
    opened = [];
    await backing.cleanup();
  });

  const current = (store: SetStore, id: string) => {
    const entry = store.scan().files.find((f) => f.file.endsWith(`/${id}.yaml`));
    return entry && (YAML.parse(entry.text()) as { version: number; description: string });
  };

  it('creates with If-None-Match, refuses a second create, and shows the set in its scan', async () => {
    const store = await open();
    await expect(store.save(def('a', 'first'), 'absent')).resolves.toMatchObject({ created: true, saved: { version: 1 } });
    expect(store.exists('a')).toBe(true);
    expect(current(store, 'a')).toMatchObject({ version: 1, description: 'first' });
    const second = store.save(def('a', 'again'), 'absent');
    await expect(second).rejects.toBeInstanceOf(StoreConflict);
    await expect(second).rejects.toMatchObject({ currentVersion: 1 });
    await expect(store.save(def('b', 'missing'), 'exists')).rejects.toMatchObject({ currentVersion: undefined });
  });

  it('saves on If-Match of the current version only, and keeps every version', async () => {
    const store = await open();
    await store.save(def('a', 'one'), undefined);
    await expect(store.save(def('a', 'two'), { version: 1 })).resolves.toMatchObject({ created: false, saved: { version: 2 } });
    await expect(store.save(def('a', 'stale'), { version: 1 })).rejects.toMatchObject({ name: 'StoreConflict', currentVersion: 2 });
    const versions = await store.versions('a');
    expect(versions.map((v) => [v.version, v.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(Number.isNaN(Date.parse(versions[0].savedAt))).toBe(false);
    expect(YAML.parse((await store.versionText('a', 1))!)).toMatchObject({ description: 'one' });
    expect(await store.versionText('a', 9)).toBeUndefined();
    expect(current(store, 'a')).toMatchObject({ version: 2, description: 'two' });
  });

  it('deletes into history; a set created again continues the numbering', async () => {
    const store = await open();
    await store.save(def('d', 'one'), undefined);
    await store.save(def('d', 'two'), undefined);
    await expect(store.remove('d', { version: 1 })).rejects.toBeInstanceOf(StoreConflict);
    await expect(store.remove('d', { version: 2 })).resolves.toBe(2);
    expect(store.exists('d')).toBe(false);
    expect(current(store, 'd')).toBeUndefined();
    expect((await store.versions('d')).map((v) => [v.version, v.current])).toEqual([
      [2, false],
      [1, false],
    ]);
    await expect(store.remove('d', undefined)).rejects.toBeInstanceOf(StoreConflict);
    await expect(store.save(def('d', 'back'), 'absent')).resolves.toMatchObject({ created: true, saved: { version: 3 } });
  });

  it('two instances, the same If-Match at once: exactly one wins, every round', async () => {
    const [a, b] = [await open(), await open()];
    await a.save(def('race', 'start'), 'absent');
    for (let version = 1; version <= 5; version++) {
      const results = await Promise.allSettled([a.save(def('race', `a${version}`), { version }), b.save(def('race', `b${version}`), { version })]);
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(StoreConflict);
      expect((lost.reason as StoreConflict).currentVersion).toBe(version + 1);
    }
    expect((await a.versions('race')).map((v) => v.version)).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('two instances saving without If-Match lose no write: every save gets a version of its own', async () => {
    const [a, b] = [await open(), await open()];
    const saved = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).save(def('shared', `write ${i}`), undefined)));
    expect(saved.map((s) => s.saved.version).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const notes = await Promise.all((await a.versions('shared')).map(async (v) => YAML.parse((await a.versionText('shared', v.version))!).description));
    expect(notes.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `write ${i}`).sort());
  });

  it('a save through one instance reaches the other, which is told of the change', async () => {
    const [a, b] = [await open(), await open()];
    let told = 0;
    const stop = b.watch({ pollMs: 100, debounceMs: 10, onChange: () => told++ });
    try {
      await a.save(def('seen', 'from a'), undefined);
      // The bound only stops a hang; how fast it arrives is the reliability suite's figure.
      for (const until = Date.now() + 10_000; !(told > 0 && current(b, 'seen')) && Date.now() < until;) await new Promise((r) => setTimeout(r, 20));
      expect(told).toBeGreaterThan(0);
      expect(current(b, 'seen')).toMatchObject({ version: 1, description: 'from a' });
      expect(b.exists('seen')).toBe(true);
    } finally {
      stop();
    }
  });

  it('says where it is and that it can be reached', async () => {
    const store = await open();
    expect(store.health()).toMatchObject({ kind: backing.name, reachable: true });
    expect(store.health().where).not.toMatch(/@/); // no user or password in logs and /readyz
  });
});
