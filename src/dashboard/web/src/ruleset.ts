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

  /** What /v1/clean gets: the set's id while nothing changed (stored sets run in-process), else the edited set. */
  forRequest(): string | RuleSetDef {
    return this.dirty() ? this.edited : this.saved.id;
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
