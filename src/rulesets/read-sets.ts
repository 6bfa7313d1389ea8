/**
 * How a registry's next snapshot is read from the store's files: model files parsed, set files
 * parsed and their models filled in, and every set whose chain changed compiled, each failure
 * leaving the last good version live. A pure function of the previous snapshot's plain parts and
 * the files' texts, so that it runs where the registry's owner wants: in this thread (the CLI, a
 * dev tree, start-up), or in a worker thread under the time budget (the service: a stored set of
 * thousands of patterns takes seconds to compile, and a reload must not hold /healthz meanwhile).
 *
 * Compiled sets hold functions and cannot cross threads; a worker compiles only to check, and
 * answers which sets compiled. Objects that did not change come back as `null` (the previous
 * one), so the registry keeps them: compiled sets and their keys in the workers' caches stay.
 */
import { compileRuleSet, RuleSetError, type CompiledRuleSet, type RuleSetDef } from '../engine';
import { USER_SETS } from './checks';
import { parseRuleSetText } from './load';
import { MODELS_DIR, modelRefs, parseModelText, resolveModels, type ModelData } from './models';

export interface RefusedFile {
  file: string;
  message: string;
  /** When an earlier version of the set is still served: its id and version (the last good one). */
  id?: string;
  live?: number;
}

export interface LoadedModel {
  stamp: string;
  data: ModelData;
}

/** What of the previous snapshot a reading reuses: all plain data. */
export interface ReadBase {
  /** Each set file's stamp when it was last read. */
  stamps: ReadonlyMap<string, string>;
  written: ReadonlyMap<string, RuleSetDef>;
  defs: ReadonlyMap<string, RuleSetDef>;
  models: ReadonlyMap<string, LoadedModel>;
  /** The sets live now (compiled), by id: their versions. */
  live: ReadonlyMap<string, number>;
  /** Files refused last time. */
  refusedFiles: readonly string[];
}

export interface FileText {
  file: string;
  stamp: string;
  text: string;
}

/** The store's files, read: sets first, then models. */
export interface ReadInput {
  files: FileText[];
  models: FileText[];
}

export interface ReadOutcome<C> {
  written: Map<string, RuleSetDef>;
  defs: Map<string, RuleSetDef>;
  models: Map<string, LoadedModel>;
  refused: RefusedFile[];
  /** Sets compiled afresh (what `compile` answered); every other set of `defs` that is live keeps its compiled set. */
  fresh: Map<string, C>;
}

/** Compiles a set against the others (for `extends`); throws when it does not compile. */
export type Compile<C> = (def: RuleSetDef, lookup: (id: string) => RuleSetDef | undefined) => C;

export const compileHere: Compile<CompiledRuleSet> = (def, lookup) => compileRuleSet(def, lookup, USER_SETS);

/**
 * The next snapshot's parts. A file that no longer loads, or a set that no longer compiles,
 * leaves its last good version live and is listed in `refused`.
 */
export function readSets<C>(base: ReadBase, input: ReadInput, compile: Compile<C>, onSet?: (id: string) => void): ReadOutcome<C> {
  const defs = new Map<string, RuleSetDef>();
  const written = new Map<string, RuleSetDef>();
  const refused: RefusedFile[] = [];
  const fileOf = new Map<string, string>();
  // Models first, as sets name them. A model file that no longer loads keeps its last good
  // version in use, as a set's file does.
  const models = new Map<string, LoadedModel>();
  for (const entry of input.models) {
    const ref = `${MODELS_DIR}/${entry.file.slice(entry.file.lastIndexOf('/') + 1)}`;
    const previous = base.models.get(ref);
    if (previous?.stamp === entry.stamp) {
      models.set(ref, previous);
      continue;
    }
    try {
      models.set(ref, { stamp: entry.stamp, data: parseModelText(entry.text, entry.file) });
    } catch (e) {
      refused.push({ file: entry.file, message: (e as Error).message });
      if (previous) models.set(ref, previous);
    }
  }
  for (const entry of input.files) {
    const id = idOfFile(entry.file);
    // An unchanged file whose models are unchanged keeps its parsed definition: cheaper, and
    // its compiled set stays the same object.
    const unchanged =
      base.stamps.get(entry.file) === entry.stamp &&
      base.live.has(id) &&
      !base.refusedFiles.includes(entry.file) &&
      modelRefs(base.written.get(id)!).every((ref) => models.get(ref) === base.models.get(ref));
    try {
      const def = unchanged ? base.written.get(id)! : parseRuleSetText(entry.text, entry.file, USER_SETS);
      if (def.id !== id) throw new RuleSetError([{ field: 'id', message: `is "${def.id}" but the file name says "${id}"` }], entry.file);
      if (defs.has(id)) throw new RuleSetError([{ field: '(file)', message: `another file already defines "${id}" (${fileOf.get(id)})` }], entry.file);
      defs.set(id, unchanged ? base.defs.get(id)! : resolveModels(def, (ref) => models.get(ref)?.data, entry.file));
      written.set(id, def);
      fileOf.set(id, entry.file);
    } catch (e) {
      const live = base.live.get(id);
      refused.push({ file: entry.file, message: (e as Error).message, ...(live !== undefined ? { id, live } : {}) });
      if (live !== undefined && !defs.has(id)) {
        defs.set(id, base.defs.get(id)!);
        written.set(id, base.written.get(id)!);
      }
    }
  }

  const fresh = new Map<string, C>();
  for (const def of defs.values()) {
    const live = base.live.get(def.id);
    if (live !== undefined && sameChain(def, defs, base.defs)) continue;
    onSet?.(def.id);
    try {
      fresh.set(
        def.id,
        compile(def, (id) => defs.get(id)),
      );
    } catch (e) {
      refused.push({ file: fileOf.get(def.id) ?? def.id, message: (e as Error).message, ...(live !== undefined ? { id: def.id, live } : {}) });
      if (live !== undefined) {
        defs.set(def.id, base.defs.get(def.id)!);
        written.set(def.id, base.written.get(def.id)!);
      }
    }
  }
  return { written, defs, models, refused, fresh };
}

/**
 * A reading as it crosses back from a worker: `null` where the object is the base's own (the
 * registry keeps its copy), and the ids that compiled.
 */
export interface ReadReply {
  written: [string, RuleSetDef | null][];
  defs: [string, RuleSetDef | null][];
  models: [string, LoadedModel | null][];
  refused: RefusedFile[];
  compiled: string[];
}

/** readSets where the compiled sets cannot be sent back: compiled only to check them. */
export function readSetsToSend(base: ReadBase, input: ReadInput, onSet?: (id: string) => void): ReadReply {
  const out = readSets(base, input, (def, lookup) => void compileHere(def, lookup), onSet);
  const slim = <T>(now: Map<string, T>, before: ReadonlyMap<string, T>): [string, T | null][] => [...now].map(([k, v]) => [k, v === before.get(k) ? null : v]);
  return {
    written: slim(out.written, base.written),
    defs: slim(out.defs, base.defs),
    models: slim(out.models, base.models),
    refused: out.refused,
    compiled: [...out.fresh.keys()],
  };
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
