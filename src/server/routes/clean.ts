/**
 * POST /v1/clean: one document in, one result out. The handler only reads the request, picks the
 * rule set and hands over to the engine; every refusal is a problem with its own code.
 *
 * Documents arrive as text (text/plain, or {"text"} in JSON) or as a page (text/html, or {"html"}
 * in JSON). A text/html body is read as bytes and decoded as a browser would (engine/html/charset.ts), since
 * pages arrive in whatever encoding their site used. `format=html` adds the sanitised article.
 *
 * Stored rule sets run in-process: they are reviewed and their examples tested, and a worker hop
 * would double the cost of a typical document. A rule set sent inline (tuning) is untrusted: a
 * pattern with catastrophic backtracking would freeze the event loop and with it every other
 * request, so it runs in the batch worker pool under DECLUTTER_DOC_TIMEOUT_MS. Pages (HTML input)
 * run there too, whatever the set: their cost depends on their markup as well as on the rules (the
 * HTML parser is quadratic in nesting depth: a few MB of nested <div>s takes minutes), and a
 * hostile page must not stall the service.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { cleanOne, type CleanOneOptions, type InputKind, type OutputFormat } from '../../batch/clean-one';
import type { CleanOptions, CompiledRuleSet } from '../../engine';
import { charsetOfContentType, decodeHtml, UnsupportedCharsetError } from '../../engine/html/charset';
import { isHtmlType, isJsonType, mediaTypeOf, onlyMethods } from '../http';
import { HttpProblem } from '../problems';
import type { AppDeps } from '../types';
import { checkCleanQuery, checkCleanRequest } from '../validate';
import { compileInlineRuleSet } from '../inline-ruleset';
import { recordCleaned, recordPoolOutcome } from '../../metrics';

const SUPPORTED = 'text/plain, text/html or application/json';

/** What a request asks for, whichever content type it came in. */
interface CleanInput {
  /** The document: plain text, or the HTML source when `kind` is 'html'. */
  text: string;
  kind: InputKind;
  format?: OutputFormat;
  ruleset?: string | CompiledRuleSet;
  /** True when `ruleset` came with the request rather than from the registry. */
  inline?: boolean;
  id?: string;
  url?: string;
  lang?: string;
  offsets?: CleanOptions['offsets'];
}

/** Refuses unsupported bodies before reading them, so a large upload is not read for nothing. */
function requireSupportedType(req: Request, _res: Response, next: NextFunction): void {
  const type = mediaTypeOf(req);
  if (type === 'text/plain' || isJsonType(type) || isHtmlType(type)) return next();
  next(
    new HttpProblem('unsupported-media-type', type ? `${type} is not accepted here; send ${SUPPORTED}` : `the request has no Content-Type; send ${SUPPORTED}`),
  );
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** "pt-BR" → "pt": the engine works with ISO 639-1 codes. */
function languageOf(tag: string | undefined): string | undefined {
  return tag?.split(/[-_]/)[0].toLowerCase();
}

function readJson(deps: AppDeps, body: unknown): CleanInput {
  if (!isPlainObject(body)) {
    throw new HttpProblem('invalid-request', 'the JSON body must be an object such as {"text": "..."}', {
      errors: [{ in: 'body', field: '(body)', message: 'must be an object' }],
    });
  }
  let ruleset: CleanInput['ruleset'];
  if (body.ruleset !== undefined) {
    if (isPlainObject(body.ruleset)) ruleset = compileInlineRuleSet(deps, body.ruleset);
    else if (typeof body.ruleset !== 'string') {
      throw new HttpProblem('invalid-request', 'ruleset must be a rule-set id or a whole rule set', {
        errors: [{ in: 'body', field: 'ruleset', message: 'must be a rule-set id (string) or a rule set (object)' }],
      });
    }
  }
  if ((body.text === undefined) === (body.html === undefined)) {
    const both = body.text !== undefined;
    throw invalid([
      both
        ? { in: 'body', field: 'html', message: 'cannot come with "text": send exactly one of "text" (scraped text) and "html" (the page)' }
        : { in: 'body', field: 'text', message: 'is required (or "html" for a page): send exactly one of them' },
    ]);
  }
  const checked = checkCleanRequest(body);
  if (!checked.ok) throw invalid(checked.errors);
  const b = checked.value;
  const kind: InputKind = b.html !== undefined ? 'html' : 'text';
  return {
    text: (b.html ?? b.text)!,
    kind,
    format: b.options?.format,
    ruleset: ruleset ?? (b.ruleset as string | undefined),
    inline: ruleset !== undefined,
    id: b.id,
    url: b.url,
    lang: b.lang,
    offsets: b.options?.offsets,
  };
}

/** A text/html body: bytes decoded by BOM, then the Content-Type charset, then <meta>, then UTF-8. */
function readHtmlBytes(req: Request): CleanInput {
  const bytes: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  try {
    return { text: decodeHtml(bytes, charsetOfContentType(req.headers['content-type'])).html, kind: 'html' };
  } catch (e) {
    if (e instanceof UnsupportedCharsetError) throw new HttpProblem('unsupported-charset', e.message);
    throw e;
  }
}

function readBody(deps: AppDeps, req: Request): CleanInput {
  const type = mediaTypeOf(req);
  if (isJsonType(type)) return readJson(deps, req.body);
  if (isHtmlType(type)) return readHtmlBytes(req);
  return { text: typeof req.body === 'string' ? req.body : '', kind: 'text' };
}

function invalid(errors: { field: string; message: string; in?: 'body' | 'query' }[]): HttpProblem {
  return new HttpProblem('invalid-request', errors.map((e) => `${e.in === 'query' ? 'query parameter' : 'field'} "${e.field}" ${e.message}`).join('; '), {
    errors,
  });
}

function chooseRuleSet(deps: AppDeps, input: CleanInput): CompiledRuleSet {
  if (typeof input.ruleset === 'object') return input.ruleset;
  if (input.ruleset !== undefined) {
    const set = deps.registry.get(input.ruleset);
    if (!set) throw new HttpProblem('unknown-ruleset', `no rule set "${input.ruleset}" (GET /v1/rulesets lists them)`);
    return set;
  }
  const set = deps.registry.forUrl(input.url);
  if (!set) throw new HttpProblem('not-ready', 'the default rule set is not loaded (GET /readyz says why)', { headers: { 'Retry-After': '5' } });
  return set;
}

/** The worker pool, or undefined when it cannot start (worker not built: a dev tree before `npm run build`). */
function poolFor(deps: AppDeps) {
  try {
    return deps.pool.start();
  } catch (e) {
    deps.logger.warn({ err: e }, 'no worker pool: inline rule sets and pages run in-process, without a time budget');
    return undefined;
  }
}

/** Cleans in a worker under the time budget; answers the response itself. */
async function cleanInWorker(deps: AppDeps, res: Response, input: CleanInput, set: CompiledRuleSet, options: CleanOneOptions): Promise<boolean> {
  const pool = poolFor(deps);
  if (!pool) return false;
  const gone = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) gone.abort();
  };
  res.once('close', onClose);
  try {
    const outcome = await pool.clean(
      {
        id: options.id,
        text: input.text,
        kind: input.kind,
        format: options.format,
        ruleset: set,
        lang: options.lang,
        url: options.url,
        offsets: options.offsets,
      },
      gone.signal,
    );
    recordPoolOutcome(input.kind, outcome);
    if (outcome.ok) {
      res.type('application/json').send(outcome.line);
      return true;
    }
    if (gone.signal.aborted) return true; // nobody left to answer
    if (outcome.reason === 'timeout') {
      const hint = input.inline
        ? 'look for a pattern of the inline rule set that backtracks (nested quantifiers such as (a+)+)'
        : 'the page is too costly to clean (very deeply nested markup is the usual cause)';
      throw new HttpProblem('clean-timeout', `${outcome.detail}; ${hint}`);
    }
    if (outcome.reason === 'cancelled')
      throw new HttpProblem('not-ready', `the service is shutting down: ${outcome.detail}`, { headers: { 'Retry-After': '5' } });
    throw new Error(`worker failed: ${outcome.detail}`);
  } finally {
    res.off('close', onClose);
  }
}

export function cleanRouter(deps: AppDeps): Router {
  const router = Router();
  const limit = deps.config.bodyLimit;
  const text = express.text({ type: (req) => mediaTypeOf(req as Request) === 'text/plain', limit, defaultCharset: 'utf-8' });
  const json = express.json({ type: (req) => isJsonType(mediaTypeOf(req as Request)), limit });
  // Bytes, not a string: the charset may only be known from the page itself.
  const html = express.raw({ type: (req) => isHtmlType(mediaTypeOf(req as Request)), limit });

  router
    .route('/v1/clean')
    .post(requireSupportedType, text, json, html, async (req: Request, res: Response) => {
      const query = checkCleanQuery(req.query);
      if (!query.ok) throw invalid(query.errors);
      const q = query.value;
      const fromBody = readBody(deps, req);
      // The body says what it means; query parameters fill in what it leaves out.
      const input: CleanInput = {
        text: fromBody.text,
        kind: fromBody.kind,
        format: fromBody.format ?? q.format,
        ruleset: fromBody.ruleset ?? q.ruleset,
        inline: fromBody.inline,
        id: fromBody.id ?? q.id,
        url: fromBody.url ?? q.url,
        lang: fromBody.lang ?? q.lang,
        offsets: fromBody.offsets ?? q.offsets,
      };
      const set = chooseRuleSet(deps, input);
      const options: CleanOneOptions = { offsets: input.offsets, lang: languageOf(input.lang), url: input.url };
      if (input.id !== undefined) options.id = input.id;
      if (input.format === 'html') options.format = 'html';
      if ((input.inline || input.kind === 'html') && (await cleanInWorker(deps, res, input, set, options))) return;
      res.json(recordCleaned(input.kind, cleanOne(input.text, input.kind, set, options)));
    })
    .all(onlyMethods('POST'));

  return router;
}
