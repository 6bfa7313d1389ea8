/**
 * The HTTP shapes as TypeBox schemas: query parameters, answers and the evaluation request. The
 * same objects validate requests and make /openapi.json (openapi.ts), so the documentation cannot
 * drift from what the service accepts. A document's own schemas (the body of POST /v1/clean, a
 * batch line, a labelled document) are ../requests/schemas.ts; the rule-set schema is the
 * engine's own (`ruleSetSchema()`), referenced by its $id.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { STANDARD_CATEGORIES } from '../engine';
import { ERROR_CODES } from '../errors';
import { BatchDocument, CleanRequest, Detail, DocId, Format, LabelledDocument, Lang, Offsets, RuleSetId, RuleSetRef, Url } from '../requests';

/** Query parameters of POST /v1/clean; for JSON bodies the body's fields win over these. */
export const CleanQuery = Type.Object(
  {
    ruleset: Type.Optional(RuleSetId),
    lang: Type.Optional(Lang),
    offsets: Type.Optional(Offsets),
    id: Type.Optional(DocId),
    url: Type.Optional(Url),
    format: Type.Optional(Format),
    detail: Type.Optional(Detail),
  },
  { additionalProperties: false, $id: 'CleanQuery' },
);

export const Removal = Type.Object(
  {
    start: Type.Integer({ minimum: 0 }),
    end: Type.Integer({ minimum: 0 }),
    text: Type.String({ description: 'input.slice(start, end)' }),
    rule: Type.String(),
    category: Type.String({ description: `One of ${STANDARD_CATEGORIES.join(', ')}, or a category of the rule set's own.` }),
    reason: Type.String(),
    path: Type.Optional(Type.String({ description: 'HTML input: CSS path of the removed element.' })),
  },
  { $id: 'Removal' },
);

/** A removed span of a `detail=spans` result: its rule's category and reason are in the result's `rules`. */
export const SpanRemoval = Type.Object(
  {
    start: Type.Integer({ minimum: 0 }),
    end: Type.Integer({ minimum: 0 }),
    rule: Type.String({ description: "A key of the result's `rules`." }),
  },
  { $id: 'SpanRemoval', additionalProperties: false },
);

export const CleanResult = Type.Object(
  {
    id: Type.Optional(Type.String()),
    text: Type.String({ description: 'The clean article body, blocks separated by a blank line.' }),
    removed: Type.Optional(
      Type.Union([Type.Array(Removal), Type.Array(SpanRemoval)], {
        description:
          'Sorted by start; spans do not overlap. `detail=full` (default): Removal; `detail=spans`: SpanRemoval, the same offsets; absent with `detail=none`.',
      }),
    ),
    rules: Type.Optional(
      Type.Record(Type.String(), Type.Object({ category: Type.String(), reason: Type.String() }), {
        description:
          "`detail=spans` only: each rule that removed something, once, with its category and reason (the first clause of the rule's description, without its parenthesised examples).",
      }),
    ),
    stats: Type.Object({
      inputChars: Type.Integer(),
      outputChars: Type.Integer(),
      removedChars: Type.Integer(),
      blocks: Type.Integer(),
      removedBlocks: Type.Integer(),
      elapsedMs: Type.Number(),
    }),
    ruleset: Type.Object({ id: Type.String(), version: Type.Integer() }),
    lang: Type.String(),
    html: Type.Optional(Type.String({ description: 'With format=html: the article as sanitised HTML (see docs/html.md for what it may contain).' })),
  },
  { $id: 'CleanResult' },
);

export const RuleSetSummary = Type.Object(
  {
    id: Type.String(),
    version: Type.Integer(),
    description: Type.Optional(Type.String()),
    extends: Type.Optional(Type.String()),
    hosts: Type.Array(Type.String()),
    rules: Type.Integer({ description: 'Rules that run: own and inherited, less the disabled.' }),
    etag: Type.String({ description: 'The current ETag, "<id>@<version>", for If-Match.' }),
  },
  { $id: 'RuleSetSummary' },
);

export const RuleSetVersions = Type.Object(
  {
    id: Type.String(),
    versions: Type.Array(Type.Object({ version: Type.Integer(), savedAt: Type.String({ format: 'date-time' }), current: Type.Boolean() }), {
      description: 'Newest first; a deleted set has no current version.',
    }),
  },
  { $id: 'RuleSetVersions' },
);

export const EvaluateRequest = Type.Object(
  {
    documents: Type.Array(LabelledDocument, { minItems: 1, maxItems: 500 }),
    ruleset: Type.Optional(
      Type.Union([RuleSetId, RuleSetRef], {
        description:
          'POST /v1/evaluate: an id or an inline set (default: "default"). POST /v1/rulesets/{id}/evaluate: an inline set to evaluate instead of the stored one.',
      }),
    ),
    baseline: Type.Optional(Type.Boolean({ description: 'With an inline set: also evaluate the stored set, answered as `baseline`.' })),
  },
  { $id: 'EvaluateRequest' },
);

const Scores = { docs: Type.Integer(), precision: Type.Number(), recall: Type.Number(), f1: Type.Number() };
const Counts = { tp: Type.Integer(), fp: Type.Integer(), fn: Type.Integer(), tn: Type.Integer() };
const Tally = { hits: Type.Integer(), removedChars: Type.Integer() };

export const Evaluation = Type.Object(
  {
    ruleset: Type.Object({ id: Type.String(), version: Type.Integer() }),
    metrics: Type.Object({
      shingle: Type.Optional(Type.Object(Scores, { description: 'Documents with gold: word 4-gram shingles, as score.mjs.' })),
      snippets: Type.Optional(Type.Object({ ...Scores, ...Counts }, { description: 'Documents with with/without snippets, as score.mjs.' })),
    }),
    rules: Type.Array(Type.Object({ rule: Type.String(), category: Type.String(), ...Tally })),
    categories: Type.Array(Type.Object({ category: Type.String(), ...Tally })),
    documents: Type.Array(
      Type.Object({
        id: Type.String(),
        precision: Type.Number(),
        recall: Type.Number(),
        f1: Type.Number(),
        removedChars: Type.Integer(),
        hits: Type.Record(Type.String(), Type.Integer()),
        ...Object.fromEntries(Object.entries(Counts).map(([k, v]) => [k, Type.Optional(v)])),
        error: Type.Optional(
          Type.Object({ code: Type.String(), detail: Type.String() }, { description: 'Not cleaned (time budget): scored as an empty prediction.' }),
        ),
      }),
    ),
    failed: Type.Integer({ description: 'Documents that could not be cleaned.' }),
    baseline: Type.Optional(Type.Unknown({ description: 'The same figures for the stored set, when asked for.' })),
  },
  { $id: 'Evaluation' },
);

export const RuleSetList = Type.Object({ rulesets: Type.Array(RuleSetSummary) }, { $id: 'RuleSetList' });

const RefusedFile = Type.Object({
  file: Type.String(),
  message: Type.String(),
  id: Type.Optional(Type.String({ description: 'The rule set the file is named for.' })),
  live: Type.Optional(Type.Integer({ description: 'The version of that set still served (the last good one).' })),
});

export const Health = Type.Object({ status: Type.Literal('ok') }, { $id: 'Health' });
export const Ready = Type.Object(
  {
    status: Type.Union([Type.Literal('ready'), Type.Literal('not ready'), Type.Literal('warming up'), Type.Literal('shutting down')], {
      description: '"not ready": no default rule set; "warming up": at start, for the first seconds; "shutting down": draining.',
    }),
    rulesets: Type.Integer({ description: 'Rule sets loaded.' }),
    refused: Type.Array(RefusedFile, { description: 'Rule-set files that did not load, and why.' }),
    store: Type.Optional(
      Type.Object(
        {
          kind: Type.Union([Type.Literal('files'), Type.Literal('postgres')]),
          where: Type.String({ description: 'The rules directory, or the database URL without user and password.' }),
          reachable: Type.Boolean({ description: 'false: the database is down; the sets loaded stay live, saves answer 503 store-unavailable.' }),
          since: Type.Optional(Type.String({ description: 'When it stopped answering.' })),
          error: Type.Optional(Type.String()),
        },
        { description: 'Where the rule sets are kept (DECLUTTER_STORE), and whether it answers.' },
      ),
    ),
  },
  { $id: 'Ready' },
);

export const Problem = Type.Object(
  {
    type: Type.String({ description: 'urn:declutter:problem:<code>' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.Union(Object.keys(ERROR_CODES).map((c) => Type.Literal(c))),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), message: Type.String(), rule: Type.Optional(Type.String()), in: Type.Optional(Type.String()) })),
    ),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details.' },
);

/** Every named schema, for the OpenAPI components section. */
export const NAMED_SCHEMAS: TSchema[] = [
  CleanQuery,
  CleanRequest,
  BatchDocument,
  LabelledDocument,
  Removal,
  SpanRemoval,
  CleanResult,
  RuleSetSummary,
  RuleSetList,
  RuleSetVersions,
  EvaluateRequest,
  Evaluation,
  Health,
  Ready,
  Problem,
];
