/** The service's HTTP API as the dashboard uses it; every failure becomes an ApiError with the problem's fields. */
import type { EvaluationAnswer } from '../../../scoring/labelled-set';

export interface FieldError {
  rule?: string;
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail);
    this.name = 'ApiError';
  }
  /** The endpoint is not there yet (rule-set API of issue 5) rather than refusing this request. */
  get missing(): boolean {
    return (this.status === 404 && this.code === 'not-found') || this.status === 501 || this.status === 405;
  }
}

async function toError(res: Response): Promise<ApiError> {
  let body: { code?: string; detail?: string; title?: string; errors?: FieldError[] } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    /* not a problem document: the status says enough */
  }
  return new ApiError(res.status, body.code ?? `http-${res.status}`, body.detail ?? body.title ?? res.statusText, body.errors ?? []);
}

/**
 * A service started with DECLUTTER_API_KEYS refuses the cleaning and evaluation endpoints without
 * a key. The dashboard asks for one the first time it is refused and keeps it for the tab's life
 * (sessionStorage: gone when the tab closes). It travels as X-API-Key, so that Authorization stays
 * free for the admin token of rule-set writes.
 */
const API_KEY = 'declutter.apiKey';

/** The browser's storage and prompt, reached through globalThis: this module is also compiled for Node tests. */
const browser = globalThis as unknown as {
  sessionStorage?: { getItem(k: string): string | null; setItem(k: string, v: string): void };
  prompt?: (message: string) => string | null;
};

function storedApiKey(): string | null {
  try {
    return browser.sessionStorage?.getItem(API_KEY) ?? null;
  } catch {
    return null;
  }
}

function askApiKey(refusedKey: string | null): boolean {
  const given = browser.prompt?.(refusedKey ? 'The API key was refused. API key for this service:' : 'This service needs an API key:');
  if (!given) return false;
  try {
    browser.sessionStorage!.setItem(API_KEY, given.trim());
  } catch {
    return false;
  }
  return true;
}

export async function request<T>(
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal; raw?: string; contentType?: string } = {},
): Promise<{ body: T; headers: Headers; status: number }> {
  for (;;) {
    const key = storedApiKey();
    try {
      return await requestOnce<T>(method, path, init, key);
    } catch (e) {
      // One question per refusal: a wrong key asked again, a cancelled prompt ends it.
      if (!(e instanceof ApiError && e.code === 'invalid-api-key') || !askApiKey(key)) throw e;
    }
  }
}

async function requestOnce<T>(
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal; raw?: string; contentType?: string },
  apiKey: string | null,
): Promise<{ body: T; headers: Headers; status: number }> {
  const headers: Record<string, string> = { Accept: 'application/json', ...init.headers };
  if (apiKey) headers['X-API-Key'] = apiKey;
  let body: string | undefined;
  if (init.raw !== undefined) {
    body = init.raw;
    headers['Content-Type'] = init.contentType ?? 'text/plain';
  } else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(path, { method, headers, body, signal: init.signal });
  if (!res.ok) throw await toError(res);
  const text = await res.text();
  // application/json and +json types only: application/x-ndjson is lines, read by the caller.
  const type = (res.headers.get('content-type') ?? '').split(';')[0].trim();
  const isJson = type === 'application/json' || type.endsWith('+json');
  return { body: (isJson && text ? JSON.parse(text) : text) as T, headers: res.headers, status: res.status };
}

export interface CleanResult {
  id?: string;
  text: string;
  /** For a page, `path` is the CSS path of the removed element (or of the one holding the removed text). */
  removed: { start: number; end: number; text: string; rule: string; category: string; reason: string; path?: string }[];
  /** The article as sanitised HTML, for a page cleaned with format=html. */
  html?: string;
  stats: { inputChars: number; outputChars: number; removedChars: number; blocks: number; removedBlocks: number; elapsedMs: number };
  ruleset: { id: string; version: number };
  lang?: string;
}

export interface RuleDef {
  id: string;
  category: string;
  description: string;
  kind: string;
  enabled?: boolean;
  examples?: { remove: unknown[]; keep: unknown[] };
  [field: string]: unknown;
}

export interface RuleSetDef {
  id: string;
  version: number;
  description?: string;
  extends?: string;
  hosts?: string[];
  disable?: string[];
  rules: RuleDef[];
  [field: string]: unknown;
}

export const api = {
  /** A page (`kind` 'html') comes back with its article as sanitised HTML as well. */
  clean(text: string, ruleset: string | RuleSetDef, signal?: AbortSignal, kind: 'text' | 'html' = 'text') {
    const body = kind === 'html' ? { html: text, ruleset, options: { format: 'html' } } : { text, ruleset };
    return request<CleanResult>('POST', '/v1/clean', { body, signal }).then((r) => r.body);
  },
  /** Many documents in one streamed request; one result (or `{id, error}`) a line, in input order. */
  async batch(
    docs: ({ id: string; text: string } | { id: string; html: string })[],
    ruleset: string | RuleSetDef,
    signal?: AbortSignal,
  ): Promise<(CleanResult | { id: string; error: { status: number; title: string; detail: string } })[]> {
    const inline = typeof ruleset === 'object';
    const lines = docs.map((d) => JSON.stringify(inline ? { ...d, ruleset } : d)).join('\n');
    const query = inline ? '' : `?ruleset=${encodeURIComponent(ruleset)}`;
    const res = await request<string>('POST', `/v1/clean/batch${query}`, {
      raw: lines,
      contentType: 'application/x-ndjson',
      signal,
      headers: { Accept: 'application/x-ndjson' },
    });
    return String(res.body)
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l));
  },
  listRuleSets() {
    return request<{ rulesets: { id: string; version: number; description?: string; extends?: string }[] }>('GET', '/v1/rulesets').then((r) => r.body.rulesets);
  },
  async getRuleSet(id: string): Promise<{ def: RuleSetDef; etag: string | null }> {
    const r = await request<RuleSetDef>('GET', `/v1/rulesets/${encodeURIComponent(id)}`);
    return { def: r.body, etag: r.headers.get('etag') };
  },
  /** The set with `effectiveRules` (issue 5); ApiError.missing until the service offers it. */
  async getEffective(id: string): Promise<(RuleSetDef & { effectiveRules?: (RuleDef & { from?: string })[] }) | undefined> {
    const r = await request<RuleSetDef & { effectiveRules?: (RuleDef & { from?: string })[] }>('GET', `/v1/rulesets/${encodeURIComponent(id)}?effective=true`);
    return r.body;
  },
  async putRuleSet(def: RuleSetDef, etag: string | null, token: string): Promise<{ def: RuleSetDef; etag: string | null }> {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (etag) headers['If-Match'] = etag;
    const r = await request<RuleSetDef>('PUT', `/v1/rulesets/${encodeURIComponent(def.id)}`, { body: def, headers });
    return { def: r.body, etag: r.headers.get('etag') };
  },
  versions(id: string) {
    return request<{ id: string; versions: { version: number; savedAt?: string; current?: boolean }[] }>(
      'GET',
      `/v1/rulesets/${encodeURIComponent(id)}/versions`,
    ).then((r) => r.body);
  },
  evaluate(id: string, documents: unknown[], ruleset?: RuleSetDef, signal?: AbortSignal) {
    return request<EvaluateAnswer>('POST', `/v1/rulesets/${encodeURIComponent(id)}/evaluate`, {
      body: ruleset ? { documents, ruleset } : { documents },
      signal,
    }).then((r) => r.body);
  },
};

/** The evaluate API's answer, typed where the service builds it. */
export type EvaluateAnswer = EvaluationAnswer;
