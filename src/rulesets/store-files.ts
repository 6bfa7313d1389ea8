/**
 * The rules directory as a SetStore: the versioned files of store.ts, read by scan.ts, watched
 * by watcher.ts. Always reachable: a directory that cannot be read shows as refused or not-ready
 * sets instead.
 */
import type { RuleSetDef } from '../engine';
import { scanDir, type DirScan } from './scan';
import type { SetStore, StoreHealth } from './set-store';
import { RuleSetStore, type Expectation, type StoredVersion } from './store';
import { watchDir, type WatchOptions } from './watcher';

export class FileSetStore implements SetStore {
  readonly kind = 'files';
  readonly files: RuleSetStore;

  constructor(readonly dir: string) {
    this.files = new RuleSetStore(dir);
  }

  get where(): string {
    return this.dir;
  }

  scan(): DirScan {
    return scanDir(this.dir);
  }

  exists(id: string): boolean {
    return this.files.currentFile(id) !== undefined;
  }

  async versions(id: string): Promise<StoredVersion[]> {
    return this.files.versions(id);
  }

  async versionText(id: string, version: number): Promise<string | undefined> {
    return this.files.versionText(id, version);
  }

  save(def: RuleSetDef, expect: Expectation): Promise<{ saved: RuleSetDef; created: boolean }> {
    return this.files.save(def, expect);
  }

  remove(id: string, expect: Expectation): Promise<number | undefined> {
    return this.files.remove(id, expect);
  }

  watch(options: WatchOptions): () => void {
    return watchDir(this.dir, options);
  }

  health(): StoreHealth {
    return { kind: 'files', where: this.dir, reachable: true };
  }

  async close(): Promise<void> {
    // nothing held open: the watcher is stopped by the function watch() answered
  }
}
