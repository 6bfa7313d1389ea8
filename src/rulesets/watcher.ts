/**
 * Noticing changes to the rules directory. fs.watch tells at once on a local disk; polling every
 * second catches what it misses (network volumes shared by replicas deliver no events, and
 * fs.watch can drop events under load). Both only schedule a check: bursts of events (an atomic
 * write is a create, a write and a rename) collapse into one after a short quiet period.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from 'pino';

export interface WatchOptions {
  /**
   * How often to poll. 1 s keeps a save on one replica visible on the others within 2 s
   * (one poll period plus the debounce and a reload) at the cost of one readdir and a stat per
   * file each second.
   */
  pollMs?: number;
  /** Quiet time after an event before checking: 50 ms covers the steps of one atomic write. */
  debounceMs?: number;
  onChange(): void;
  logger?: Logger;
}

export const DEFAULT_POLL_MS = 1000;
export const DEFAULT_DEBOUNCE_MS = 50;

/** Starts watching; answers a function that stops. */
export function watchDir(dir: string, options: WatchOptions): () => void {
  const { onChange, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const check = () => {
    timer = undefined;
    if (stopped) return;
    try {
      onChange();
    } catch (err) {
      // The directory may be briefly unreadable (a volume remounting): the next poll tries again.
      logger?.error({ err, dir }, 'rules directory could not be read');
    }
  };
  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(check, options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
    timer.unref();
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { persistent: false }, schedule);
    watcher.on('error', (err) => {
      logger?.warn({ err, dir }, 'watching the rules directory failed; polling only');
      watcher?.close();
    });
  } catch (err) {
    logger?.warn({ err, dir }, 'the rules directory cannot be watched; polling only');
  }
  const poll = setInterval(schedule, options.pollMs ?? DEFAULT_POLL_MS);
  poll.unref();

  return () => {
    stopped = true;
    clearTimeout(timer);
    clearInterval(poll);
    watcher?.close();
  };
}
