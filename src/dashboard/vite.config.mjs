// Builds the dashboard (src/dashboard/web) into dist/dashboard/web, served at /dashboard/ by
// src/dashboard/router.ts. Everything is bundled: the page loads nothing from other origins.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('./web'),
  base: '/dashboard/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: here('../../dist/dashboard/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The yaml library is the bulk of the bundle; one chunk of ~150 KB is fine for a tool page.
    chunkSizeWarningLimit: 400,
  },
  worker: { format: 'es' },
  server: { proxy: { '/v1': 'http://localhost:8080', '/openapi.json': 'http://localhost:8080' } },
});
