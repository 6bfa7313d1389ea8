/**
 * From one input line (or one element of a JSON `documents` array) to a document the pool can
 * clean, or to the error for that line. Shared by the HTTP batch and `declutter batch`, so both
 * accept exactly the same lines: `{id, text or html, url?, lang?, ruleset?, options?}`; unknown
 * fields are ignored (labelled sets carry `gold` and `with` beside `text`).
 *
 * Text or HTML: the labelled sets carry both `text` (what a scraper extracted) and `html` (the
 * page), so a line with both needs a rule. `options.input` on the line decides; else the batch's
 * preference (`?input=html`, `--html`) picks `html` where a line has it; else `text` wins, and a
 * line with only `html` is HTML.
 */
import { RuleSetError, type CompiledRuleSet, type OffsetUnit } from '../engine';
import { lineError, type LineError } from './errors';
import type { InputKind, OutputFormat } from './clean-one';
import type { PoolDocument } from './pool';

/** Where rule sets come from: the service's registry, or the CLI's rules directory. */
export interface RuleSetSource {
  get(id: string): CompiledRuleSet | undefined;
  forUrl(url: string | undefined): CompiledRuleSet | undefined;
  compileInline(def: unknown): CompiledRuleSet;
}

export interface BatchDefaults {
  /** Used for lines that name no rule set, instead of choosing by url. */
  ruleset?: CompiledRuleSet;
  offsets?: OffsetUnit;
  /** 'html': lines that carry both `text` and `html` are cleaned as HTML. */
  input?: InputKind;
  /** 'html': every result also carries the article as sanitised HTML. */
  format?: OutputFormat;
}

export type Prepared = { line: number; id: unknown; doc: PoolDocument } | { line: number; id: unknown; error: LineError };

const LANG = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$/;
/** Ids are echoed in every output line: 1024 characters is room for any URL-like key. */
const MAX_ID_CHARS = 1024;
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

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Compiling an inline set costs validation and compilation; a batch that sends the same set on
 * every line pays it once. Keyed by the set's JSON; 16 different sets in one batch is already a lot.
 */
export class InlineSetCache {
  private readonly sets = new Map<string, CompiledRuleSet>();
  constructor(private readonly source: RuleSetSource) {}

  get(def: Record<string, unknown>): CompiledRuleSet {
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
 * ("line" in NDJSON, "document" in a JSON `documents` array).
 */
export function prepareValue(value: unknown, line: number, source: RuleSetSource, inline: InlineSetCache, defaults: BatchDefaults, unit = 'line'): Prepared {
  if (!isPlainObject(value)) {
    return { line, id: null, error: lineError('invalid-request', `${unit} ${line}: must be a JSON object such as {"id": "a", "text": "..."}`, line) };
  }
  const rawId = value.id;
  const idOk = rawId === undefined || rawId === null || typeof rawId === 'number' || (typeof rawId === 'string' && rawId.length <= MAX_ID_CHARS);
  const id = idOk ? (rawId ?? null) : null;
  const fail = (code: Parameters<typeof lineError>[0], detail: string): Prepared => ({ line, id, error: lineError(code, `${unit} ${line}: ${detail}`, line) });

  if (!idOk) return fail('invalid-request', `field "id" must be a string of at most ${MAX_ID_CHARS} characters or a number`);
  if (value.text !== undefined && typeof value.text !== 'string') return fail('invalid-request', 'field "text" must be a string');
  if (value.html !== undefined && typeof value.html !== 'string') return fail('invalid-request', 'field "html" must be a string');
  if (value.text === undefined && value.html === undefined) return fail('invalid-request', 'field "text" is required (or "html" for a page)');
  if (value.url !== undefined && typeof value.url !== 'string') return fail('invalid-request', 'field "url" must be a string');
  if (value.lang !== undefined && (typeof value.lang !== 'string' || !LANG.test(value.lang))) {
    return fail('invalid-request', 'field "lang" must be an ISO 639-1 code such as "en"');
  }
  let offsets = defaults.offsets;
  let format = defaults.format;
  let input: InputKind | undefined;
  if (value.options !== undefined) {
    const o = value.options;
    if (!isPlainObject(o) || (o.offsets !== undefined && o.offsets !== 'utf16' && o.offsets !== 'codepoint')) {
      return fail('invalid-request', 'field "options/offsets" must be one of utf16, codepoint');
    }
    if (o.input !== undefined && o.input !== 'text' && o.input !== 'html') return fail('invalid-request', 'field "options/input" must be one of text, html');
    if (o.format !== undefined && o.format !== 'text' && o.format !== 'html')
      return fail('invalid-request', 'field "options/format" must be one of text, html');
    offsets = (o.offsets as OffsetUnit | undefined) ?? offsets;
    format = (o.format as OutputFormat | undefined) ?? format;
    input = o.input as InputKind | undefined;
    if (input !== undefined && typeof value[input] !== 'string')
      return fail('invalid-request', `field "options/input" is "${input}" but the line has no "${input}"`);
  }
  const kind: InputKind = input ?? ((defaults.input === 'html' && typeof value.html === 'string') || typeof value.text !== 'string' ? 'html' : 'text');

  let ruleset: CompiledRuleSet | undefined;
  const url = value.url as string | undefined;
  if (typeof value.ruleset === 'string') {
    ruleset = source.get(value.ruleset);
    if (!ruleset) return fail('unknown-ruleset', `no rule set "${value.ruleset}"`);
  } else if (isPlainObject(value.ruleset)) {
    try {
      ruleset = inline.get(value.ruleset);
    } catch (e) {
      if (!(e instanceof RuleSetError)) throw e;
      return fail('invalid-ruleset', `the inline rule set is invalid: ${e.message}`);
    }
  } else if (value.ruleset !== undefined) {
    return fail('invalid-request', 'field "ruleset" must be a rule-set id or a whole rule set');
  } else {
    ruleset = defaults.ruleset ?? source.forUrl(url);
    if (!ruleset) return fail('not-ready', 'the default rule set is not loaded');
  }

  const doc: PoolDocument = { id, text: value[kind] as string, ruleset };
  if (kind === 'html') doc.kind = 'html';
  if (format === 'html') doc.format = 'html';
  if (url !== undefined) doc.url = url;
  // "pt-BR" → "pt": the engine works with ISO 639-1 codes.
  if (typeof value.lang === 'string') doc.lang = value.lang.split(/[-_]/)[0].toLowerCase();
  if (offsets !== undefined) doc.offsets = offsets;
  return { line, id, doc };
}

/** Parses one NDJSON line and reads it as a document. */
export function prepareLine(text: string, line: number, source: RuleSetSource, inline: InlineSetCache, defaults: BatchDefaults): Prepared {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { line, id: idFromHead(text.slice(0, 2048)), error: lineError('malformed-json', `line ${line}: ${(e as Error).message}`, line) };
  }
  return prepareValue(value, line, source, inline, defaults);
}
