/**
 * The HTTP side of the metrics: every request timed and its bytes counted, and GET /metrics. The
 * registry and the document counters are the process's (../metrics.ts).
 */
import type { NextFunction, Request, Response } from 'express';
import { metricsRegistry } from '../metrics';

/**
 * The cleaning routes by path, for requests answered before routing reached them (401 without a
 * key, 429 over the limit, 408 for a slow body): those answers belong to the route they were for.
 */
const GUARDED_ROUTES: [RegExp, string][] = [
  [/^\/v1\/clean\/?$/, '/v1/clean'],
  [/^\/v1\/clean\/batch\/?$/, '/v1/clean/batch'],
  [/^\/v1\/evaluate\/?$/, '/v1/evaluate'],
  [/^\/v1\/rulesets\/[^/]+\/evaluate\/?$/, '/v1/rulesets/:id/evaluate'],
];

/** The route pattern, never the raw path: ids in paths must not become label values. */
function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string') return path;
  const url = req.originalUrl.split('?')[0];
  if (url.startsWith('/dashboard')) return '/dashboard';
  for (const [pattern, route] of GUARDED_ROUTES) if (pattern.test(url)) return route;
  return 'unmatched';
}

/** A connection's byte counters as of the end of its previous request. */
const counted = new WeakMap<object, { read: number; written: number }>();

/**
 * Times every request and counts its bytes from the socket's own counters (no listener on the body
 * stream): everything a connection carried since its previous request ended, headers included.
 */
export function httpMetrics() {
  const m = metricsRegistry();
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const socket = req.socket;
    m.inFlight.inc();
    res.once('close', () => {
      m.inFlight.dec();
      const route = routeOf(req);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      m.duration.observe({ route, method: req.method, status: res.writableFinished ? String(res.statusCode) : 'aborted' }, seconds);
      const before = counted.get(socket) ?? { read: 0, written: 0 };
      const now = { read: socket.bytesRead, written: socket.bytesWritten };
      counted.set(socket, now);
      m.bytesIn.inc({ route }, Math.max(0, now.read - before.read));
      m.bytesOut.inc({ route }, Math.max(0, now.written - before.written));
    });
    next();
  };
}

/** GET /metrics in the Prometheus text format. Open like /healthz: scrape replicas on their own network. */
export function serveMetrics(_req: Request, res: Response, next: NextFunction): void {
  const { registry } = metricsRegistry();
  registry
    .metrics()
    .then((text) => {
      res.setHeader('Cache-Control', 'no-store');
      res.type(registry.contentType).send(text);
    })
    .catch(next);
}
