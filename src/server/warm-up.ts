/**
 * Before /readyz says ready, the service cleans a small page and a small text in every worker
 * thread with the default rule set (every document is cleaned there). Otherwise the first page a
 * client sends pays for starting the threads, loading the HTML engine and compiling the set in a
 * worker: 2–4 s instead of well under 0.1 s.
 *
 * Warming up is an optimisation: a failure is logged and the service becomes ready anyway, to
 * answer as it would have without it.
 */
import type { Logger } from 'pino';
import { cleanOne } from '../batch/clean-one';
import type { CompiledRuleSet } from '../engine';
import type { AppDeps } from './types';

const TEXT = 'A short article about warming up.\n\nSubscribe to our newsletter for more.';

const PAGE =
  '<!doctype html><html><head><title>Warm-up</title></head><body>' +
  '<nav><a href="/">Home</a> <a href="/news">News</a></nav>' +
  '<article><h1>Warming up</h1><p>A first paragraph long enough to count as article text, with a <a href="/x">link</a>.</p>' +
  '<p>A second paragraph, so the page has a body worth keeping.</p></article>' +
  '<footer>Subscribe to our newsletter. © Example</footer></body></html>';

async function warmPool(deps: AppDeps, set: CompiledRuleSet, logger: Logger): Promise<number> {
  let pool;
  try {
    pool = deps.pool.start();
  } catch (e) {
    // Documents then run in-process (clean.ts): warm the engines there instead.
    logger.warn({ err: e }, 'no worker pool: documents and rule sets are cleaned and checked in-process, without a time budget');
    cleanOne(TEXT, 'text', set);
    cleanOne(PAGE, 'html', set, { format: 'html' });
    return 0;
  }
  // One page a thread, all at once: each takes a free thread, so every worker loads the engine and
  // compiles the set (piscina hands a task only to a worker that is up; best effort, not a promise).
  const threads = deps.pool.limits.threads;
  const outcomes = await Promise.all(
    Array.from({ length: threads }, (_, i) => pool.clean({ id: `warm-up-${i}`, text: PAGE, kind: 'html', format: 'html', ruleset: set })),
  );
  outcomes.push(...(await Promise.all(Array.from({ length: threads }, (_, i) => pool.clean({ id: `warm-up-text-${i}`, text: TEXT, ruleset: set })))));
  const failed = outcomes.find((o) => !o.ok);
  if (failed && !failed.ok) logger.warn({ reason: failed.reason, detail: failed.detail }, 'warm-up page failed in a worker');
  return threads;
}

/** Resolves when warm (or when warming up failed, logged): never rejects. */
export async function warmUp(deps: AppDeps): Promise<void> {
  const logger = deps.logger;
  const set = deps.registry.get('default');
  // Without a default set the service is not ready anyway; a reload that brings one needs no warm-up to answer.
  if (!set) return;
  const started = Date.now();
  try {
    const threads = await warmPool(deps, set, logger);
    logger.info({ ms: Date.now() - started, threads }, 'warmed up');
  } catch (e) {
    logger.warn({ err: e }, 'warm-up failed; ready anyway');
  }
}
