/**
 * The worker thread's entry (compiled to dist/batch/worker.js, which the pool loads). It keeps
 * the rule sets it has compiled, by key, and turns one task into one serialised output line.
 */
import { parentPort } from 'node:worker_threads';
import { compileRuleSet, JS_REGEX, type CompiledRuleSet, type RegexEngine } from '../engine';
import { SAFE_REGEX } from '../rulesets/safe-regex';
import { cleanOne, loadHtmlEngine, type CleanOneOptions } from './clean-one';
import type { CleanTask, TaskReply, TaskStarted } from './protocol';
import { crashIfAsked } from './faults';
import { tallyOf } from './tally';

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

function ruleSetFor(task: CleanTask): CompiledRuleSet | undefined {
  let set = cache.get(task.rulesetKey);
  if (set) {
    // Refresh its place: Map keeps insertion order, so the first key is the least recently used.
    cache.delete(task.rulesetKey);
    cache.set(task.rulesetKey, set);
    return set;
  }
  if (!task.ruleset) return undefined;
  const p = task.ruleset;
  const regex = REGEX_ENGINES.get(p.regex);
  if (!regex) throw new Error(`rule set "${p.id}" was compiled with an unknown regex engine "${p.regex}"`);
  set = compileRuleSet({ id: p.id, version: p.version, hosts: p.hosts, rules: p.rules }, undefined, { regex });
  cache.set(task.rulesetKey, set);
  if (cache.size > MAX_CACHED_SETS) cache.delete(cache.keys().next().value!);
  return set;
}

export default function cleanTask(task: CleanTask): TaskReply {
  const set = ruleSetFor(task);
  if (!set) return { needRuleSet: true };
  // The time budget starts now, not when the task was sent: a worker that was just started (after
  // another's timeout) may spend a while loading the engine and compiling the rule set first, and
  // neither is the document's doing.
  // Loading the HTML engine (on a fresh worker's first page) is not the page's doing either.
  if (task.kind === 'html') loadHtmlEngine();
  const started: TaskStarted = { declutterTaskStarted: task.taskId };
  parentPort?.postMessage(started);
  crashIfAsked(task.id);
  try {
    const options: CleanOneOptions = {};
    if (task.lang !== undefined) options.lang = task.lang;
    if (task.url !== undefined) options.url = task.url;
    if (task.offsets !== undefined) options.offsets = task.offsets;
    if (task.format !== undefined) options.format = task.format;
    const result = cleanOne(task.text, task.kind ?? 'text', set, options);
    return { line: JSON.stringify({ id: task.id, ...result }), tally: tallyOf(result.removed) };
  } catch (e) {
    return { failed: e instanceof Error ? e.message : String(e) };
  }
}
