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

/** Replaces (or appends) the scorer rule in `text`, a rule set in YAML; the rest is left as it was. */
export function replaceScorer(text: string, rule: RuleDefBase): string {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw new Error(`cannot update the file: it does not parse (${doc.errors[0].message.split('\n')[0]})`);
  const rules = doc.get('rules', true);
  if (!isSeq(rules)) throw new Error('cannot update the file: it has no "rules" list');
  const node = renderRule(doc, rule);
  node.commentBefore = SCORER_COMMENT;
  const at = rules.items.findIndex((r) => isMap(r) && (r.get('kind') === 'scorer' || r.get('id') === rule.id));
  if (at >= 0) {
    const old = rules.items[at] as YAMLMap;
    // The section comment may sit on the old rule: keep exactly one.
    if (old.commentBefore && !old.commentBefore.includes('trained article scorer')) node.commentBefore = `${old.commentBefore}\n${SCORER_COMMENT}`;
    rules.items[at] = node;
  } else rules.items.push(node);
  const version = doc.get('version');
  if (typeof version === 'number') doc.set('version', version + 1);
  return doc.toString({ lineWidth: 110 });
}

/** A new set holding only the scorer, on top of the set it was trained with. */
export function newScorerSet(id: string, base: string, rule: RuleDefBase, command: string): string {
  const doc = new YAML.Document({ id, version: 1, description: `The ${base} rule set with a scorer trained by: ${command}`, extends: base, rules: [] });
  const rules = doc.get('rules', true);
  const node = renderRule(doc, rule);
  node.commentBefore = SCORER_COMMENT;
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
