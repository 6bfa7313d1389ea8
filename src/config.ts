/**
 * The service's settings, read once from the environment. Every setting has a default; a value
 * that is present but wrong stops the start with one line naming the variable, rather than a
 * service that runs with a setting nobody asked for.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_GROUP } from './batch/settings';
import { DEFAULT_RULESET_CAPS, type RuleSetCaps } from './rulesets/caps';
import { PACKAGED_RULES_DIR } from './rulesets/load';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  port: number;
  host: string;
  /** Absolute path of the directory the rule sets are read from. */
  rulesDir: string;
  /** DECLUTTER_STORE: a postgres:// URL keeps the rule sets in PostgreSQL (models stay in rulesDir); undefined: the files of rulesDir. */
  storeUrl: string | undefined;
  /** Bearer token for rule-set writes; undefined: writes are refused. */
  adminToken: string | undefined;
  logLevel: LogLevel;
  /** Largest request body of POST /v1/clean, in bytes. */
  bodyLimit: number;
  /** Largest request body of POST /v1/clean/batch, in bytes. */
  batchBodyLimit: number;
  /** How long one document may take to clean before it is given up (worker pools enforce it). */
  docTimeoutMs: number;
  /** Worker threads cleaning off the event loop (batch, inline rule sets); 0 means one per core. */
  workers: number;
  /** How long a graceful shutdown waits for open requests before closing them. */
  shutdownTimeoutMs: number;
  /** On SIGTERM, how long /readyz answers 503 while requests are still accepted, before the listener closes. */
  shutdownDelayMs: number;
  /** V8's heap growing factor as a percentage over live memory (`declutter serve` only); 0: V8's own. */
  heapGrowingPercent: number;
  /** API keys for the cleaning and evaluation endpoints; empty: those endpoints are open. */
  apiKeys: string[];
  /** Wrong API keys and admin tokens a client address may send a minute before it gets 429; 0: no limit. */
  authFailures: number;
  /** Bad lines in a row after which a streamed batch ends with one error line; 0: never. */
  batchMaxBadLines: number;
  /** Queued batch documents sent to a worker in one message, at most (1: one a message). */
  batchGroupDocs: number;
  /** Characters of input such a message holds at most; a larger document goes alone. */
  batchGroupChars: number;
  /** Requests a second per client (key, else address) on those endpoints; 0: no limit. */
  rateLimit: number;
  /** Requests a client may send at once before the rate applies. */
  rateBurst: number;
  /** Express's `trust proxy`: which proxies' X-Forwarded-For to believe for the client address. */
  trustProxy: string | undefined;
  /** Time allowed for a request's headers. */
  headersTimeoutMs: number;
  /** Time allowed for a request body, extended by one second per `bodyMinRate` bytes received. */
  bodyTimeoutMs: number;
  /** Bytes a second a body must keep up to keep extending its time. */
  bodyMinRate: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** How long a connection with a request under way may go without a byte either way. */
  idleTimeoutMs: number;
  /** Documents admitted and not yet answered, beyond which requests get 503 overloaded. */
  queueMaxDocs: number;
  /** Bytes of those documents (bodies counted from before they are read). */
  queueMaxBytes: number;
  /** How large a rule set sent inline or by PUT may be. */
  ruleSetCaps: RuleSetCaps;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** "5mb", "512kb", "1048576" → bytes (binary units, like Express's own `limit` option). */
export function parseByteSize(value: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(value);
  if (!m) return undefined;
  const bytes = Math.floor(Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()]);
  return bytes > 0 ? bytes : undefined;
}

type Env = Record<string, string | undefined>;

/** A variable's value, treating empty as unset (as `FOO= cmd` usually means "no value"). */
function read(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, not "${raw}"`);
  }
  return Number(raw);
}

function byteSize(env: Env, name: string, fallback: string): number {
  const raw = read(env, name) ?? fallback;
  const bytes = parseByteSize(raw);
  if (bytes === undefined) throw new ConfigError(`${name} must be a size such as 5mb, 512kb or 1048576, not "${raw}"`);
  return bytes;
}

/**
 * DECLUTTER_RULES_DIR when set (it must then exist); else ./rules of the working directory when
 * there is one (a deployment with its own rules); else the rules shipped with the package.
 */
function rulesDir(env: Env, cwd: string): string {
  const raw = read(env, 'DECLUTTER_RULES_DIR');
  if (raw === undefined) {
    const local = resolve(cwd, 'rules');
    return existsSync(local) ? local : PACKAGED_RULES_DIR;
  }
  const dir = resolve(cwd, raw);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ConfigError(`DECLUTTER_RULES_DIR is not a directory: ${dir}`);
  }
  return dir;
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const logLevel = (read(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${env.LOG_LEVEL}"`);
  }
  return {
    // 0 is allowed: the OS picks a free port (tests, several instances on one machine).
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: read(env, 'HOST') ?? '0.0.0.0',
    rulesDir: rulesDir(env, cwd),
    storeUrl: storeUrl(env),
    adminToken: adminToken(env),
    logLevel: logLevel as LogLevel,
    // 5mb: the longest pages of the labelled sets are under 1 MB of text; five times that still
    // cleans in well under a second, and anything larger is more likely a mistake than an article.
    bodyLimit: byteSize(env, 'DECLUTTER_BODY_LIMIT', '5mb'),
    // 1gb: a batch streams through bounded memory (about 240 MB resident for a 500 MB body, see
    // docs/batch.md), so the limit only guards against a runaway upload.
    batchBodyLimit: byteSize(env, 'DECLUTTER_BATCH_BODY_LIMIT', '1gb'),
    // 100: a crawler's batch with a bad stretch (a truncated file, a few broken records) goes on;
    // a body that is not NDJSON at all is refused after 100 small error lines instead of one per line.
    batchMaxBadLines: integer(env, 'DECLUTTER_BATCH_MAX_BAD_LINES', 100, 0, 1_000_000_000),
    // Grouping small batch documents per worker message (batch/settings.ts GroupLimits): defaults there.
    batchGroupDocs: integer(env, 'DECLUTTER_BATCH_GROUP_DOCS', DEFAULT_GROUP.docs, 1, 1000),
    batchGroupChars: integer(env, 'DECLUTTER_BATCH_GROUP_CHARS', DEFAULT_GROUP.chars, 1, 100_000_000),
    // 10 s: the slowest document of the labelled sets takes milliseconds; ten seconds only ever
    // trips on a pathological regular expression or input, and stops it from holding a worker.
    docTimeoutMs: integer(env, 'DECLUTTER_DOC_TIMEOUT_MS', 10_000, 1, 3_600_000),
    // 0 (one per core) by default: a batch wants every core the machine has.
    workers: integer(env, 'DECLUTTER_WORKERS', 0, 0, 256),
    // 10 s: long enough for any single clean to finish, short enough for an orchestrator's
    // usual 30 s grace period before it kills the process.
    shutdownTimeoutMs: integer(env, 'DECLUTTER_SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    // 0: a load balancer that notices closed connections (nginx, a Kubernetes Service after its
    // endpoints update) needs no delay; set a few seconds where readiness is polled before traffic stops.
    shutdownDelayMs: integer(env, 'DECLUTTER_SHUTDOWN_DELAY_MS', 0, 0, 600_000),
    // 20%: a batch allocates its documents' strings at a high rate, and with V8's own growth the
    // heap of the routing thread grew to 130 MB of mostly garbage between collections. A 100 MB
    // batch of dev-set pages (node bench/big-batch.js 100): peak resident 302-307 MB at 2.6-2.8 MB/s
    // with V8's default, 250 MB at 2.8 MB/s at 20%, 265 MB at 50%.
    heapGrowingPercent: integer(env, 'DECLUTTER_HEAP_GROWING_PERCENT', 20, 0, 1000),
    apiKeys: apiKeys(env),
    // 10 a minute: a person mistyping a key or a client with a rotated one stays far below it;
    // a guesser gets 14,400 tries a day per address instead of thousands a second.
    authFailures: integer(env, 'DECLUTTER_AUTH_FAILURES', 10, 0, 1_000_000),
    rateLimit: integer(env, 'DECLUTTER_RATE_LIMIT', 0, 0, 1_000_000),
    // One second's worth by default: a client may send its requests in step with its own rhythm.
    rateBurst: integer(env, 'DECLUTTER_RATE_BURST', Math.max(1, integer(env, 'DECLUTTER_RATE_LIMIT', 0, 0, 1_000_000)), 1, 1_000_000),
    trustProxy: read(env, 'DECLUTTER_TRUST_PROXY'),
    // 20 s: headers are a few hundred bytes; even a slow client sends them in well under a second.
    headersTimeoutMs: integer(env, 'DECLUTTER_HEADERS_TIMEOUT_MS', 20_000, 1000, 600_000),
    // 30 s plus a second per 10 KB: a 5 MB document at a modest 200 KB/s takes 25 s, a batch at any
    // rate over 10 KB/s never runs out, and a body trickling a byte at a time is cut off after 30 s.
    bodyTimeoutMs: integer(env, 'DECLUTTER_BODY_TIMEOUT_MS', 30_000, 0, 3_600_000),
    bodyMinRate: byteSize(env, 'DECLUTTER_BODY_MIN_RATE', '10kb'),
    // 65 s: longer than the idle timeout of the proxies in front (nginx upstream keepalive 60 s,
    // AWS ALB 60 s), so the proxy, never the service, closes an idle connection; otherwise a
    // request sent just as the service closes it fails with a 502.
    keepAliveTimeoutMs: integer(env, 'DECLUTTER_KEEPALIVE_TIMEOUT_MS', 65_000, 1000, 600_000),
    // 60 s: a request goes quiet only while a document is being cleaned (at most its 10 s budget),
    // so a minute of silence means a client that stopped reading its batch's results while the
    // service holds their window in memory. 0: off.
    idleTimeoutMs: integer(env, 'DECLUTTER_IDLE_TIMEOUT_MS', 60_000, 0, 3_600_000),
    // 256 documents and 48 MB: what a replica may hold at once, whoever sends it. A document
    // admitted costs about four times its bytes before it leaves (the body, its string, the
    // worker's copy, the result line), so 48 MB of it stays near 200 MB on top of the ~200 MB a
    // replica with two workers takes idle: under the 512 Mi limit of deploy/k8s. 60 clients sending
    // 4.9 MB pages at once took a replica from 196 MB to 972 MB without a cap.
    queueMaxDocs: integer(env, 'DECLUTTER_QUEUE_MAX_DOCS', 256, 1, 1_000_000),
    queueMaxBytes: byteSize(env, 'DECLUTTER_QUEUE_MAX_BYTES', '48mb'),
    ruleSetCaps: {
      maxRules: integer(env, 'DECLUTTER_RULESET_MAX_RULES', DEFAULT_RULESET_CAPS.maxRules, 1, 1_000_000),
      maxPatterns: integer(env, 'DECLUTTER_RULESET_MAX_PATTERNS', DEFAULT_RULESET_CAPS.maxPatterns, 1, 1_000_000),
      maxPatternChars: byteSize(env, 'DECLUTTER_RULESET_MAX_PATTERN_CHARS', String(DEFAULT_RULESET_CAPS.maxPatternChars)),
      maxSelectors: integer(env, 'DECLUTTER_RULESET_MAX_SELECTORS', DEFAULT_RULESET_CAPS.maxSelectors, 1, 1_000_000),
      maxSelectorChars: byteSize(env, 'DECLUTTER_RULESET_MAX_SELECTOR_CHARS', String(DEFAULT_RULESET_CAPS.maxSelectorChars)),
      maxDepth: integer(env, 'DECLUTTER_RULESET_MAX_DEPTH', DEFAULT_RULESET_CAPS.maxDepth, 4, 1000),
    },
  };
}

/** DECLUTTER_STORE: unset or `files` for the rules directory, else a PostgreSQL connection URL. */
function storeUrl(env: Env): string | undefined {
  const raw = read(env, 'DECLUTTER_STORE');
  if (raw === undefined || raw === 'files') return undefined;
  if (!/^postgres(?:ql)?:\/\/./.test(raw)) {
    throw new ConfigError('DECLUTTER_STORE must be "files" or a PostgreSQL URL (postgres://user:password@host:5432/database)');
  }
  return raw;
}

/** DECLUTTER_API_KEYS: comma-separated; each key at least 16 characters, so none is guessable by accident. */
function apiKeys(env: Env): string[] {
  const raw = read(env, 'DECLUTTER_API_KEYS');
  if (raw === undefined) return [];
  const keys = raw
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  for (const k of keys) {
    if (k.length < 16 || !/^[\x21-\x7e]+$/.test(k)) {
      throw new ConfigError('DECLUTTER_API_KEYS must be comma-separated keys of at least 16 printable characters without spaces');
    }
  }
  return keys;
}

/** The admin token guards every rule-set write: at least 16 characters, like an API key. */
function adminToken(env: Env): string | undefined {
  const token = read(env, 'DECLUTTER_ADMIN_TOKEN');
  if (token !== undefined && (token.length < 16 || !/^[\x21-\x7e]+$/.test(token))) {
    throw new ConfigError(
      `DECLUTTER_ADMIN_TOKEN must be at least 16 printable characters without spaces (it has ${token.length}); openssl rand -hex 24 makes one`,
    );
  }
  return token;
}
