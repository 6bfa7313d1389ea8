/**
 * The dashboard on a service that wants API keys (DECLUTTER_API_KEYS): refused once, it asks for
 * a key, sends it as X-API-Key from then on, and asks again when the key is wrong.
 */
import type { Dialog, Page } from 'playwright-core';
import { browserAvailable, ensureDashboardBuilt, launchBrowser, startService, type BrowserSession, type Service } from './harness';

const KEY = 'dashboard-key-0123456789abcdef';
const run = browserAvailable() ? describe : describe.skip;

run('dashboard with API keys', () => {
  let service: Service;
  let session: BrowserSession;
  let page: Page;
  const asked: string[] = [];
  let answers: string[] = [];

  beforeAll(async () => {
    ensureDashboardBuilt();
    service = await startService({ DECLUTTER_API_KEYS: KEY });
    session = await launchBrowser();
    page = await session.context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('dialog', (d: Dialog) => {
      asked.push(d.message());
      void d.accept(answers.shift() ?? '');
    });
  }, 60_000);

  afterAll(async () => {
    await session?.close();
    await service?.close();
  });

  test('a wrong key is asked again; the right one cleans the document', async () => {
    answers = ['wrong-key-0000000000000000', KEY];
    await page.goto(`${service.url}/dashboard/`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#doc-text', 'Advertisement\nThe council voted on Tuesday to extend the tram line to the northern districts.');
    await page.locator('#view-highlight mark.rm[data-rule="ad-marker"]').first().waitFor();
    expect(asked.length).toBeGreaterThanOrEqual(2);
    expect(asked[0]).toMatch(/needs an API key/);
    expect(asked[1]).toMatch(/refused/);
    expect(
      await page.evaluate(() =>
        (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('declutter.apiKey'),
      ),
    ).toBe(KEY);
  });
});
