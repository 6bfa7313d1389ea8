/**
 * Saves on a full disk (a 256 KiB tmpfs): refused with StoreFull, and the previous version stays
 * whole on disk, with no temp file and no history entry of the failed save left behind.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { RuleSetStore, StoreFull, writeFileAtomic } from '../../src/rulesets/store';
import { mountSmallDisk, type SmallDisk } from '../full-disk';

const disk = mountSmallDisk();
if (typeof disk === 'string') console.warn(`skipping the full-disk tests: ${disk}`);
const describeOnDisk = typeof disk === 'string' ? describe.skip : describe;

const def = (description: string) => ({ id: 'x', version: 1, description, rules: [] });
/** Every file below `dir`, dot files too. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => !f.startsWith('.filler'));
}

describeOnDisk('a full disk', () => {
  const d = disk as SmallDisk;
  let dir: string;
  let n = 0;
  beforeEach(() => {
    d.free();
    dir = join(d.dir, `rules-${n++}`);
    mkdirSync(dir);
  });
  afterAll(() => d.unmount());

  it('writeFileAtomic: refused with StoreFull, the old file whole, no temp file', () => {
    const file = join(dir, 'a.yaml');
    writeFileAtomic(file, 'old\n');
    d.fillLeaving(8192);
    expect(() => writeFileAtomic(file, 'n'.repeat(64 * 1024))).toThrow(StoreFull);
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['a.yaml']);
  });

  it('a save that does not fit: StoreFull; the file, its history and a new store still say version 1', async () => {
    const store = new RuleSetStore(dir);
    await store.save(def('first'), undefined);
    const before = readFileSync(join(dir, 'x.yaml'), 'utf8');
    const filesBefore = files(dir).sort();
    d.fillLeaving(16 * 1024);
    await expect(store.save(def('y'.repeat(100 * 1024)), { version: 1 })).rejects.toBeInstanceOf(StoreFull);
    expect(readFileSync(join(dir, 'x.yaml'), 'utf8')).toBe(before);
    expect(files(dir).sort()).toEqual(filesBefore); // no .tmp, no .history/x/2.yaml, no lock
    const restarted = new RuleSetStore(dir);
    expect(restarted.currentFile('x')?.version).toBe(1);
    expect(restarted.versions('x').map((v) => v.version)).toEqual([1]);
    d.free();
    await expect(restarted.save(def('z'.repeat(100 * 1024)), { version: 1 })).resolves.toMatchObject({ saved: { version: 2 } });
  });

  it('room for the history entry but not the file: the entry is taken back', async () => {
    const store = new RuleSetStore(dir);
    await store.save(def('first'), undefined);
    const big = def('h'.repeat(60 * 1024));
    d.fillLeaving(90 * 1024); // one copy of the new text fits, two do not
    await expect(store.save(big, { version: 1 })).rejects.toBeInstanceOf(StoreFull);
    expect(existsSync(join(dir, '.history', 'x', '2.yaml'))).toBe(false);
    expect(YAML.parse(readFileSync(join(dir, 'x.yaml'), 'utf8'))).toMatchObject({ version: 1, description: 'first' });
    expect(files(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
