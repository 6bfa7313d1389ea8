/**
 * The dashboard end to end: Debian's Chromium against a real service. One page goes through the
 * user's path (paste, inspect, disable a rule, invalid edit, corpus run, save), screenshots in
 * test-artifacts/dashboard/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ADMIN_TOKEN, ARTIFACTS, browserAvailable, ensureDashboardBuilt, launchBrowser, startService, type BrowserSession, type Service } from './harness';
import { SEEDS } from '../paths';

/**
 * The callbacks given to page.evaluate run in the browser; this program is compiled without the
 * DOM library (it would leak into every other file), so the little they touch is declared here.
 */
interface BrowserElement {
  dataset: Record<string, string | undefined>;
  value: string;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  getAttribute(name: string): string | null;
  dispatchEvent(e: unknown): boolean;
}
declare const document: {
  activeElement: BrowserElement | null;
  documentElement: BrowserElement;
  getElementById(id: string): BrowserElement | null;
  querySelector(sel: string): BrowserElement | null;
};
declare const window: { scrollTo(x: number, y: number): void };

const seeds = readFileSync(SEEDS, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { id: string; text: string; with: string[]; without: string[] });
const seed0 = seeds[0];
const RESIDUE = 'class=”sc-29f61514-0 jbwksb”>';

const run = browserAvailable() ? describe : describe.skip;

run('dashboard in Chromium', () => {
  let service: Service;
  let session: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    ensureDashboardBuilt();
    service = await startService();
    session = await launchBrowser();
    page = await session.context.newPage();
    // A missing element fails the step in seconds instead of the 30 s default.
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => {
      throw e;
    });
  }, 60_000);

  afterAll(async () => {
    await session?.close();
    await service?.close();
  });

  const marks = (rule: string) => page.locator(`#view-highlight mark.rm[data-rule="${rule}"]`);

  test('the page loads with the default rule set and its rules', async () => {
    await page.goto(`${service.url}/dashboard/`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#ruleset-select').inputValue()).toBe('default');
    await expect(page.locator('li.rule').count()).resolves.toBeGreaterThan(20);
    expect(await page.locator('#ruleset-version').textContent()).toMatch(/^v\d+$/);
  });

  test('seed 000: the residue and the teasers are highlighted with their rules', async () => {
    await page.fill('#doc-text', seed0.text);
    await marks('markup-attribute').first().waitFor();
    expect(await marks('markup-attribute').first().textContent()).toBe(RESIDUE);
    expect(await marks('markup-attribute').count()).toBe(4);
    expect(await marks('teaser-truncated').count()).toBeGreaterThanOrEqual(5);
    expect(await marks('teaser-truncated').allTextContents()).toContainEqual(expect.stringContaining('Residents of Tenerife have had enough'));

    // Hover shows rule, category and reason; focus does too (keyboard users).
    await marks('teaser-truncated').first().hover();
    expect(await page.textContent('[data-testid="inspector-rule"]')).toBe('teaser-truncated');
    expect(await page.textContent('[data-testid="inspector-category"]')).toBe('teaser');
    await marks('markup-attribute').first().focus();
    expect(await page.textContent('[data-testid="inspector-rule"]')).toBe('markup-attribute');
    expect(await page.textContent('[data-testid="inspector-reason"]')).toMatch(/attribute/i);
    // The arrow key moves to the next span.
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement!.dataset.rule)).toBe('source-line');

    // The clean output has neither.
    await page.click('#tab-clean');
    const clean = await page.textContent('#view-clean');
    expect(clean).not.toContain('sc-29f61514');
    expect(clean).not.toContain('Residents of Tenerife');
    expect(clean).toContain('US Secretary of State Antony Blinken');
    await page.click('#tab-highlight');
    await marks('teaser-truncated').nth(1).hover();
    await page.screenshot({ path: join(ARTIFACTS, 'seed000-1280x800.png') });
  });

  test('disabling a rule brings its span back, and the diff shows the edit', async () => {
    // The trained scorer also judges the residue's line as debris; switch it off first so that
    // the markup rule is the only one that can take the residue.
    await page.uncheck('#rule-article-scorer-on');
    await page.waitForFunction(() => !document.querySelector('#view-highlight mark[data-rule="article-scorer"]'));
    await page.uncheck('#rule-markup-attribute-on');
    await page.waitForFunction(() => !document.querySelector('#view-highlight mark[data-rule="markup-attribute"]'));
    await expect(page.locator('#view-highlight').textContent()).resolves.toContain(RESIDUE);
    await page.click('#tab-clean');
    expect(await page.textContent('#view-clean')).toContain('sc-29f61514');
    await page.click('#tab-highlight');
    expect(await page.isVisible('#dirty-badge')).toBe(true);
    expect(await page.textContent('[data-testid="diff"]')).toContain('+     enabled: false');
  });

  test('an invalid edit shows the validation message in place', async () => {
    await page.click('#rule-breadcrumb .edit');
    await page.fill('#rule-breadcrumb-f-pattern', '(unclosed');
    const err = page.locator('#rule-breadcrumb .field-error[data-field-error="pattern"]');
    await err.filter({ hasText: /pattern/ }).waitFor();
    expect(await err.textContent()).toMatch(/pattern/);
    expect(await page.textContent('#ruleset-errors')).toContain('rule "breadcrumb"');
    await page.screenshot({ path: join(ARTIFACTS, 'invalid-edit-1280x800.png') });
    // Reverting the field clears the error.
    const saved = (await page.evaluate(() => fetch('/v1/rulesets/default').then((r) => r.json()))) as { rules: { id: string; pattern?: string }[] };
    const pattern = (saved.rules as { id: string; pattern?: string }[]).find((r) => r.id === 'breadcrumb')!.pattern!;
    await page.fill('#rule-breadcrumb-f-pattern', pattern);
    await page.waitForFunction(() => !document.querySelector('li.rule.invalid'));
    await page.click('#rule-breadcrumb .edit');
  });

  test('a small corpus runs: F1 before and after, the document that got worse', async () => {
    // Uploaded as a file, as a person would; one broken line is refused without losing the rest.
    const jsonl = [...seeds.map((s) => JSON.stringify(s)), '{not json'].join('\n');
    await page.setInputFiles('#corpus-file', { name: 'seeds.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(jsonl) });
    await page.locator('#corpus-info', { hasText: 'documents loaded' }).waitFor();
    expect(await page.textContent('#corpus-info')).toContain('line 6: not valid JSON');
    expect(await page.textContent('#corpus-info')).toContain(`${seeds.length} documents loaded`);
    await page.click('#corpus-run');
    await page.locator('[data-testid="metrics"]').waitFor({ timeout: 30_000 });
    const row = page.locator('tr[data-metric="snippet F1"] td');
    const [saved, edited] = (await row.allTextContents()).slice(0, 2).map((t) => parseFloat(t) / 100);
    expect(saved).toBeGreaterThan(0.8);
    expect(saved).toBeLessThanOrEqual(1);
    // markup-attribute and the scorer are off: seed 000's residue leaks, so the edited set scores lower.
    expect(edited).toBeLessThan(saved);
    expect(await page.textContent('[data-testid="worse"]')).toContain(seed0.id);
    // The markup rule heads the per-rule table: its hits changed most (the scorer, also off,
    // takes nothing from the seeds that other rules leave).
    expect(await page.locator('[data-testid="rule-hits"] tbody tr').first().getAttribute('class')).toBe('changed');
    expect(await page.locator('[data-testid="rule-hits"] tbody tr th').first().textContent()).toBe('markup-attribute');
    expect(await page.locator('#corpus-results svg').count()).toBe(2);
    await page.locator('#corpus-panel').screenshot({ path: join(ARTIFACTS, 'corpus-panel-1280.png') });

    // Without the evaluate endpoint (an older service) the page cleans through the batch endpoint
    // and scores in a Web Worker with the ported metrics: the same figures.
    const viaService = await page.locator('[data-testid="metrics"] tbody').textContent();
    await page.route('**/v1/rulesets/*/evaluate', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/problem+json',
        body: JSON.stringify({ status: 404, code: 'not-found', title: 'No such resource', detail: 'no resource' }),
      }),
    );
    await page.click('#corpus-run');
    await page.locator('#corpus-results', { hasText: 'Cleaned through /v1/clean/batch' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="metrics"] tbody').textContent()).toBe(viaService);
    expect(await page.textContent('[data-testid="worse"]')).toContain(seed0.id);
    await page.unroute('**/v1/rulesets/*/evaluate');
  });

  test('narrow window: one column, nothing cut off sideways', async () => {
    await page.setViewportSize({ width: 480, height: 900 });
    await page.evaluate(() => window.scrollTo(0, 0));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const [doc, rules] = await Promise.all([page.locator('#doc-panel').boundingBox(), page.locator('#rules-panel').boundingBox()]);
    expect(rules!.y).toBeGreaterThan(doc!.y + doc!.height - 1);
    await page.screenshot({ path: join(ARTIFACTS, 'seed000-480-narrow.png'), fullPage: false });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test('a 1 MB document is drawn completely, chunk by chunk', async () => {
    let big = '';
    for (let i = 0; big.length < 1_000_000; i++) big += `${seeds[i % seeds.length].text.replace(/Blinken/g, `Blinken${i}`)}\n\n`;
    await page.evaluate((text) => {
      const t = document.getElementById('doc-text')!;
      t.value = text;
      t.dispatchEvent(new Event('input'));
    }, big);
    await page.locator('#doc-stats', { hasText: `${big.length.toLocaleString('en')} characters in` }).waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => document.getElementById('view-highlight')!.getAttribute('aria-busy') === 'false', null, { timeout: 30_000 });
    const spans = Number(/; (\d+) spans removed/.exec((await page.textContent('#doc-stats'))!)![1]);
    expect(spans).toBeGreaterThan(1000);
    expect(await page.locator('#view-highlight mark.rm').count()).toBe(spans);
    expect(await page.locator('#view-highlight .chunk').count()).toBeGreaterThan(30);
    // Every character is in the view once: the chunks join to the document.
    expect(await page.evaluate(() => document.getElementById('view-highlight')!.textContent!.length)).toBe(big.length);
    await page.fill('#doc-text', seed0.text);
    await page.locator('#doc-stats', { hasText: `${seed0.text.length.toLocaleString('en')} characters in` }).waitFor();
  });

  test('save asks the token once, saves a new version, and a reload shows it', async () => {
    const probe = await fetch(`${service.url}/v1/rulesets/default`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    if (probe.status === 404 || probe.status === 405 || probe.status === 501) {
      console.warn(`save test SKIPPED: the service answers PUT /v1/rulesets/default with ${probe.status}; the rule-set API (issue 5) is not there yet`);
      await page.click('#save');
      await page.fill('#token-input', ADMIN_TOKEN);
      await page.click('#token-ok');
      await expect(page.locator('#save-status').textContent()).resolves.toMatch(/does not offer yet|not saved/i);
      return;
    }
    // Saving default changes cleaning for every client: the page asks first (html-pages.test.ts checks the words).
    page.on('dialog', (d) => void d.accept());
    const before = Number((await page.textContent('#ruleset-version'))!.slice(1));
    await page.click('#save');
    await page.fill('#token-input', ADMIN_TOKEN);
    await page.click('#token-ok');
    await page.locator('#save-status', { hasText: /Saved default as version/ }).waitFor();
    expect(await page.textContent('#ruleset-version')).toBe(`v${before + 1}`);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.textContent('#ruleset-version')).toBe(`v${before + 1}`);
    expect(await page.isChecked('#rule-markup-attribute-on')).toBe(false);
    await page.locator('#save-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'saved-reloaded-1280x800.png') });
    // The token is kept for the session: a second save does not ask again.
    await page.check('#rule-markup-attribute-on');
    await page.click('#save');
    await page.locator('#save-status', { hasText: `version ${before + 2}` }).waitFor();
    expect(await page.isVisible('#token-dialog')).toBe(false);
  });
});
