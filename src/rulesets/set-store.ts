/**
 * What the registry needs from wherever rule sets are kept: the sets as they are now (read at
 * once, from disk or from a cache the store keeps fresh), their versions, saves and deletes with
 * If-Match semantics, and a call when something changed. Two stores implement it: the rules
 * directory (store-files.ts, the default) and PostgreSQL (store-postgres.ts, for several
 * replicas that write through the API).
 */
import type { RuleSetDef } from '../engine';
import type { DirScan } from './scan';
import { StoreConflict, type Expectation, type StoredVersion } from './store';
import type { WatchOptions } from './watcher';

export type StoreKind = 'files' | 'postgres';

/** Thrown when the store cannot be reached (a database down or restarting): the request may be sent again later. */
export class StoreUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnavailable';
  }
}

export interface StoreHealth {
  kind: StoreKind;
  /** Where the sets are: a directory, or a database URL without its password. */
  where: string;
  reachable: boolean;
  /** When it stopped answering (ISO time), and why. */
  since?: string;
  error?: string;
}

export interface SetStore {
  readonly kind: StoreKind;
  readonly where: string;
  /**
   * The rule sets and the model files as they are now. Synchronous: the registry swaps a whole
   * snapshot in at once. An entry's `file` ends in `<id>.yaml` (or .yml, .json).
   */
  scan(): DirScan;
  /** A current set of that id exists (loaded or not). */
  exists(id: string): boolean;
  /** Every version of a set, newest first, including those of a deleted set. */
  versions(id: string): Promise<StoredVersion[]>;
  versionText(id: string, version: number): Promise<string | undefined>;
  /** Saves the next version; throws StoreConflict when `expect` does not hold, StoreBusy, StoreUnavailable. */
  save(def: RuleSetDef, expect: Expectation): Promise<{ saved: RuleSetDef; created: boolean }>;
  /** Removes the current set (history stays); answers the version removed. */
  remove(id: string, expect: Expectation): Promise<number | undefined>;
  /** Calls `onChange` when the sets may have changed; answers a function that stops. */
  watch(options: WatchOptions): () => void;
  health(): StoreHealth;
  close(): Promise<void>;
}

/** The If-Match / If-None-Match check every store makes under its write lock. */
export function checkExpectation(id: string, current: number | undefined, exists: boolean, expect: Expectation): void {
  if (expect === undefined) return;
  if (expect === 'absent') {
    if (exists) throw new StoreConflict(`rule set "${id}" exists (version ${current ?? '?'})`, current);
  } else if (!exists) {
    throw new StoreConflict(`rule set "${id}" does not exist (any more)`, undefined);
  } else if (expect !== 'exists' && current !== expect.version) {
    throw new StoreConflict(`rule set "${id}" is at version ${current ?? '?'}, not ${expect.version}: another write came first`, current);
  }
}
