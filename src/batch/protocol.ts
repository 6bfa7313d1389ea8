/**
 * What the main thread and the cleaning workers say to each other. Compiled rule sets hold
 * functions and cannot cross threads, so a task names its set by a key; a worker that has not
 * seen the key (or the stored sets an inline set is checked against) answers `needRuleSet` and
 * the task is sent again with the definitions.
 *
 * Everything CPU-bound a request needs is a task here, so the main thread only reads and writes:
 * cleaning a document (with a stored set, or an inline one the worker checks and compiles first),
 * checking a rule set for a PUT, rendering YAML, scoring an evaluation. Tasks carry strings where
 * they can and answers come back serialised, so the hop costs a copy, not a walk over objects.
 */
import type { OffsetUnit, RuleDefBase, RuleSetDef, ValidationIssue } from '../engine';
import type { RuleSetCaps } from '../rulesets/caps';
import type { EvalDocument } from '../rulesets/evaluation';
import type { ReadBase, ReadInput, ReadReply } from '../rulesets/read-sets';
import type { StoredSetsPayload } from '../rulesets/registry';
import type { SpanTally } from './tally';
import type { InputKind, OutputFormat } from './clean-one';
import type { ResultDetail } from '../requests';

/** A rule set as plain data: the effective rules after layering, so no lookup is needed. */
export interface RuleSetPayload {
  id: string;
  version: number;
  hosts: string[];
  rules: RuleDefBase[];
  /** The name of the regex engine the set was compiled with: the worker compiles it on the same. */
  regex: string;
}

/** Names the task on the progress board (progress.ts), so its time budget starts when its work does. */
interface TaskBase {
  taskId: number;
  /** The stored sets an inline set or a write is checked against, by key; sent along on `needRuleSet`. */
  storedKey?: string;
  stored?: StoredSetsPayload;
}

export interface CleanTask extends TaskBase {
  /** Echoed first in the output line; any JSON value the client sent (null when none). */
  id: unknown;
  /** The document: plain text, or an HTML page when `kind` is 'html'. */
  text: string;
  /**
   * An HTML page as received, with the encoding to decode it in (instead of `text`): decoding a
   * page and copying the string across threads cost the main thread ~40 ms per 5 MB page, the
   * bytes copy in ~1 ms; a body read into a buffer of its own is transferred instead (no copy).
   */
  bytes?: { data: Uint8Array; encoding: string };
  kind?: InputKind;
  format?: OutputFormat;
  lang?: string;
  url?: string;
  offsets?: OffsetUnit;
  /** How much of the result the line carries (result-line.ts); `full` when absent. */
  detail?: ResultDetail;
  /**
   * The line back as UTF-8 bytes, transferred: the main thread then writes them as they are,
   * instead of taking a copy of a 100 KB string and encoding it again (a single request's answer).
   */
  asBytes?: boolean;
  /**
   * With `asBytes`: the line's newline too, so that a batch writes each line's bytes as one chunk
   * (pipeline.ts), with nothing to add on the main thread.
   */
  newline?: boolean;
  rulesetKey: string;
  ruleset?: RuleSetPayload;
  /** An inline set as its JSON text: validated, checked and compiled by the worker (cached by `rulesetKey`). */
  inlineJson?: string;
}

/** Work other than cleaning one document. */
export type Job =
  /** A PUT: the body (parsed JSON, or YAML text), capped, validated, checked, tested; answers the definition to save. */
  | { job: 'check-write'; id: string; body?: unknown; yaml?: string; currentVersion?: number; caps: RuleSetCaps }
  /** A reload of the stored sets: the changed files parsed, the changed sets compiled to check them (read-sets.ts). */
  | { job: 'read-sets'; base: ReadBase; input: ReadInput }
  /** A rule set (or any value) as YAML text. */
  | { job: 'yaml'; value: unknown }
  /** An evaluation's scores, from the labelled documents and their result lines; answers the JSON. */
  | {
      job: 'score';
      ruleset: { id: string; version: number };
      docs: EvalDocument[];
      outcomes: ({ line: string } | { error: { code: string; detail: string } })[];
    };

export type JobTask = TaskBase & Job;

/**
 * Several small documents in one message (pool.ts): one hop each way instead of one per document.
 * They share the rule set (by key, the definition on the first when asked for) and are cleaned in
 * order, each under its own budget; the answer has one reply per document, in the same order.
 */
export interface GroupTask extends TaskBase {
  group: CleanTask[];
}

export type WorkerTask = CleanTask | JobTask | GroupTask;

/** A rule set the worker refused: its code in src/errors.ts, the reason, the issues naming rules and fields. */
export interface Refusal {
  code: 'invalid-ruleset' | 'ruleset-too-costly' | 'ruleset-too-large' | 'malformed-yaml';
  message: string;
  issues?: ValidationIssue[];
}

export type TaskReply =
  /** The output line, serialised in the worker so the main thread only copies a string. */
  | { line: string; tally?: SpanTally }
  /** The same line as UTF-8 bytes, when the task asked for them (`asBytes`). */
  | { lineBytes: Uint8Array; tally?: SpanTally }
  /** `bytes`: the task's page, handed back when it had been transferred here, for the retry. */
  | { needRuleSet: true; bytes?: Uint8Array }
  | { failed: string }
  | { refused: Refusal }
  /** A job's answer: serialised text (yaml, score) or a definition (check-write). */
  | { text: string }
  | { def: RuleSetDef }
  | { sets: ReadReply }
  /** A group's answers, one per document in order (each a line's bytes, a failure, or a refusal). */
  | { group: TaskReply[] };

/** Which part of a task is running: checking and compiling its rule set, or the document (or job) itself. */
export type TaskPhase = 'ruleset' | 'work';
