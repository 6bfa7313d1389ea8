/**
 * Applies the plain SQL files of `migrations/` (shipped with the package) in name order, each
 * once, each in its own transaction. Every replica runs this at start: a session advisory lock
 * makes the others wait while one applies them, and `declutter_migrations` records what is done,
 * so running it again changes nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClientBase } from 'pg';

export const MIGRATIONS_DIR = resolve(__dirname, '..', '..', 'migrations');

/** The advisory-lock key of migrations: "declutter" on a phone keypad, a constant no other application is likely to take. */
export const MIGRATION_LOCK = 332588837;

/**
 * Answers the names of the files applied now (empty when all were applied before). `then` runs
 * while the lock is still held (seeding an empty store: one replica does it, the others see it done).
 */
export async function migrate(client: ClientBase, dir: string = MIGRATIONS_DIR, then?: () => Promise<void>): Promise<string[]> {
  const files = readdirSync(dir)
    .filter((n) => /^\d+_[a-z0-9_]+\.sql$/.test(n))
    .sort();
  const applied: string[] = [];
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS declutter_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await client.query<{ name: string }>('SELECT name FROM declutter_migrations')).rows.map((r) => r.name));
    for (const name of files) {
      if (done.has(name)) continue;
      await client.query('BEGIN');
      try {
        await client.query(readFileSync(join(dir, name), 'utf8'));
        await client.query('INSERT INTO declutter_migrations (name) VALUES ($1)', [name]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new Error(`migration ${name} failed: ${(e as Error).message}`, { cause: e });
      }
      applied.push(name);
    }
    await then?.();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
  }
  return applied;
}
