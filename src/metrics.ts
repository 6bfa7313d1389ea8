/**
 * The process's metrics: documents cleaned or refused, spans removed by rule and category, and the
 * prom-client registry GET /metrics serves (server/http-metrics.ts) — what they mean and what to
 * alert on is in docs/operations.md. Outside `server` because the batch pipeline, which the CLI
 * runs without a server, records into the same counters.
 *
 * The recording side is plain counters in module state: a cleaned document costs one Map lookup
 * per rule that removed something and a few number additions, never a label lookup per span.
 * prom-client is loaded only when the service builds its registry (the CLI's batch records into
 * the same counters without paying for it), and the counters are copied into it at scrape time.
 * One registry per process: metrics describe the process, however many apps a test builds.
 */
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BytesOutcome, PoolOutcome, PoolStats } from './batch/pool';
import { tallyOf, type SpanTally, type TalliedSpan } from './batch/tally';

export type InputKind = 'text' | 'html';
/** ok: a result; invalid: refused before cleaning (batch error line); the rest: the pool's outcomes. */
export type DocumentOutcome = 'ok' | 'invalid' | 'timeout' | 'failed' | 'cancelled';

const OUTCOMES: readonly DocumentOutcome[] = ['ok', 'invalid', 'timeout', 'failed', 'cancelled'];

function zeroOutcomes(): Record<DocumentOutcome, number> {
  return { ok: 0, invalid: 0, timeout: 0, failed: 0, cancelled: 0 };
}

const documents: Record<InputKind, Record<DocumentOutcome, number>> = { text: zeroOutcomes(), html: zeroOutcomes() };

interface RuleEntry {
  rule: string;
  category: string;
  spans: number;
  chars: number;
}

/**
 * Rule ids and categories come from rule sets: 500 distinct rules is several times the packaged
 * set plus a deployment's own sets; beyond it rules are counted under "(other)" so the metrics
 * cannot grow without bound. Inline sets sent for tuning may carry any id: their spans all count
 * under the one rule label "inline", so a client cannot take the slots the stored sets' rules need.
 */
export const MAX_RULE_LABELS = 500;
const OTHER = '(other)';
export const INLINE_RULE_LABEL = 'inline';
const rules = new Map<string, RuleEntry>();

function entryFor(rule: string, category: string): RuleEntry {
  let e = rules.get(rule);
  if (e !== undefined && e.category === category) return e;
  // The same rule id with another category (two sets disagree): rare, keyed apart.
  const key = e === undefined ? rule : `${rule}\u0000${category}`;
  e = rules.get(key);
  if (e !== undefined) return e;
  if (rules.size >= MAX_RULE_LABELS - 1) {
    // One label is kept back for "(other)", so the cap holds with it.
    e = rules.get(OTHER);
    if (e === undefined) rules.set(OTHER, (e = { rule: OTHER, category: OTHER, spans: 0, chars: 0 }));
    return e;
  }
  e = { rule, category, spans: 0, chars: 0 };
  rules.set(key, e);
  return e;
}

function addTally(tally: SpanTally, inline: boolean): void {
  for (const [rule, category, spans, chars] of tally) {
    const e = inline ? entryFor(INLINE_RULE_LABEL, INLINE_RULE_LABEL) : entryFor(rule, category);
    e.spans += spans;
    e.chars += chars;
  }
}

function kindOf(kind: string | undefined): InputKind {
  return kind === 'html' ? 'html' : 'text';
}

/**
 * Counts a result cleaned in this thread (POST /v1/clean); answers it, to wrap a call in place.
 * `inline`: cleaned by a rule set the request sent, whose rules count as "inline".
 */
export function recordCleaned<T extends { removed: readonly TalliedSpan[] }>(kind: string | undefined, result: T, inline = false): T {
  documents[kindOf(kind)].ok++;
  addTally(tallyOf(result.removed), inline);
  return result;
}

/** Counts a document that came back from the worker pool (batch, inline rule sets). */
export function recordPoolOutcome(kind: string | undefined, outcome: PoolOutcome | BytesOutcome, inline = false): void {
  const k = kindOf(kind);
  if (outcome.ok) {
    documents[k].ok++;
    const tally = (outcome as { tally?: SpanTally }).tally;
    if (tally) addTally(tally, inline);
  } else {
    // A refused inline set: the document was never cleaned, as with any other refusal.
    documents[k][outcome.reason === 'refused' ? 'invalid' : outcome.reason]++;
  }
}

/** Requests answered 503 `overloaded` (admission.ts), by route. */
const overloaded = new Map<string, number>();

export function recordOverloaded(route: string): void {
  overloaded.set(route, (overloaded.get(route) ?? 0) + 1);
}

export function overloadedCounts(): Record<string, number> {
  return Object.fromEntries(overloaded);
}

/** Counts a batch line refused before cleaning (bad JSON, unknown rule set, too long...). */
export function recordRefused(kind?: string): void {
  documents[kindOf(kind)].invalid++;
}

/** WARC-Type values of ISO 28500; anything else is counted as "other", so labels stay few. */
const WARC_TYPES = new Set(['warcinfo', 'response', 'resource', 'request', 'metadata', 'revisit', 'conversion', 'continuation']);
export type WarcRecordOutcome = 'cleaned' | 'skipped' | 'error';
const warcRecords = new Map<string, number>();

/** Counts a record of a WARC/WET batch by its type and what became of it. */
export function recordWarcRecord(type: string, outcome: WarcRecordOutcome): void {
  const key = `${WARC_TYPES.has(type) ? type : 'other'} ${outcome}`;
  warcRecords.set(key, (warcRecords.get(key) ?? 0) + 1);
}

/** The counts so far, for tests and the CLI. */
export function documentCounts(): Record<InputKind, Record<DocumentOutcome, number>> {
  return { text: { ...documents.text }, html: { ...documents.html } };
}

// ---- sources the scrape reads: set by the app that owns them ----

export interface ServiceState {
  pool(): PoolStats | undefined;
  /** Work admitted and not yet answered (admission.ts). */
  admitted?(): { documents: number; bytes: number };
  ready(): boolean;
  rulesets(): number;
  refusedFiles(): number;
  /** False while the rule-set store (PostgreSQL) cannot be reached; files are always reachable. */
  storeReachable?(): boolean;
}

let state: ServiceState | undefined;

/** The app whose pool and rule sets the gauges show (the last one created, in a process with several). */
export function observeService(s: ServiceState): void {
  state = s;
}

// ---- the registry ----

interface Metrics {
  registry: Registry;
  duration: Histogram<'route' | 'method' | 'status'>;
  bytesIn: Counter<'route'>;
  bytesOut: Counter<'route'>;
  inFlight: Gauge;
}

let metrics: Metrics | undefined;

/**
 * Durations from 5 ms (a small document) to 10 min (a large streaming batch): the single-document
 * buckets are dense because that is where latency objectives live.
 */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

export function metricsRegistry(): Metrics {
  if (metrics) return metrics;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const client = require('prom-client') as typeof import('prom-client');
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });

  const duration = new client.Histogram({
    name: 'declutter_http_request_duration_seconds',
    help: 'Time from a request arriving to its response ending (a streaming batch: its whole stream), by route pattern, method and status ("aborted" when the connection closed first).',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const bytesIn = new client.Counter({
    name: 'declutter_http_request_bytes_total',
    help: 'Request bytes read from clients, headers included (compressed bodies count as sent), by route pattern.',
    labelNames: ['route'] as const,
    registers: [registry],
  });
  const bytesOut = new client.Counter({
    name: 'declutter_http_response_bytes_total',
    help: 'Response bytes written to clients, headers included, by route pattern.',
    labelNames: ['route'] as const,
    registers: [registry],
  });
  const inFlight = new client.Gauge({
    name: 'declutter_http_requests_in_flight',
    help: 'Requests being answered now (a streaming batch counts as one).',
    registers: [registry],
  });

  new client.Counter({
    name: 'declutter_documents_total',
    help: 'Documents cleaned or refused, by input kind (text, html) and outcome (ok, invalid, timeout, failed, cancelled).',
    labelNames: ['input', 'outcome'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const input of ['text', 'html'] as const) for (const outcome of OUTCOMES) this.inc({ input, outcome }, documents[input][outcome]);
    },
  });
  new client.Counter({
    name: 'declutter_warc_records_total',
    help: 'Records of WARC/WET batches, by WARC-Type and outcome (cleaned, skipped: not a page or text, error: could not be read).',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [key, n] of warcRecords) {
        const [type, outcome] = key.split(' ');
        this.inc({ type, outcome }, n);
      }
    },
  });
  new client.Counter({
    name: 'declutter_removed_chars_total',
    help: 'Characters removed from documents (offset units of the request), by category.',
    labelNames: ['category'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const byCategory = new Map<string, number>();
      for (const e of rules.values()) byCategory.set(e.category, (byCategory.get(e.category) ?? 0) + e.chars);
      for (const [category, chars] of byCategory) this.inc({ category }, chars);
    },
  });
  new client.Counter({
    name: 'declutter_rule_hits_total',
    help: 'Spans removed, by rule id (rules of inline sets count as "inline"; rules past the first 500 seen as "(other)").',
    labelNames: ['rule'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const e of rules.values()) this.inc({ rule: e.rule }, e.spans);
    },
  });

  const poolGauge = (name: string, help: string, read: (s: PoolStats) => number) =>
    new client.Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const s = state?.pool();
        this.set(s ? read(s) : 0);
      },
    });
  poolGauge('declutter_pool_threads', 'Worker threads of the cleaning pool (0 until the first batch or inline rule set starts it).', (s) => s.threads);
  poolGauge('declutter_pool_busy_threads', 'Worker threads cleaning a document now.', (s) => s.running);
  poolGauge('declutter_pool_queue_length', 'Documents waiting for a free worker thread.', (s) => s.waiting);
  poolGauge('declutter_pool_utilisation_ratio', 'Busy threads over threads (0 to 1).', (s) => (s.threads ? s.running / s.threads : 0));

  new client.Counter({
    name: 'declutter_overloaded_total',
    help: 'Requests refused with 503 overloaded because the queued work was at its cap (DECLUTTER_QUEUE_MAX_DOCS, DECLUTTER_QUEUE_MAX_BYTES), by route.',
    labelNames: ['route'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [route, n] of overloaded) this.inc({ route }, n);
    },
  });
  new client.Gauge({
    name: 'declutter_admitted_documents',
    help: 'Documents admitted (being read, queued for a worker or in one) and not yet answered.',
    registers: [registry],
    collect() {
      this.set(state?.admitted?.().documents ?? 0);
    },
  });
  new client.Gauge({
    name: 'declutter_admitted_bytes',
    help: 'Bytes of the documents admitted and not yet answered (request bodies count in full from before they are read).',
    registers: [registry],
    collect() {
      this.set(state?.admitted?.().bytes ?? 0);
    },
  });

  new client.Gauge({
    name: 'declutter_ready',
    help: '1 when /readyz answers 200 (default rule set loaded, not shutting down), else 0.',
    registers: [registry],
    collect() {
      this.set(state?.ready() ? 1 : 0);
    },
  });
  new client.Gauge({
    name: 'declutter_rulesets_loaded',
    help: 'Rule sets being served.',
    registers: [registry],
    collect() {
      this.set(state?.rulesets() ?? 0);
    },
  });
  new client.Gauge({
    name: 'declutter_ruleset_files_refused',
    help: 'Rule-set files on disk that do not load (the last good version of each stays live; /readyz lists them).',
    registers: [registry],
    collect() {
      this.set(state?.refusedFiles() ?? 0);
    },
  });
  new client.Gauge({
    name: 'declutter_ruleset_store_reachable',
    help: '0 while the PostgreSQL rule-set store cannot be reached (cleaning goes on with the live sets; saves answer 503), else 1.',
    registers: [registry],
    collect() {
      this.set(state?.storeReachable?.() === false ? 0 : 1);
    },
  });

  metrics = { registry, duration, bytesIn, bytesOut, inFlight };
  return metrics;
}
