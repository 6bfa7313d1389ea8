/**
 * Reading rule sets from disk: every `*.yaml`, `*.yml` or `*.json` file of the rules directory.
 * A file that does not parse or validate is refused with a message naming the file, the rule id
 * and the field.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import YAML from 'yaml';
import { compileRuleSet, RuleSetError, validateRuleSet, type CompiledRuleSet, type CompileOptions, type RuleSetDef } from '../engine';

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** The rules shipped with the package: used when no directory is configured. */
export const PACKAGED_RULES_DIR = resolve(__dirname, '..', '..', 'rules');

/** `options.regex`: the engine the set's patterns will run on (see compileRuleSet). */
export function parseRuleSetText(text: string, source: string, options: CompileOptions = {}): RuleSetDef {
  let data: unknown;
  try {
    data = source.endsWith('.json') ? JSON.parse(text) : YAML.parse(text, { prettyErrors: true });
  } catch (e) {
    throw new RuleSetError([{ field: '(file)', message: `does not parse: ${(e as Error).message.split('\n')[0]}` }], source);
  }
  return validateRuleSet(data, source, options);
}

export function readRuleSetFile(path: string, options: CompileOptions = {}): RuleSetDef {
  const def = parseRuleSetText(readFileSync(path, 'utf8'), path, options);
  const expected = basename(path, extname(path));
  if (def.id !== expected) {
    throw new RuleSetError([{ field: 'id', message: `is "${def.id}" but the file name says "${expected}"` }], path);
  }
  return def;
}

export interface LoadedRuleSets {
  defs: Map<string, RuleSetDef>;
  compiled: Map<string, CompiledRuleSet>;
  /** Files refused, with why: the service reports them and keeps going with the rest. */
  errors: { file: string; message: string }[];
}

/** Loads and compiles every rule set of a directory (files starting with "." are skipped). */
export function loadRuleSets(dir: string, options: CompileOptions = {}): LoadedRuleSets {
  const defs = new Map<string, RuleSetDef>();
  const errors: LoadedRuleSets['errors'] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || !EXTENSIONS.has(extname(name))) continue;
    const file = join(dir, name);
    try {
      const def = readRuleSetFile(file, options);
      defs.set(def.id, def);
    } catch (e) {
      errors.push({ file, message: (e as Error).message });
    }
  }
  const compiled = new Map<string, CompiledRuleSet>();
  for (const def of defs.values()) {
    try {
      compiled.set(
        def.id,
        compileRuleSet(def, (id) => defs.get(id), options),
      );
    } catch (e) {
      errors.push({ file: join(dir, def.id), message: (e as Error).message });
    }
  }
  return { defs, compiled, errors };
}
