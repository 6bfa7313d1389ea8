#!/usr/bin/env node
// `node bench/dashboard.js` (after `npm run build`, with /usr/bin/chromium): how the dashboard
// feels. Prints, for a ~10 KB page, the time from a rule toggle or a pattern keystroke to the
// redrawn highlights (the 80 ms typing debounce included and also shown without it), and for a
// ~1 MB page the time to the first drawn chunk, to the last one, and the longest main-thread task
// (what decides whether the page freezes). A benchmark, not a test: nothing fails on a slow machine.
'use strict';
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { chromium } = require('playwright-core');
const { startServer, loadAverage } = require('./lib');

const SHARED = process.env.DECLUTTER_SHARED_DIR ?? resolve(__dirname, '..', '..', 'shared');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const DEBOUNCE_MS = 80; // TYPING_DEBOUNCE_MS in src/dashboard/web/src/main.ts

const seeds = readFileSync(resolve(SHARED, 'data', 'seeds.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const tenKb = seeds
  .map((s) => s.text)
  .join('\n\n')
  .slice(0, 10_000);
let oneMb = '';
for (let i = 0; oneMb.length < 1_000_000; i++) oneMb += `${seeds[i % seeds.length].text.replace(/Blinken/g, `Blinken${i}`)}\n\n`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const max = (xs) => Math.max(...xs);

/** Runs `act` in the page and resolves when the status line next says "Cleaned in". */
function untilCleaned(page, act) {
  return page.evaluate(
    (actSource) =>
      new Promise((done) => {
        const status = document.getElementById('status');
        const t0 = performance.now();
        const obs = new MutationObserver(() => {
          if (status.textContent.startsWith('Cleaned in')) {
            obs.disconnect();
            done(performance.now() - t0);
          }
        });
        obs.observe(status, { childList: true, characterData: true, subtree: true });
        status.textContent = '';
        new Function(actSource)();
      }),
    act,
  );
}

(async () => {
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(`${server.url}/dashboard/`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.evaluate(() => {
      window.__longest = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
      }).observe({ type: 'longtask' });
    });

    const setText = (text) => `const t = document.getElementById('doc-text'); t.value = ${JSON.stringify(text)}; t.dispatchEvent(new Event('input'));`;
    await untilCleaned(page, setText(tenKb));
    // A person reads the page for a few seconds before the first edit; the bench waits as long.
    await page.waitForTimeout(Number(process.env.BENCH_THINK_MS ?? 3000));
    const toggles = [];
    for (let i = 0; i < ROUNDS; i++) toggles.push(await untilCleaned(page, "document.getElementById('rule-teaser-truncated-on').click()"));
    await page.click('#rule-breadcrumb .edit');
    const keystrokes = [];
    for (let i = 0; i < ROUNDS; i++) {
      keystrokes.push(
        await untilCleaned(
          page,
          `const p = document.getElementById('rule-breadcrumb-f-pattern'); p.value += '${i % 2 ? '' : 'x'}'; p.value = p.value.replace(/x+$/, ${i % 2 ? "''" : "'x'"}); p.dispatchEvent(new Event('input'));`,
        ),
      );
    }
    if (process.env.BENCH_VERBOSE) console.log({ toggles, keystrokes });
    console.log(`~10 KB page (${tenKb.length} chars), ${ROUNDS} rounds, load ${loadAverage?.() ?? '?'}:`);
    console.log(
      `  rule toggle -> highlights redrawn: median ${median(toggles).toFixed(0)} ms, max ${max(toggles).toFixed(0)} ms (${(median(toggles) - DEBOUNCE_MS).toFixed(0)} ms after the debounce)`,
    );
    console.log(
      `  pattern keystroke -> redrawn:      median ${median(keystrokes).toFixed(0)} ms, max ${max(keystrokes).toFixed(0)} ms (${(median(keystrokes) - DEBOUNCE_MS).toFixed(0)} ms after the debounce)`,
    );

    await page.evaluate(() => (window.__longest = 0));
    const first = await untilCleaned(page, setText(oneMb));
    const t0 = Date.now();
    await page.waitForFunction(() => document.getElementById('view-highlight').getAttribute('aria-busy') === 'false', null, { timeout: 120_000 });
    const rest = Date.now() - t0;
    const info = await page.evaluate(() => ({
      marks: document.querySelectorAll('#view-highlight mark').length,
      chunks: document.querySelectorAll('#view-highlight .chunk').length,
      longest: window.__longest,
    }));
    console.log(
      `~1 MB page (${oneMb.length} chars): first chunk drawn ${first.toFixed(0)} ms after the input (request and cleaning included), all ${info.chunks} chunks (${info.marks} spans) ${rest} ms later; longest main-thread task ${info.longest.toFixed(0)} ms`,
    );
  } finally {
    await browser.close();
    await server.stop();
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
