/**
 * The OpenAPI 3.1 document, built from the TypeBox schemas that validate the requests (schemas.ts
 * and ../requests/schemas.ts) and the engine's rule-set schema. Nested schemas that carry an `$id`
 * become components and are referenced, so each shape is written once in the document as in the
 * code.
 */
import type { TSchema } from '@sinclair/typebox';
import { ruleSetSchema } from '../engine';
import { ERROR_CODES, type ErrorCode } from '../errors';
import { CleanRequest } from '../requests';
import { RULESET_ID_MAX } from '../requests/ruleset-id';
import { CleanQuery, NAMED_SCHEMAS } from './schemas';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Plain JSON (TypeBox's symbol keys dropped), with nested `$id` schemas hoisted into `components`. */
function hoist(schema: TSchema, components: Record<string, Json>): JsonObject {
  const plain = JSON.parse(JSON.stringify(schema)) as JsonObject;
  const visit = (node: Json, root: boolean): Json => {
    if (Array.isArray(node)) return node.map((n) => visit(n, false));
    if (node === null || typeof node !== 'object') return node;
    const { $id, ...rest } = node;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(rest)) {
      // `$ref: "RuleSet"` is how schemas.ts points at the engine's schema: point at the component.
      out[k] = k === '$ref' && typeof v === 'string' && !v.startsWith('#') ? `#/components/schemas/${v}` : visit(v, false);
    }
    if (typeof $id === 'string' && !root) {
      components[$id] ??= out;
      return ref($id);
    }
    return out;
  };
  return visit(plain, true) as JsonObject;
}

function problemResponse(codes: ErrorCode[]): Json {
  return {
    description: codes.map((c) => `\`${c}\`: ${ERROR_CODES[c].title}`).join('; '),
    content: { 'application/problem+json': { schema: ref('Problem') } },
  };
}

/** Each status with the problem codes that use it, for the operations that can answer them. */
function problems(...codes: ErrorCode[]): Record<string, Json> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const c of codes) byStatus.set(ERROR_CODES[c].status, [...(byStatus.get(ERROR_CODES[c].status) ?? []), c]);
  return Object.fromEntries([...byStatus].map(([status, cs]) => [String(status), problemResponse(cs)]));
}

const json = (schema: Json, description: string) => ({ description, content: { 'application/json': { schema } } });

export function openApiDocument(version: string): JsonObject {
  const components: Record<string, Json> = {};
  for (const schema of [...NAMED_SCHEMAS, ruleSetSchema()]) {
    const name = (schema as { $id: string }).$id;
    components[name] = hoist(schema, components);
  }
  const queryProps = (hoist(CleanQuery, components).properties ?? {}) as Record<string, Json>;
  const cleanParameters = Object.entries(queryProps).map(([name, schema]) => {
    const description = (schema as { description?: string }).description;
    return { name, in: 'query', required: false, schema, ...(description ? { description } : {}) };
  });

  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', maxLength: RULESET_ID_MAX } };
  const ruleSetContent = { 'application/json': { schema: ref('RuleSet') }, 'application/yaml': { schema: { type: 'string' } } };
  const evaluateProblems = problems(
    'malformed-json',
    'unknown-ruleset',
    'body-too-large',
    'unsupported-media-type',
    'invalid-request',
    'invalid-ruleset',
    'method-not-allowed',
  );

  return {
    openapi: '3.1.0',
    info: {
      title: 'declutter',
      version,
      description: 'Turns raw scraped web text into the clean article body and annotates every removed span.',
    },
    paths: {
      '/v1/clean': {
        post: {
          operationId: 'clean',
          summary: 'Clean one document',
          description:
            'Raw text as text/plain or a page as text/html (options as query parameters), or a JSON object with `text` or `html`. ' +
            'A text/html body is decoded by its BOM, else the Content-Type charset, else a <meta> charset in its first 1024 bytes, else UTF-8; ' +
            'removal offsets then index the decoded HTML source. `format=html` adds the article as sanitised HTML. See docs/html.md. ' +
            '`detail` (`options.detail` in JSON, which wins) chooses how much of the result comes back: `full` (default), `spans` or `none`.',
          parameters: cleanParameters,
          requestBody: {
            required: true,
            content: {
              'text/plain': { schema: { type: 'string' } },
              'text/html': { schema: { type: 'string', format: 'binary' } },
              'application/json': { schema: ref((CleanRequest as { $id: string }).$id) },
            },
          },
          responses: {
            200: json(ref('CleanResult'), 'The clean text and every removed span.'),
            ...problems(
              'malformed-json',
              'bad-request',
              'unknown-ruleset',
              'body-too-large',
              'unsupported-media-type',
              'unsupported-charset',
              'invalid-request',
              'invalid-ruleset',
              'ruleset-too-large',
              'clean-timeout',
              'ruleset-too-costly',
              'not-ready',
              'overloaded',
              'method-not-allowed',
            ),
          },
        },
      },
      '/v1/clean/batch': {
        post: {
          operationId: 'cleanBatch',
          summary: 'Clean many documents',
          description:
            'application/x-ndjson (or application/jsonl): one `{id, text or html, url?, lang?, ruleset?, options?}` (a BatchDocument) a line in, ' +
            'one result a line out, in input order, streamed; a bad line gives `{id, error: {type, code, status, title, detail, line}}` and the rest go on. ' +
            'application/json `{documents: [...]}` answers `{results: [...]}` for small batches. ' +
            'application/warc: a WARC or WET file (plain, gzip members, or a gzip Content-Encoding); HTML `response` records are cleaned as pages and ' +
            'WET `conversion` records as text (`WARC-Record-ID` is the `id`, `WARC-Target-URI` the `url`), other records are skipped, a damaged record ' +
            'gives an error line (`malformed-warc`, `record-too-large`) and the rest go on. With `Accept: application/warc` the answer is WARC ' +
            '`conversion` records of the clean text (`WARC-Refers-To` the source record; errors as `metadata` records of problem+json).',
          parameters: [
            { name: 'ruleset', in: 'query', required: false, schema: { type: 'string' }, description: 'The set for lines that name none.' },
            { name: 'offsets', in: 'query', required: false, schema: { enum: ['utf16', 'codepoint'] } },
            {
              name: 'input',
              in: 'query',
              required: false,
              schema: { enum: ['text', 'html'] },
              description: "`html`: lines with both `text` and `html` are cleaned as HTML (a line's `options.input` wins).",
            },
            {
              name: 'format',
              in: 'query',
              required: false,
              schema: { enum: ['text', 'html'] },
              description: '`html`: every result also carries the sanitised article as `html`.',
            },
            {
              name: 'detail',
              in: 'query',
              required: false,
              schema: { enum: ['full', 'spans', 'none'] },
              description:
                "How much of each result comes back (as for POST /v1/clean; a line's `options.detail` wins). WARC output carries the clean text only.",
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/x-ndjson': { schema: { type: 'string' } },
              'application/json': {
                schema: { type: 'object', required: ['documents'], properties: { documents: { type: 'array', items: ref('BatchDocument') } } },
              },
              'application/warc': { schema: { type: 'string', format: 'binary' } },
            },
          },
          responses: {
            200: {
              description: 'One result (or `{id, error}`) a line; for a JSON request, `{results: [...]}`.',
              content: {
                'application/x-ndjson': { schema: { type: 'string' } },
                'application/json': { schema: { type: 'object', properties: { results: { type: 'array', items: { type: 'object' } } } } },
                'application/warc': { schema: { type: 'string', format: 'binary' } },
              },
            },
            ...problems('unknown-ruleset', 'body-too-large', 'unsupported-media-type', 'invalid-request', 'method-not-allowed'),
          },
        },
      },
      '/v1/rulesets': {
        get: {
          operationId: 'listRuleSets',
          summary: 'The stored rule sets',
          responses: { 200: json(ref('RuleSetList'), 'Every rule set that loaded.') },
        },
      },
      '/v1/rulesets/{id}': {
        get: {
          operationId: 'getRuleSet',
          summary: 'One rule set as written (extends unresolved)',
          parameters: [
            idParam,
            {
              name: 'effective',
              in: 'query',
              required: false,
              schema: { enum: ['true'] },
              description: 'Add `effectiveRules`: the rules after extends/disable, each with `enabled` and `from`.',
            },
          ],
          responses: {
            200: { description: 'The rule set, as JSON or (Accept: application/yaml) as YAML; header ETag.', content: ruleSetContent },
            ...problems('unknown-ruleset', 'not-acceptable'),
          },
        },
        put: {
          operationId: 'putRuleSet',
          summary: 'Save the next version of a rule set (admin token)',
          description:
            'The server sets `version` to the previous + 1. `If-Match: "<etag>"` refuses the write (412) when another came first; `If-None-Match: *` only creates. The previous version is kept in history.',
          security: [{ admin: [] }],
          parameters: [
            idParam,
            { name: 'If-Match', in: 'header', required: false, schema: { type: 'string' } },
            { name: 'If-None-Match', in: 'header', required: false, schema: { const: '*' } },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: ref('RuleSet') }, 'application/yaml': { schema: { type: 'string' } } } },
          responses: {
            200: { description: 'Saved; header ETag.', content: ruleSetContent },
            201: { description: 'Created; headers ETag and Location.', content: ruleSetContent },
            ...problems(
              'malformed-json',
              'malformed-yaml',
              'unauthorized',
              'writes-disabled',
              'precondition-failed',
              'body-too-large',
              'unsupported-media-type',
              'invalid-request',
              'invalid-ruleset',
              'ruleset-busy',
              'store-unavailable',
              'insufficient-storage',
              'method-not-allowed',
            ),
          },
        },
        delete: {
          operationId: 'deleteRuleSet',
          summary: 'Move a rule set to history (admin token)',
          security: [{ admin: [] }],
          parameters: [idParam, { name: 'If-Match', in: 'header', required: false, schema: { type: 'string' } }],
          responses: {
            204: { description: 'Deleted; its versions stay listed.' },
            ...problems('unauthorized', 'writes-disabled', 'unknown-ruleset', 'ruleset-in-use', 'precondition-failed', 'ruleset-busy', 'store-unavailable'),
            ...problems('unauthorized', 'writes-disabled', 'unknown-ruleset', 'ruleset-in-use', 'precondition-failed', 'ruleset-busy', 'insufficient-storage'),
          },
        },
      },
      '/v1/rulesets/{id}/versions': {
        get: {
          operationId: 'listRuleSetVersions',
          summary: 'Every saved version of a rule set, newest first',
          parameters: [idParam],
          responses: { 200: json(ref('RuleSetVersions'), 'The versions.'), ...problems('unknown-ruleset', 'store-unavailable') },
        },
      },
      '/v1/rulesets/{id}/versions/{version}': {
        get: {
          operationId: 'getRuleSetVersion',
          summary: 'One saved version of a rule set',
          parameters: [idParam, { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
          responses: {
            200: { description: 'That version, as JSON or YAML.', content: ruleSetContent },
            ...problems('not-found', 'not-acceptable', 'store-unavailable'),
          },
        },
      },
      '/v1/rulesets/{id}/evaluate': {
        post: {
          operationId: 'evaluateRuleSet',
          summary: 'Score a stored set (or an inline edit of it) on labelled documents',
          description:
            'Metrics exactly as ../shared/eval/score.mjs; documents are cleaned in the worker pool under the per-document time budget. At most 500 documents and 16 MB (413 beyond).',
          parameters: [idParam],
          requestBody: { required: true, content: { 'application/json': { schema: ref('EvaluateRequest') } } },
          responses: { 200: json(ref('Evaluation'), 'The scores.'), ...evaluateProblems },
        },
      },
      '/v1/evaluate': {
        post: {
          operationId: 'evaluate',
          summary: 'Score a rule set (id or inline) on labelled documents',
          requestBody: { required: true, content: { 'application/json': { schema: ref('EvaluateRequest') } } },
          responses: { 200: json(ref('Evaluation'), 'The scores.'), ...evaluateProblems },
        },
      },
      '/healthz': {
        get: { operationId: 'health', summary: 'Liveness: 200 while the process runs', responses: { 200: json(ref('Health'), 'Alive.') } },
      },
      '/readyz': {
        get: {
          operationId: 'ready',
          summary: 'Readiness: 200 when the rule sets (at least `default`) are loaded',
          responses: {
            200: json(ref('Ready'), 'Ready.'),
            503: json(ref('Ready'), 'Not ready: the default rule set did not load, or the service is shutting down.'),
          },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          summary: 'Prometheus metrics of this process (docs/operations.md says what each means)',
          responses: { 200: { description: 'The Prometheus text format', content: { 'text/plain; version=0.0.4': {} } } },
        },
      },
      '/openapi.json': {
        get: { operationId: 'openapi', summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': {} } } } },
      },
    },
    components: {
      schemas: components as JsonObject,
      securitySchemes: { admin: { type: 'http', scheme: 'bearer', description: 'DECLUTTER_ADMIN_TOKEN; rule-set writes only.' } },
    },
  };
}
