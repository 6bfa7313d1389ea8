/**
 * The rule set being tuned: the saved definition, the edited copy sent inline to /v1/clean, and
 * the rules it inherits through `extends` (which can be switched off, via `disable`, not edited).
 */
import YAML from 'yaml';
import type { RuleDef, RuleSetDef } from './api';

export interface RuleRow {
  rule: RuleDef;
  /** The set the rule is written in: this set's id for its own rules. */
  from: string;
  own: boolean;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** JSON with sorted keys: two rules are the same whatever order their fields were set in. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.keys(x)
            .sort()
            .map((k) => [k, x[k]]),
        )
      : x,
  );
}

export class RuleSetEditor {
  edited: RuleSetDef;

  constructor(
    public saved: RuleSetDef,
    public etag: string | null,
    readonly inherited: RuleRow[] = [],
  ) {
    this.edited = clone(saved);
  }

  rows(): RuleRow[] {
    const own = this.edited.rules.map((rule) => ({ rule, from: this.edited.id, own: true }));
    const ownIds = new Set(own.map((r) => r.rule.id));
    return [...own, ...this.inherited.filter((r) => !ownIds.has(r.rule.id))];
  }

  find(id: string): RuleRow | undefined {
    return this.rows().find((r) => r.rule.id === id);
  }

  isEnabled(id: string): boolean {
    const row = this.find(id);
    if (!row) return false;
    if (row.own) return row.rule.enabled !== false;
    return !(this.edited.disable ?? []).includes(id) && row.rule.enabled !== false;
  }

  setEnabled(id: string, on: boolean): void {
    const row = this.find(id);
    if (!row) return;
    if (row.own) {
      const savedRule = this.saved.rules.find((r) => r.id === id);
      // Back to the saved form when switched on again, so the diff shows no change.
      if (on && savedRule?.enabled === undefined) delete row.rule.enabled;
      else row.rule.enabled = on;
      return;
    }
    const disable = new Set(this.edited.disable ?? []);
    if (on) disable.delete(id);
    else disable.add(id);
    if (disable.size) this.edited.disable = [...disable];
    else delete this.edited.disable;
  }

  /** Sets one field of an own rule; undefined removes it (the kind's default applies). */
  setField(id: string, field: string, value: unknown): void {
    const rule = this.edited.rules.find((r) => r.id === id);
    if (!rule) return;
    if (value === undefined) delete rule[field];
    else rule[field] = value;
  }

  /** Replaces an own rule wholesale (the rule's YAML editor); the id may change. */
  replaceRule(id: string, next: RuleDef): void {
    const i = this.edited.rules.findIndex((r) => r.id === id);
    if (i >= 0) this.edited.rules[i] = next;
  }

  dirty(): boolean {
    return JSON.stringify(this.edited) !== JSON.stringify(this.saved);
  }

  /**
   * What /v1/clean gets: the set's id while nothing changed (stored sets run in-process), else
   * the edits as an overlay on the saved set (see overlay()).
   */
  forRequest(): string | RuleSetDef {
    return this.dirty() ? this.overlay() : this.saved.id;
  }

  /**
   * The edits as a set that `extends` the saved one: only changed rules (replacing the saved rule
   * of the same id in place) and `disable` for rules switched off. Cleans exactly as the edited
   * set would, but the service re-checks only what the user touched (an inline set is untrusted
   * and its patterns are vetted for backtracking), and the request stays small.
   */
  overlay(): RuleSetDef {
    const savedRules = new Map(this.saved.rules.map((r) => [r.id, r]));
    const savedOff = new Set(this.saved.disable ?? []);
    const editedOff = new Set(this.edited.disable ?? []);
    const disable = new Set([...editedOff].filter((id) => !savedOff.has(id)));
    const rules: RuleDef[] = [];
    const ownIds = new Set<string>();
    for (const rule of this.edited.rules) {
      ownIds.add(rule.id);
      const before = savedRules.get(rule.id);
      if (before && canonical(before) === canonical(rule)) continue;
      if (before && rule.enabled === false && canonical({ ...before, enabled: false }) === canonical(rule)) disable.add(rule.id);
      else rules.push(rule);
    }
    // A rule removed (or renamed in its YAML) no longer runs.
    for (const id of savedRules.keys()) if (!ownIds.has(id)) disable.add(id);
    // An inherited rule switched back on: only an override of the same id can undo the saved `disable`.
    for (const id of savedOff) {
      if (editedOff.has(id)) continue;
      const row = this.inherited.find((r) => r.rule.id === id);
      if (row) {
        const { enabled: _enabled, ...on } = row.rule;
        rules.push(on as RuleDef);
      }
    }
    const overlay: RuleSetDef = { id: this.saved.id, version: this.saved.version, extends: this.saved.id, rules };
    if (disable.size) overlay.disable = [...disable];
    return overlay;
  }

  revert(): void {
    this.edited = clone(this.saved);
  }

  markSaved(def: RuleSetDef, etag: string | null): void {
    this.saved = def;
    this.etag = etag;
    this.edited = clone(def);
  }
}

/** The YAML a rule set is stored as; the same options as the service's YAML answers. */
export const toYaml = (def: unknown): string => YAML.stringify(def, { lineWidth: 0 });

export function parseYaml(text: string): unknown {
  return YAML.parse(text);
}
