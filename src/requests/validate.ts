/**
 * Checking a value against a schema of schemas.ts. Problems come back as one entry per field,
 * named by its path, in words a client can act on ("must be one of utf16, codepoint").
 *
 * A rule set sent inline is checked here only as an object: compiling it (ruleset.ts) checks it
 * fully, and answers `invalid-ruleset` naming each rule and field, which a schema error cannot.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { FieldError } from '../errors';
import { LANGUAGE_TAG } from './language';
import { RULE_SET_REF } from './schemas';

let ajv: Ajv | undefined;
const compiled = new Map<TSchema, ValidateFunction>();

function validatorFor(schema: TSchema): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    if (!ajv) {
      ajv = new Ajv({ allErrors: true, strict: false });
      ajv.addSchema({ $id: RULE_SET_REF, type: 'object' });
    }
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

/** What a pattern means, for the patterns a client cannot be expected to read. */
const PATTERN_MEANINGS: Record<string, string> = {
  [LANGUAGE_TAG]: 'must be an ISO 639-1 code such as "en"',
};

const typeName = (type: string) => (type === 'null' ? 'null' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

function messageOf(e: ErrorObject): string {
  switch (e.keyword) {
    case 'type':
      return `must be ${typeName((e.params as { type: string }).type)}`;
    case 'pattern':
      return PATTERN_MEANINGS[(e.params as { pattern: string }).pattern] ?? e.message ?? 'is invalid';
    case 'maxLength':
      return `must be at most ${(e.params as { limit: number }).limit} characters long`;
    default:
      return e.message ?? 'is invalid';
  }
}

/** One message for the errors of one field: the most specific, or what it may be. */
function fieldMessage(group: ErrorObject[]): string {
  const consts = group.filter((e) => e.keyword === 'const').map((e) => (e.params as { allowedValue: unknown }).allowedValue);
  if (consts.length && group.some((e) => e.keyword === 'anyOf')) return `must be one of ${consts.join(', ')}`;
  const specific = group.find((e) => e.keyword !== 'anyOf' && e.keyword !== 'type');
  if (specific) return messageOf(specific);
  const types = group.filter((e) => e.keyword === 'type').map((e) => typeName((e.params as { type: string }).type));
  if (types.length > 1) return `must be ${types.slice(0, -1).join(', ')} or ${types[types.length - 1]}`;
  return messageOf(group.find((e) => e.keyword === 'type') ?? group[0]);
}

function fieldErrors(errors: ErrorObject[], where: 'body' | 'query'): FieldError[] {
  const byPath = new Map<string, ErrorObject[]>();
  const out: FieldError[] = [];
  for (const e of errors) {
    const path = e.instancePath.replace(/^\//, '');
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      out.push({ in: where, field: path ? `${path}/${extra}` : extra, message: 'is not a known field' });
    } else if (e.keyword === 'required') {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      out.push({ in: where, field: path ? `${path}/${missing}` : missing, message: 'is required' });
    } else {
      const group = byPath.get(path);
      if (group) group.push(e);
      else byPath.set(path, [e]);
    }
  }
  for (const [path, group] of byPath) out.push({ in: where, field: path || '(body)', message: fieldMessage(group) });
  return out;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export function check<S extends TSchema>(schema: S, value: unknown, where: 'body' | 'query' = 'body'): Checked<Static<S>> {
  const v = validatorFor(schema);
  return v(value) ? { ok: true, value: value as Static<S> } : { ok: false, errors: fieldErrors(v.errors ?? [], where) };
}

/** The errors in one sentence: `field "lang" must be ...; query parameter "offsets" must be ...`. */
export function describeFieldErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.in === 'query' ? 'query parameter' : 'field'} "${e.field}" ${e.message}`).join('; ');
}
