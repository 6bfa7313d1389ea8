/**
 * POST /v1/clean: one document in, one result out. The handler only reads the request, picks the
 * rule set and hands over to the engine; every refusal is a problem with its own code.
 *
 * Documents arrive as text (text/plain, or {"text"} in JSON) or as a page (text/html, or {"html"}
 * in JSON). A JSON body is read as every document is (../../requests). A text/html body is read as
 * bytes and decoded as a browser would (engine/html/charset.ts), since pages arrive in whatever
 * encoding their site used. `format=html` adds the sanitised article.
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
import { recordCleaned, recordPoolOutcome } from '../../metrics';
import { check, chooseRuleSet, languageOf, readDocument, type DocumentRequest } from '../../requests';
import { isHtmlType, isJsonType, mediaTypeOf, onlyMethods } from '../http';
import { HttpProblem, invalidRequest, requestProblem } from '../problems';
import { CleanQuery } from '../schemas';
import type { AppDeps } from '../types';

const SUPPORTED = 'text/plain, text/html or application/json';

/** What a request asks for, whichever content type it came in. */
interface CleanInput {
  /** The document: plain text, or the HTML source when `kind` is 'html'. */
  text: string;
  kind: InputKind;
  format?: OutputFormat;
  ruleset?: DocumentRequest['ruleset'];
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

function readJson(body: unknown): CleanInput {
  const read = readDocument(body, 'request');
  if (!read.ok) throw requestProblem(read.error);
  // A request's id is a string (CleanRequest says so); only a batch line's may be a number.
  const { id, ...doc } = read.doc;
  return typeof id === 'string' ? { ...doc, id } : doc;
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

function readBody(req: Request): CleanInput {
  const type = mediaTypeOf(req);
  if (isJsonType(type)) return readJson(req.body);
  if (isHtmlType(type)) return readHtmlBytes(req);
  return { text: typeof req.body === 'string' ? req.body : '', kind: 'text' };
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
async function cleanInWorker(
  deps: AppDeps,
  res: Response,
  input: CleanInput & { inline: boolean },
  set: CompiledRuleSet,
  options: CleanOneOptions,
): Promise<boolean> {
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
    recordPoolOutcome(input.kind, outcome, input.inline);
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
      const query = check(CleanQuery, req.query, 'query');
      if (!query.ok) throw invalidRequest(query.errors);
      const q = query.value;
      const fromBody = readBody(req);
      // The body says what it means; query parameters fill in what it leaves out.
      const input: CleanInput = {
        text: fromBody.text,
        kind: fromBody.kind,
        format: fromBody.format ?? q.format,
        ruleset: fromBody.ruleset ?? q.ruleset,
        id: fromBody.id ?? q.id,
        url: fromBody.url ?? q.url,
        lang: fromBody.lang ?? languageOf(q.lang),
        offsets: fromBody.offsets ?? q.offsets,
      };
      const chosen = chooseRuleSet(deps.registry, input);
      if (!chosen.ok) throw requestProblem(chosen.error);
      const set = chosen.set;
      const options: CleanOneOptions = { offsets: input.offsets, lang: input.lang, url: input.url };
      if (input.id !== undefined) options.id = input.id;
      if (input.format === 'html') options.format = 'html';
      if ((chosen.inline || input.kind === 'html') && (await cleanInWorker(deps, res, { ...input, inline: chosen.inline }, set, options))) return;
      res.json(recordCleaned(input.kind, cleanOne(input.text, input.kind, set, options), chosen.inline));
    })
    .all(onlyMethods('POST'));

  return router;
}
