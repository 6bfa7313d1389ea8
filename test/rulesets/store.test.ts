/** The versioned store on a real directory: locks shared by processes, stale locks, history. */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { RuleSetStore, STALE_LOCK_MS, StoreConflict } from '../../src/rulesets/store';
import { watchDir } from '../../src/rulesets/watcher';

const def = (id: string, note: string) => ({ id, version: 1, description: note, rules: [] });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'declutter-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('RuleSetStore', () => {
  it('two stores on one directory (two replicas) never lose a write: the lock file serialises them', async () => {
    const a = new RuleSetStore(dir);
    const b = new RuleSetStore(dir);
    const writes = Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).save(def('shared', `write ${i}`), undefined));
    const saved = await Promise.all(writes);
    expect(saved.map((s) => s.saved.version).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(a.historyVersions('shared')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const notes = a.historyVersions('shared').map((v) => YAML.parse(readFileSync(join(dir, '.history', 'shared', `${v}.yaml`), 'utf8')).description);
    expect(notes.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `write ${i}`).sort());
    // No temp or lock files left behind.
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(join(dir, '.locks'))).toEqual([]);
  });

  it('the same expected version through two stores: one wins, the other conflicts', async () => {
    const a = new RuleSetStore(dir);
    await a.save(def('x', 'first'), 'absent');
    const results = await Promise.allSettled([a.save(def('x', 'from a'), { version: 1 }), new RuleSetStore(dir).save(def('x', 'from b'), { version: 1 })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(StoreConflict);
    expect((rejected.reason as StoreConflict).currentVersion).toBe(2);
  });

  it('breaks a stale lock left by a writer that died, and waits for a fresh one', async () => {
    const store = new RuleSetStore(dir);
    mkdirSync(join(dir, '.locks'));
    const lock = join(dir, '.locks', 'x.lock');
    writeFileSync(lock, '99999 dead\n');
    const old = (Date.now() - STALE_LOCK_MS - 1000) / 1000;
    utimesSync(lock, old, old);
    await expect(store.save(def('x', 'after a crash'), undefined)).resolves.toMatchObject({ created: true });

    writeFileSync(lock, `${process.pid} alive\n`);
    let done = false;
    const waiting = store.save(def('x', 'waits'), undefined).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(done).toBe(false); // a live lock is respected
    rmSync(lock);
    await waiting;
    expect(YAML.parse(readFileSync(join(dir, 'x.yaml'), 'utf8'))).toMatchObject({ version: 2, description: 'waits' });
  });

  it('a hand edit that breaks the file loses no saved version', async () => {
    const store = new RuleSetStore(dir);
    await store.save(def('h', 'saved'), undefined);
    writeFileSync(join(dir, 'h.yaml'), 'id: h\nrules: [ {\n');
    expect(store.versions('h')).toEqual([expect.objectContaining({ version: 1, current: false })]);
    expect(store.versionText('h', 1)).toMatch(/saved/);
    // Saving over the broken file keeps the broken text too, under the next number.
    await store.save(def('h', 'repaired'), undefined);
    expect(readdirSync(join(dir, '.history', 'h')).sort()).toEqual(['1.yaml', '2.yaml', '3.yaml']);
    expect(readFileSync(join(dir, '.history', 'h', '2.yaml'), 'utf8')).toMatch(/rules: \[ \{/);
  });

  it('keeps a JSON set as JSON, and a hand edit that reused a version number does not overwrite history', async () => {
    writeFileSync(join(dir, 'j.json'), JSON.stringify(def('j', 'hand written')));
    const store = new RuleSetStore(dir);
    await store.save(def('j', 'saved'), { version: 1 });
    expect(JSON.parse(readFileSync(join(dir, 'j.json'), 'utf8'))).toMatchObject({ version: 2, description: 'saved' });
    expect(readFileSync(join(dir, '.history', 'j', '1.yaml'), 'utf8')).toMatch(/hand written/);
  });
});

describe('watchDir', () => {
  it('notices a change by polling when no file event comes (a network volume)', async () => {
    let changes = 0;
    // fs.watch would see the write at once; a poll of 100 ms proves the fallback alone finds it.
    const stop = watchDir(dir, { pollMs: 100, debounceMs: 10, onChange: () => changes++ });
    try {
      // Polls run whether or not anything changed: wait for two of them (a loaded machine delays
      // timers, so no count is promised by a given moment; the bound only stops a hang).
      for (const until = Date.now() + 10_000; changes < 2 && Date.now() < until;) await new Promise((r) => setTimeout(r, 50));
      expect(changes).toBeGreaterThanOrEqual(2);
    } finally {
      stop();
    }
    const after = changes;
    await new Promise((r) => setTimeout(r, 250));
    expect(changes).toBe(after); // stopped means stopped
  });
});
