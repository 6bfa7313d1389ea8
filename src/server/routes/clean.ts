/**
 * POST /v1/clean: one document in, one result out. The handler only reads the request, picks the
 * rule set and hands over to the engine; every refusal is a problem with its own code.
 *
 * Documents arrive as text (text/plain, or {"text"} in JSON) or as a page (text/html, or {"html"}
 * in JSON). A JSON body is read as every document is (../../requests). A text/html body is read as
 * bytes, since pages arrive in whatever encoding their site used: its encoding is found here as a
 * browser would (engine/html/charset.ts; 415 for a charset no decoder knows) and the page decoded
 * in the worker (decoding and copying a 5 MB page as a string held the event loop ~40 ms; the
 * bytes copy in ~1 ms). `format=html` adds the sanitised article; `detail` (`options.detail` in
 * JSON, else the query parameter) makes the result compact, in the worker (batch/result-line.ts).
 *
 * Nothing CPU-bound runs on the event loop: every document, whatever its rule set, is cleaned in
 * the worker pool under DECLUTTER_DOC_TIMEOUT_MS (a warm pool; the hop costs a copy of the text
 * there; the result comes back as UTF-8 bytes made in the worker and transferred, not copied,
 * which the handler writes as they are: a full answer is ~100 KB, and copying it as a string and
 * encoding it here cost the event loop ~0.1-0.3 ms a request). A text of many
 * short lines costs ~25 µs a block, so 1.5 MB of them held the whole service for 20 s when stored
 * sets ran in-process; a page's cost depends on its markup (the HTML parser is quadratic in
 * nesting depth). A rule set sent inline is checked against the caps here (a walk over the parsed
 * body), then validated, checked for ReDoS and compiled in the worker too, under its own budget:
 * over it, `ruleset-too-costly`. The body is admitted before it is read (admission.ts): beyond
 * the queue's cap, 503 `overloaded`.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { cleanOne, type CleanOneOptions, type InputKind, type OutputFormat } from '../../batch/clean-one';
import { freeNow } from '../../batch/free-bytes';
import { resultLine } from '../../batch/result-line';
import type { CleanOptions } from '../../engine';
import { charsetOfContentType, decodeIn, htmlEncoding, UnsupportedCharsetError } from '../../engine/html/charset';
import { recordCleaned, recordPoolOutcome } from '../../metrics';
import { check, chooseRuleSet, languageOf, readDocument, type ChosenSet, type DocumentRequest, type ResultDetail } from '../../requests';
import { admitBody, type Ticket } from '../admission';
import { bodyBytes } from '../body-bytes';
import { compiledHere, failureProblem, poolFor, whenGone } from '../offload';
import { isHtmlType, isJsonType, mediaTypeOf, onlyMethods } from '../http';
import { HttpProblem, invalidRequest, requestProblem } from '../problems';
import { CleanQuery } from '../schemas';
import type { AppDeps } from '../types';

const SUPPORTED = 'text/plain, text/html or application/json';

/** What a request asks for, whichever content type it came in. */
interface CleanInput {
  /** The document: plain text, or the HTML source when `kind` is 'html'. */
  text: string;
  /** A text/html body, or a UTF-8 text/plain one: its bytes and encoding, decoded where it is cleaned (`text` is then empty). */
  bytes?: { data: Uint8Array; encoding: string };
  kind: InputKind;
  format?: OutputFormat;
  ruleset?: DocumentRequest['ruleset'];
  id?: string;
  url?: string;
  lang?: string;
  offsets?: CleanOptions['offsets'];
  detail?: ResultDetail;
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

/**
 * A text/html body: its encoding found by BOM, then the Content-Type charset, then <meta>, then
 * UTF-8 (a look at its first 1024 bytes); the page is decoded in the worker, not here.
 */
function readHtmlBytes(req: Request): CleanInput {
  const bytes: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  try {
    return { text: '', bytes: { data: bytes, encoding: htmlEncoding(bytes, charsetOfContentType(req.headers['content-type'])).encoding }, kind: 'html' };
  } catch (e) {
    if (e instanceof UnsupportedCharsetError) throw new HttpProblem('unsupported-charset', e.message);
    throw e;
  }
}

/**
 * A text/plain body in UTF-8 (the charset given as utf-8, or none): read as bytes into a buffer of
 * its own and decoded in the worker, as a page is. Decoding it here (iconv-lite over each chunk,
 * then the chunks joined) and copying the string to the worker took ~3 string allocations of the
 * text's size on the event loop a request; the bytes are transferred, not copied. TextDecoder
 * gives what iconv-lite gave for UTF-8 (the BOM dropped, U+FFFD for each invalid sequence; the
 * same on 200,000 random byte strings of valid, invalid and truncated sequences). Other charsets
 * are decoded here as before (express.text, iconv-lite knows more of them).
 */
function isUtf8Text(req: Request): boolean {
  if (mediaTypeOf(req) !== 'text/plain') return false;
  const charset = charsetOfContentType(req.headers['content-type'])?.toLowerCase();
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}

function readBody(req: Request): CleanInput {
  const type = mediaTypeOf(req);
  if (isJsonType(type)) return readJson(req.body);
  if (isHtmlType(type)) return readHtmlBytes(req);
  if (Buffer.isBuffer(req.body)) return { text: '', bytes: { data: req.body, encoding: 'utf-8' }, kind: 'text' };
  return { text: typeof req.body === 'string' ? req.body : '', kind: 'text' };
}

/** Cleans in a worker under the time budget; answers the response itself, or false when there is no pool. */
async function cleanInWorker(
  deps: AppDeps,
  res: Response,
  input: CleanInput & { inline: boolean },
  set: ChosenSet,
  options: CleanOneOptions,
): Promise<boolean> {
  const pool = poolFor(deps);
  if (!pool) return false;
  const gone = whenGone(res);
  try {
    const outcome = await pool.cleanToBytes(
      {
        id: options.id,
        text: input.text,
        bytes: input.bytes,
        kind: input.kind,
        format: options.format,
        ruleset: set,
        lang: options.lang,
        url: options.url,
        offsets: options.offsets,
        detail: input.detail,
        // The page was read into a buffer of its own (body-bytes.ts) and is not used here again.
        transfer: true,
      },
      gone.signal,
    );
    recordPoolOutcome(input.kind, outcome, input.inline);
    if (outcome.ok) {
      // The header res.json() and res.send(string) write; bytes get no charset from Express.
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.send(Buffer.from(outcome.bytes.buffer, outcome.bytes.byteOffset, outcome.bytes.byteLength));
      const answer = outcome.bytes.buffer;
      // Freed once written ('finish': handed to the OS, nothing holds them), free-bytes.ts.
      if (answer instanceof ArrayBuffer) res.once('finish', () => freeNow(answer));
      return true;
    }
    if (gone.signal.aborted) return true; // nobody left to answer
    const hint =
      input.kind === 'html'
        ? 'the page is too costly to clean (a very large page, or one of very many tiny blocks)'
        : input.inline
          ? 'look for a pattern of the inline rule set that backtracks (nested quantifiers such as (a+)+)'
          : 'the text is too costly to clean (split it)';
    throw failureProblem(outcome, hint);
  } finally {
    gone.done();
  }
}

export function cleanRouter(deps: AppDeps): Router {
  const router = Router();
  const limit = deps.config.bodyLimit;
  const decodedText = express.text({ type: (req) => mediaTypeOf(req as Request) === 'text/plain', limit, defaultCharset: 'utf-8' });
  // UTF-8 text as bytes, decoded in the worker (isUtf8Text); chunked or compressed bodies and other charsets as before.
  const utf8Text = bodyBytes({ type: isUtf8Text, limit, fallback: decodedText });
  const text = (req: Request, res: Response, next: NextFunction) => (isUtf8Text(req) ? utf8Text(req, res, next) : decodedText(req, res, next));
  const json = express.json({ type: (req) => isJsonType(mediaTypeOf(req as Request)), limit });
  // Bytes, not a string: the charset may only be known from the page itself. Read into one
  // buffer as they arrive, which the worker then takes without a copy (body-bytes.ts).
  const isHtml = (req: Request) => isHtmlType(mediaTypeOf(req));
  const html = bodyBytes({ type: isHtml, limit, fallback: express.raw({ type: (req) => isHtml(req as Request), limit }) });

  router
    .route('/v1/clean')
    .post(requireSupportedType, admitBody(deps.pool.admission, '/v1/clean', limit), text, json, html, async (req: Request, res: Response) => {
      const query = check(CleanQuery, req.query, 'query');
      if (!query.ok) throw invalidRequest(query.errors);
      const q = query.value;
      const fromBody = readBody(req);
      // The body says what it means; query parameters fill in what it leaves out.
      const input: CleanInput = {
        text: fromBody.text,
        bytes: fromBody.bytes,
        kind: fromBody.kind,
        format: fromBody.format ?? q.format,
        ruleset: fromBody.ruleset ?? q.ruleset,
        id: fromBody.id ?? q.id,
        url: fromBody.url ?? q.url,
        lang: fromBody.lang ?? languageOf(q.lang),
        offsets: fromBody.offsets ?? q.offsets,
        detail: fromBody.detail ?? q.detail,
      };
      const chosen = chooseRuleSet(deps.registry, input);
      if (!chosen.ok) throw requestProblem(chosen.error);
      const set = chosen.set;
      const options: CleanOneOptions = { offsets: input.offsets, lang: input.lang, url: input.url };
      if (input.id !== undefined) options.id = input.id;
      if (input.format === 'html') options.format = 'html';
      (res.locals.admission as Ticket | undefined)?.resize(1, input.bytes?.data.length ?? input.text.length);
      if (await cleanInWorker(deps, res, { ...input, inline: chosen.inline }, set, options)) return;
      const here = compiledHere(deps, set);
      const text = input.bytes ? decodeIn(input.bytes.data, input.bytes.encoding) : input.text;
      const result = recordCleaned(input.kind, cleanOne(text, input.kind, here, options), chosen.inline);
      if (input.detail === undefined || input.detail === 'full') res.json(result);
      else res.type('application/json').send(resultLine(undefined, result, here, input.detail));
    })
    .all(onlyMethods('POST'));

  return router;
}
