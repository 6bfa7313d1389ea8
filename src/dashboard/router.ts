/**
 * Serves the rule-tuning dashboard (built by Vite into dist/dashboard/web) at /dashboard/.
 *
 * Caching: Vite puts a content hash in every asset name, so assets may be cached for a year and
 * never revalidated; index.html names the current hashes and must be revalidated on every load,
 * or a browser would keep asking for the assets of an old build.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { Router, type NextFunction, type Request, type Response } from 'express';

/** The repository root: this file runs as src/dashboard/router.ts (tests) or dist/dashboard/router.js. */
const PACKAGE_ROOT = resolve(__dirname, '..', '..');

/** Where `npm run build:dashboard` writes the page; DECLUTTER_DASHBOARD_DIR points elsewhere (tests). */
export function defaultDashboardDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DECLUTTER_DASHBOARD_DIR ? resolve(env.DECLUTTER_DASHBOARD_DIR) : join(PACKAGE_ROOT, 'dist', 'dashboard', 'web');
}

/** A year: the longest lifetime caches honour, right for files whose name changes with their content. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page itself: cacheable, but asked again (If-None-Match) every time, so a new build shows at once. */
const REVALIDATE = 'no-cache';

export const DASHBOARD_NOT_BUILT = 'dashboard-not-built';

function notBuilt(dir: string) {
  return (req: Request, res: Response) => {
    res
      .status(404)
      .type('application/problem+json; charset=utf-8')
      .send(
        JSON.stringify({
          type: `urn:declutter:problem:${DASHBOARD_NOT_BUILT}`,
          title: 'The dashboard is not built',
          status: 404,
          code: DASHBOARD_NOT_BUILT,
          detail: `no dashboard build in ${dir}; run "npm run build:dashboard" (or "npm run build") and restart`,
          instance: req.originalUrl.split('?')[0],
        }),
      );
  };
}

export function dashboardRouter(options: { dir?: string } = {}): Router {
  const dir = options.dir ?? defaultDashboardDir();
  const router = Router();

  const serve = express.static(dir, {
    index: 'index.html',
    // Unknown files fall through to the app's 404 problem rather than a bare HTML page.
    fallthrough: true,
    redirect: false,
    setHeaders(res, path) {
      res.setHeader('Cache-Control', path.includes(`${join(dir, 'assets')}`) ? IMMUTABLE : REVALIDATE);
      res.setHeader('X-Content-Type-Options', 'nosniff');
    },
  });
  // Middleware rather than routes: the page is not part of the JSON API that /openapi.json lists.
  router.use('/dashboard', (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const [path, query] = req.originalUrl.split(/\?(.*)/s, 2);
    // Relative asset URLs in the page only resolve under the trailing slash.
    if (path === '/dashboard') return res.redirect(301, `/dashboard/${query ? `?${query}` : ''}`);
    // Checked per request, so a build made while the service runs is served without a restart.
    if (!existsSync(join(dir, 'index.html'))) return notBuilt(dir)(req, res);
    serve(req, res, next);
  });
  return router;
}
