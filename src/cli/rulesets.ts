/**
 * `--ruleset ID|PATH`: an id looks in the rules directory (DECLUTTER_RULES_DIR, else ./rules,
 * else the rules shipped with the package); a path (anything with a slash or a .yaml/.yml/.json
 * ending) is read as a file, and its `extends` is resolved against the same directory.
 * Every command compiles its sets as the service does, on `SAFE_REGEX`: a rules directory may hold
 * sets written through the API, and a file given on the command line may come from anyone.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CompiledRuleSet, CompileOptions } from '../engine';
import { compileRuleSet } from '../engine/ruleset';
import { loadRuleSets, PACKAGED_RULES_DIR, readRuleSetFile, type LoadedRuleSets } from '../rulesets/load';
import { knownLiterals } from '../rulesets/prechecked';
import { SAFE_REGEX } from '../rulesets/safe-regex';
import { CliError } from './args';

export function rulesDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DECLUTTER_RULES_DIR) return resolve(env.DECLUTTER_RULES_DIR);
  const local = resolve('rules');
  return existsSync(local) ? local : PACKAGED_RULES_DIR;
}

/** How the CLI compiles and validates every rule set. */
export const CLI_SETS: CompileOptions = { regex: SAFE_REGEX, knownLiterals };

let loaded: LoadedRuleSets | undefined;
function loadDir(): LoadedRuleSets {
  if (!loaded) {
    const dir = rulesDir();
    if (!existsSync(dir)) throw new CliError(`rules directory not found: ${dir}`, 1);
    loaded = loadRuleSets(dir, CLI_SETS);
  }
  return loaded;
}

export function isRuleSetPath(arg: string): boolean {
  return arg.includes('/') || /\.(ya?ml|json)$/i.test(arg);
}

export function resolveRuleSet(arg: string | undefined): CompiledRuleSet {
  const name = arg ?? 'default';
  if (isRuleSetPath(name)) {
    if (!existsSync(name)) throw new CliError(`no such rule-set file: ${name}`, 1);
    try {
      const def = readRuleSetFile(name, CLI_SETS);
      return compileRuleSet(def, (id) => loadDir().defs.get(id), CLI_SETS);
    } catch (e) {
      throw new CliError((e as Error).message, 1);
    }
  }
  const dir = loadDir();
  const set = dir.compiled.get(name);
  if (set) return set;
  const refused = dir.errors.find((e) => e.file.includes(name));
  throw new CliError(refused ? refused.message : `unknown rule set "${name}" (known: ${[...dir.compiled.keys()].join(', ') || 'none'})`, 1);
}
