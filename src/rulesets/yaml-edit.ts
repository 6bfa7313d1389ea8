/**
 * Saving a rule set without losing what people wrote around it. The stored file is parsed with
 * the `yaml` Document API, the new set is compared with it value by value, and only the nodes
 * that changed (the version, a rule's fields, rules added or removed) are written again: each
 * edit splices the file's text at the node's offsets, so every other line, its comments and its
 * formatting stay byte for byte as they were.
 *
 * Whatever is written is quoted so that YAML 1.1 readers (PyYAML, Ruby, SnakeYAML) read the same
 * values as YAML 1.2 ones: `yes`, `no`, `on`, `off`, `y`, `n`, `~`, `0777`, `1:20` and the like
 * stay strings (the `compat` option of the `yaml` package).
 */
import { isDeepStrictEqual } from 'node:util';
import YAML, { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { isPlainObject } from '../plain-object';

/** Scalars are written so that YAML 1.1 and 1.2 readers agree on them. */
const SCHEMA_OPTIONS = { compat: 'yaml-1.1' } as const;
/** The width people keep the rule files to (their comments wrap there). */
const LINE_WIDTH = 110;

interface Edit {
  from: number;
  to: number;
  text: string;
}

type Plain = Record<string, unknown>;

/** A whole file for `value`, as a new set is written. */
export function renderYaml(value: unknown): string {
  return new YAML.Document(value, SCHEMA_OPTIONS).toString({ lineWidth: LINE_WIDTH });
}

/**
 * `text` (a YAML file) changed to hold `next`, touching only what differs. Falls back to writing
 * the whole file afresh when the file does not parse, or when the edited text would not read back
 * as `next` (a layout the edits do not handle): the values always win over the formatting.
 */
export function editYaml(stored: string, value: unknown): string {
  // Compared as plain data: a rule set is JSON, whatever built the objects (another realm's too).
  const next = JSON.parse(JSON.stringify(value)) as unknown;
  // Every line ends with a newline, the last one too, so that new lines can follow it.
  const text = stored.endsWith('\n') ? stored : `${stored}\n`;
  const doc = YAML.parseDocument(text);
  if (doc.errors.length || !isMap(doc.contents) || doc.contents.flow || !isPlainObject(next)) return renderYaml(next);
  const edits: Edit[] = [];
  new Editor(text, edits).map(doc.contents, doc.toJS() as Plain, next);
  if (!edits.length) return stored;
  let out = text;
  // Back to front, so earlier offsets stay valid; at one offset, a replacement before an insertion.
  edits.sort((a, b) => b.from - a.from || b.to - a.to);
  for (const e of edits) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  try {
    if (isDeepStrictEqual(YAML.parse(out), next)) return out;
  } catch {
    // fall through
  }
  return renderYaml(next);
}

class Editor {
  constructor(
    private readonly text: string,
    private readonly edits: Edit[],
  ) {}

  private lineStart(pos: number): number {
    return this.text.lastIndexOf('\n', pos - 1) + 1;
  }

  /** Column of the line's first character that is not a space (a seq item's "-"). */
  private indentOf(pos: number): number {
    const start = this.lineStart(pos);
    let i = start;
    while (this.text[i] === ' ') i++;
    return i - start;
  }

  /** From the start of the line the node begins on to the end of its last line. */
  private span(first: Node, last: Node | null): { from: number; to: number } {
    const end = (last ?? first).range![2];
    const to = end > 0 && this.text[end - 1] !== '\n' && end < this.text.length ? this.text.indexOf('\n', end) + 1 || this.text.length : end;
    return { from: this.lineStart(first.range![0]), to };
  }

  private insert(at: number, text: string): void {
    this.edits.push({ from: at, to: at, text });
  }

  private render(value: unknown, indent: number, like?: unknown): string {
    const doc = new YAML.Document(value, SCHEMA_OPTIONS);
    const node = isMap(doc.contents) ? doc.contents.items[0]?.value : isSeq(doc.contents) ? doc.contents.items[0] : undefined;
    // A changed value keeps its old style (a folded description stays folded, a flow list stays
    // on its line) and its trailing comment.
    if (isScalar(like) && isScalar(node) && typeof like.value === typeof node.value) {
      node.type = like.type;
      node.comment = like.comment;
    } else if ((isSeq(like) && isSeq(node)) || (isMap(like) && isMap(node))) {
      node.flow = like.flow;
      node.comment = like.comment;
    }
    const out = doc.toString({ lineWidth: Math.max(60, LINE_WIDTH - indent) });
    const pad = ' '.repeat(indent);
    return out
      .split('\n')
      .map((line) => (line ? pad + line : line))
      .join('\n');
  }

  map(node: YAMLMap, before: Plain, after: Plain): void {
    const seen = new Set<string>();
    let last: Pair | undefined;
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined || !isScalar(pair.key)) continue;
      seen.add(key);
      last = pair;
      if (!(key in after)) {
        this.edits.push({ ...this.span(pair.key, pair.value as Node | null), text: '' });
      } else if (!isDeepStrictEqual(before[key], after[key])) {
        this.value(pair as Pair<Scalar, Node | null>, key, before[key], after[key]);
      }
    }
    const added = Object.keys(after).filter((k) => !seen.has(k) && after[k] !== undefined);
    if (!added.length) return;
    const first = node.items[0]?.key as Node | undefined;
    if (!first || !last) return this.replace(node, after);
    const indent = first.range![0] - this.lineStart(first.range![0]);
    const at = this.span(last.key as Node, last.value as Node | null).to;
    this.insert(at, added.map((k) => this.render({ [k]: after[k] }, indent)).join(''));
  }

  private value(pair: Pair<Scalar, Node | null>, key: string, before: unknown, after: unknown): void {
    const v = pair.value;
    if (isMap(v) && !v.flow && isPlainObject(before) && isPlainObject(after) && v.items.length) return this.map(v, before, after);
    if (isSeq(v) && !v.flow && Array.isArray(before) && Array.isArray(after) && v.items.length && after.length) return this.seq(v, before, after);
    const indent = pair.key.range![0] - this.lineStart(pair.key.range![0]);
    this.edits.push({ ...this.span(pair.key, v), text: after === undefined ? '' : this.render({ [key]: after }, indent, v) });
  }

  /** Falls back to replacing a whole collection whose layout the edits cannot follow. */
  private replace(node: Node, value: unknown): void {
    this.edits.push({ from: node.range![0], to: node.range![1], text: this.render(value, 0).trimEnd() });
  }

  seq(node: YAMLSeq, before: unknown[], after: unknown[]): void {
    const items = node.items as Node[];
    const keyOf = keyer(before, after);
    const pairs = lcs(before.map(keyOf), after.map(keyOf));
    const matchedOld = new Set(pairs.map(([i]) => i));
    const indent = this.indentOf(items[0].range![0]);
    before.forEach((_, i) => {
      if (!matchedOld.has(i)) this.edits.push({ ...this.span(items[i], items[i]), text: '' });
    });
    for (const [i, j] of pairs) {
      if (isDeepStrictEqual(before[i], after[j])) continue;
      const item = items[i];
      if (isMap(item) && !item.flow && isPlainObject(before[i]) && isPlainObject(after[j]) && item.items.length)
        this.map(item, before[i] as Plain, after[j] as Plain);
      else this.edits.push({ ...this.span(item, item), text: this.render([after[j]], indent, item) });
    }
    // New items go right after the item they follow in the new list (before the next one's comments).
    let p = 0;
    let pending: string[] = [];
    let at = this.lineStart(items[0].range![0]);
    const flush = () => {
      if (pending.length) this.insert(at, pending.join(''));
      pending = [];
    };
    after.forEach((value, j) => {
      if (p < pairs.length && pairs[p][1] === j) {
        flush();
        at = this.span(items[pairs[p][0]], items[pairs[p][0]]).to;
        p++;
      } else pending.push(this.render([value], indent));
    });
    flush();
  }
}

/** Rules (mappings with an id) are matched by id, anything else by value. */
function keyer(before: unknown[], after: unknown[]): (v: unknown) => string {
  const byId = [...before, ...after].every((v) => isPlainObject(v) && typeof v.id === 'string');
  return byId ? (v) => `id:${(v as Plain).id as string}` : (v) => JSON.stringify(v) ?? 'undefined';
}

/** The longest common subsequence of two key lists, as index pairs in order. */
function lcs(a: string[], b: string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  const len = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) len[i][j] = a[i] === b[j] ? len[i + 1][j + 1] + 1 : Math.max(len[i + 1][j], len[i][j + 1]);
  const out: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m;) {
    if (a[i] === b[j]) {
      out.push([i, j]);
      i++;
      j++;
    } else if (len[i + 1][j] >= len[i][j + 1]) i++;
    else j++;
  }
  return out;
}
