/**
 * The worker thread's entry (compiled to dist/batch/worker.js, which the pool loads). It keeps
 * the rule sets it has compiled, by key, and turns one task into one serialised answer: a
 * document into its output line, an inline rule set into a compiled one first (checked here, not
 * on the main thread: the ReDoS checker and compiling cost time in proportion to the set), and the
 * other jobs (protocol.ts) into their answers.
 */
import { getPriority, setPriority } from 'node:os';
import Piscina from 'piscina';
import { compileRuleSet, JS_REGEX, RuleSetError, type CompiledRuleSet, type RegexEngine, type RuleSetDef } from '../engine';
import { decodeIn } from '../engine/html/charset';
import { loadLanguageDetector } from '../engine/lang';
import { capViolation, yamlDepthBound } from '../rulesets/caps';
import { checkWrite, compileInlineSet, type StoredSets } from '../rulesets/checks';
import { scoreEvaluation, type EvalOutcome } from '../rulesets/evaluation';
import { readSetsToSend } from '../rulesets/read-sets';
import type { ModelData } from '../rulesets/models';
import { knownLiterals } from '../rulesets/prechecked';
import { RuleSetTooCostly, SAFE_REGEX } from '../rulesets/safe-regex';
import { yaml } from '../rulesets/yaml-parser';
import { cleanOne, loadHtmlEngine, type CleanOneOptions } from './clean-one';
import { ProgressBoard } from './progress';
import type { CleanTask, GroupTask, Job, JobTask, Refusal, TaskPhase, TaskReply, WorkerTask } from './protocol';
import { crashIfAsked } from './faults';
import { resultLine, resultLineBytes } from './result-line';
import { tallyOf } from './tally';

/**
 * How much nicer than the main thread a worker runs. On Linux a nice value belongs to the thread,
 * and setPriority with no pid sets the calling one's: when the cores are busy (a queue of large
 * pages keeps every worker cleaning), the kernel still gives the main thread a core at once for
 * /healthz, admission and answers, instead of sharing it evenly with the workers it feeds. Alone on
 * a core a worker runs as fast as before; the main thread's few milliseconds a request are all it
 * takes from them. Where the call is refused (another system), workers keep the main thread's.
 */
const WORKER_NICENESS = 10;
try {
  setPriority(Math.min(19, getPriority() + WORKER_NICENESS));
} catch {
  // Not a failure: only the /healthz latency under load depends on it.
}

/**
 * The engines a set may name: the one it was compiled with in the main thread (user-written
 * patterns on RE2 there, so here too; the time budget stays the last guard).
 */
const REGEX_ENGINES: ReadonlyMap<string, RegexEngine> = new Map([JS_REGEX, SAFE_REGEX].map((e) => [e.name, e]));

/**
 * 64 sets: far more than a deployment's stored sets; inline sets sent for tuning each get a key of
 * their own, so the cache must forget the oldest rather than grow with every request.
 */
const MAX_CACHED_SETS = 64;
const cache = new Map<string, CompiledRuleSet>();

/** The stored sets inline sets are checked against, by key: the newest few (a reload makes a new key). */
const MAX_STORED = 4;
const storedSets = new Map<string, StoredSets>();

function remember<T>(map: Map<string, T>, key: string, value: T, max: number): T {
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
  return value;
}

function storedFor(task: WorkerTask): StoredSets | undefined {
  if (task.storedKey === undefined) return { defs: new Map(), models: new Map() };
  const known = storedSets.get(task.storedKey);
  if (known) return known;
  if (!task.stored) return undefined;
  const defs = new Map<string, RuleSetDef>(task.stored.defs.map((d) => [d.id, d]));
  const models = new Map<string, ModelData>(task.stored.models);
  return remember(storedSets, task.storedKey, { defs, models }, MAX_STORED);
}

function cached(key: string): CompiledRuleSet | undefined {
  const set = cache.get(key);
  if (set) {
    // Refresh its place: Map keeps insertion order, so the first key is the least recently used.
    cache.delete(key);
    cache.set(key, set);
  }
  return set;
}

/** The pool's progress board (progress.ts), shared with this thread when the pool started it. */
const board = new ProgressBoard((Piscina.workerData as { progress: SharedArrayBuffer }).progress);

/** The task's phase starts now: its time budget counts from here (pool.ts reads it when the budget may be up). */
function started(taskId: number, phase: TaskPhase, item = 0): void {
  board.mark(taskId, phase, item);
}

/** A rule-set failure as the refusal the main thread answers with; anything else is rethrown. */
function refusalOf(e: unknown): Refusal {
  if (e instanceof RuleSetError) return { code: 'invalid-ruleset', message: e.message, issues: e.issues };
  if (e instanceof RuleSetTooCostly) return { code: 'ruleset-too-costly', message: e.message };
  throw e;
}

/** The task's set: cached, compiled from its payload, or (inline) checked and compiled here; a refusal for a bad inline set. */
function ruleSetFor(task: CleanTask): CompiledRuleSet | { needRuleSet: true } | { refused: Refusal } {
  const known = cached(task.rulesetKey);
  if (known) return known;
  if (task.inlineJson !== undefined) {
    const stored = storedFor(task);
    if (!stored) return { needRuleSet: true };
    // The set's own budget: checking a large set is not the document's doing.
    started(task.taskId, 'ruleset');
    try {
      return remember(cache, task.rulesetKey, compileInlineSet(stored, JSON.parse(task.inlineJson)), MAX_CACHED_SETS);
    } catch (e) {
      return { refused: refusalOf(e) };
    }
  }
  if (!task.ruleset) return { needRuleSet: true };
  const p = task.ruleset;
  const regex = REGEX_ENGINES.get(p.regex);
  if (!regex) throw new Error(`rule set "${p.id}" was compiled with an unknown regex engine "${p.regex}"`);
  return remember(
    cache,
    task.rulesetKey,
    compileRuleSet({ id: p.id, version: p.version, hosts: p.hosts, rules: p.rules }, undefined, { regex, knownLiterals }),
    MAX_CACHED_SETS,
  );
}

/**
 * Asks for the rule set. A page that was transferred here (not copied) is no longer the main
 * thread's: it goes back the same way, for the retry.
 */
function needRuleSet(task: CleanTask): TaskReply {
  if (!task.bytes) return { needRuleSet: true };
  const reply: TaskReply = { needRuleSet: true, bytes: task.bytes.data };
  const movable = { [Piscina.transferableSymbol]: [task.bytes.data.buffer], [Piscina.valueSymbol]: reply };
  return Piscina.move(movable as unknown as Parameters<typeof Piscina.move>[0]) as unknown as TaskReply;
}

/** A reply whose bytes are transferred to the main thread, not copied. */
function moved(reply: Extract<TaskReply, { lineBytes: Uint8Array }>): TaskReply {
  const movable = { [Piscina.transferableSymbol]: [reply.lineBytes.buffer], [Piscina.valueSymbol]: reply };
  return Piscina.move(movable as unknown as Parameters<typeof Piscina.move>[0]) as unknown as TaskReply;
}

/** `item`: its place in a group (its budget and blame are marked by it); `move`: transfer its bytes (a group moves them all at once). */
function cleanTask(task: CleanTask, item = 0, move = true): TaskReply {
  const set = ruleSetFor(task);
  if ('needRuleSet' in set) return needRuleSet(task);
  if ('refused' in set) return set;
  // The time budget starts now, not when the task was sent: a worker that was just started (after
  // another's timeout) may spend a while loading the engine and compiling the rule set first, and
  // neither is the document's doing.
  // Loading the HTML engine or the language detector (on a fresh worker's first page) is not the
  // page's doing either: the detector alone is ~290 ms of CPU, which took a 500 ms budget's
  // short first text over it on a loaded machine (test/batch/server.test.ts).
  if (task.kind === 'html') loadHtmlEngine();
  if (task.lang === undefined) loadLanguageDetector();
  started(task.taskId, 'work', item);
  crashIfAsked(task.id);
  try {
    const options: CleanOneOptions = {};
    if (task.lang !== undefined) options.lang = task.lang;
    if (task.url !== undefined) options.url = task.url;
    if (task.offsets !== undefined) options.offsets = task.offsets;
    if (task.format !== undefined) options.format = task.format;
    const input = task.bytes ? decodeIn(task.bytes.data, task.bytes.encoding) : task.text;
    const result = cleanOne(input, task.kind ?? 'text', set, options);
    // The tally (for the metrics) reads the full spans; the line carries what the request asked for.
    if (task.asBytes) {
      const reply = { lineBytes: resultLineBytes(task.id, result, set, task.detail, task.newline), tally: tallyOf(result.removed) };
      return move ? moved(reply) : reply;
    }
    return { line: resultLine(task.id, result, set, task.detail), tally: tallyOf(result.removed) };
  } catch (e) {
    return { failed: e instanceof Error ? e.message : String(e) };
  }
}

function checkWriteJob(task: JobTask & Extract<Job, { job: 'check-write' }>): TaskReply {
  const stored = storedFor(task);
  if (!stored) return { needRuleSet: true };
  started(task.taskId, 'ruleset');
  let body = task.body;
  if (task.yaml !== undefined) {
    // The depth bound is read before parsing: a deeply nested text costs the parser seconds.
    if (yamlDepthBound(task.yaml) > task.caps.maxDepth) {
      return { refused: { code: 'ruleset-too-large', message: `it is nested deeper than ${task.caps.maxDepth} levels (DECLUTTER_RULESET_MAX_DEPTH)` } };
    }
    try {
      body = yaml().parse(task.yaml, { maxAliasCount: 100 });
    } catch (e) {
      return { refused: { code: 'malformed-yaml', message: (e as Error).message.split('\n')[0] } };
    }
  }
  const over = capViolation(body, task.caps);
  if (over) return { refused: { code: 'ruleset-too-large', message: over } };
  try {
    return { def: checkWrite(stored, task.id, body, task.currentVersion) };
  } catch (e) {
    return { refused: refusalOf(e) };
  }
}

function job(task: JobTask): TaskReply {
  switch (task.job) {
    case 'check-write':
      return checkWriteJob(task);
    case 'read-sets':
      // Each set gets the whole budget, as an inline set does: a reload may compile several.
      started(task.taskId, 'ruleset');
      return { sets: readSetsToSend(task.base, task.input, () => started(task.taskId, 'ruleset')) };
    case 'yaml':
      started(task.taskId, 'work');
      // Quoted for YAML 1.1 readers too (PyYAML reads a plain `yes` or `off` phrase as a boolean).
      return { text: yaml().stringify(task.value, { lineWidth: 0, compat: 'yaml-1.1' }) };
    case 'score': {
      started(task.taskId, 'work');
      const outcomes = task.outcomes.map((o): EvalOutcome => {
        if (!('line' in o)) return o;
        const { id: _id, ...result } = JSON.parse(o.line) as { id: unknown } & Record<string, unknown>;
        return { result: result as unknown as Extract<EvalOutcome, { result: unknown }>['result'] };
      });
      return { text: JSON.stringify(scoreEvaluation(task.ruleset, task.docs, outcomes)) };
    }
  }
}

/**
 * A group's documents in order, each marked on the board as it starts (its own budget). The set
 * is the same for all: a worker that lacks it says so before the first document, and the pool
 * sends the group again with the definition on the first.
 */
function groupTask(task: GroupTask): TaskReply {
  const replies: TaskReply[] = [];
  const buffers: ArrayBuffer[] = [];
  for (let i = 0; i < task.group.length; i++) {
    const doc = task.group[i];
    doc.taskId = task.taskId;
    const reply = cleanTask(doc, i, false);
    if ('needRuleSet' in reply) {
      if (i === 0) return { needRuleSet: true };
      replies.push({ failed: 'the worker did not know the rule set' });
      continue;
    }
    if ('lineBytes' in reply) buffers.push(reply.lineBytes.buffer as ArrayBuffer);
    replies.push(reply);
  }
  const movable = { [Piscina.transferableSymbol]: buffers, [Piscina.valueSymbol]: { group: replies } };
  return Piscina.move(movable as unknown as Parameters<typeof Piscina.move>[0]) as unknown as TaskReply;
}

export default function runTask(task: WorkerTask): TaskReply {
  if ('group' in task) return groupTask(task);
  return 'job' in task ? job(task) : cleanTask(task);
}
