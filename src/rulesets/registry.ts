/**
 * The rule sets a running service knows: read from a directory, compiled once, looked up by id or
 * by a page's host. All state sits in one immutable snapshot that is replaced whole, so a reader
 * never sees half of a reload (writes and hot reload will build a new snapshot and swap it in).
 */
import { compileRuleSet, RuleSetError, validateRuleSet, type CompiledRuleSet, type RuleSetDef } from '../engine';
import { loadRuleSets } from './load';

export interface RuleSetSummary {
  id: string;
  version: number;
  description?: string;
  extends?: string;
  hosts: string[];
  /** Rules that run: the set's own plus inherited ones, less the disabled. */
  rules: number;
}

export interface RefusedFile {
  file: string;
  message: string;
}

interface Snapshot {
  readonly dir: string;
  readonly defs: ReadonlyMap<string, RuleSetDef>;
  readonly compiled: ReadonlyMap<string, CompiledRuleSet>;
  readonly refused: readonly RefusedFile[];
  readonly loadedAt: Date;
}

/** Compiled under this id so that an inline set may extend the stored set of its own id. */
const INLINE_ID = '(inline)';

export class RuleSetRegistry {
  private snapshot: Snapshot | undefined;

  /** A registry loaded from `dir`; files that do not load are listed in `refused`. */
  static fromDir(dir: string): RuleSetRegistry {
    const registry = new RuleSetRegistry();
    registry.load(dir);
    return registry;
  }

  /** Reads and compiles every set of `dir`, then swaps them in at once. */
  load(dir: string): void {
    const loaded = loadRuleSets(dir);
    this.snapshot = { dir, defs: loaded.defs, compiled: loaded.compiled, refused: loaded.errors, loadedAt: new Date() };
  }

  /** Loaded and able to answer a request that names no set. */
  get ready(): boolean {
    return this.snapshot !== undefined && this.snapshot.compiled.has('default');
  }

  get refused(): readonly RefusedFile[] {
    return this.snapshot?.refused ?? [];
  }

  get dir(): string | undefined {
    return this.snapshot?.dir;
  }

  get(id: string): CompiledRuleSet | undefined {
    return this.snapshot?.compiled.get(id);
  }

  /** The set as written (its own rules, `extends` unresolved): what GET /v1/rulesets/{id} shows. */
  definition(id: string): RuleSetDef | undefined {
    return this.snapshot?.compiled.has(id) ? this.snapshot.defs.get(id) : undefined;
  }

  list(): RuleSetSummary[] {
    const s = this.snapshot;
    if (!s) return [];
    return [...s.compiled.values()]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((c) => {
        const def = s.defs.get(c.id)!;
        const summary: RuleSetSummary = { id: c.id, version: c.version, hosts: [...c.hosts], rules: c.rules.length };
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
   * Validates and compiles a rule set sent with a request; its `extends` is resolved against the
   * stored sets. Throws RuleSetError naming the rule and field.
   */
  compileInline(input: unknown): CompiledRuleSet {
    const def = validateRuleSet(input, 'ruleset');
    const defs = this.snapshot?.defs ?? new Map<string, RuleSetDef>();
    try {
      const compiled = compileRuleSet({ ...def, id: INLINE_ID }, (id) => defs.get(id));
      return { ...compiled, id: def.id };
    } catch (e) {
      if (e instanceof RuleSetError) throw new RuleSetError(e.issues, 'ruleset');
      throw e;
    }
  }
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
