/**
 * Writing the trained scorer into a rule-set file. An existing file keeps everything but its
 * scorer rule, comments included (the `yaml` Document API edits the parsed tree in place); the
 * set's version goes up by one, as on every save. A new file becomes a set that extends the one
 * the scorer was trained with and adds only the scorer.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import YAML, { isMap, isSeq, type Document, type YAMLMap } from 'yaml';
import type { RuleDefBase } from '../engine/rule';

export const SCORER_COMMENT = ' --- trained article scorer (written by declutter train) ---';
export const HTML_SCORER_COMMENT = ' --- trained HTML article scorer (written by declutter train --html) ---';

const commentFor = (rule: RuleDefBase) => (rule.dom === undefined ? SCORER_COMMENT : HTML_SCORER_COMMENT);

/** Short flow mappings keep each feature's weight and mean on one line, which reads like a table. */
function featureTablesInFlow(node: unknown): void {
  if (!isMap(node)) return;
  for (const item of node.items) {
    const key = String((item.key as { value?: unknown })?.value ?? item.key);
    if (key === 'features' && isMap(item.value)) {
      for (const f of item.value.items) if (isMap(f.value)) f.value.flow = true;
    } else featureTablesInFlow(item.value);
  }
}

export function renderRule(doc: Document, rule: RuleDefBase): YAMLMap {
  const node = doc.createNode(rule) as YAMLMap;
  featureTablesInFlow(node);
  const examples = node.get('examples', true);
  if (isMap(examples)) examples.flow = false;
  return node;
}

/** The rule as YAML lines of a rules list item ("  - id: ..."), with the section comment above it. */
function ruleItemText(rule: RuleDefBase): string {
  const doc = new YAML.Document({ rules: [] });
  const rules = doc.get('rules', true);
  const node = renderRule(doc, rule);
  node.commentBefore = commentFor(rule);
  if (isSeq(rules)) rules.items.push(node);
  const text = doc.toString({ lineWidth: 110 });
  return text.slice(text.indexOf('\n') + 1); // drop "rules:"
}

/**
 * Replaces (or appends) the scorer rule in `text`, a rule set in YAML, and raises its version.
 * The Document API finds the nodes; the edit splices the source text at their offsets, so every
 * other line of the file, its comments and its formatting stay byte for byte as they were.
 */
export function replaceScorer(text: string, rule: RuleDefBase): string {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw new Error(`cannot update the file: it does not parse (${doc.errors[0].message.split('\n')[0]})`);
  const rules = doc.get('rules', true);
  if (!isSeq(rules) || rules.flow) throw new Error('cannot update the file: it has no block "rules" list');
  const item = ruleItemText(rule);
  // The rule of the same id; else, for a text scorer, the set's text scorer (a scorer without a dom model).
  let at = rules.items.findIndex((r) => isMap(r) && r.get('id') === rule.id);
  if (at < 0 && rule.dom === undefined) at = rules.items.findIndex((r) => isMap(r) && r.get('kind') === 'scorer' && !r.has('dom'));
  let out: string;
  if (at >= 0) {
    const old = rules.items[at] as YAMLMap;
    // From the start of the old item's line (its "- ", and the section comment when it is there)
    // to the end of its last line.
    let from = text.lastIndexOf('\n', old.range![0]) + 1;
    const marker = text.lastIndexOf(`#${commentFor(rule)}`, from);
    const previousEnd = at > 0 ? (rules.items[at - 1] as YAMLMap).range![2] : rules.range![0];
    if (marker >= previousEnd) from = text.lastIndexOf('\n', marker) + 1;
    const to = old.range![2];
    // The item may end mid-line (its last value) or at the start of the next line (after a block
    // scalar or list): only in the first case is there a line remainder to drop.
    const rest = text.slice(to);
    out = text.slice(0, from) + item + (to > 0 && text[to - 1] === '\n' ? rest : rest.replace(/^[^\n]*\n?/, ''));
  } else {
    const end = rules.range![2];
    const head = text.slice(0, end);
    out = head + (head.endsWith('\n') ? '' : '\n') + item + text.slice(end);
  }
  return bumpVersion(out);
}

/** Raises `version` by one, editing only its value. */
function bumpVersion(text: string): string {
  const doc = YAML.parseDocument(text);
  const version = doc.get('version', true) as { value?: unknown; range?: [number, number, number] } | undefined;
  if (!version || typeof version.value !== 'number' || !version.range) return text;
  return text.slice(0, version.range[0]) + String(version.value + 1) + text.slice(version.range[1]);
}

/** A new set holding only the scorer, on top of the set it was trained with. */
export function newScorerSet(id: string, base: string, rule: RuleDefBase, command: string): string {
  const doc = new YAML.Document({ id, version: 1, description: `The ${base} rule set with a scorer trained by: ${command}`, extends: base, rules: [] });
  const rules = doc.get('rules', true);
  const node = renderRule(doc, rule);
  node.commentBefore = commentFor(rule);
  if (isSeq(rules)) rules.items.push(node);
  return doc.toString({ lineWidth: 110 });
}

/** Writes the rule into `path`: replacing the scorer of an existing set, or creating a new set. */
export function writeScorer(path: string, rule: RuleDefBase, baseId: string, command: string): 'updated' | 'created' {
  if (existsSync(path)) {
    writeFileSync(path, replaceScorer(readFileSync(path, 'utf8'), rule));
    return 'updated';
  }
  const id = basename(path, extname(path));
  writeFileSync(path, newScorerSet(id, baseId, rule, command));
  return 'created';
}
