/**
 * A small tmpfs to fill up: saves on a full disk, for real. Mounting needs root (CI runs as
 * root); elsewhere the tests that use it are skipped, and say so.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  dir: string;
  /** Fills the disk with a filler file until only `bytes` (rounded to blocks) are left. */
  fillLeaving(bytes: number): void;
  /** Removes the filler. */
  free(): void;
  /** Bytes still free. */
  available(): number;
  unmount(): void;
}

/** A tmpfs of `size` (e.g. "256k"), or the reason it could not be mounted. */
export function mountSmallDisk(size = '256k'): SmallDisk | string {
  const dir = mkdtempSync(join(tmpdir(), 'declutter-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    rmdirSync(dir);
    return `cannot mount a tmpfs here (${((e as { stderr?: Buffer }).stderr?.toString() || (e as Error).message).trim()}); needs root`;
  }
  const filler = join(dir, '.filler');
  const available = () => {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  };
  const free = () => {
    try {
      unlinkSync(filler);
    } catch {
      /* none yet */
    }
  };
  return {
    dir,
    available,
    free,
    fillLeaving(bytes) {
      free();
      const fd = openSync(filler, 'w');
      try {
        const block = Buffer.alloc(4096, 120);
        while (available() > bytes) writeSync(fd, block, 0, Math.min(block.length, available() - bytes));
      } finally {
        closeSync(fd);
      }
    },
    unmount() {
      execFileSync('umount', [dir]);
      rmdirSync(dir);
    },
  };
}
