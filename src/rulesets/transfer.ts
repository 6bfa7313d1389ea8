/**
 * Moving rule sets between a rules directory and the PostgreSQL store (`declutter rulesets
 * import|export`, and the seeding of an empty store): reading a directory's sets with their
 * history, and writing a store's sets out as files the file store reads back.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseRuleSetText } from './load';
import { SAFE_REGEX } from './safe-regex';
import { scanDir } from './scan';
import { HISTORY_DIR, writeFileAtomic } from './store';
import type { RuleSetDef } from '../engine';

/** A set to import: its file's text and what it says, with the versions its history holds. */
export interface ImportedSet {
  id: string;
  def: RuleSetDef;
  /** The file's text when it is YAML (kept as written); a JSON file is stored rendered as YAML. */
  yaml: string | undefined;
  history: { version: number; text: string }[];
}

export type ImportOutcome = { id: string; version: number; outcome: 'created' | 'updated' | 'unchanged' };

export interface ExportedSet {
  id: string;
  /** Undefined for a deleted set, whose versions remain. */
  current: { version: number; body: string } | undefined;
  versions: { version: number; body: string }[];
}

export interface Refusal {
  file: string;
  message: string;
}

function idOf(file: string): string {
  const name = file.slice(file.lastIndexOf('/') + 1);
  return name.slice(0, name.lastIndexOf('.'));
}

/** The sets of `dir` that validate (on RE2, as the service reads them), each with its `.history` versions; the rest refused. */
export function readSetsForImport(dir: string): { sets: ImportedSet[]; refused: Refusal[] } {
  const sets: ImportedSet[] = [];
  const refused: Refusal[] = [];
  for (const entry of scanDir(dir).files) {
    try {
      const text = entry.text();
      const def = parseRuleSetText(text, entry.file, { regex: SAFE_REGEX });
      const id = idOf(entry.file);
      if (def.id !== id) throw new Error(`${entry.file}: id is "${def.id}" but the file name says "${id}"`);
      if (sets.some((s) => s.id === id)) throw new Error(`${entry.file}: another file already defines "${id}"`);
      sets.push({ id, def, yaml: extname(entry.file) === '.json' ? undefined : text, history: readHistory(dir, id) });
    } catch (e) {
      refused.push({ file: entry.file, message: (e as Error).message.split('\n')[0] });
    }
  }
  return { sets, refused };
}

function readHistory(dir: string, id: string): { version: number; text: string }[] {
  const folder = join(dir, HISTORY_DIR, id);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^\d+\.yaml$/.test(n))
    .map((n) => ({ version: Number(n.slice(0, -5)), text: readFileSync(join(folder, n), 'utf8') }))
    .sort((a, b) => a.version - b.version);
}

export type ExportOutcome = { id: string; version: number | undefined; outcome: 'written' | 'unchanged' | 'history only' } | { id: string; refused: string };

/**
 * Writes each current set as `<dir>/<id>.yaml` and every version into `.history/<id>/`, as the
 * file store keeps them (so its next save numbers after them). A set the directory holds as
 * `.yml` or `.json` is refused rather than defined twice.
 */
export function writeExport(dir: string, sets: ExportedSet[]): ExportOutcome[] {
  mkdirSync(dir, { recursive: true });
  const outcomes: ExportOutcome[] = [];
  for (const set of sets) {
    const other = ['.yml', '.json'].map((ext) => join(dir, `${set.id}${ext}`)).find((f) => existsSync(f));
    if (set.current && other) {
      outcomes.push({ id: set.id, refused: `${other} already defines it: remove that file first` });
      continue;
    }
    const history = join(dir, HISTORY_DIR, set.id);
    mkdirSync(history, { recursive: true });
    for (const v of set.versions) {
      const file = join(history, `${v.version}.yaml`);
      if (!existsSync(file)) writeFileAtomic(file, v.body);
    }
    if (!set.current) {
      outcomes.push({ id: set.id, version: undefined, outcome: 'history only' });
      continue;
    }
    const file = join(dir, `${set.id}.yaml`);
    const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (before === set.current.body) {
      outcomes.push({ id: set.id, version: set.current.version, outcome: 'unchanged' });
      continue;
    }
    writeFileAtomic(file, set.current.body);
    outcomes.push({ id: set.id, version: set.current.version, outcome: 'written' });
  }
  return outcomes;
}
