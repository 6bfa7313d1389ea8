/**
 * The rule sets a running service knows: read from a directory, compiled once, looked up by id or
 * by a page's host. All state sits in one immutable snapshot that is replaced whole, so a reader
 * never sees half of a reload, and a document that took a compiled set keeps it to the end
 * whatever is swapped in meanwhile.
 *
 * The registry is the one owner of that state: writes (save, remove) go through it, land in the
 * store (the rules directory, or PostgreSQL: set-store.ts), and come back in through the same
 * reload that picks up other processes' writes, so every replica sharing the store converges on it.
 */
import type { Logger } from 'pino';
import { createHash } from 'node:crypto';
import { compileRuleSet, resolveRules, type CompiledRuleSet, type RuleDefBase, type RuleSetDef } from '../engine';
import type { DeferredRuleSet, RequestError } from '../requests';
import { RULE_ID_PATTERN } from '../engine/schema';
import { capViolation, DEFAULT_RULESET_CAPS, type RuleSetCaps } from './caps';
import { checkWrite, compileInlineSet, USER_SETS, type StoredSets } from './checks';
import { parseRuleSetText } from './load';
import { MODELS_DIR, type ModelData } from './models';
import { compileHere, readSets, type ReadBase, type ReadInput, type ReadReply, type RefusedFile } from './read-sets';
import type { DirScan } from './scan';
import type { SetStore } from './set-store';
import type { Expectation, StoredVersion } from './store';
import { FileSetStore } from './store-files';
import type { WatchOptions } from './watcher';

export interface RuleSetSummary {
  id: string;
  version: number;
  description?: string;
  extends?: string;
  hosts: string[];
  /** Rules that run: the set's own plus inherited ones, less the disabled. */
  rules: number;
  /** The set's current ETag, for If-Match. */
  etag: string;
}

export type { RefusedFile } from './read-sets';

export interface ReloadOutcome {
  changed: boolean;
  refused: readonly RefusedFile[];
}

/**
 * Parses and compiles a reload's files somewhere else (read-sets.ts readSetsToSend, in a worker
 * thread); `failed` when that did not finish (over the time budget, a worker that died).
 */
export type SetReader = (base: ReadBase, input: ReadInput) => Promise<ReadReply | { failed: string }>;

/** An effective rule as GET /v1/rulesets/{id}?effective=true shows it. */
export type EffectiveRule = RuleDefBase & { enabled: boolean; from: string };

interface Snapshot {
  readonly store: SetStore;
  readonly scan: DirScan | undefined;
  /** The sets as their files say (a scorer names its model): what GET shows and a save edits. */
  readonly written: ReadonlyMap<string, RuleSetDef>;
  /** The sets as the engine runs them, models filled in. */
  readonly defs: ReadonlyMap<string, RuleSetDef>;
  /** The models of `models/`, by the reference rules write; kept as long as their file's stamp. */
  readonly models: ReadonlyMap<string, { stamp: string; data: ModelData }>;
  readonly compiled: ReadonlyMap<string, CompiledRuleSet>;
  readonly refused: readonly RefusedFile[];
  readonly loadedAt: Date;
}

/** Thrown when a set cannot be removed because the service needs it. */
export class RuleSetInUse extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleSetInUse';
  }
}

export class UnknownRuleSet extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownRuleSet';
  }
}

const ID = new RegExp(RULE_ID_PATTERN);

export function etagOf(id: string, version: number): string {
  return `"${id}@${version}"`;
}

/** The stored sets as a worker thread gets them: plain data, named by a key that changes with every reload. */
export interface StoredSetsPayload {
  key: string;
  defs: RuleSetDef[];
  models: [string, ModelData][];
}

let nextStoredKey = 0;

export class RuleSetRegistry {
  private snapshot: Snapshot | undefined;
  private storedOf = new WeakMap<Snapshot, StoredSets & { payload: StoredSetsPayload }>();
  /** How large a set sent through the API may be (the service sets it from its settings). */
  caps: RuleSetCaps = DEFAULT_RULESET_CAPS;

  /** A registry loaded from `dir`; files that do not load are listed in `refused`. */
  static fromDir(dir: string): RuleSetRegistry {
    const registry = new RuleSetRegistry();
    registry.load(dir);
    return registry;
  }

  /** Reads and compiles every set of `dir` afresh, then swaps them in at once. */
  load(dir: string): void {
    const current = this.snapshot?.store;
    // The same directory keeps its store: writes of this process queue in it.
    this.use(current instanceof FileSetStore && current.dir === dir ? current : new FileSetStore(dir));
  }

  /** Reads and compiles every set of `store` afresh, then swaps them in at once; it is then the store writes go to. */
  use(store: SetStore): void {
    const previous = this.snapshot;
    this.snapshot = { store, scan: undefined, written: new Map(), defs: new Map(), models: new Map(), compiled: new Map(), refused: [], loadedAt: new Date() };
    try {
      this.reload();
    } catch (e) {
      this.snapshot = previous;
      throw e;
    }
  }

  /**
   * Re-reads the directory when any file changed (names, sizes, times), in this thread. A file
   * that no longer loads leaves its last good version live and is listed in `refused`. Answers
   * what changed.
   */
  reload(): ReloadOutcome {
    const s = this.snapshot;
    if (!s) return { changed: false, refused: [] };
    const scan = s.store.scan();
    if (s.scan && scan.signature === s.scan.signature) return { changed: false, refused: s.refused };
    const out = readSets(baseOf(s), textsOf(scan), compileHere);
    const compiled = new Map<string, CompiledRuleSet>();
    for (const id of out.defs.keys()) {
      const set = out.fresh.get(id) ?? s.compiled.get(id);
      if (set) compiled.set(id, set);
    }
    this.snapshot = { store: s.store, scan, written: out.written, defs: out.defs, models: out.models, compiled, refused: out.refused, loadedAt: new Date() };
    return { changed: true, refused: out.refused };
  }

  /**
   * Where reloads parse and compile once `offload` is called (the service: a worker thread, under
   * the time budget); until then, and in the CLI, in this thread.
   */
  private reader?: SetReader;

  /**
   * Reloads read the changed files here (I/O) and parse and compile them with `reader` (in a
   * worker thread): the event loop never compiles a set after start-up.
   */
  offload(reader: SetReader): void {
    this.reader = reader;
  }

  private running?: Promise<unknown>;
  private queued?: Promise<ReloadOutcome>;

  /**
   * reload() through the reader given to offload() (else in this thread). Reloads run one at a
   * time; a call while one runs gets the next, which starts after it and so sees every write
   * made before the call.
   */
  refresh(): Promise<ReloadOutcome> {
    const reader = this.reader;
    if (!reader) {
      try {
        return Promise.resolve(this.reload());
      } catch (e) {
        return Promise.reject(e);
      }
    }
    this.queued ??= (this.running ?? Promise.resolve()).then(() => {
      this.queued = undefined;
      const run = this.reloadThrough(reader);
      this.running = run.catch(() => undefined);
      return run;
    });
    return this.queued;
  }

  private async reloadThrough(reader: SetReader): Promise<ReloadOutcome> {
    for (;;) {
      const s = this.snapshot;
      if (!s) return { changed: false, refused: [] };
      const scan = s.store.scan();
      if (s.scan && scan.signature === s.scan.signature) return { changed: false, refused: s.refused };
      const base = baseOf(s);
      const reply = await reader(base, textsOf(scan));
      // Replaced meanwhile (a reload in this thread, another store): read again against that one.
      if (this.snapshot !== s) continue;
      this.snapshot = 'failed' in reply ? failedSnapshot(s, scan, reply.failed) : adopted(s, scan, reply);
      return { changed: true, refused: this.snapshot.refused };
    }
  }

  /**
   * Watches the store (a directory: fs.watch plus polling, for network volumes where events do
   * not arrive; PostgreSQL: LISTEN) and reloads on changes. Answers a function that stops watching.
   */
  watch(options: Omit<WatchOptions, 'onChange'> & { logger?: Logger } = {}): () => void {
    const store = this.snapshot?.store;
    if (!store) throw new Error('load a store before watching it');
    const { logger, ...rest } = options;
    let reported = new Set<string>();
    return store.watch({
      ...rest,
      logger,
      onChange: () => {
        const report = ({ changed, refused }: ReloadOutcome) => {
          if (!changed) return;
          const now = new Set(refused.map((r) => `${r.file}\n${r.message}`));
          for (const r of refused) {
            if (!reported.has(`${r.file}\n${r.message}`)) logger?.error({ file: r.file, live: r.live }, `rule set refused: ${r.message}`);
          }
          reported = now;
          logger?.info({ rulesets: this.list().map((x) => `${x.id}@${x.version}`) }, 'rule sets reloaded');
        };
        if (!this.reader) return report(this.reload());
        // The directory may be briefly unreadable (a volume remounting): the next poll tries again.
        this.refresh().then(report, (err: unknown) => logger?.error({ err }, 'rule sets could not be reloaded'));
      },
    });
  }

  /** Loaded and able to answer a request that names no set. */
  get ready(): boolean {
    return this.snapshot !== undefined && this.snapshot.compiled.has('default');
  }

  get refused(): readonly RefusedFile[] {
    return this.snapshot?.refused ?? [];
  }

  /** The rules directory, when the sets are kept in files. */
  get dir(): string | undefined {
    const store = this.snapshot?.store;
    return store instanceof FileSetStore ? store.dir : undefined;
  }

  /** Where the sets are kept, once loaded. */
  get store(): SetStore | undefined {
    return this.snapshot?.store;
  }

  get(id: string): CompiledRuleSet | undefined {
    return this.snapshot?.compiled.get(id);
  }

  /**
   * The set as written (its own rules, `extends` unresolved, a scorer's `model` named, not
   * copied in): what GET /v1/rulesets/{id} shows, and what a client PUTs back.
   */
  definition(id: string): RuleSetDef | undefined {
    return this.snapshot?.compiled.has(id) ? this.snapshot.written.get(id) : undefined;
  }

  etag(id: string): string | undefined {
    const set = this.get(id);
    return set ? etagOf(set.id, set.version) : undefined;
  }

  /** The rules that run for `id` after `extends` and `disable`, each with the set it comes from. */
  effectiveRules(id: string): EffectiveRule[] | undefined {
    const s = this.snapshot;
    const set = s?.compiled.get(id);
    if (!s || !set) return undefined;
    const chain: RuleSetDef[] = [];
    for (let d = s.defs.get(id); d && !chain.includes(d); d = d.extends ? s.defs.get(d.extends) : undefined) chain.unshift(d);
    return set.defs.map((r) => {
      const from = [...chain].reverse().find((d) => d.rules.some((x) => x.id === r.id))?.id ?? id;
      return { ...r, enabled: r.enabled !== false, from };
    });
  }

  list(): RuleSetSummary[] {
    const s = this.snapshot;
    if (!s) return [];
    return [...s.compiled.values()]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((c) => {
        const def = s.defs.get(c.id)!;
        const summary: RuleSetSummary = {
          id: c.id,
          version: c.version,
          hosts: [...c.hosts],
          rules: c.defs.filter((r) => r.enabled !== false).length,
          etag: etagOf(c.id, c.version),
        };
        if (def.description !== undefined) summary.description = def.description;
        if (def.extends !== undefined) summary.extends = def.extends;
        return summary;
      });
  }

  /**
   * The set for a page: the one whose `hosts` match the url's host most specifically (an exact
   * host beats a wildcard, a longer wildcard a shorter one), else `default`.
   */
  forUrl(url: string | undefined): CompiledRuleSet | undefined {
    const host = url === undefined ? undefined : hostOf(url);
    if (host && this.snapshot) {
      let best: { set: CompiledRuleSet; score: number } | undefined;
      for (const set of this.snapshot.compiled.values()) {
        for (const pattern of set.hosts) {
          const score = hostMatchScore(pattern, host);
          // Ties go to the alphabetically first id, so the choice never depends on file order.
          if (score > 0 && (!best || score > best.score || (score === best.score && set.id < best.set.id))) {
            best = { set, score };
          }
        }
      }
      if (best) return best.set;
    }
    return this.get('default');
  }

  /**
   * The stored sets that sets from requests are checked against, and the same as plain data for
   * the worker threads; one object per snapshot, so its key names what a worker has cached.
   */
  stored(): StoredSets & { payload: StoredSetsPayload } {
    const s = this.snapshot;
    if (!s) return { defs: new Map(), models: new Map(), payload: { key: 'none', defs: [], models: [] } };
    let stored = this.storedOf.get(s);
    if (!stored) {
      const models = new Map([...s.models].map(([ref, m]) => [ref, m.data]));
      stored = { defs: s.defs, models, payload: { key: `stored#${++nextStoredKey}`, defs: [...s.defs.values()], models: [...models] } };
      this.storedOf.set(s, stored);
    }
    return stored;
  }

  /**
   * An inline set for a worker thread to check and compile (the service never does either on its
   * event loop); refused here only when it is over the size caps, a walk over the parsed value.
   */
  deferInline(def: unknown): DeferredRuleSet | RequestError {
    const over = capViolation(def, this.caps);
    if (over) return { code: 'ruleset-too-large', detail: `the inline rule set (field "ruleset") is too large: ${over}` };
    const json = JSON.stringify(def);
    const stored = this.stored().payload;
    return { deferred: true, key: `inline#${createHash('sha1').update(json).digest('base64url')}@${stored.key}`, json, stored };
  }

  /** Validates and compiles a rule set sent with a request, in this thread (checks.ts). */
  compileInline(input: unknown): CompiledRuleSet {
    return compileInlineSet(this.stored(), input);
  }

  private get writable(): SetStore {
    if (!this.snapshot) throw new Error('the registry has no store loaded');
    return this.snapshot.store;
  }

  /** Checks a set written through the API, in this thread (checks.ts); answers the definition to save. */
  checkWrite(id: string, input: unknown): RuleSetDef {
    return checkWrite(this.stored(), id, input, this.get(id)?.version);
  }

  /** Validates and saves the next version of a set, then reloads. Answers the saved definition. */
  async save(id: string, input: unknown, expect: Expectation): Promise<{ saved: RuleSetDef; created: boolean }> {
    return this.saveChecked(this.checkWrite(id, input), expect);
  }

  /** Saves a definition checkWrite answered (in a worker thread, for the service), then reloads. */
  async saveChecked(def: RuleSetDef, expect: Expectation): Promise<{ saved: RuleSetDef; created: boolean }> {
    const result = await this.writable.save(def, expect);
    await this.refresh();
    return result;
  }

  /** Moves a set to history; `default` and sets others extend cannot go. */
  async remove(id: string, expect: Expectation): Promise<void> {
    // An id is also a file name: anything else (../x) never reaches the disk.
    if (!ID.test(id)) throw new UnknownRuleSet(`no rule set "${id}"`);
    if (id === 'default') throw new RuleSetInUse('"default" answers every request that names no set and matches no host; it cannot be deleted');
    const users = [...(this.snapshot?.defs.values() ?? [])].filter((d) => d.extends === id).map((d) => d.id);
    if (users.length) throw new RuleSetInUse(`rule set "${id}" is extended by ${users.map((u) => `"${u}"`).join(', ')}; change those first`);
    if (!this.writable.exists(id)) throw new UnknownRuleSet(`no rule set "${id}"`);
    await this.writable.remove(id, expect);
    await this.refresh();
  }

  /** Every version of a set, newest first, including those of a deleted set. */
  async versions(id: string): Promise<StoredVersion[]> {
    return ID.test(id) ? this.writable.versions(id) : [];
  }

  /** One version of a set as it was saved. */
  async version(id: string, version: number): Promise<RuleSetDef | undefined> {
    if (!ID.test(id)) return undefined;
    const text = await this.writable.versionText(id, version);
    if (text === undefined) return undefined;
    try {
      return parseRuleSetText(text, `${id}@${version}`, USER_SETS);
    } catch {
      // A history entry written by hand that no longer validates: shown as it is.
      return undefined;
    }
  }
}

/** The previous snapshot as a reading reuses it (read-sets.ts). */
function baseOf(s: Snapshot): ReadBase {
  return {
    stamps: new Map((s.scan?.files ?? []).map((f) => [f.file, f.stamp])),
    written: s.written,
    defs: s.defs,
    models: s.models,
    live: new Map([...s.compiled].map(([id, set]) => [id, set.version])),
    refusedFiles: s.refused.map((r) => r.file),
  };
}

/** The files' texts: read here, the one step of a reload that is I/O. */
function textsOf(scan: DirScan): ReadInput {
  const read = (f: DirScan['files'][number]) => ({ file: f.file, stamp: f.stamp, text: f.text() });
  return { files: scan.files.map(read), models: scan.models.map(read) };
}

/** The snapshot a worker's reading makes: its objects where they changed, the previous ones where not. */
function adopted(s: Snapshot, scan: DirScan, reply: ReadReply): Snapshot {
  const ours = <T>(entries: [string, T | null][], before: ReadonlyMap<string, T>) => new Map(entries.map(([k, v]) => [k, v ?? before.get(k)!]));
  const written = ours(reply.written, s.written);
  const defs = ours(reply.defs, s.defs);
  const fresh = new Set(reply.compiled);
  const compiled = new Map<string, CompiledRuleSet>();
  for (const def of defs.values()) {
    const set = fresh.has(def.id) ? compiledLater(def, (id) => defs.get(id)) : s.compiled.get(def.id);
    if (set) compiled.set(def.id, set);
  }
  return { store: s.store, scan, written, defs, models: ours(reply.models, s.models), compiled, refused: reply.refused, loadedAt: new Date() };
}

/**
 * A reading that did not finish (over the time budget): everything stays as it was, and each
 * changed file is refused with the reason. The scan is taken, so the same files are not tried
 * again on every poll; the next change to them is.
 */
function failedSnapshot(s: Snapshot, scan: DirScan, reason: string): Snapshot {
  const before = new Map([...(s.scan?.files ?? []), ...(s.scan?.models ?? [])].map((f) => [f.file, f.stamp]));
  const changed = [...scan.files, ...scan.models].filter((f) => before.get(f.file) !== f.stamp).map((f) => f.file);
  const refused: RefusedFile[] = s.refused.filter((r) => !changed.includes(r.file));
  for (const file of changed) {
    const id = file.slice(file.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
    const live = s.compiled.get(id);
    refused.push({ file, message: `not reloaded: ${reason}`, ...(live && !file.includes(`/${MODELS_DIR}/`) ? { id, live: live.version } : {}) });
  }
  return { ...s, scan, refused, loadedAt: new Date() };
}

/**
 * A set a worker has compiled and checked, held here without compiling it again: what the main
 * thread reads of a set (id, version, hosts, its effective rules, the regex engine's name, for
 * the workers to compile their own) is there at once; the compiled rules only on first use, which
 * in the service never comes (only a dev tree without workers cleans in this thread).
 */
function compiledLater(def: RuleSetDef, lookup: (id: string) => RuleSetDef | undefined): CompiledRuleSet {
  let done: CompiledRuleSet | undefined;
  const compiled = () => (done ??= compileRuleSet(def, lookup, USER_SETS));
  return {
    id: def.id,
    version: def.version,
    hosts: def.hosts ?? [],
    defs: resolveRules(def, lookup),
    regex: USER_SETS.regex!,
    get rules() {
      return compiled().rules;
    },
    get inline() {
      return compiled().inline;
    },
    get block() {
      return compiled().block;
    },
    get document() {
      return compiled().document;
    },
    get blockFilter() {
      return compiled().blockFilter;
    },
    get requirements() {
      return compiled().requirements;
    },
  };
}

/** The lower-case host of an absolute url, or of a bare "host/path"; undefined if neither parses. */
export function hostOf(url: string): string | undefined {
  for (const candidate of [url, `http://${url}`]) {
    try {
      const host = new URL(candidate).hostname;
      if (host) return host.toLowerCase().replace(/\.$/, '');
    } catch {
      // try the next reading
    }
  }
  return undefined;
}

/**
 * 0 when `pattern` does not match `host`; otherwise higher for more specific patterns.
 * "*.upi.com" matches upi.com and every subdomain (scraped urls carry both); "apnews.com" matches
 * apnews.com and www.apnews.com, the same site under its usual alias.
 */
export function hostMatchScore(pattern: string, host: string): number {
  const p = pattern.trim().toLowerCase().replace(/\.$/, '');
  if (p.startsWith('*.')) {
    const suffix = p.slice(2);
    return host === suffix || host.endsWith(`.${suffix}`) ? suffix.length : 0;
  }
  const bare = (h: string) => (h.startsWith('www.') ? h.slice(4) : h);
  // Exact names rank above every wildcard: 1000 is more than any host name's length (max 253).
  if (host === p) return 1000 + p.length + 1;
  return bare(host) === bare(p) ? 1000 + p.length : 0;
}
