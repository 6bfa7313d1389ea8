/**
 * The dashboard with HTML pages, in Debian's Chromium against a real service: a page from the dev
 * set pasted, shown as it renders (inert) with its removals outlined, explained where the pointer
 * is, tuned (a rule switched off from its span, a selector edited, the HTML scorer toggled), the
 * diff read by rule, and saved as a new version, confirmation and all. Then the corpus panel is
 * measured for clipped labels and half rows at 1280 and 480 px. Screenshots in
 * test-artifacts/dashboard/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ADMIN_TOKEN, ARTIFACTS, browserAvailable, ensureDashboardBuilt, launchBrowser, startService, type BrowserSession, type Service } from './harness';
import { AEB_DEV, SEEDS } from '../paths';

/** What the callbacks given to page.evaluate touch (this program is compiled without the DOM library). */
interface El {
  id: string;
  tagName: string;
  hidden: boolean;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  parentElement: El | null;
  ownerSVGElement?: { viewBox: { baseVal: { width: number } } };
  getBBox(): { x: number; width: number };
  getBoundingClientRect(): { top: number; bottom: number; left: number; right: number; width: number; height: number };
  querySelector(sel: string): El | null;
  querySelectorAll(sel: string): El[];
  getAttribute(name: string): string | null;
  dispatchEvent(e: unknown): boolean;
  value: string;
}
declare const document: {
  title: string;
  activeElement: El | null;
  documentElement: El;
  querySelector(sel: string): El | null;
  querySelectorAll(sel: string): El[];
  getElementById(id: string): (El & { contentDocument: { querySelectorAll(sel: string): El[] } | null }) | null;
};
declare function getComputedStyle(el: El): { overflowX: string; overflowY: string; textOverflow: string; display: string };

/** A page of the dev set with an ad marker, a nav element (selector rule) and the HTML scorer at work. */
const DEV_PAGE_ID = '33fe2471fd55';
const devPage = readFileSync(AEB_DEV, 'utf8')
  .split('\n')
  .filter((l) => l.includes(`"${DEV_PAGE_ID}`))
  .map((l) => JSON.parse(l) as { id: string; html: string })[0];

const HOSTILE = [
  '<!doctype html><html><head><title>x</title><meta http-equiv="refresh" content="0;url=https://example.com/"></head><body>',
  "<script>parent.document.title = 'script ran';</script>",
  '<img src="x" onerror="parent.document.title = \'handler ran\'">',
  '<p>The harbour bridge reopens on 12 May after two years of repairs, the city said on Friday.</p>',
  '<p>Advertisement</p>',
  '<a href="javascript:parent.document.title=\'link ran\'">a link</a>',
  '</body></html>',
].join('');

/** Screenshots of one panel: the sticky header would otherwise be drawn across the panel's middle. */
const UNSTICK = '.top { position: static !important; }';

const run = browserAvailable() ? describe : describe.skip;

run('dashboard with HTML pages, in Chromium', () => {
  let service: Service;
  let session: BrowserSession;
  let page: Page;
  const frame = () => page.frameLocator('#page-frame');

  beforeAll(async () => {
    ensureDashboardBuilt();
    service = await startService();
    session = await launchBrowser();
    page = await session.context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => {
      throw e;
    });
    // A set that extends default: saving default changes it too, and the confirmation says so.
    const child = await fetch(`${service.url}/v1/rulesets/newsroom`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ id: 'newsroom', version: 1, extends: 'default', description: 'A newsroom on top of default.', rules: [] }),
    });
    expect(child.status).toBeLessThan(300);
    await page.goto(`${service.url}/dashboard/`);
    await page.waitForSelector('body[data-ready="true"]');
  }, 60_000);

  afterAll(async () => {
    await session?.close();
    await service?.close();
  });

  test('a pasted page renders inert: no script, handler, refresh or javascript: link runs', async () => {
    expect(await page.getAttribute('#page-frame', 'sandbox')).toBe('allow-same-origin');
    await page.fill('#doc-text', HOSTILE);
    await page.locator('#tab-page').waitFor({ state: 'visible' });
    await page.click('#tab-page');
    await frame().locator('[data-dc-rule="ad-marker"]').waitFor();
    const srcdoc = (await page.getAttribute('#page-frame', 'srcdoc'))!;
    expect(srcdoc).toContain('Content-Security-Policy');
    expect(srcdoc).not.toMatch(/<script|onerror|http-equiv="refresh"|javascript:/i);
    await frame().locator('a').click();
    expect(await page.title()).toBe('declutter · rule tuning');
  });

  test('a dev page: outlined as it renders, hovering an element gives its CSS path, rule and reason', async () => {
    await page.fill('#doc-text', devPage.html);
    await page.locator('[data-testid="doc-kind-note"]', { hasText: 'HTML page' }).waitFor();
    await page.locator('#doc-stats', { hasText: `${devPage.html.length.toLocaleString('en')} characters in` }).waitFor();
    await page.click('#tab-page');
    const ad = frame().locator('[data-dc-rule="ad-marker"]').first();
    await ad.waitFor();
    await ad.scrollIntoViewIfNeeded();
    await ad.hover();
    await page.locator('[data-testid="inspector-rule"]', { hasText: 'ad-marker' }).waitFor();
    expect(await page.textContent('[data-testid="inspector-path"]')).toMatch(/^html > body\S* > .+/);
    expect(await page.textContent('[data-testid="inspector-reason"]')).toMatch(/advertisement/i);
    // Outlined in the category's ink, in a style of its own (not colour alone).
    const outline = await ad.evaluate((el: El) => getComputedStyle(el as never) as unknown as { outlineStyle: string; outlineWidth: string });
    expect(outline.outlineStyle).toBe('double');
    expect(parseFloat(outline.outlineWidth)).toBeGreaterThanOrEqual(3);
    expect(await frame().locator('[data-dc-rule="html-nav-element"]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'html-page-outlined-1280x800.png') });
  });

  test('the inspector stays in view for a span far down the page', async () => {
    await page.click('#tab-highlight');
    const last = page.locator('#view-highlight mark.rm').last();
    await last.scrollIntoViewIfNeeded();
    await page.mouse.wheel(0, 400);
    await last.scrollIntoViewIfNeeded();
    await last.click();
    expect(await page.textContent('[data-testid="inspector-rule"]')).toBe(await last.getAttribute('data-rule'));
    const [box, mark] = await Promise.all([page.locator('#inspector').boundingBox(), last.boundingBox()]);
    const viewport = page.viewportSize()!;
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
    expect(mark!.y).toBeGreaterThan(box!.y + box!.height - 1);
    await page.screenshot({ path: join(ARTIFACTS, 'inspector-follows-1280x800.png') });
    await page.click('#tab-page');
  });

  test('from the span to its rule: the rule is shown, marked and its toggle focused; switched off, the inspector says so', async () => {
    await frame().locator('[data-dc-rule="ad-marker"]').first().click();
    await page.click('[data-testid="inspector-go"]');
    expect(await page.evaluate(() => document.activeElement!.id)).toBe('rule-ad-marker-on');
    expect(await page.getAttribute('#rule-ad-marker', 'class')).toContain('located');
    const [li, list] = await Promise.all([page.locator('#rule-ad-marker').boundingBox(), page.locator('#rule-list').boundingBox()]);
    expect(li!.y).toBeGreaterThanOrEqual(list!.y - 1);
    expect(li!.y + li!.height).toBeLessThanOrEqual(list!.y + list!.height + 1);
    await page.screenshot({ path: join(ARTIFACTS, 'span-to-rule-1280x800.png') });
    await page.keyboard.press('Space');
    await page.locator('[data-testid="inspector-gone"]').waitFor();
    expect(await page.textContent('[data-testid="inspector-gone"]')).toContain('no longer removed by ad-marker');
    expect(await frame().locator('[data-dc-rule="ad-marker"]').count()).toBe(0);
  });

  test('the diff names the rule each hunk belongs to', async () => {
    const heads = await page.locator('[data-testid="hunk-rule"]').allTextContents();
    expect(heads).toEqual(['@@ rule ad-marker @@\n']);
    const diff = await page.textContent('[data-testid="diff"]');
    expect(diff).toContain('+     enabled: false');
    await page.locator('#save-panel').scrollIntoViewIfNeeded();
    await page.locator('#save-panel').screenshot({ path: join(ARTIFACTS, 'diff-by-rule-1280.png'), style: UNSTICK });
  });

  test('selector rules and the HTML scorer are edited and toggled like the others', async () => {
    await page.fill('#rule-filter', 'selector');
    expect(await page.isVisible('#rule-html-nav-element')).toBe(true);
    await page.click('#rule-html-nav-element .edit');
    await page.fill('#rule-html-nav-element-f-selector', 'nav.no-such-class');
    await page.waitForFunction(() => {
      const d = document.getElementById('page-frame')!.contentDocument;
      return !!d && d.querySelectorAll('[data-dc]').length > 0 && d.querySelectorAll('[data-dc-rule="html-nav-element"]').length === 0;
    });
    expect(await page.locator('[data-testid="hunk-rule"]').allTextContents()).toEqual(['@@ rule html-nav-element @@\n', '@@ rule ad-marker @@\n']);
    // Its own examples no longer hold (the service would refuse to save it): back as it was.
    await page.fill('#rule-html-nav-element-f-selector', 'nav, [role=navigation]');
    await frame().locator('[data-dc-rule="html-nav-element"]').first().waitFor();
    await page.click('#rule-html-nav-element .edit');
    await page.fill('#rule-filter', '');
    const scored = await frame().locator('[data-dc-rule="html-article-scorer"]').count();
    expect(scored).toBeGreaterThan(0);
    await page.uncheck('#rule-html-article-scorer-on');
    await page.waitForFunction(
      () => document.getElementById('page-frame')!.contentDocument!.querySelectorAll('[data-dc-rule="html-article-scorer"]').length === 0,
    );
    await page.check('#rule-html-article-scorer-on');
    await frame().locator('[data-dc-rule="html-article-scorer"]').first().waitFor();
    expect(await page.locator('[data-testid="hunk-rule"]').allTextContents()).toEqual(['@@ rule ad-marker @@\n']);
  });

  test('the rules list filters by text and by "has hits"', async () => {
    const all = await page.locator('li.rule').count();
    await page.check('#rule-has-hits');
    const shown = page.locator('li.rule:not([hidden])');
    const n = await shown.count();
    expect(n).toBeGreaterThan(2);
    expect(n).toBeLessThan(all);
    for (const text of await shown.locator('[data-testid="hits"]').allTextContents()) expect(text).toMatch(/^\d+ hits?$/);
    await page.fill('#rule-filter', 'teaser');
    // The filter reads a rule's id, category and kind: html-link-list is shown as a teaser by its category.
    const named = await shown.evaluateAll((els: El[]) => els.map((e) => `${e.getAttribute('data-rule')} ${e.getAttribute('data-category')}`));
    expect(named.length).toBeGreaterThan(0);
    for (const text of named) expect(text).toContain('teaser');
    await page.fill('#rule-filter', '');
    await page.uncheck('#rule-has-hits');
    expect(await shown.count()).toBe(all);
  });

  test('saving default asks first, naming the effect; a wrong token is said plainly; the new version shows at once', async () => {
    const asked: string[] = [];
    page.on('dialog', (d) => {
      asked.push(d.message());
      void d.accept();
    });
    const before = Number((await page.textContent('#ruleset-version'))!.slice(1));
    await page.click('#save');
    await page.fill('#token-input', 'not-the-token');
    await page.click('#token-ok');
    await page.locator('#save-status', { hasText: 'Wrong admin token' }).waitFor();
    expect(asked[0]).toMatch(/Save "default"\? .*every request that names no rule set.*the set that extends it \(newsroom\) changes with it/);
    await page.locator('#save-panel').screenshot({ path: join(ARTIFACTS, 'wrong-token-1280.png'), style: UNSTICK });
    await page.click('#save');
    await page.fill('#token-input', ADMIN_TOKEN);
    await page.click('#token-ok');
    await page.locator('#save-status', { hasText: /Saved|Not saved/ }).waitFor();
    expect(await page.textContent('#save-status')).toBe(`Saved default as version ${before + 1}.`);
    expect(asked).toHaveLength(2);
    expect(await page.textContent('#versions')).toMatch(new RegExp(`^Saved versions: v${before + 1} \\(current\\)`));
    // The saved set cleans the page as tuned: the ad marker stays in.
    const saved = await fetch(`${service.url}/v1/clean?ruleset=default`, { method: 'POST', headers: { 'content-type': 'text/html' }, body: devPage.html });
    const body = (await saved.json()) as { removed: { rule: string }[]; ruleset: { version: number } };
    expect(body.ruleset.version).toBe(before + 1);
    expect(body.removed.some((r) => r.rule === 'ad-marker')).toBe(false);
    expect(body.removed.some((r) => r.rule === 'html-nav-element')).toBe(true);
    await page.locator('#save-panel').screenshot({ path: join(ARTIFACTS, 'saved-version-1280.png'), style: UNSTICK });
  });

  test('a corpus of pages runs on the pages: {id, html} lines to look at, labelled ones scored', async () => {
    const lines = readFileSync(AEB_DEV, 'utf8').split('\n').filter(Boolean).slice(0, 3);
    const unlabelled = JSON.stringify({ id: 'just-a-page', html: devPage.html });
    await page.setInputFiles('#corpus-file', { name: 'pages.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from([...lines, unlabelled].join('\n')) });
    await page.locator('#corpus-info', { hasText: '4 pages to look at' }).waitFor();
    expect(await page.isChecked('#corpus-pages')).toBe(true);
    await page.click('#corpus-run');
    await page.locator('#corpus-results', { hasText: 'The pages (html) cleaned through /v1/clean/batch' }).waitFor({ timeout: 60_000 });
    const f1 = parseFloat((await page.locator('tr[data-metric="shingle F1"] td').first().textContent())!) / 100;
    expect(f1).toBeGreaterThan(0.5);
    await page.selectOption('#corpus-doc', 'page:just-a-page');
    await page.locator('#doc-stats', { hasText: `${devPage.html.length.toLocaleString('en')} characters in` }).waitFor();
  });

  /** Labels cut off, rows cut in half by a scroll box, chart text outside its chart. */
  const clipped = () =>
    page.evaluate(() => {
      const problems: string[] = [];
      const name = (e: El) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''} "${(e.textContent ?? '').trim().slice(0, 30)}"`;
      if (document.documentElement.scrollWidth > document.documentElement.clientWidth) problems.push('the page scrolls sideways');
      for (const e of document.querySelectorAll('main *')) {
        const s = getComputedStyle(e);
        if (s.display === 'none' || ['IFRAME', 'TEXTAREA', 'INPUT', 'SELECT'].includes(e.tagName)) continue;
        // Labels for screen readers only are 1 px boxes on purpose.
        if (e.getBoundingClientRect().width <= 1) continue;
        const hides = s.overflowX === 'hidden' || s.overflowX === 'clip' || s.textOverflow === 'ellipsis';
        if (hides && e.scrollWidth > e.clientWidth + 1) problems.push(`clipped: ${name(e)}`);
      }
      for (const tr of document.querySelectorAll('#corpus-results tr')) {
        const r = tr.getBoundingClientRect();
        for (let a = tr.parentElement; a; a = a.parentElement) {
          if (getComputedStyle(a).overflowY === 'visible') continue;
          const box = a.getBoundingClientRect();
          if (r.top < box.top - 1 || r.bottom > box.bottom + 1) problems.push(`half row: ${name(tr)} in ${name(a)}`);
        }
      }
      for (const t of document.querySelectorAll('svg.chart text')) {
        const b = t.getBBox();
        const width = t.ownerSVGElement!.viewBox.baseVal.width;
        if (b.x < 0 || b.x + b.width > width + 0.5) problems.push(`chart label outside its chart: ${name(t)}`);
      }
      return problems;
    });

  test('corpus panel at 1280 and 480 px: no clipped label, no half row; the F1 chart names documents on hover', async () => {
    const seeds = readFileSync(SEEDS, 'utf8');
    await page.setInputFiles('#corpus-file', { name: 'seeds.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(seeds) });
    await page.locator('#corpus-info', { hasText: 'documents loaded' }).waitFor();
    await page.uncheck('#rule-markup-attribute-on');
    await page.click('#corpus-run');
    // The seeds have no pages: the service scores them (the pages' run said so in other words).
    await page.locator('#corpus-results', { hasText: 'Scored by the service' }).waitFor({ timeout: 60_000 });
    expect(await clipped()).toEqual([]);
    const hit = page.locator('#corpus-results svg rect.hit').first();
    await hit.hover();
    const id = await hit.getAttribute('data-doc');
    expect(seeds).toContain(`"${id}"`);
    expect(await hit.locator('title').textContent()).toMatch(new RegExp(`^${id}: F1 \\d\\.\\d{3} → \\d\\.\\d{3}$`));
    await page.locator('#corpus-panel').screenshot({ path: join(ARTIFACTS, 'corpus-panel-measured-1280.png'), style: UNSTICK });
    await page.setViewportSize({ width: 480, height: 900 });
    expect(await clipped()).toEqual([]);
    await page.locator('#corpus-panel').screenshot({ path: join(ARTIFACTS, 'corpus-panel-measured-480.png'), style: UNSTICK });
    await page.evaluate(() => document.getElementById('doc-text')!.dispatchEvent(new Event('focus')));
    await page.locator('#doc-panel').screenshot({ path: join(ARTIFACTS, 'html-page-480.png'), style: UNSTICK });
    expect(await clipped()).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
