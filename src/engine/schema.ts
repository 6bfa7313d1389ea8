/**
 * The rule-set format as JSON Schema (TypeBox), used three ways: to validate files and API
 * bodies, to type the code, and to generate /openapi.json. One source, no drift.
 */
import type { TObject, TProperties, TSchema } from '@sinclair/typebox';
import { Type } from './typebox';
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { RULE_KINDS } from './kinds';
import { kindOptions, type CompileOptions } from './regex';
import type { RuleDefBase } from './rule';

export const RULE_ID_PATTERN = '^[a-z0-9][a-z0-9._-]*$';

const removeExample = () =>
  Type.Union([Type.String(), Type.Object({ text: Type.String(), removed: Type.Optional(Type.Array(Type.String())) }, { additionalProperties: false })]);
const keepExample = () =>
  Type.Union([Type.String(), Type.Object({ text: Type.String(), kept: Type.Optional(Type.Array(Type.String())) }, { additionalProperties: false })]);

/** The fields every rule has, whatever its kind (a function: schemas are built on first use, see typebox.ts). */
export function baseRuleProperties(): TProperties {
  return {
    id: Type.String({ pattern: RULE_ID_PATTERN, description: 'Stable id, reported with every removal.' }),
    category: Type.String({
      pattern: '^[a-z][a-z0-9-]*$',
      description: "residue, ad, comment, teaser, navigation, byline, social, legal, duplicate, boilerplate, or a category of the set's own.",
    }),
    description: Type.String({ minLength: 1, description: 'What the rule removes and why; the reason given for each removal.' }),
    kind: Type.String(),
    enabled: Type.Optional(Type.Boolean({ description: 'false switches the rule off without deleting it.' })),
    examples: Type.Object(
      {
        remove: Type.Array(removeExample(), { description: 'Documents from which the rule must remove something (or the listed substrings).' }),
        keep: Type.Array(keepExample(), { description: 'Documents the rule must leave alone (or whose listed substrings it must keep).' }),
      },
      { additionalProperties: false },
    ),
  };
}

/** The schema of one rule of a given kind: the base fields plus the kind's own, nothing else. */
export function ruleSchema(kind: string): TObject {
  const k = RULE_KINDS.get(kind)!;
  return Type.Object(
    { ...baseRuleProperties(), kind: Type.Literal(kind), ...k.properties },
    { additionalProperties: false, description: k.summary, $id: `rule-${kind}` },
  );
}

/** The fields of a set around its rules. */
export function ruleSetHeaderProperties(): TProperties {
  return {
    id: Type.String({ pattern: RULE_ID_PATTERN }),
    version: Type.Integer({ minimum: 1, description: 'Raised on every save.' }),
    description: Type.Optional(Type.String()),
    extends: Type.Optional(Type.String({ pattern: RULE_ID_PATTERN, description: 'Start from another set.' })),
    hosts: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { description: 'Host patterns ("*.example.com") that choose this set by the request url.' }),
    ),
    disable: Type.Optional(Type.Array(Type.String(), { description: 'Ids of inherited rules to switch off.' })),
  };
}

/** A whole rule set; each rule is checked against its own kind's schema. */
export function ruleSetSchema(): TSchema {
  return Type.Object(
    { ...ruleSetHeaderProperties(), rules: Type.Array(Type.Union([...RULE_KINDS.keys()].map(ruleSchema))) },
    { additionalProperties: false, $id: 'RuleSet' },
  );
}

export interface RuleSetDef {
  id: string;
  version: number;
  description?: string;
  extends?: string;
  hosts?: string[];
  disable?: string[];
  rules: RuleDefBase[];
}

export interface ValidationIssue {
  /** The rule's id when the problem is inside a rule. */
  rule?: string;
  /** JSON-pointer-like path to the field, relative to the rule when `rule` is set. */
  field: string;
  message: string;
}

export class RuleSetError extends Error {
  constructor(
    readonly issues: ValidationIssue[],
    readonly source?: string,
  ) {
    super((source ? `${source}: ` : '') + describeIssues(issues));
    this.name = 'RuleSetError';
  }
}

/** The issues as one line a person reads: `rule "x", field "pattern": ...; field "version": ...`. */
export function describeIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => (i.rule ? `rule "${i.rule}", field "${i.field}": ${i.message}` : `field "${i.field}": ${i.message}`)).join('; ');
}

// allErrors: a person fixing a file wants every problem of a rule at once, not one per attempt.
// There can be one per item of a long list, so they are pushed one by one, never spread into a call.
// Compiled on the first validation, not at load: a start whose sets were checked at build time
// (src/rulesets/prechecked.ts) validates nothing.
let ajv: Ajv | undefined;
let headerValidator: ValidateFunction | undefined;
let baseRuleValidator: ValidateFunction | undefined;
const ruleValidators = new Map<string, ValidateFunction>();

function validators(): { ajv: Ajv; header: ValidateFunction; baseRule: ValidateFunction } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ajv ??= new (require('ajv') as typeof import('ajv')).default({ allErrors: true, strict: false });
  headerValidator ??= ajv.compile(Type.Object({ ...ruleSetHeaderProperties(), rules: Type.Array(Type.Unknown()) }, { additionalProperties: false }));
  baseRuleValidator ??= ajv.compile(Type.Object({ id: baseRuleProperties().id, kind: Type.String() }, { additionalProperties: true }));
  return { ajv, header: headerValidator, baseRule: baseRuleValidator };
}

function toIssue(e: ErrorObject, rule?: string): ValidationIssue {
  let field = e.instancePath.replace(/^\//, '');
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return { rule, field: field ? `${field}/${extra}` : extra, message: 'is not a known field' };
  }
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return { rule, field: field ? `${field}/${missing}` : missing, message: 'is required' };
  }
  if (!field) field = '(root)';
  return { rule, field, message: e.message ?? 'is invalid' };
}

/**
 * Checks a parsed rule set and returns it typed, or throws RuleSetError naming the rule and field.
 * All problems of the header, then the first problem of each rule, are reported at once.
 * Patterns are checked on `options.regex`, the engine they will be compiled with.
 */
export function validateRuleSet(input: unknown, source?: string, options: CompileOptions = {}): RuleSetDef {
  const resolved = kindOptions(options);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new RuleSetError([{ field: '(root)', message: 'must be a mapping with id, version and rules' }], source);
  }
  const { ajv, header: headerValidator, baseRule: baseRuleValidator } = validators();
  const issues: ValidationIssue[] = [];
  if (!headerValidator(input)) for (const e of headerValidator.errors ?? []) issues.push(toIssue(e));
  const rules = (input as { rules?: unknown }).rules;
  if (Array.isArray(rules)) {
    const ids = new Set<string>();
    rules.forEach((rule, i) => {
      const label = typeof (rule as { id?: unknown })?.id === 'string' ? (rule as { id: string }).id : `#${i + 1}`;
      if (!baseRuleValidator(rule)) {
        for (const e of baseRuleValidator.errors ?? []) issues.push(toIssue(e, label));
        return;
      }
      const def = rule as RuleDefBase;
      const kind = RULE_KINDS.get(def.kind);
      if (!kind) {
        issues.push({ rule: label, field: 'kind', message: `unknown kind "${def.kind}" (known: ${[...RULE_KINDS.keys()].join(', ')})` });
        return;
      }
      if (ids.has(def.id)) issues.push({ rule: label, field: 'id', message: 'is used by another rule of this set' });
      ids.add(def.id);
      let v = ruleValidators.get(def.kind);
      if (!v) {
        v = ajv.compile(ruleSchema(def.kind));
        ruleValidators.set(def.kind, v);
      }
      if (!v(rule)) {
        for (const e of v.errors ?? []) issues.push(toIssue(e, label));
        return;
      }
      const extra = kind.check?.(def, resolved);
      if (extra) issues.push({ rule: label, ...extra });
    });
  }
  if (issues.length) throw new RuleSetError(issues, source);
  return input as RuleSetDef;
}
