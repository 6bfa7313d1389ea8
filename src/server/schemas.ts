/**
 * The HTTP shapes as TypeBox schemas. The same objects validate requests (validate.ts) and make
 * /openapi.json (openapi.ts), so the documentation cannot drift from what the service accepts.
 * The rule-set schema is the engine's own (`ruleSetSchema()`), referenced by its $id.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { STANDARD_CATEGORIES } from '../engine';
import { RULE_ID_PATTERN } from '../engine/schema';
import { PROBLEM_CODES } from './problems';

/** The `$id` of the engine's rule-set schema; openapi.ts turns the reference into a component. */
export const RULE_SET_REF = 'RuleSet';
const RuleSetRef = Type.Unsafe<Record<string, unknown>>({ $ref: RULE_SET_REF });

export const RuleSetId = Type.String({ pattern: RULE_ID_PATTERN, description: 'Id of a stored rule set.', examples: ['default'] });
/** ISO 639-1 code, optionally with a region ("pt-BR"): only the language part is used. */
export const Lang = Type.String({ pattern: '^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$', description: 'ISO 639-1 language code; detected from the text when absent.', examples: ['en'] });
export const Offsets = Type.Union([Type.Literal('utf16'), Type.Literal('codepoint')], { description: 'Unit of removal offsets: UTF-16 code units (default) or Unicode code points.' });
export const DocId = Type.String({ maxLength: 1024, description: 'Echoed in the result.' });
export const Url = Type.String({ maxLength: 8192, description: "The page's address: chooses the rule set by host when none is named." });

/** Query parameters of POST /v1/clean; for JSON bodies the body's fields win over these. */
export const CleanQuery = Type.Object(
  { ruleset: Type.Optional(RuleSetId), lang: Type.Optional(Lang), offsets: Type.Optional(Offsets), id: Type.Optional(DocId), url: Type.Optional(Url) },
  { additionalProperties: false, $id: 'CleanQuery' },
);

export const CleanOptionsBody = Type.Object({ offsets: Type.Optional(Offsets) }, { additionalProperties: false });

export const CleanRequest = Type.Object(
  {
    text: Type.String({ description: 'The scraped text.' }),
    id: Type.Optional(DocId),
    url: Type.Optional(Url),
    lang: Type.Optional(Lang),
    ruleset: Type.Optional(Type.Union([RuleSetId, RuleSetRef], { description: 'A stored set by id, or a whole rule set inline (for tuning); chosen by `url`, else `default`, when absent.' })),
    options: Type.Optional(CleanOptionsBody),
  },
  { additionalProperties: false, $id: 'CleanRequest' },
);

export const Removal = Type.Object(
  {
    start: Type.Integer({ minimum: 0 }),
    end: Type.Integer({ minimum: 0 }),
    text: Type.String({ description: 'input.slice(start, end)' }),
    rule: Type.String(),
    category: Type.String({ description: `One of ${STANDARD_CATEGORIES.join(', ')}, or a category of the rule set's own.` }),
    reason: Type.String(),
  },
  { $id: 'Removal' },
);

export const CleanResult = Type.Object(
  {
    id: Type.Optional(Type.String()),
    text: Type.String({ description: 'The clean article body, blocks separated by a blank line.' }),
    removed: Type.Array(Removal, { description: 'Sorted by start; spans do not overlap.' }),
    stats: Type.Object({
      inputChars: Type.Integer(), outputChars: Type.Integer(), removedChars: Type.Integer(),
      blocks: Type.Integer(), removedBlocks: Type.Integer(), elapsedMs: Type.Number(),
    }),
    ruleset: Type.Object({ id: Type.String(), version: Type.Integer() }),
    lang: Type.String(),
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
  },
  { $id: 'RuleSetSummary' },
);

export const RuleSetList = Type.Object({ rulesets: Type.Array(RuleSetSummary) }, { $id: 'RuleSetList' });

const RefusedFile = Type.Object({ file: Type.String(), message: Type.String() });

export const Health = Type.Object({ status: Type.Literal('ok') }, { $id: 'Health' });
export const Ready = Type.Object(
  {
    status: Type.Union([Type.Literal('ready'), Type.Literal('not ready')]),
    rulesets: Type.Integer({ description: 'Rule sets loaded.' }),
    refused: Type.Array(RefusedFile, { description: 'Rule-set files that did not load, and why.' }),
  },
  { $id: 'Ready' },
);

export const Problem = Type.Object(
  {
    type: Type.String({ description: 'urn:declutter:problem:<code>' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.Union(Object.keys(PROBLEM_CODES).map((c) => Type.Literal(c))),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), message: Type.String(), rule: Type.Optional(Type.String()), in: Type.Optional(Type.String()) })),
    ),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details.' },
);

/** Every named schema, for the OpenAPI components section. */
export const NAMED_SCHEMAS: TSchema[] = [CleanQuery, CleanRequest, Removal, CleanResult, RuleSetSummary, RuleSetList, Health, Ready, Problem];
