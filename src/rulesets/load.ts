/**
 * Reading rule sets from disk: every `*.yaml`, `*.yml` or `*.json` file of the rules directory,
 * with the trained models their scorer rules name (models.ts) filled in. A file that does not
 * parse or validate is refused with a message naming the file, the rule id and the field.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
// Modules, not the engine's index, which loads the HTML engine: reading sets needs none of it.
import type { CompiledRuleSet, CompileOptions, RuleSetDef } from '../engine';
import { JS_REGEX } from '../engine/regex';
import { compileRuleSet } from '../engine/ruleset';
import { RuleSetError, validateRuleSet } from '../engine/schema';
import { readModels, resolveModels, type ModelLookup } from './models';
import { knownLiterals, prechecked } from './prechecked';
import { yaml } from './yaml-parser';

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** The rules shipped with the package: used when no directory is configured. */
export const PACKAGED_RULES_DIR = resolve(__dirname, '..', '..', 'rules');

/** `options.regex`: the engine the set's patterns will run on (see compileRuleSet). */
export function parseRuleSetText(text: string, source: string, options: CompileOptions = {}): RuleSetDef {
  const kind = source.endsWith('.json') ? 'set:json' : 'set:yaml';
  const known = prechecked(kind, text, (options.regex ?? JS_REGEX).name);
  if (known) return known as RuleSetDef;
  let data: unknown;
  try {
    data = kind === 'set:json' ? JSON.parse(text) : yaml().parse(text, { prettyErrors: true });
  } catch (e) {
    throw new RuleSetError([{ field: '(file)', message: `does not parse: ${(e as Error).message.split('\n')[0]}` }], source);
  }
  return validateRuleSet(data, source, options);
}

/** How a set's file is read: `regex` as for compileRuleSet; `models` when they are loaded already. */
export interface ReadOptions extends CompileOptions {
  models?: ModelLookup;
}

/**
 * A set's file, ready for the engine: its models are read from the `models` folder beside it
 * (unless `options.models` has them already).
 */
export function readRuleSetFile(path: string, options: ReadOptions = {}): RuleSetDef {
  const { models, ...compile } = options;
  const def = parseRuleSetText(readFileSync(path, 'utf8'), path, compile);
  const expected = basename(path, extname(path));
  if (def.id !== expected) {
    throw new RuleSetError([{ field: 'id', message: `is "${def.id}" but the file name says "${expected}"` }], path);
  }
  return resolveModels(def, models ?? modelsBeside(path), path);
}

function modelsBeside(path: string): ModelLookup {
  let loaded: ModelLookup | undefined;
  return (ref) => {
    if (!loaded) {
      const { models } = readModels(dirname(path));
      loaded = (r) => models.get(r);
    }
    return loaded(ref);
  };
}

export interface LoadedRuleSets {
  /** As the engine runs them: models filled in. */
  defs: Map<string, RuleSetDef>;
  compiled: Map<string, CompiledRuleSet>;
  /** Files refused, with why: the service reports them and keeps going with the rest. */
  errors: { file: string; message: string }[];
}

/**
 * Loads and compiles every rule set of a directory (files starting with "." are skipped, and so
 * is the `models` folder, whose files the sets name).
 */
export function loadRuleSets(dir: string, options: CompileOptions = {}): LoadedRuleSets {
  const defs = new Map<string, RuleSetDef>();
  const { models, errors } = readModels(dir);
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || !EXTENSIONS.has(extname(name))) continue;
    const file = join(dir, name);
    try {
      const def = readRuleSetFile(file, { ...options, models: (ref) => models.get(ref) });
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
        compileRuleSet(def, (id) => defs.get(id), { knownLiterals, ...options }),
      );
    } catch (e) {
      errors.push({ file: join(dir, def.id), message: (e as Error).message });
    }
  }
  return { defs, compiled, errors };
}
