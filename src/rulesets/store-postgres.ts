/**
 * Rule sets in PostgreSQL (DECLUTTER_STORE=postgres://...), for several replicas that write
 * through the API. Every version is a row of `declutter_ruleset_versions`; `declutter_rulesets`
 * says which one is current (migrations/001_rulesets.sql).
 *
 * - A save is one transaction holding a per-set advisory lock: it reads the current version,
 *   checks If-Match against it, writes the next version and sends NOTIFY. Two saves with the same
 *   If-Match queue on the lock, and the second finds the version moved: exactly one wins.
 * - Every replica keeps the current sets in memory (what the registry compiles and serves) and
 *   LISTENs on one connection of its own: a notification makes it re-read them, so a save through
 *   one replica is live on all within milliseconds.
 * - When the database goes away, the last sets read stay live (cleaning never depends on the
 *   database), saves answer 503 store-unavailable, and the listener reconnects with a short
 *   backoff, re-reading everything once it is back (notifications sent meanwhile are lost).
 *
 * Model files (`models/*.yaml`, written by `declutter train`) stay in the rules directory.
 */
import { Client, Pool, type ClientConfig, type PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { RuleSetDef } from '../engine';
import { migrate } from './migrate';
import { scanModels, withSignature, type DirScan } from './scan';
import { checkExpectation, StoreUnavailable, type SetStore, type StoreHealth } from './set-store';
import { StoreBusy, type Expectation, type StoredVersion } from './store';
import { readSetsForImport, type ExportedSet, type ImportedSet, type ImportOutcome } from './transfer';
import { watchDir, type WatchOptions } from './watcher';
import { editYaml, renderYaml } from './yaml-edit';

export const CHANNEL = 'declutter_rulesets';
/** First key of the per-set write locks (the second is the id's hash); beside MIGRATION_LOCK. */
const WRITE_LOCK = 332588838;

/** 2 s: a database that does not accept a connection by then is down for this request's purposes; the client is told to retry. */
const CONNECT_TIMEOUT_MS = 2000;
/** 5 s, like the file store's lock wait: a save waiting longer for another save of the same set gives up (503 ruleset-busy). */
const STATEMENT_TIMEOUT_MS = 5000;
/** A query that gets no answer at all (a half-open connection) is given up after this. */
const QUERY_TIMEOUT_MS = 10_000;
/** How often the listening connection is checked: a connection cut without a FIN shows up only when used. */
const HEARTBEAT_MS = 5000;
/** Reconnect backoff: from 100 ms doubling to 1 s, so a database back up is noticed within about a second. */
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 1000;
/** Notifications of a burst of saves (an import) collapse into one re-read. */
const REFRESH_DEBOUNCE_MS = 20;

export interface PostgresStoreOptions {
  /** The rules directory: its `models/` are the models sets name; an empty store is seeded from its sets. */
  rulesDir: string;
  /** Seed an empty store (no set ever saved) from `rulesDir` (default true). */
  seed?: boolean;
  logger?: Logger;
}

interface CurrentSet {
  version: number;
  body: string;
  savedAt: string;
}

/** The URL as logs and /readyz show it: no user, no password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'postgres (unparsable URL)';
  }
}

const CONNECTION_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

/** A failure of the connection rather than of the statement: the database is down, restarting or full. */
export function isConnectionError(e: unknown): boolean {
  const err = e as { code?: unknown; severity?: unknown };
  // Errors the server sent carry a severity; anything else (refused, reset, timed out) is the connection's.
  if (typeof err?.severity !== 'string') return true;
  return typeof err.code === 'string' && (err.code.startsWith('08') || CONNECTION_CODES.has(err.code));
}

function asStoreError(e: unknown, what: string): unknown {
  if (e instanceof Error && (e.name === 'StoreConflict' || e.name === 'RuleSetError')) return e;
  const code = (e as { code?: unknown })?.code;
  // Statement timeout or lock timeout: another save of the same set holds its lock.
  if (code === '57014' || code === '55P03') return new StoreBusy(`${what}: another save of the same rule set took too long (${(e as Error).message})`);
  if (isConnectionError(e)) return new StoreUnavailable(`${what}: the rule-set store cannot be reached (${(e as Error)?.message ?? String(e)})`);
  return e;
}

export class PostgresSetStore implements SetStore {
  readonly kind = 'postgres';
  readonly where: string;
  private readonly pool: Pool;
  private readonly logger: Logger | undefined;
  private cache = new Map<string, CurrentSet>();
  private listener: Client | undefined;
  private down: { since: Date; error: string } | undefined = { since: new Date(), error: 'not connected yet' };
  private migrated = false;
  private closed = false;
  private backoff = RECONNECT_MIN_MS;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  /** Counts saves and deletes of this process: a re-read that started before one is stale. */
  private localWrites = 0;
  private readonly subscribers = new Set<() => void>();

  private constructor(
    private readonly url: string,
    private readonly options: PostgresStoreOptions,
  ) {
    this.where = describeUrl(url);
    this.logger = options.logger;
    this.pool = new Pool({ ...this.config(STATEMENT_TIMEOUT_MS), max: 4, idleTimeoutMillis: 10_000 });
    // An idle connection the database closed (a restart) reports here; without a handler it would crash the process.
    this.pool.on('error', (err) => this.logger?.warn({ err: err.message }, 'rule-set store: an idle connection failed'));
    this.heartbeat = setInterval(() => this.checkListener(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /**
   * Connects, applies the migrations, seeds an empty store, reads the sets and starts listening.
   * Resolves after the first attempt, whether or not the database answered: if it did not, the
   * store keeps trying in the background and has no sets until it does.
   */
  static async open(url: string, options: PostgresStoreOptions): Promise<PostgresSetStore> {
    const store = new PostgresSetStore(url, options);
    await store.connect();
    return store;
  }

  private config(statementTimeout: number): ClientConfig {
    return {
      connectionString: this.url,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
      statement_timeout: statementTimeout,
      keepAlive: true,
      application_name: 'declutter',
    };
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    // The migrations may wait for another replica's: no statement timeout on this connection.
    const client = new Client({ ...this.config(0), query_timeout: undefined });
    client.on('error', (err) => this.lost(client, err));
    try {
      await client.connect();
      if (!this.migrated) {
        const applied = await migrate(client, undefined, () => this.seedIfEmpty());
        if (applied.length) this.logger?.info({ applied }, 'rule-set store: migrations applied');
        this.migrated = true;
      }
      client.on('notification', () => this.scheduleRefresh());
      client.on('end', () => this.lost(client, new Error('the listening connection closed')));
      await client.query(`LISTEN ${CHANNEL}`);
      this.listener = client;
      // After LISTEN: a save committed from here on is either in this read or notified after it.
      await this.refresh();
      if (this.closed) return void client.end().catch(() => undefined);
      this.up();
    } catch (err) {
      if (this.listener === client) this.listener = undefined;
      client.removeAllListeners();
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      this.markDown(err);
      this.scheduleReconnect();
    }
  }

  private lost(client: Client, err: unknown): void {
    // Errors of a connection not yet (or no longer) the listener are the connect attempt's to handle.
    if (this.listener !== client) return;
    this.listener = undefined;
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    this.markDown(err);
    this.scheduleReconnect();
  }

  private checkListener(): void {
    const client = this.listener;
    if (!client) return;
    client.query('SELECT 1').catch((err: unknown) => this.lost(client, err));
  }

  private markDown(err: unknown): void {
    const error = (err as Error)?.message ?? String(err);
    if (this.closed) return;
    if (!this.down || this.down.error === 'not connected yet') {
      this.logger?.error({ store: this.where, err: error }, 'rule-set store unreachable: the last sets read stay live, saves answer 503');
    }
    this.down = { since: this.down?.since ?? new Date(), error };
  }

  private up(): void {
    if (this.down && this.down.error !== 'not connected yet') this.logger?.info({ store: this.where }, 'rule-set store reachable again');
    this.down = undefined;
    this.backoff = RECONNECT_MIN_MS;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, this.backoff);
    this.reconnectTimer.unref();
    this.backoff = Math.min(this.backoff * 2, RECONNECT_MAX_MS);
  }

  private scheduleRefresh(): void {
    if (this.closed) return;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refresh().catch((err: unknown) => this.logger?.warn({ err: (err as Error).message }, 'rule-set store: re-reading the sets failed'));
    }, REFRESH_DEBOUNCE_MS);
    this.refreshTimer.unref();
  }

  /** Re-reads the current sets; one read at a time, and a read that overlapped a local write is done again. */
  private refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      try {
        do {
          this.refreshAgain = false;
          const writes = this.localWrites;
          const { rows } = await this.pool.query<{ id: string; version: number; body: string; saved_at: Date }>(
            'SELECT r.id, r.version, v.body, v.saved_at FROM declutter_rulesets r JOIN declutter_ruleset_versions v USING (id, version)',
          );
          if (writes !== this.localWrites) {
            this.refreshAgain = true;
            continue;
          }
          const next = new Map(rows.map((r) => [r.id, { version: r.version, body: r.body, savedAt: r.saved_at.toISOString() }]));
          const same = next.size === this.cache.size && [...next].every(([id, s]) => this.cache.get(id)?.version === s.version);
          if (!same) this.replaceCache(next);
        } while (this.refreshAgain);
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  private replaceCache(next: Map<string, CurrentSet>): void {
    this.cache = next;
    for (const notify of this.subscribers) notify();
  }

  private async seedIfEmpty(): Promise<void> {
    if (this.options.seed === false) return;
    const { rows } = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM declutter_ruleset_versions');
    if (Number(rows[0].n) > 0) return;
    const { sets, refused } = readSetsForImport(this.options.rulesDir);
    const outcomes = await this.importSets(sets);
    this.logger?.info(
      { from: this.options.rulesDir, rulesets: outcomes.map((o) => `${o.id}@${o.version}`), refused },
      'rule-set store was empty: seeded from the rules directory',
    );
  }

  /** Runs `work` in a transaction; `after` runs once it committed (the local cache follows the write at once). */
  private async transaction<T>(what: string, work: (c: PoolClient) => Promise<{ result: T; after?: () => void }>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw asStoreError(e, what);
    }
    let broken = false;
    try {
      await client.query('BEGIN');
      const { result, after } = await work(client);
      await client.query('COMMIT');
      this.localWrites++;
      after?.();
      return result;
    } catch (e) {
      broken = isConnectionError(e);
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw asStoreError(e, what);
    } finally {
      client.release(broken);
    }
  }

  private async current(c: PoolClient, id: string): Promise<{ version: number; body: string } | undefined> {
    await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [WRITE_LOCK, id]);
    const { rows } = await c.query<{ version: number; body: string }>(
      'SELECT r.version, v.body FROM declutter_rulesets r JOIN declutter_ruleset_versions v USING (id, version) WHERE r.id = $1',
      [id],
    );
    return rows[0];
  }

  private async highestVersion(c: PoolClient, id: string): Promise<number> {
    const { rows } = await c.query<{ max: number | null }>('SELECT max(version) AS max FROM declutter_ruleset_versions WHERE id = $1', [id]);
    return rows[0].max ?? 0;
  }

  private async writeVersion(c: PoolClient, id: string, version: number, body: string): Promise<string> {
    const { rows } = await c.query<{ saved_at: Date }>('INSERT INTO declutter_ruleset_versions (id, version, body) VALUES ($1, $2, $3) RETURNING saved_at', [
      id,
      version,
      body,
    ]);
    await c.query('INSERT INTO declutter_rulesets (id, version) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version', [id, version]);
    await c.query('SELECT pg_notify($1, $2)', [CHANNEL, `${id}@${version}`]);
    return rows[0].saved_at.toISOString();
  }

  private setCached(id: string, entry: CurrentSet | undefined): void {
    const next = new Map(this.cache);
    if (entry) next.set(id, entry);
    else next.delete(id);
    this.replaceCache(next);
  }

  scan(): DirScan {
    const files = [...this.cache]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, s]) => ({ file: `${this.where}/${id}.yaml`, stamp: `${s.version}@${s.savedAt}`, text: () => s.body }));
    return withSignature(files, scanModels(this.options.rulesDir));
  }

  exists(id: string): boolean {
    return this.cache.has(id);
  }

  async versions(id: string): Promise<StoredVersion[]> {
    try {
      const { rows } = await this.pool.query<{ version: number; saved_at: Date; current: boolean }>(
        `SELECT v.version, v.saved_at, coalesce(r.version = v.version, false) AS current
           FROM declutter_ruleset_versions v LEFT JOIN declutter_rulesets r ON r.id = v.id
          WHERE v.id = $1 ORDER BY v.version DESC`,
        [id],
      );
      return rows.map((r) => ({ version: r.version, savedAt: r.saved_at.toISOString(), current: r.current }));
    } catch (e) {
      throw asStoreError(e, `reading the versions of "${id}"`);
    }
  }

  async versionText(id: string, version: number): Promise<string | undefined> {
    try {
      const { rows } = await this.pool.query<{ body: string }>('SELECT body FROM declutter_ruleset_versions WHERE id = $1 AND version = $2', [id, version]);
      return rows[0]?.body;
    } catch (e) {
      throw asStoreError(e, `reading version ${version} of "${id}"`);
    }
  }

  save(def: RuleSetDef, expect: Expectation): Promise<{ saved: RuleSetDef; created: boolean }> {
    return this.transaction(`saving "${def.id}"`, async (c) => {
      const cur = await this.current(c, def.id);
      checkExpectation(def.id, cur?.version, cur !== undefined, expect);
      // After the highest version ever saved: a set deleted and created again never reuses a number.
      const version = Math.max(cur?.version ?? 0, await this.highestVersion(c, def.id)) + 1;
      const saved: RuleSetDef = { ...def, version };
      const body = cur ? editYaml(cur.body, saved) : renderYaml(saved);
      const savedAt = await this.writeVersion(c, def.id, version, body);
      return { result: { saved, created: !cur }, after: () => this.setCached(def.id, { version, body, savedAt }) };
    });
  }

  remove(id: string, expect: Expectation): Promise<number | undefined> {
    return this.transaction(`deleting "${id}"`, async (c) => {
      const cur = await this.current(c, id);
      checkExpectation(id, cur?.version, cur !== undefined, expect === undefined ? 'exists' : expect);
      await c.query('DELETE FROM declutter_rulesets WHERE id = $1', [id]);
      await c.query('SELECT pg_notify($1, $2)', [CHANNEL, `${id}@deleted`]);
      return { result: cur?.version, after: () => this.setCached(id, undefined) };
    });
  }

  /**
   * Imports sets read from a rules directory, each in a transaction of its own. A set keeps its
   * file's version when that is higher than any the store has (so its ETag survives the move),
   * else becomes the next version; a set whose text the store already has is left alone. Versions
   * of the file's history that the store lacks are added below it.
   */
  async importSets(sets: ImportedSet[]): Promise<ImportOutcome[]> {
    const outcomes: ImportOutcome[] = [];
    for (const set of sets) {
      outcomes.push(
        await this.transaction<ImportOutcome>(`importing "${set.id}"`, async (c) => {
          const cur = await this.current(c, set.id);
          const highest = Math.max(cur?.version ?? 0, await this.highestVersion(c, set.id));
          const version = set.def.version > highest ? set.def.version : highest + 1;
          const text = set.yaml ?? renderYaml(set.def);
          const body = version === set.def.version ? text : editYaml(text, { ...set.def, version });
          if (cur && (cur.body === text || cur.body === body)) return { result: { id: set.id, version: cur.version, outcome: 'unchanged' as const } };
          const { rows } = await c.query<{ version: number }>('SELECT version FROM declutter_ruleset_versions WHERE id = $1', [set.id]);
          const have = new Set(rows.map((r) => r.version));
          for (const h of set.history) {
            if (h.version < version && !have.has(h.version)) {
              await c.query('INSERT INTO declutter_ruleset_versions (id, version, body) VALUES ($1, $2, $3)', [set.id, h.version, h.text]);
            }
          }
          const savedAt = await this.writeVersion(c, set.id, version, body);
          return {
            result: { id: set.id, version, outcome: cur ? ('updated' as const) : ('created' as const) },
            after: () => this.setCached(set.id, { version, body, savedAt }),
          };
        }),
      );
    }
    return outcomes;
  }

  /** Every set with every version, for `declutter rulesets export`. */
  async exportSets(): Promise<ExportedSet[]> {
    try {
      const { rows } = await this.pool.query<{ id: string; version: number; body: string; current: boolean }>(
        `SELECT v.id, v.version, v.body, coalesce(r.version = v.version, false) AS current
           FROM declutter_ruleset_versions v LEFT JOIN declutter_rulesets r ON r.id = v.id
          ORDER BY v.id, v.version`,
      );
      const sets = new Map<string, ExportedSet>();
      for (const r of rows) {
        const set = sets.get(r.id) ?? { id: r.id, current: undefined, versions: [] };
        set.versions.push({ version: r.version, body: r.body });
        if (r.current) set.current = { version: r.version, body: r.body };
        sets.set(r.id, set);
      }
      return [...sets.values()];
    } catch (e) {
      throw asStoreError(e, 'exporting the rule sets');
    }
  }

  /** Resolves once the sets have been read from the database (or `ms` passed): for tools that must not see an empty store. */
  async ready(ms: number): Promise<boolean> {
    for (const until = Date.now() + ms; this.down && Date.now() < until;) await new Promise((r) => setTimeout(r, 50));
    return !this.down;
  }

  watch(options: WatchOptions): () => void {
    const { onChange, logger } = options;
    const notify = () => {
      try {
        onChange();
      } catch (err) {
        logger?.error({ err }, 'rule sets could not be reloaded');
      }
    };
    this.subscribers.add(notify);
    // The models stay files: a retrained model is picked up as in the file store.
    const stopModels = watchDir(this.options.rulesDir, options);
    return () => {
      this.subscribers.delete(notify);
      stopModels();
    };
  }

  health(): StoreHealth {
    const h: StoreHealth = { kind: 'postgres', where: this.where, reachable: !this.down };
    if (this.down) Object.assign(h, { since: this.down.since.toISOString(), error: this.down.error });
    return h;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.refreshTimer);
    const listener = this.listener;
    this.listener = undefined;
    if (listener) {
      listener.removeAllListeners();
      listener.on('error', () => undefined);
      await listener.end().catch(() => undefined);
    }
    await this.refreshing?.catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}
