/**
 * From one input line (or one element of a JSON `documents` array) to a document the pool can
 * clean, or to the error for that line. Shared by the HTTP batch and `declutter batch`, so both
 * accept exactly the same lines; the reading itself (fields, text or html, the rule set) is the
 * one every request goes through (../requests), and only the error's shape is the batch's own.
 */
import type { CompiledRuleSet, OffsetUnit } from '../engine';
import { chooseRuleSet, readDocument, type DeferredRuleSet, type RequestError, type ResultDetail, type RuleSetSource } from '../requests';
import { lineError, type LineError } from './errors';
import type { InputKind, OutputFormat } from './clean-one';
import type { PoolDocument } from './pool';

export type { RuleSetSource } from '../requests';

export interface BatchDefaults {
  /** Used for lines that name no rule set, instead of choosing by url. */
  ruleset?: CompiledRuleSet;
  offsets?: OffsetUnit;
  /** 'html': lines that carry both `text` and `html` are cleaned as HTML. */
  input?: InputKind;
  /** 'html': every result also carries the article as sanitised HTML. */
  format?: OutputFormat;
  /** How much of each result comes back (`full` when absent); a line's own `options.detail` wins. */
  detail?: ResultDetail;
}

/** `inline`: the document's rule set came with it (counted apart in the metrics). */
export type Prepared = { line: number; id: unknown; doc: PoolDocument; inline?: boolean } | { line: number; id: unknown; error: LineError };

/** An over-long or unparsable line's id, if it starts the way JSON writers usually write it. */
const ID_NEAR_START = /^\s*\{\s*"id"\s*:\s*("(?:[^"\\]|\\.){0,1024}"|-?\d{1,20})\s*[,}]/;

export function idFromHead(head: string): unknown {
  const m = ID_NEAR_START.exec(head);
  if (!m) return null;
  try {
    return JSON.parse(m[1]);
  } catch {
    return null;
  }
}

/**
 * Compiling an inline set costs validation and compilation; a batch that sends the same set on
 * every line pays it once. Keyed by the set's JSON; 16 different sets in one batch is already a lot.
 */
export class InlineSetCache implements RuleSetSource {
  private readonly sets = new Map<string, CompiledRuleSet>();
  /** Present when the source defers inline sets to the workers (the service's registry): they compile them, and cache them by key. */
  readonly deferInline?: (def: unknown) => DeferredRuleSet | RequestError;

  constructor(private readonly source: RuleSetSource) {
    if (source.deferInline) this.deferInline = (def) => source.deferInline!(def);
  }

  get(id: string): CompiledRuleSet | undefined {
    return this.source.get(id);
  }

  forUrl(url: string | undefined): CompiledRuleSet | undefined {
    return this.source.forUrl(url);
  }

  compileInline(def: unknown): CompiledRuleSet {
    const key = JSON.stringify(def);
    let set = this.sets.get(key);
    if (!set) {
      set = this.source.compileInline(def);
      if (this.sets.size >= 16) this.sets.delete(this.sets.keys().next().value!);
      this.sets.set(key, set);
    }
    return set;
  }
}

/**
 * Reads a parsed value as a document; `line` numbers the errors, and `unit` names what is counted
 * ("line" in NDJSON, "document" in a JSON `documents` array). `sets`: where its rule set comes
 * from, inline sets compiled once per batch.
 */
export function prepareValue(value: unknown, line: number, sets: InlineSetCache, defaults: BatchDefaults, unit = 'line'): Prepared {
  const fail = (id: unknown, e: RequestError): Prepared => ({ line, id, error: lineError(e.code, `${unit} ${line}: ${e.detail}`, line) });
  const read = readDocument(value, 'line', defaults.input);
  if (!read.ok) return fail(read.id, read.error);
  const { doc: request } = read;
  const id = request.id ?? null;
  const chosen = chooseRuleSet(sets, request, defaults.ruleset);
  if (!chosen.ok) return fail(id, chosen.error);

  const doc: PoolDocument = { id, text: request.text, ruleset: chosen.set };
  if (request.kind === 'html') doc.kind = 'html';
  if ((request.format ?? defaults.format) === 'html') doc.format = 'html';
  if (request.url !== undefined) doc.url = request.url;
  if (request.lang !== undefined) doc.lang = request.lang;
  const offsets = request.offsets ?? defaults.offsets;
  if (offsets !== undefined) doc.offsets = offsets;
  const detail = request.detail ?? defaults.detail;
  if (detail !== undefined && detail !== 'full') doc.detail = detail;
  return chosen.inline ? { line, id, doc, inline: true } : { line, id, doc };
}

/** Parses one NDJSON line and reads it as a document. */
export function prepareLine(text: string, line: number, sets: InlineSetCache, defaults: BatchDefaults): Prepared {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { line, id: idFromHead(text.slice(0, 2048)), error: lineError('malformed-json', `line ${line}: ${(e as Error).message}`, line) };
  }
  return prepareValue(value, line, sets, defaults);
}
