/**
 * The service's settings, read once from the environment. Every setting has a default; a value
 * that is present but wrong stops the start with one line naming the variable, rather than a
 * service that runs with a setting nobody asked for.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { PACKAGED_RULES_DIR } from './rulesets/load';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  port: number;
  host: string;
  /** Absolute path of the directory the rule sets are read from. */
  rulesDir: string;
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
    adminToken: read(env, 'DECLUTTER_ADMIN_TOKEN'),
    logLevel: logLevel as LogLevel,
    // 5mb: the longest pages of the labelled sets are under 1 MB of text; five times that still
    // cleans in well under a second, and anything larger is more likely a mistake than an article.
    bodyLimit: byteSize(env, 'DECLUTTER_BODY_LIMIT', '5mb'),
    // 1gb: a batch streams through bounded memory (about 240 MB resident for a 500 MB body, see
    // docs/batch.md), so the limit only guards against a runaway upload.
    batchBodyLimit: byteSize(env, 'DECLUTTER_BATCH_BODY_LIMIT', '1gb'),
    // 10 s: the slowest document of the labelled sets takes milliseconds; ten seconds only ever
    // trips on a pathological regular expression or input, and stops it from holding a worker.
    docTimeoutMs: integer(env, 'DECLUTTER_DOC_TIMEOUT_MS', 10_000, 1, 3_600_000),
    // 0 (one per core) by default: a batch wants every core the machine has.
    workers: integer(env, 'DECLUTTER_WORKERS', 0, 0, 256),
    // 10 s: long enough for any single clean to finish, short enough for an orchestrator's
    // usual 30 s grace period before it kills the process.
    shutdownTimeoutMs: integer(env, 'DECLUTTER_SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
  };
}
