/**
 * `declutter batch [IN.jsonl|-] [options]`: flags and help in ../specs/batch.ts.
 *
 * One `{id, text or html, ...}` a line in, one result a line out (`{id, ...result}`, or `{id, error}` for a
 * bad line), in input order, on every core: the same pool and pipeline as POST /v1/clean/batch.
 * A progress line with documents/s goes to stderr when stderr is a terminal. `--skip-done OUT`
 * skips ids already in OUT, so an interrupted run resumes with `... --skip-done out.jsonl >> out.jsonl`.
 * `--html` cleans the `html` of lines that carry both `text` and `html` (the labelled sets do);
 * `--format html` adds the sanitised article to every result; `--detail spans|none` makes results
 * compact (../../batch/result-line.ts). A line's own `options` win.
 * A WARC or WET file (`--warc`, or recognised by its first bytes) is read record by record
 * (../../batch/warc.ts); `--out-format warc` writes WARC conversion records instead of lines.
 * Exits 0 when every line was answered (error lines included) or its reader went away (`| head`),
 * 130 when interrupted.
 */
import { closeSync, fstatSync, ftruncateSync, openSync, readSync, statSync, existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  batchLimits,
  CleaningPool,
  looksLikeWarc,
  maxLineBytesFromEnv,
  ndjsonItems,
  newTally,
  runPipeline,
  skippedCount,
  SourceQueue,
  streamSink,
  warcItems,
  warcSink,
  type BatchDefaults,
  type LineSink,
  type PipelineItem,
  type PipelineSummary,
  type RuleSetSource,
  type WarcItem,
  type WarcTally,
} from '../../batch';
import { doneWarcIds } from '../warc-done';
import { loadConfig } from '../../config';
import { RuleSetRegistry } from '../../rulesets/registry';
import { CliError, parseArgs } from '../args';
import { lines, openInput } from '../io';
import { isRuleSetPath, resolveRuleSet, rulesDir } from '../rulesets';
import { batch as spec } from '../specs/batch';
import { stdoutClosed, whenStdoutCloses } from '../stdout';

/** The key an id is compared by: its JSON, so the number 1 and the string "1" stay different. */
const idKey = (id: unknown) => JSON.stringify(id);

/** Offset just past the last newline of a file (0 when it has none). */
function completeLength(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(64 * 1024);
    for (let end = size; end > 0;) {
      const start = Math.max(0, end - buf.length);
      const n = readSync(fd, buf, 0, end - start, start);
      const at = buf.subarray(0, n).lastIndexOf(0x0a);
      if (at >= 0) return start + at + 1;
      end = start;
    }
    return 0;
  } finally {
    closeSync(fd);
  }
}

/** True when standard output is the file at `path` (resuming with `>> path`). */
function stdoutIs(path: string): boolean {
  try {
    const out = fstatSync(1);
    const file = statSync(path);
    return out.isFile() && out.dev === file.dev && out.ino === file.ino;
  } catch {
    return false;
  }
}

/**
 * The ids already written to OUT. A run that was killed may have left half a line at the end:
 * when we are appending to that very file it is cut off (it would otherwise glue onto our first
 * line); otherwise we say so, and its document is done again.
 */
async function doneIds(path: string): Promise<Set<string>> {
  if (!existsSync(path)) return new Set();
  const size = statSync(path).size;
  const complete = completeLength(path);
  if (complete < size) {
    if (stdoutIs(path)) {
      ftruncateSync(1, complete);
      process.stderr.write(`declutter batch: removed an unfinished last line from ${path} before appending\n`);
    } else {
      process.stderr.write(`declutter batch: ${path} ends with an unfinished line; its document will be done again\n`);
    }
  }
  const done = new Set<string>();
  // Results are written id first, so the id is usually read without parsing the whole line.
  const idFirst = /^\{"id":("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|null)[,}]/;
  let read = 0;
  for await (const line of lines(openInput(path))) {
    read += Buffer.byteLength(line) + 1;
    if (read > complete) break;
    const m = idFirst.exec(line);
    let id: unknown;
    try {
      id = m ? JSON.parse(m[1]) : ((JSON.parse(line) as { id?: unknown })?.id ?? null);
    } catch {
      continue;
    }
    if (id !== null) done.add(idKey(id));
  }
  return done;
}

async function* skipping<T extends PipelineItem>(
  items: AsyncIterable<T>,
  done: Set<string>,
  skipped: { n: number; endedBadLines?: boolean },
): AsyncGenerator<T> {
  for await (const item of items) {
    if ('error' in item.prepared && item.prepared.error.code === 'too-many-bad-lines') skipped.endedBadLines = true;
    const id = item.prepared.id;
    if (id !== null && done.has(idKey(id))) skipped.n++;
    else yield item;
  }
}

/**
 * `12 345 docs  310.2 docs/s  48.1 MB  37%  2 errors` on one redrawn stderr line. `position` is the
 * share of the input file read, when the bytes written do not say it (a WARC: compressed, with
 * skipped records); `warc` adds the records skipped.
 */
function progress(totalBytes: number | undefined, position?: () => number, warc?: WarcTally) {
  const started = performance.now();
  let last: PipelineSummary = { written: 0, errors: 0, bytes: 0, cancelled: false };
  const draw = () => {
    const seconds = (performance.now() - started) / 1000;
    const parts = [`${last.written} docs`, `${(last.written / Math.max(seconds, 0.001)).toFixed(1)} docs/s`, `${(last.bytes / 1e6).toFixed(1)} MB`];
    if (totalBytes) parts.push(`${Math.min(100, Math.floor((100 * (position ? position() : last.bytes)) / totalBytes))}%`);
    if (last.errors) parts.push(`${last.errors} error${last.errors === 1 ? '' : 's'}`);
    if (warc) parts.push(`${skippedCount(warc)} records skipped`);
    process.stderr.write(`\r\x1b[K${parts.join('  ')}`);
  };
  // Four redraws a second: smooth enough to read, cheap enough not to matter.
  const timer = setInterval(draw, 250);
  return {
    update: (s: PipelineSummary) => void (last = s),
    stop() {
      clearInterval(timer);
      draw();
      process.stderr.write('\n');
    },
  };
}

function readConcurrency(raw: string | undefined): number {
  if (raw === undefined) return 0;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 256) throw new CliError('--concurrency is a number of threads from 1 to 256');
  return Number(raw);
}

/** The first bytes of the input, and the input again with them, to tell WARC from NDJSON. */
async function peek(input: Readable): Promise<{ head: Buffer; chunks: AsyncIterable<Buffer> }> {
  const iterator = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await iterator.next();
  const head = first.done ? Buffer.alloc(0) : first.value;
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      if (!first.done) yield first.value;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      // As a for-await over the stream would: stop reading it when the reader stops early.
      await iterator.return?.();
    }
  }
  return { head, chunks: chunks() };
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  if (args.positional.length > 1) throw new CliError('give one input file, or - for standard input');
  const inputPath = args.positional[0];
  const threads = readConcurrency(args.values['--concurrency']);
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    throw new CliError((e as Error).message, 2);
  }

  const registry = RuleSetRegistry.fromDir(rulesDir());
  const chosen = args.values['--ruleset'];
  const defaults: BatchDefaults = {};
  if (args.flags.has('--html')) defaults.input = 'html';
  const format = args.values['--format'];
  if (format !== undefined && format !== 'text' && format !== 'html') throw new CliError('--format is text or html');
  if (format === 'html') defaults.format = 'html';
  const detail = args.values['--detail'];
  if (detail !== undefined && detail !== 'full' && detail !== 'spans' && detail !== 'none') throw new CliError('--detail is full, spans or none');
  if (detail !== undefined) defaults.detail = detail;
  if (chosen !== undefined) {
    defaults.ruleset = isRuleSetPath(chosen) ? resolveRuleSet(chosen) : registry.get(chosen);
    if (!defaults.ruleset) resolveRuleSet(chosen); // throws the CLI's message naming the known sets
  } else if (!registry.ready) {
    resolveRuleSet(undefined);
  }
  const outFormat = args.values['--out-format'] ?? 'ndjson';
  if (outFormat !== 'ndjson' && outFormat !== 'warc') throw new CliError('--out-format is ndjson or warc');
  const source: RuleSetSource = registry;
  const input = openInput(inputPath);
  const peeked = await peek(input);
  const warc = args.flags.has('--warc') || looksLikeWarc(peeked.head, inputPath);
  if (outFormat === 'warc' && !warc) throw new CliError('--out-format warc needs WARC or WET input: its records are what the output refers to');
  const skipDone = args.values['--skip-done'];
  const done = skipDone ? await (outFormat === 'warc' ? doneWarcIds(skipDone, stdoutIs(skipDone)) : doneIds(skipDone)) : new Set<string>();

  // --concurrency, else DECLUTTER_WORKERS, else one thread per core.
  const limits = batchLimits({ threads: threads || config.workers, docTimeoutMs: config.docTimeoutMs, maxLineBytes: maxLineBytesFromEnv() });
  const group = { docs: config.batchGroupDocs, chars: config.batchGroupChars };
  const pool = new CleaningPool({ threads: limits.threads, docTimeoutMs: limits.docTimeoutMs, group });
  const controller = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // A reader that went away (`| head`) is not an error of ours: stop reading and cleaning, quietly.
  const forget = whenStdoutCloses(() => controller.abort());

  const skipped: { n: number; endedBadLines?: boolean } = { n: 0 };
  const tally = warc ? newTally() : undefined;
  let read = 0;
  let items: AsyncIterable<PipelineItem>;
  // No slack for a file or pipe: the reader of stdout sets the pace.
  let sink: LineSink = streamSink(process.stdout, 0);
  let settled: (() => Promise<void>) | undefined;
  if (warc) {
    const records = skipping<WarcItem>(
      warcItems(peeked.chunks, { source, defaults, maxRecordBytes: limits.maxLineBytes, tally, onRead: (n) => (read += n) }),
      done,
      skipped,
    );
    if (outFormat === 'warc') {
      // A conversion record carries the clean text only: the spans would be written and dropped.
      defaults.detail = 'none';
      const sources = new SourceQueue();
      items = sources.track(records);
      const out = warcSink(process.stdout, 0, sources);
      sink = out;
      settled = out.settled;
    } else {
      items = records;
    }
  } else {
    items = skipping(ndjsonItems(peeked.chunks, { source, defaults, maxLineBytes: limits.maxLineBytes, maxBadLines: config.batchMaxBadLines }), done, skipped);
  }
  const size = inputPath && inputPath !== '-' ? statSync(inputPath).size : undefined;
  const bar = process.stderr.isTTY ? progress(size, warc ? () => read : undefined, tally) : undefined;
  try {
    await runPipeline({
      items,
      pool,
      sink,
      maxInFlight: limits.maxInFlight,
      maxInFlightBytes: limits.maxInFlightBytes,
      signal: controller.signal,
      onWritten: bar?.update,
    });
    await settled?.();
  } catch (e) {
    // The pipeline may notice the closed output before the error event does.
    if (!stdoutClosed() && !process.stdout.destroyed) throw e;
  } finally {
    forget();
    bar?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await pool.destroy();
    if (input !== process.stdin) input.destroy();
  }
  if (skipped.n && process.stderr.isTTY) process.stderr.write(`skipped ${skipped.n} documents already in ${args.values['--skip-done']}\n`);
  if (tally && process.stderr.isTTY) {
    const reasons = Object.entries(tally.skipped).map(([why, n]) => `${n} ${why}`);
    process.stderr.write(
      `${tally.records} records: ${tally.pages} pages, ${tally.texts} texts, ${skippedCount(tally)} skipped${reasons.length ? ` (${reasons.join(', ')})` : ''}, ${tally.errors} unreadable or refused\n`,
    );
  }
  if (!process.stdout.destroyed && process.stdout.writableLength > 0) {
    // A reader that leaves now closes stdout instead of draining it.
    await new Promise<void>((resolve) => {
      process.stdout.once('drain', resolve);
      process.stdout.once('close', resolve);
    });
  }
  if (skipped.endedBadLines) {
    process.stderr.write(
      `declutter batch: stopped after ${config.batchMaxBadLines} bad lines in a row (DECLUTTER_BATCH_MAX_BAD_LINES); the input should be one JSON document a line\n`,
    );
    return 1;
  }
  return interrupted ? 130 : 0;
}
