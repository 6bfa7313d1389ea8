/**
 * What stands between the internet and the cleaning endpoints: security headers on every answer,
 * optional API keys, and a per-client rate limit. Keys and limits guard POST /v1/clean,
 * /v1/clean/batch and the evaluation endpoints (the work that costs CPU); probes, metrics, rule-set
 * reads and the dashboard's files stay open, and rule-set writes keep their own admin token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type { Config } from '../config';
import { HttpProblem } from './problems';

/** The paths whose requests need a key and count against the rate limit. */
export const GUARDED_PATHS = ['/v1/clean', '/v1/evaluate', '/v1/rulesets/:id/evaluate'];

/**
 * helmet's defaults, less two that belong to whoever terminates TLS: HSTS (a plain-HTTP service
 * cannot know it is served over HTTPS) and upgrade-insecure-requests (which would send the
 * dashboard's own scripts to https:// on a plain-HTTP deployment). The dashboard is a same-origin
 * Vite build: its module scripts, stylesheet and scorer worker are all 'self', its icon a data:
 * URL; helmet's default policy allows exactly that.
 */
export function securityHeaders(): RequestHandler {
  const policy = helmet({
    strictTransportSecurity: false,
    contentSecurityPolicy: {
      useDefaults: true,
      directives: { 'upgrade-insecure-requests': null, 'worker-src': ["'self'"] },
    },
  });
  // The policy sets the same headers on every answer (no nonce): read them once and set them in
  // one loop, instead of helmet's dozen middleware calls a request, each rebuilding its value.
  const headers: [string, string][] = [];
  const recorder = {
    setHeader: (name: string, value: string) => void headers.push([name, String(value)]),
    removeHeader: () => undefined,
  };
  policy({ headers: {} } as Request, recorder as unknown as Response, () => undefined);
  return (_req: Request, res: Response, next: NextFunction) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    // Helmet removes it; Express sets it unless disabled (app.ts disables it).
    res.removeHeader('X-Powered-By');
    next();
  };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** The key a request presents: `Authorization: Bearer KEY` or `X-API-Key: KEY`. */
function presentedKey(req: Request): string | undefined {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  const m = /^Bearer[ \t]+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

/**
 * Wrong API keys and admin tokens, counted per client address: DECLUTTER_AUTH_FAILURES a minute,
 * then every guarded request from that address is answered 429 until the minute has refilled, a
 * right key included (else a guess that works would still be told apart, and guessing would go on
 * at full speed). A request without any credential is not a guess and is not counted. One table
 * for the API keys and the admin token of an app, bounded like the rate limiter's (MAX_BUCKETS).
 */
export class AuthFailures {
  private readonly buckets: TokenBuckets;

  constructor(
    readonly perMinute: number,
    now?: () => number,
  ) {
    this.buckets = new TokenBuckets(perMinute / 60, perMinute, now);
  }

  /** The problem to answer a blocked client with, or undefined when it may try. */
  blocked(client: string): HttpProblem | undefined {
    const wait = this.buckets.wait(client);
    return wait > 0 ? this.problem(wait) : undefined;
  }

  /** Counts one failed attempt; answers the 429 when it was one too many, else undefined. */
  failed(client: string): HttpProblem | undefined {
    const wait = this.buckets.take(client);
    return wait > 0 ? this.problem(wait) : undefined;
  }

  get clients(): number {
    return this.buckets.size;
  }

  private problem(wait: number): HttpProblem {
    const seconds = Math.max(1, Math.ceil(wait));
    return new HttpProblem('rate-limited', `more than ${this.perMinute} failed key or token attempts a minute from this address; retry after ${seconds} s`, {
      headers: { 'Retry-After': String(seconds) },
    });
  }
}

const authFailureTables = new WeakMap<Config, AuthFailures | null>();

/** The app's table of failed attempts (one per config, so keys and token share it); null: not limited. */
export function authFailuresFor(config: Config): AuthFailures | null {
  let table = authFailureTables.get(config);
  if (table === undefined) {
    table = config.authFailures > 0 ? new AuthFailures(config.authFailures) : null;
    authFailureTables.set(config, table);
  }
  return table;
}

/** Who failed: the address Express sees (behind a trusted proxy, the one it forwarded). */
export function clientAddress(req: Request): string {
  return `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
}

/**
 * API keys (DECLUTTER_API_KEYS; none set: open). A request's key is compared with every key in
 * constant time (hashes first, so lengths leak nothing). The client is then known by a short hash
 * of its key, which is what the rate limiter and logs see; the key itself is never stored on the
 * request or logged.
 */
export function requireApiKey(config: Config): RequestHandler | undefined {
  if (!config.apiKeys.length) return undefined;
  const known = config.apiKeys.map((k) => ({ digest: digest(k), client: `key:${digest(k).toString('hex').slice(0, 12)}` }));
  const failures = authFailuresFor(config);
  return (req: Request, res: Response, next: NextFunction) => {
    const address = clientAddress(req);
    const blocked = failures?.blocked(address);
    if (blocked) return next(blocked);
    const key = presentedKey(req);
    const d = key === undefined ? undefined : digest(key);
    let client: string | undefined;
    // Every key is compared, match or not, so the time taken does not say which one matched.
    for (const k of known) if (d && timingSafeEqual(d, k.digest)) client = k.client;
    if (!client) {
      const tooMany = key === undefined ? undefined : failures?.failed(address);
      if (tooMany) return next(tooMany);
      return next(
        new HttpProblem('invalid-api-key', key === undefined ? 'send an API key as Authorization: Bearer KEY or X-API-Key: KEY' : 'the API key is not valid', {
          headers: { 'WWW-Authenticate': 'Bearer realm="declutter"' },
        }),
      );
    }
    res.locals.client = client;
    next();
  };
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets, one per client. 10,000 clients is far more than the crawlers a deployment
 * serves; past it the buckets that are full again (idle clients: forgetting them changes nothing)
 * are dropped, then the oldest, so an address-spraying client cannot grow memory without bound.
 */
export const MAX_BUCKETS = 10_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one token; answers 0 when granted, else the seconds until one is available. */
  take(client: string): number {
    const now = this.now();
    let b = this.buckets.get(client);
    if (!b) {
      if (this.buckets.size >= MAX_BUCKETS) this.sweep(now);
      b = { tokens: this.burst, at: now };
      this.buckets.set(client, b);
    } else {
      b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.rate);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return (1 - b.tokens) / this.rate;
  }

  /** The seconds until `client` has a token again, without taking one (0: it has one now). */
  wait(client: string): number {
    const b = this.buckets.get(client);
    if (!b) return 0;
    const tokens = Math.min(this.burst, b.tokens + ((this.now() - b.at) / 1000) * this.rate);
    return tokens >= 1 ? 0 : (1 - tokens) / this.rate;
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    for (const [client, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.rate >= this.burst) this.buckets.delete(client);
    }
    // Still full of active clients: drop the oldest tenth (Map order is insertion order).
    let drop = this.buckets.size >= MAX_BUCKETS ? Math.ceil(MAX_BUCKETS / 10) : 0;
    for (const client of this.buckets.keys()) {
      if (drop-- <= 0) break;
      this.buckets.delete(client);
    }
  }
}

/**
 * DECLUTTER_RATE_LIMIT requests a second per client (its API key, else its address), with bursts
 * of DECLUTTER_RATE_BURST. A batch is one request however many documents it carries. The limit is
 * per process: behind a load balancer over N replicas a client may get up to N times it.
 */
export function rateLimit(config: Config): RequestHandler | undefined {
  if (!(config.rateLimit > 0)) return undefined;
  const buckets = new TokenBuckets(config.rateLimit, config.rateBurst);
  return (req: Request, res: Response, next: NextFunction) => {
    const client = (res.locals.client as string | undefined) ?? clientAddress(req);
    const wait = buckets.take(client);
    if (wait === 0) return next();
    const seconds = Math.max(1, Math.ceil(wait));
    next(
      new HttpProblem(
        'rate-limited',
        `more than ${config.rateLimit} requests a second (bursts of ${config.rateBurst}) from this client; retry after ${seconds} s`,
        {
          headers: { 'Retry-After': String(seconds) },
        },
      ),
    );
  };
}
