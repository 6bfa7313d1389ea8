/**
 * A document as requests carry it, as TypeBox schemas: `{id?, text or html, url?, lang?, ruleset?,
 * options?}`. The same field schemas make the body of POST /v1/clean, a line of a batch and a
 * labelled document of an evaluation; they validate those (validate.ts) and describe them in
 * /openapi.json (server/openapi.ts), so the documentation cannot drift from what is accepted.
 *
 * The three differ only where their uses do: a batch line may carry both `text` and `html` (the
 * labelled sets do) and say which to clean, may carry fields of its own (`gold`, ...), and may be
 * keyed by a number; a labelled document is text with what it should become.
 */
import { Type, type Static } from '@sinclair/typebox';
import { RULE_ID_PATTERN } from '../engine/schema';
import { LANGUAGE_TAG } from './language';

/** The `$id` of the engine's rule-set schema; openapi.ts turns the reference into a component. */
export const RULE_SET_REF = 'RuleSet';
export const RuleSetRef = Type.Unsafe<Record<string, unknown>>({ $ref: RULE_SET_REF });

export const RuleSetId = Type.String({ pattern: RULE_ID_PATTERN, description: 'Id of a stored rule set.', examples: ['default'] });
/** ISO 639-1 code, optionally with a region ("pt-BR"): only the language part is used. */
export const Lang = Type.String({
  pattern: LANGUAGE_TAG,
  description: 'ISO 639-1 language code; detected from the text when absent.',
  examples: ['en'],
});
export const Offsets = Type.Union([Type.Literal('utf16'), Type.Literal('codepoint')], {
  description: 'Unit of removal offsets: UTF-16 code units (default) or Unicode code points.',
});
/** How much of a result comes back (the contract's "Result detail"); `full` when absent. */
export const Detail = Type.Union([Type.Literal('full'), Type.Literal('spans'), Type.Literal('none')], {
  description:
    "`full` (default): every removed span with its text, rule, category and reason. `spans`: each removed span as `{start, end, rule}`, with each rule's category and reason once in `rules`. `none`: no spans (`id`, `text`, `stats`, `ruleset`, `lang`).",
});
/** Ids are echoed in every result: 1024 characters is room for any URL-like key. */
export const DocId = Type.String({ maxLength: 1024, description: 'Echoed in the result.' });
export const Url = Type.String({ maxLength: 8192, description: "The page's address: chooses the rule set by host when none is named." });
/** `"url": null` is an absent url: crawlers write null for a page whose address they lost. */
const NullableUrl = Type.Union([Url, Type.Null()], { description: Url.description });
export const Format = Type.Union([Type.Literal('text'), Type.Literal('html')], {
  description: '`html` adds the article as sanitised HTML (`html` in the result), for text input too.',
});
const InputField = Type.Union([Type.Literal('text'), Type.Literal('html')], {
  description: "Which field a line with both `text` and `html` is cleaned from (default: the batch's `input`, else `text`).",
});

const RuleSetField = Type.Union([RuleSetId, RuleSetRef], {
  description: 'A stored set by id, or a whole rule set inline (for tuning); chosen by `url`, else `default`, when absent.',
});

/** The fields every document shares. */
const documentFields = {
  text: Type.Optional(Type.String({ description: 'The scraped text. Exactly one of `text` and `html`.' })),
  html: Type.Optional(Type.String({ description: 'The page as HTML; removal offsets then index this string. Exactly one of `text` and `html`.' })),
  id: Type.Optional(DocId),
  url: Type.Optional(NullableUrl),
  lang: Type.Optional(Lang),
  ruleset: Type.Optional(RuleSetField),
};

export const CleanOptionsBody = Type.Object(
  { offsets: Type.Optional(Offsets), format: Type.Optional(Format), detail: Type.Optional(Detail) },
  { additionalProperties: false },
);

/** The JSON body of POST /v1/clean. */
export const CleanRequest = Type.Object(
  { ...documentFields, options: Type.Optional(CleanOptionsBody) },
  // Exactly one of text and html (document.ts checks it first, to say so in plain words).
  { additionalProperties: false, $id: 'CleanRequest', oneOf: [{ required: ['text'] }, { required: ['html'] }] },
);

/** A number or null is an id too in a batch: crawlers key documents by row numbers. */
const LineId = Type.Union([DocId, Type.Number(), Type.Null()], { description: 'Echoed in the result (`null` when absent).' });

/** A line of a batch (NDJSON), or an element of a JSON batch's `documents`; other fields are ignored. */
export const BatchDocument = Type.Object(
  {
    ...documentFields,
    text: Type.Optional(Type.String({ description: 'The scraped text. At least one of `text` and `html`.' })),
    html: Type.Optional(Type.String({ description: 'The page as HTML. At least one of `text` and `html`.' })),
    id: Type.Optional(LineId),
    options: Type.Optional(
      Type.Object({ offsets: Type.Optional(Offsets), format: Type.Optional(Format), input: Type.Optional(InputField), detail: Type.Optional(Detail) }),
    ),
  },
  { $id: 'BatchDocument', anyOf: [{ required: ['text'] }, { required: ['html'] }] },
);

/** A document with what cleaning it should give, for POST /v1/evaluate; other fields are ignored. */
export const LabelledDocument = Type.Object(
  {
    id: Type.Optional(LineId),
    text: Type.String(),
    url: Type.Optional(NullableUrl),
    lang: Type.Optional(Lang),
    gold: Type.Optional(Type.String({ description: 'The article body.' })),
    with: Type.Optional(Type.Array(Type.String(), { description: 'Snippets that must survive cleaning.' })),
    without: Type.Optional(Type.Array(Type.String(), { description: 'Snippets that must be removed.' })),
  },
  { $id: 'LabelledDocument' },
);

export type OffsetUnit = Static<typeof Offsets>;
export type InputKind = Static<typeof InputField>;
export type OutputFormat = Static<typeof Format>;
export type ResultDetail = Static<typeof Detail>;
