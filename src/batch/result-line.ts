/**
 * A result as the line that goes out, at the detail the request asked for (the contract's
 * "Result detail"). It runs where the result is made (the worker, or the process for the CLI), so
 * the main thread only ever copies the finished string, and a compact answer is also a cheaper one
 * to make and to move.
 *
 * - `full`: `JSON.stringify` of the result, the bytes of every earlier release.
 * - `spans`: each span `{start, end, rule}`; `rules` says once per rule that removed something
 *   its category and reason. The reason is the first clause of the rule's description, without
 *   its parenthesised examples, written as a label (no leading article, no closing full stop):
 *   the examples are what makes a description long, and a client that wants them reads the rule
 *   set (GET /v1/rulesets/{id}). Spans carry no `why`: on aeb-dev text the contract's span shape
 *   and the text already come to 1.36× the input and the `rules` map to 0.14×, so a scorer span's
 *   shortest useful `why` (its score, +0.07×) would pass the 1.5× target.
 * - `none`: `id`, `text`, `stats`, `ruleset`, `lang` (and `html` when format=html asked for it).
 *
 * `spans` and `none` are written field by field rather than by building a smaller object for
 * `JSON.stringify`: each rule's id and entry are quoted once per rule set and reused, and no
 * object is made per span (bench/detail.js measures both ways).
 */
import type { CompiledRuleSet } from '../engine';
import type { ResultDetail } from '../requests';
import type { CleanOneResult } from './clean-one';
import { jsonBytes } from './json-bytes';

/** One rule as `spans` writes it: its id quoted, and its `rules` entry. */
interface RuleNote {
  quotedId: string;
  entry: string;
}

const notes = new WeakMap<CompiledRuleSet, Map<string, RuleNote>>();

/**
 * A description's first clause, without its parenthesised asides, as a label ("A byline naming
 * the author ("By Jane Doe")." → "Byline naming the author"; "The house rules of a comment
 * section: who answers for ..." → "House rules of a comment section"); the description itself,
 * as a label, when its parentheses do not pair up or too little would be left. The clause after a
 * colon is cut too. Every rule that removes something writes its reason into every result it
 * removes from, and the article and the full stop said nothing: on aeb-dev text, dropping them
 * took spans from 1.5020× to 1.4984× the input.
 */
export function briefReason(description: string): string {
  return asLabel(firstClause(description));
}

/** Without a leading "A", "An" or "The" (the next letter capitalised) and without a closing full stop. */
function asLabel(reason: string): string {
  let label = reason;
  const article = /^(?:A|An|The) (?=\p{L})/u.exec(label);
  if (article) label = label[article[0].length].toUpperCase() + label.slice(article[0].length + 1);
  if (label.endsWith('.') && !label.endsWith('..')) label = label.slice(0, -1);
  return label;
}

function firstClause(description: string): string {
  if (!description.includes('(') && !description.includes(': ')) return description;
  let out = '';
  let depth = 0;
  let from = 0;
  for (let i = 0; i < description.length; i++) {
    const c = description[i];
    if (c === '(') {
      if (depth === 0) out += description.slice(from, i);
      depth++;
    } else if (c === ')') {
      if (depth === 0) return description;
      if (--depth === 0) from = i + 1;
    }
  }
  if (depth !== 0) return description;
  out += description.slice(from);
  let brief = out
    .replace(/\s+([,.;:!?])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
  const colon = brief.indexOf(': ');
  if (colon > 0) brief = `${brief.slice(0, colon)}.`;
  return brief.length >= 12 ? brief : description;
}

function noteOf(id: string, category: string, reason: string): RuleNote {
  const quotedId = JSON.stringify(id);
  return { quotedId, entry: `${quotedId}:${JSON.stringify({ category, reason })}` };
}

function notesOf(set: CompiledRuleSet): Map<string, RuleNote> {
  let map = notes.get(set);
  if (!map) {
    map = new Map();
    for (const def of set.defs) map.set(def.id, noteOf(def.id, def.category, briefReason(def.description)));
    notes.set(set, map);
  }
  return map;
}

/** `"id":…,` when the result has an id: the id given with the task, unless the result carries its own (as `{id, ...result}` would). */
function idField(id: unknown, result: CleanOneResult): string {
  const value = Object.hasOwn(result, 'id') ? result.id : id;
  const json = value === undefined ? undefined : JSON.stringify(value);
  return json === undefined ? '' : `"id":${json},`;
}

/** The fields after the spans, the same in `spans` and `none`. */
function tail(result: CleanOneResult): string {
  let out = `"stats":${JSON.stringify(result.stats)},"ruleset":${JSON.stringify(result.ruleset)},"lang":${JSON.stringify(result.lang)}`;
  if (result.html !== undefined) out += `,"html":${JSON.stringify(result.html)}`;
  return out + '}';
}

function spansLine(id: unknown, result: CleanOneResult, set: CompiledRuleSet): string {
  const known = notesOf(set);
  const removed = result.removed;
  let spans = '';
  let rules = '';
  // Rules seen in this result: a handful, so a small array beats a Set.
  const seen: string[] = [];
  for (let i = 0; i < removed.length; i++) {
    const r = removed[i];
    let note = known.get(r.rule);
    // A rule the set does not list (none today): named by its first span's category and reason.
    if (!note) {
      note = noteOf(r.rule, r.category, r.reason);
      known.set(r.rule, note);
    }
    spans += (i ? ',{"start":' : '{"start":') + r.start + ',"end":' + r.end + ',"rule":' + note.quotedId + '}';
    if (!seen.includes(r.rule)) {
      rules += (seen.length ? ',' : '') + note.entry;
      seen.push(r.rule);
    }
  }
  return `{${idField(id, result)}"text":${JSON.stringify(result.text)},"removed":[${spans}],"rules":{${rules}},${tail(result)}`;
}

function noneLine(id: unknown, result: CleanOneResult): string {
  return `{${idField(id, result)}"text":${JSON.stringify(result.text)},${tail(result)}`;
}

/** The result line for `detail`; `set` is the rule set that made the result (its rules' descriptions). */
export function resultLine(id: unknown, result: CleanOneResult, set: CompiledRuleSet, detail: ResultDetail = 'full'): string {
  if (detail === 'spans') return spansLine(id, result, set);
  if (detail === 'none') return noneLine(id, result);
  return JSON.stringify(fullLine(id, result));
}

/** What a `full` line holds: the result with the document's id first. */
function fullLine(id: unknown, result: CleanOneResult): object {
  return { id, ...result };
}

const encoder = new TextEncoder();

/**
 * `resultLine` as UTF-8 bytes (and a newline when asked), in an ArrayBuffer of their own that the
 * worker transfers to the main thread. A full line is written straight to bytes (json-bytes.ts:
 * the same bytes as encoding `JSON.stringify`, without the ~130 KB flat string that encoding one
 * first makes); the compact ones are a fraction of the size and encoded.
 */
export function resultLineBytes(id: unknown, result: CleanOneResult, set: CompiledRuleSet, detail: ResultDetail = 'full', newline = false): Uint8Array {
  if (detail === 'full') {
    // Sized to hold most lines at once: on aeb-dev text a span comes to ~390 bytes (its text, reason and offsets).
    const size = result.text.length * 1.2 + result.removed.length * 450 + (result.html?.length ?? 0) * 1.2 + 1024;
    const bytes = jsonBytes(fullLine(id, result), size, newline);
    if (bytes) return bytes;
  }
  const line = resultLine(id, result, set, detail);
  return encoder.encode(newline ? line + '\n' : line);
}
