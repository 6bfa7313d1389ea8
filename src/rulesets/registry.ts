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
import { compileRuleSet, RuleSetError, type CompiledRuleSet, type RuleDefBase, type RuleSetDef } from '../engine';
import type { DeferredRuleSet, RequestError } from '../requests';
import { RULE_ID_PATTERN } from '../engine/schema';
import { capViolation, DEFAULT_RULESET_CAPS, type RuleSetCaps } from './caps';
import { checkWrite, compileInlineSet, USER_SETS, type StoredSets } from './checks';
import { parseRuleSetText } from './load';
import { MODELS_DIR, modelRefs, parseModelText, resolveModels, type ModelData } from './models';
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

export interface RefusedFile {
  file: string;
  message: string;
  /** When an earlier version of the set is still served: its id and version (the last good one). */
  id?: string;
  live?: number;
}

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
   * Re-reads the directory when any file changed (names, sizes, times). A file that no longer
   * loads leaves its last good version live and is listed in `refused`. Answers what changed.
   */
  reload(): { changed: boolean; refused: readonly RefusedFile[] } {
    const s = this.snapshot;
    if (!s) return { changed: false, refused: [] };
    const scan = s.store.scan();
    if (s.scan && scan.signature === s.scan.signature) return { changed: false, refused: s.refused };

    const defs = new Map<string, RuleSetDef>();
    const written = new Map<string, RuleSetDef>();
    const refused: RefusedFile[] = [];
    const fileOf = new Map<string, string>();
    // Models first, as sets name them. A model file that no longer loads keeps its last good
    // version in use, as a set's file does.
    const models = new Map<string, { stamp: string; data: ModelData }>();
    for (const entry of scan.models) {
      const ref = `${MODELS_DIR}/${entry.file.slice(entry.file.lastIndexOf('/') + 1)}`;
      const previous = s.models.get(ref);
      if (previous?.stamp === entry.stamp) {
        models.set(ref, previous);
        continue;
      }
      try {
        models.set(ref, { stamp: entry.stamp, data: parseModelText(entry.text(), entry.file) });
      } catch (e) {
        refused.push({ file: entry.file, message: (e as Error).message });
        if (previous) models.set(ref, previous);
      }
    }
    for (const entry of scan.files) {
      const previous = s.scan?.files.find((f) => f.file === entry.file);
      const id = idOfFile(entry.file);
      // An unchanged file whose models are unchanged keeps its parsed definition: cheaper, and
      // its compiled set stays the same object.
      const unchanged =
        previous?.stamp === entry.stamp &&
        s.compiled.has(id) &&
        !s.refused.some((r) => r.file === entry.file) &&
        modelRefs(s.written.get(id)!).every((ref) => models.get(ref) === s.models.get(ref));
      try {
        const def = unchanged ? s.written.get(id)! : parseRuleSetText(entry.text(), entry.file, USER_SETS);
        if (def.id !== id) throw new RuleSetError([{ field: 'id', message: `is "${def.id}" but the file name says "${id}"` }], entry.file);
        if (defs.has(id)) throw new RuleSetError([{ field: '(file)', message: `another file already defines "${id}" (${fileOf.get(id)})` }], entry.file);
        defs.set(id, unchanged ? s.defs.get(id)! : resolveModels(def, (ref) => models.get(ref)?.data, entry.file));
        written.set(id, def);
        fileOf.set(id, entry.file);
      } catch (e) {
        const live = s.compiled.get(id);
        refused.push({ file: entry.file, message: (e as Error).message, ...(live ? { id, live: live.version } : {}) });
        if (live && !defs.has(id)) {
          defs.set(id, s.defs.get(id)!);
          written.set(id, s.written.get(id)!);
        }
      }
    }

    const compiled = new Map<string, CompiledRuleSet>();
    for (const def of defs.values()) {
      const old = s.compiled.get(def.id);
      if (old && sameChain(def, defs, s.defs)) {
        compiled.set(def.id, old);
        continue;
      }
      try {
        compiled.set(
          def.id,
          compileRuleSet(def, (id) => defs.get(id), USER_SETS),
        );
      } catch (e) {
        refused.push({ file: fileOf.get(def.id) ?? def.id, message: (e as Error).message, ...(old ? { id: def.id, live: old.version } : {}) });
        if (old) {
          compiled.set(def.id, old);
          defs.set(def.id, s.defs.get(def.id)!);
          written.set(def.id, s.written.get(def.id)!);
        }
      }
    }
    this.snapshot = { store: s.store, scan, written, defs, models, compiled, refused, loadedAt: new Date() };
    return { changed: true, refused };
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
        const { changed, refused } = this.reload();
        if (!changed) return;
        const now = new Set(refused.map((r) => `${r.file}\n${r.message}`));
        for (const r of refused) {
          if (!reported.has(`${r.file}\n${r.message}`)) logger?.error({ file: r.file, live: r.live }, `rule set refused: ${r.message}`);
        }
        reported = now;
        logger?.info({ rulesets: this.list().map((x) => `${x.id}@${x.version}`) }, 'rule sets reloaded');
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
        const summary: RuleSetSummary = { id: c.id, version: c.version, hosts: [...c.hosts], rules: c.rules.length, etag: etagOf(c.id, c.version) };
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
    this.reload();
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
    this.reload();
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

function idOfFile(file: string): string {
  const name = file.slice(file.lastIndexOf('/') + 1);
  return name.slice(0, name.lastIndexOf('.'));
}

/** True when `def` and every set it extends are the very objects the previous snapshot compiled. */
function sameChain(def: RuleSetDef, now: ReadonlyMap<string, RuleSetDef>, before: ReadonlyMap<string, RuleSetDef>): boolean {
  const seen = new Set<string>();
  for (let d: RuleSetDef | undefined = def; d; d = d.extends ? now.get(d.extends) : undefined) {
    if (seen.has(d.id) || before.get(d.id) !== d) return false;
    seen.add(d.id);
    if (d.extends && !now.has(d.extends)) return false;
  }
  return true;
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
