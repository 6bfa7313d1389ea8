/**
 * What the main thread and the cleaning workers say to each other. Compiled rule sets hold
 * functions and cannot cross threads, so a task names its set by a key; a worker that has not
 * seen the key answers `needRuleSet` and the task is sent again with the definition.
 */
import type { OffsetUnit, RuleDefBase } from '../engine';
import type { SpanTally } from './tally';
import type { InputKind, OutputFormat } from './clean-one';

/** A rule set as plain data: the effective rules after layering, so no lookup is needed. */
export interface RuleSetPayload {
  id: string;
  version: number;
  hosts: string[];
  rules: RuleDefBase[];
  /** The name of the regex engine the set was compiled with: the worker compiles it on the same. */
  regex: string;
}

export interface CleanTask {
  /** Names the task in the `started` message, so its time budget starts when its work does. */
  taskId: number;
  /** Echoed first in the output line; any JSON value the client sent (null when none). */
  id: unknown;
  /** The document: plain text, or an HTML page when `kind` is 'html'. */
  text: string;
  kind?: InputKind;
  format?: OutputFormat;
  lang?: string;
  url?: string;
  offsets?: OffsetUnit;
  rulesetKey: string;
  ruleset?: RuleSetPayload;
}

export type TaskReply =
  /** The output line, serialised in the worker so the main thread only copies a string. */
  { line: string; tally?: SpanTally } | { needRuleSet: true } | { failed: string };

/** Posted by a worker on its parent port as it starts a task (piscina relays it as 'message'). */
export interface TaskStarted {
  declutterTaskStarted: number;
}
