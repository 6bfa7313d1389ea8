/**
 * The rules directory as a versioned store. Every write
 * - holds the set's lock file (`.locks/<id>.lock`, created with O_EXCL), so two processes sharing
 *   the directory never write the same set at once;
 * - re-reads the version on disk under that lock and compares it with the one the caller expected
 *   (the ETag it sent), so a write based on a stale read is refused instead of lost;
 * - keeps every version in `.history/<id>/<version>.yaml` (the one it replaces, when that was a
 *   hand edit, and the one it writes);
 * - writes the new file beside the old one (temp file written in full, fsync, rename, fsync of
 *   the directory), so a reader sees the old file or the new one, never half of one, and a full
 *   disk (StoreFull) leaves the old one in place with no temp file and no history entry behind;
 * - changes only what changed in a YAML file (yaml-edit.ts): comments and layout stay.
 * Within one process, writes to the same id also queue behind each other (the lock then never
 * has to be waited for by the same process).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { extname, join } from 'node:path';
import YAML from 'yaml';
import type { RuleSetDef } from '../engine';
import { parseRuleSetText } from './load';
import { editYaml, renderYaml } from './yaml-edit';

export const HISTORY_DIR = '.history';
export const LOCKS_DIR = '.locks';
const EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * A lock older than 10 s belongs to a process that died mid-write: a write takes milliseconds
 * (one small file, one fsync), so even a slow network volume stays far below that.
 */
export const STALE_LOCK_MS = 10_000;
/** How long a writer waits for another process's lock before giving up: a few stale-lock periods' worth of retries would be too long for an HTTP request; 5 s is plenty for a live writer. */
export const LOCK_WAIT_MS = 5_000;
/** Retry step while waiting for a lock: short next to a write, long enough not to spin. */
const LOCK_RETRY_MS = 15;

/** What a write expects to find on disk: a version, "exists" (If-Match: *), "absent" (If-None-Match: *), or anything. */
export type Expectation = { version: number } | 'exists' | 'absent' | undefined;

export class StoreConflict extends Error {
  constructor(
    message: string,
    readonly currentVersion: number | undefined,
  ) {
    super(message);
    this.name = 'StoreConflict';
  }
}

export class StoreBusy extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreBusy';
  }
}

export interface StoredVersion {
  version: number;
  savedAt: string;
  current: boolean;
}

export interface CurrentFile {
  file: string;
  text: string;
  /** The version the file says; undefined when it does not parse (a broken hand edit). */
  version: number | undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Errors that say the volume has no room (or no quota) left for the write. */
const FULL = new Set(['ENOSPC', 'EDQUOT']);

/** A write the disk had no room for; nothing was changed (the previous version is still the one on disk). */
export class StoreFull extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreFull';
  }
}

export function isDiskFull(e: unknown): boolean {
  return e instanceof StoreFull || FULL.has((e as NodeJS.ErrnoException)?.code ?? '');
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}

/**
 * Writes `text` to `path` so that readers see either the old file or the whole new one, and so
 * that the new one survives a crash once this returns. On any failure the temp file is removed
 * and the file at `path` is untouched; a full disk throws StoreFull.
 */
export function writeFileAtomic(path: string, text: string): void {
  const dir = path.slice(0, path.lastIndexOf('/'));
  const name = path.slice(path.lastIndexOf('/') + 1);
  // A leading dot keeps the temp file out of the loader and the watcher's way.
  const temp = join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(temp, 'wx');
    try {
      // writeSync may write less than asked (a nearly full disk writes what fits, then fails on the rest).
      const bytes = Buffer.from(text, 'utf8');
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (e) {
    removeQuietly(temp);
    if (FULL.has((e as NodeJS.ErrnoException).code ?? '')) throw new StoreFull(`no space left to write ${name}: ${(e as Error).message}`);
    throw e;
  }
  fsyncDir(dir);
}

/** Makes a rename durable; some file systems cannot open a directory, and then there is nothing more to do. */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // not supported here
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export class RuleSetStore {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(readonly dir: string) {}

  /** The file holding set `id`, if any (`.yaml` first, as the loader reads them all). */
  currentFile(id: string): CurrentFile | undefined {
    for (const ext of EXTENSIONS) {
      const file = join(this.dir, `${id}${ext}`);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      let version: number | undefined;
      try {
        version = parseRuleSetText(text, file).version;
      } catch {
        // A file that does not validate may still say its version: it is replaced like any other.
        try {
          const raw = (ext === '.json' ? JSON.parse(text) : YAML.parse(text)) as { version?: unknown };
          version = Number.isInteger(raw?.version) ? (raw.version as number) : undefined;
        } catch {
          version = undefined;
        }
      }
      return { file, text, version };
    }
    return undefined;
  }

  private historyDir(id: string): string {
    return join(this.dir, HISTORY_DIR, id);
  }

  /** Versions kept in history, oldest first. */
  historyVersions(id: string): number[] {
    let names: string[];
    try {
      names = readdirSync(this.historyDir(id));
    } catch {
      return [];
    }
    return names.flatMap((n) => (/^\d+\.yaml$/.test(n) ? [Number(n.slice(0, -5))] : [])).sort((a, b) => a - b);
  }

  /** Every version of a set, newest first; the file's own version is `current`. */
  versions(id: string): StoredVersion[] {
    const out = new Map<number, StoredVersion>();
    for (const v of this.historyVersions(id)) {
      out.set(v, { version: v, savedAt: statSync(join(this.historyDir(id), `${v}.yaml`)).mtime.toISOString(), current: false });
    }
    const cur = this.currentFile(id);
    if (cur?.version !== undefined) out.set(cur.version, { version: cur.version, savedAt: statSync(cur.file).mtime.toISOString(), current: true });
    return [...out.values()].sort((a, b) => b.version - a.version);
  }

  /** The text of one version: the current file when it is that version, else the history. */
  versionText(id: string, version: number): string | undefined {
    const cur = this.currentFile(id);
    if (cur && cur.version === version) return cur.text;
    try {
      return readFileSync(join(this.historyDir(id), `${version}.yaml`), 'utf8');
    } catch {
      return undefined;
    }
  }

  /**
   * Saves `def` as the next version of its set; answers the saved definition. The version is the
   * highest one seen (current file or history, so a set deleted and created again never reuses a
   * number) plus one.
   */
  save(def: RuleSetDef, expect: Expectation): Promise<{ saved: RuleSetDef; created: boolean }> {
    return this.serialised(def.id, () =>
      this.withLock(def.id, () => {
        const cur = this.currentFile(def.id);
        this.check(def.id, cur, expect);
        // Kept first: a file without a readable version takes the next number in history, and the
        // new version comes after it.
        if (cur) this.keep(def.id, cur.version, cur.text);
        const version = Math.max(cur?.version ?? 0, this.historyVersions(def.id).at(-1) ?? 0) + 1;
        const saved: RuleSetDef = { ...def, version };
        // The set keeps its file name and format when it has one; new sets are YAML (reviewable).
        // A YAML file is edited where the set changed, so its comments and layout survive the save.
        const file = cur?.file ?? join(this.dir, `${def.id}.yaml`);
        const text = extname(file) === '.json' ? `${JSON.stringify(saved, null, 2)}\n` : cur ? editYaml(cur.text, saved) : renderYaml(saved);
        // History holds every saved version, the current one too: a later hand edit of the file
        // (or a broken one) cannot take a version with it. Written before the file, and taken
        // back when the file cannot be written, so a failed save leaves no trace in either.
        const entry = this.keep(def.id, version, text);
        try {
          writeFileAtomic(file, text);
        } catch (e) {
          if (entry) removeQuietly(entry);
          throw e;
        }
        return { saved, created: !cur };
      }),
    );
  }

  /** Moves the set's file to history; answers the version removed. */
  remove(id: string, expect: Expectation): Promise<number | undefined> {
    return this.serialised(id, () =>
      this.withLock(id, () => {
        const cur = this.currentFile(id);
        this.check(id, cur, expect === undefined ? 'exists' : expect);
        this.keep(id, cur!.version, cur!.text);
        unlinkSync(cur!.file);
        fsyncDir(this.dir);
        return cur!.version;
      }),
    );
  }

  private check(id: string, cur: CurrentFile | undefined, expect: Expectation): void {
    if (expect === undefined) return;
    if (expect === 'absent') {
      if (cur) throw new StoreConflict(`rule set "${id}" exists (version ${cur.version ?? '?'})`, cur.version);
    } else if (!cur) {
      throw new StoreConflict(`rule set "${id}" does not exist (any more)`, undefined);
    } else if (expect !== 'exists' && cur.version !== expect.version) {
      throw new StoreConflict(`rule set "${id}" is at version ${cur.version ?? '?'}, not ${expect.version}: another write came first`, cur.version);
    }
  }

  /**
   * Copies a version's text into history (a file without a version gets the next free number).
   * Answers the file it wrote, or undefined when history already held that text.
   */
  private keep(id: string, fileVersion: number | undefined, text: string): string | undefined {
    const dir = this.historyDir(id);
    mkdirSync(dir, { recursive: true });
    const version = fileVersion ?? (this.historyVersions(id).at(-1) ?? 0) + 1;
    const target = join(dir, `${version}.yaml`);
    let existing: string | undefined;
    try {
      existing = readFileSync(target, 'utf8');
    } catch {
      existing = undefined;
    }
    if (existing === text) return undefined;
    // A hand edit that kept the number but changed the text must not overwrite what history holds.
    const path = existing === undefined ? target : join(dir, `${version}-${Date.now()}.yaml.orig`);
    writeFileAtomic(path, text);
    return path;
  }

  /** Runs `task` after every earlier task on the same id of this process has finished. */
  private serialised<T>(id: string, task: () => Promise<T>): Promise<T> {
    const before = this.queues.get(id) ?? Promise.resolve();
    const run = before.then(task, task);
    const tail = run.catch(() => undefined);
    this.queues.set(id, tail);
    void tail.then(() => {
      if (this.queues.get(id) === tail) this.queues.delete(id);
    });
    return run;
  }

  /** Holds `.locks/<id>.lock` (shared with other processes) while `task` runs. */
  private async withLock<T>(id: string, task: () => T): Promise<T> {
    const dir = join(this.dir, LOCKS_DIR);
    mkdirSync(dir, { recursive: true });
    const lock = join(dir, `${id}.lock`);
    const deadline = Date.now() + LOCK_WAIT_MS;
    let fd: number | undefined;
    while (fd === undefined) {
      try {
        fd = openSync(lock, 'wx');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        if (this.breakStaleLock(lock)) continue;
        if (Date.now() > deadline) throw new StoreBusy(`rule set "${id}" is being written by another process (lock ${lock})`);
        await sleep(LOCK_RETRY_MS);
      }
    }
    try {
      writeSync(fd, `${process.pid} ${new Date().toISOString()}\n`);
      return task();
    } finally {
      closeSync(fd);
      try {
        unlinkSync(lock);
      } catch {
        // broken as stale by another process: nothing of ours to remove
      }
    }
  }

  /**
   * Two processes may both find the same stale lock; the window is one stat-to-unlink after a
   * writer died mid-write, and the version check under the lock still catches most such races.
   */
  private breakStaleLock(lock: string): boolean {
    try {
      if (Date.now() - statSync(lock).mtimeMs < STALE_LOCK_MS) return false;
      unlinkSync(lock);
      return true;
    } catch {
      // released meanwhile: try again at once
      return true;
    }
  }
}
