/** Serving the built page: caching headers, the redirect to the trailing slash, the problem when unbuilt. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { dashboardRouter } from '../../src/dashboard/router';

describe('dashboardRouter', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'declutter-dash-build-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>dashboard</title>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const app = (d: string) => {
    const a = express();
    a.use(dashboardRouter({ dir: d }));
    a.use((_req, res) => res.status(404).send('app 404'));
    return a;
  };

  test('the page is revalidated on every load, hashed assets are immutable', async () => {
    const page = await request(app(dir)).get('/dashboard/').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.text).toContain('<title>dashboard</title>');
    const asset = await request(app(dir)).get('/dashboard/assets/index-abc123.js').expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toMatch(/javascript/);
  });

  test('/dashboard redirects to /dashboard/, keeping the query', async () => {
    const res = await request(app(dir)).get('/dashboard?ruleset=news').expect(301);
    expect(res.headers.location).toBe('/dashboard/?ruleset=news');
  });

  test('unknown files fall through to the app', async () => {
    await request(app(dir)).get('/dashboard/nope.js').expect(404, 'app 404');
    await request(app(dir)).post('/dashboard/').expect(404, 'app 404');
  });

  test('no build: 404 problem with a stable code that says how to build', async () => {
    const res = await request(app(join(dir, 'missing')))
      .get('/dashboard/')
      .expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, code: 'dashboard-not-built', type: 'urn:declutter:problem:dashboard-not-built' });
    expect(res.body.detail).toContain('npm run build:dashboard');
  });
});
