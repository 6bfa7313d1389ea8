/**
 * Request validation with the schemas of schemas.ts. Problems come back as one entry per field,
 * named by its path, in words a client can act on ("must be one of utf16, codepoint").
 */
import type { Static, TSchema } from '@sinclair/typebox';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { ruleSetSchema } from '../engine';
import type { FieldError } from '../errors';
import { CleanQuery, CleanRequest } from './schemas';

let ajv: Ajv | undefined;
const compiled = new Map<TSchema, ValidateFunction>();

/** Built on first use, after every rule kind (including ones registered later) is known. */
function validatorFor(schema: TSchema): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    if (!ajv) {
      ajv = new Ajv({ allErrors: true, strict: false });
      ajv.addSchema(ruleSetSchema());
    }
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
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
      byPath.set(path, [...(byPath.get(path) ?? []), e]);
    }
  }
  for (const [path, group] of byPath) {
    const field = path || '(body)';
    const consts = group.filter((e) => e.keyword === 'const').map((e) => (e.params as { allowedValue: unknown }).allowedValue);
    if (consts.length && group.some((e) => e.keyword === 'anyOf')) {
      out.push({ in: where, field, message: `must be one of ${consts.join(', ')}` });
    } else {
      const first = group.find((e) => e.keyword !== 'anyOf') ?? group[0];
      out.push({ in: where, field, message: first.message ?? 'is invalid' });
    }
  }
  return out;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

function check<S extends TSchema>(schema: S, value: unknown, where: 'body' | 'query'): Checked<Static<S>> {
  const v = validatorFor(schema);
  return v(value) ? { ok: true, value: value as Static<S> } : { ok: false, errors: fieldErrors(v.errors ?? [], where) };
}

export const checkCleanQuery = (query: unknown) => check(CleanQuery, query, 'query');
export const checkCleanRequest = (body: unknown) => check(CleanRequest, body, 'body');
