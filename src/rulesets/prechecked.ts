/**
 * Rule-set and model files checked at build time. Parsing the packaged rules (YAML) and checking
 * them against the schema (Ajv compiles a validator per rule kind) cost most of a second of CPU
 * at every start: every CLI run, the service, each batch worker that loads them. The build
 * (scripts/precheck-rules.js) parses and checks the packaged files once and writes what they
 * parse to, keyed by a SHA-256 of the file's exact text, how it is parsed, and the regex engine it
 * was checked on, into dist/rulesets/prechecked.json. A file whose text is byte for byte one of
 * those is given its checked data without parsing or checking it again: the same code checked
 * the same bytes, so it would answer the same. Any other text (an edited file, a set from the
 * API or another directory) is parsed and checked in full. Compiling the set (its regexes) and
 * the rule tester that every save runs are not affected: neither is skipped.
 *
 * The table also holds the readings of the packaged sets' patterns (required literals and their
 * lead: the block stage's prefilter and the inline scan, engine/prefilter/literals.ts requiredRead),
 * by pattern source and case: deriving them was a tenth of `declutter clean`'s time on a small file. They are what the build's own literals module
 * answered, and are used only while that module is byte for byte the one running.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequiredRead } from '../engine/prefilter/literals';

/** Written by the build beside the compiled module; absent when running from sources (tests). */
export const PRECHECKED_FILE = join(__dirname, 'prechecked.json');
/** Raised when the file's layout changes, so that an old file is ignored rather than misread. */
export const PRECHECKED_FORMAT = 2;
/** The compiled module that derives required literals: the table's literals are its answers. */
const LITERALS_MODULE = join(__dirname, '..', 'engine', 'prefilter', 'literals.js');

/** How a file's text becomes data: a rule set from YAML or JSON, or a model file. */
export type PrecheckedKind = 'set:yaml' | 'set:json' | 'model';

export interface PrecheckedTable {
  format: number;
  /** Key → the checked data, as JSON text (each caller gets an object of its own). */
  entries: Record<string, string>;
  /** readKey(source, caseSensitive) → requiredRead's answer. */
  reads?: Record<string, RequiredRead | null>;
  /** literalsModuleHash() of the build that derived `literals`. */
  literalsModule?: string;
}

export function precheckKey(kind: PrecheckedKind, text: string, engine = ''): string {
  return createHash('sha256').update(`${kind}\0${engine}\0`).update(text).digest('hex');
}

/** SHA-256 of the compiled literals module, or '' when there is none (running from sources). */
export function literalsModuleHash(): string {
  try {
    return createHash('sha256').update(readFileSync(LITERALS_MODULE)).digest('hex');
  } catch {
    return '';
  }
}

let table: Map<string, string> | undefined;
let literals: Map<string, RequiredRead | null> | undefined;

/** A pattern source's key in the table's `reads`. */
export function readKey(source: string, caseSensitive: boolean): string {
  return `${caseSensitive ? 's' : 'i'}\0${source}`;
}

function loaded(): Map<string, string> {
  if (!table) {
    table = new Map();
    literals = new Map();
    try {
      const file = JSON.parse(readFileSync(PRECHECKED_FILE, 'utf8')) as PrecheckedTable;
      if (file.format === PRECHECKED_FORMAT) {
        table = new Map(Object.entries(file.entries));
        // A module edited since the build (compiled again without the table) may answer otherwise.
        if (file.reads && file.literalsModule && file.literalsModule === literalsModuleHash()) literals = new Map(Object.entries(file.reads));
      }
    } catch {
      // No file (sources, or a build that did not write one): everything is checked in full.
    }
  }
  return table;
}

/**
 * The reading the build derived for this pattern source and case (null: no required literals),
 * or undefined when the build did not derive it; passed to compileRuleSet as `knownLiterals`.
 */
export function knownLiterals(source: string, caseSensitive: boolean): RequiredRead | null | undefined {
  loaded();
  return literals!.get(readKey(source, caseSensitive));
}

/** The checked data of exactly this text, parsed this way and checked on this engine; undefined when the build did not check it. */
export function prechecked(kind: PrecheckedKind, text: string, engine = ''): unknown {
  const known = loaded();
  if (known.size === 0) return undefined;
  const json = known.get(precheckKey(kind, text, engine));
  return json === undefined ? undefined : JSON.parse(json);
}
