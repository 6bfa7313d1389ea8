/**
 * What only the PostgreSQL store does (the shared contract is store-contract.test.ts): migrations
 * applied once under an advisory lock, an empty database seeded once, and a database that goes
 * away and comes back, on a throwaway cluster (test/pg-cluster.ts).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { migrate } from '../../src/rulesets/migrate';
import { RuleSetRegistry } from '../../src/rulesets/registry';
import { StoreUnavailable } from '../../src/rulesets/set-store';
import { PostgresSetStore } from '../../src/rulesets/store-postgres';
import { postgresAvailable, startCluster, type PgCluster } from '../pg-cluster';
import { REPO_ROOT } from '../paths';

const available = postgresAvailable('the PostgreSQL store test');
const def = (id: string, note: string) => ({ id, version: 1, description: note, rules: [] });

/** Polls `check`; the bound only stops a hang (a loaded machine delays everything). */
async function until(check: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; !(await check());) {
    if (Date.now() > end) throw new Error(`never happened within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

(available ? describe : describe.skip)('the PostgreSQL store', () => {
  let cluster: PgCluster;
  let rulesDir: string;
  const stores: PostgresSetStore[] = [];
  const open = async (url: string, seed = false) => {
    const store = await PostgresSetStore.open(url, { rulesDir, seed });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    cluster = await startCluster();
    rulesDir = mkdtempSync(join(tmpdir(), 'declutter-pg-rules-'));
    cpSync(resolve(REPO_ROOT, 'rules'), rulesDir, { recursive: true });
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await cluster?.destroy();
    rmSync(rulesDir, { recursive: true, force: true });
  });

  it('applies the migrations once, whoever runs them and however often', async () => {
    const url = await cluster.createDatabase('migrations');
    const clients = [new Client(url), new Client(url), new Client(url)];
    await Promise.all(clients.map((c) => c.connect()));
    try {
      const [a, b] = await Promise.all([migrate(clients[0]), migrate(clients[1])]);
      expect([...a, ...b]).toEqual(['001_rulesets.sql']);
      expect(await migrate(clients[2])).toEqual([]);
      const { rows } = await clients[2].query('SELECT name FROM declutter_migrations');
      expect(rows).toEqual([{ name: '001_rulesets.sql' }]);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it('seeds an empty database from the rules directory once, however many replicas start at once', async () => {
    const url = await cluster.createDatabase('seed');
    const [a, b] = await Promise.all([open(url, true), open(url, true)]);
    for (const s of [a, b]) expect(s.scan().files.map((f) => f.file)).toEqual([`${s.where}/default.yaml`]);
    // The shipped file verbatim, comments and all.
    expect(a.scan().files[0].text()).toBe(readFileSync(join(rulesDir, 'default.yaml'), 'utf8'));
    expect(await a.versions('default')).toHaveLength(1);
    // The models stay files of the rules directory.
    expect(a.scan().models.map((m) => m.file.slice(m.file.lastIndexOf('/') + 1))).toEqual(['html.yaml', 'text.yaml']);
    await a.save(def('later', 'saved'), undefined);
    const again = await open(url, true);
    expect(await again.versions('default')).toHaveLength(1); // not empty any more: no second seed
  });

  it('a registry started while the database is down is not ready, and becomes ready when it answers', async () => {
    const url = await cluster.createDatabase('late');
    await (await open(url, true)).close(); // seeded with the default set
    await cluster.stop();
    const store = await open(url);
    expect(store.health().reachable).toBe(false);
    const registry = new RuleSetRegistry();
    registry.use(store);
    const stop = registry.watch();
    try {
      expect(registry.ready).toBe(false);
      await cluster.start();
      await until(() => registry.ready, 'the registry has the default set once the database answers');
      expect(registry.list().map((s) => s.id)).toEqual(['default']);
      expect(store.health().reachable).toBe(true);
    } finally {
      stop();
    }
  });

  it('keeps its sets through a database restart, refuses writes meanwhile, and catches up when it is back', async () => {
    const url = await cluster.createDatabase('restart');
    const [a, b] = [await open(url), await open(url)];
    await a.save(def('kept', 'before'), undefined);
    await until(() => b.exists('kept'), 'b has the set');

    await cluster.stop();
    await until(() => !a.health().reachable && !b.health().reachable, 'both say the store is unreachable');
    expect(a.health()).toMatchObject({ kind: 'postgres', reachable: false, since: expect.any(String), error: expect.any(String) });
    expect(b.scan().files.map((f) => f.file)).toEqual([`${b.where}/kept.yaml`]); // the last sets read stay
    await expect(a.save(def('kept', 'during'), undefined)).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(a.remove('kept', undefined)).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(b.versions('kept')).rejects.toBeInstanceOf(StoreUnavailable);

    await cluster.start();
    await until(() => a.health().reachable && b.health().reachable, 'both reconnect');
    await expect(a.save(def('kept', 'after'), { version: 1 })).resolves.toMatchObject({ saved: { version: 2 } });
    await until(() => b.scan().files[0]?.text().includes('after') ?? false, 'b has the save made after the restart');
  });
});
