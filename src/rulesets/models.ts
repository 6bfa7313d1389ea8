/**
 * Trained models in files of their own. A scorer rule names its model (`model: models/text.yaml`,
 * a file in the `models` folder beside the set); the loader reads that folder and hands the
 * engine each rule with its model's fields filled in. So the engine reads no files, a set's file
 * holds only what people write, and `declutter train` writes nothing but model files.
 *
 * A reference is looked up among the models loaded from the folder, never opened as a path: a set
 * sent through the API can name a loaded model, but cannot make the service read any other file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { RuleDefBase, RuleSetDef, ValidationIssue } from '../engine';
import { RuleSetError } from '../engine/schema';
import { scorerModelSchema } from '../engine/kinds/scorer';
import { prechecked } from './prechecked';
import { yaml } from './yaml-parser';

/** The folder of the rules directory that holds model files; it is never scanned for sets. */
export const MODELS_DIR = 'models';
const MODEL_FILE = /^[a-z0-9][a-z0-9._-]*\.ya?ml$/;

/** A model file's fields: threshold, runCut, runFloor, runGap, window, block, context, dom. */
export type ModelData = Readonly<Record<string, unknown>>;
/** Finds a loaded model by the reference a rule writes (`models/text.yaml`). */
export type ModelLookup = (ref: string) => ModelData | undefined;

// Compiled when first needed: files checked at build time (prechecked.ts) need neither.
let modelValidator: ValidateFunction | undefined;
function validateModel(data: unknown): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  modelValidator ??= new (require('ajv') as typeof import('ajv')).default({ allErrors: true, strict: false }).compile(scorerModelSchema());
  return modelValidator(data);
}

/** The reference a rule writes for a model file of the folder. */
export function modelRef(fileName: string): string {
  return `${MODELS_DIR}/${fileName}`;
}

/** Model file names of a rules directory's `models` folder (none when there is no folder). */
export function modelFileNames(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(join(dir, MODELS_DIR));
  } catch {
    return [];
  }
  return names.filter((n) => MODEL_FILE.test(n)).sort();
}

/** Parses and checks a model file; throws RuleSetError naming the file and field. */
export function parseModelText(text: string, source: string): ModelData {
  const known = prechecked('model', text);
  if (known) return known as ModelData;
  let data: unknown;
  try {
    data = yaml().parse(text, { prettyErrors: true });
  } catch (e) {
    throw new RuleSetError([{ field: '(file)', message: `does not parse: ${(e as Error).message.split('\n')[0]}` }], source);
  }
  if (!validateModel(data)) {
    const issues = (modelValidator!.errors ?? []).map((e) => ({
      field: e.instancePath.replace(/^\//, '') || '(root)',
      message:
        e.keyword === 'additionalProperties'
          ? `has "${(e.params as { additionalProperty: string }).additionalProperty}", which is not a model field`
          : (e.message ?? 'is invalid'),
    }));
    throw new RuleSetError(issues, source);
  }
  return data as unknown as ModelData;
}

/** Every model of `dir/models`, by reference; files that do not load are listed in `errors`. */
export function readModels(dir: string): { models: Map<string, ModelData>; errors: { file: string; message: string }[] } {
  const models = new Map<string, ModelData>();
  const errors: { file: string; message: string }[] = [];
  for (const name of modelFileNames(dir)) {
    const file = join(dir, MODELS_DIR, name);
    try {
      models.set(modelRef(name), parseModelText(readFileSync(file, 'utf8'), file));
    } catch (e) {
      errors.push({ file, message: (e as Error).message });
    }
  }
  return { models, errors };
}

/** The model references of a set's own rules. */
export function modelRefs(def: RuleSetDef): string[] {
  return def.rules.flatMap((r) => (typeof r.model === 'string' ? [r.model] : []));
}

/**
 * The set as the engine runs it: each rule that names a model gets the model's fields, and a
 * field the rule gives itself (a threshold tuned by hand) stays the rule's. Answers `def` itself
 * when no rule names a model.
 */
export function resolveModels(def: RuleSetDef, lookup: ModelLookup, source?: string): RuleSetDef {
  if (!def.rules.some((r) => typeof r.model === 'string')) return def;
  const issues: ValidationIssue[] = [];
  const rules = def.rules.map((rule): RuleDefBase => {
    if (typeof rule.model !== 'string') return rule;
    const model = lookup(rule.model);
    if (!model) {
      issues.push({ rule: rule.id, field: 'model', message: `no model file "${rule.model}" in the rules directory` });
      return rule;
    }
    const { model: _ref, ...own } = rule;
    return { ...own, ...Object.fromEntries(Object.entries(model).filter(([k]) => own[k] === undefined)) } as RuleDefBase;
  });
  if (issues.length) throw new RuleSetError(issues, source);
  return { ...def, rules };
}
