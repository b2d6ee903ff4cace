import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.ts';
import { HOSTILE, startSeededPage, TOKEN } from './fixture.ts';

// A real browser: the page loads, shows the gaps and the chart, and refuses requests without the token.
describe("editors' page in headless Chromium", () => {
  let page: Awaited<ReturnType<typeof startSeededPage>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    page = await startSeededPage();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await page?.stop();
  });

  it('refuses the page without the token, then signs in through the form and shows gaps and chart', async () => {
    const tab = await browser.context.newPage();
    const dialogs: string[] = [];
    tab.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const refused = await tab.goto(page.url);
    expect(refused?.status()).toBe(401);
    expect(await tab.locator('#gaps').count()).toBe(0);
    await tab.fill('#token', 'not-the-token-at-all-000000');
    await Promise.all([tab.waitForLoadState(), tab.click('button[type=submit]')]);
    expect(await tab.locator('.error').textContent()).toContain('not right');
    expect(await tab.locator('#gaps').count()).toBe(0);

    await tab.fill('#token', TOKEN);
    const [response] = await Promise.all([
      tab.waitForResponse((r) => r.url() === page.url),
      tab.click('button[type=submit]'),
    ]);
    expect(response.status()).toBe(200);
    const gapRows = tab.locator('#gaps tr.gap');
    expect(await gapRows.count()).toBe(3);
    const gapText = await tab.locator('#gaps').innerText();
    expect(gapText).toContain('Pope');
    expect(gapText).toContain('Brazil');
    expect(gapText).toContain('China');
    // The chart: one bar group per day, answered bars drawn, and a title with the figures.
    const chart = tab.locator('#questions svg.chart');
    expect(await chart.isVisible()).toBe(true);
    expect(await chart.locator('g.day').count()).toBe(31);
    expect(await chart.locator('rect.answered').count()).toBe(31);
    expect(await chart.locator('title').first().textContent()).toMatch(/11 asked, 3 answered \(27%\)/);
    const lastBarHeight = Number(await chart.locator('rect.answered').last().getAttribute('height'));
    expect(lastBarHeight).toBeGreaterThan(0);
    // Hostile text shows as text: no script ran, no image element was made from it.
    expect(await tab.locator('body').innerText()).toContain(HOSTILE);
    expect(await tab.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    // Digest history and feedback are there too.
    expect(await tab.locator('#digests').innerText()).toContain('C0DIGEST');
    expect(await tab.locator('#feedback .downvoted').count()).toBe(1);
    await tab.close();
  });

  it('is readable on a phone: no horizontal scroll of the page itself', async () => {
    const tab = await browser.context.newPage();
    await tab.setViewportSize({ width: 390, height: 844 });
    await tab.setExtraHTTPHeaders({ authorization: `Bearer ${TOKEN}` });
    await tab.goto(page.url);
    const overflow = await tab.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await tab.locator('#questions svg.chart').isVisible()).toBe(true);
    await tab.close();
  });

  it('a request without the token is refused, whatever else it carries', async () => {
    const tab = await browser.context.newPage();
    await browser.context.clearCookies();
    const response = await tab.request.get(page.url, { headers: { cookie: 'peacedesk_session=forged' } });
    expect(response.status()).toBe(401);
    expect(await response.text()).not.toContain('Coverage gaps');
    // The token in the URL is not accepted (URLs end up in logs).
    const inUrl = await tab.request.get(`${page.url}?token=${TOKEN}`);
    expect(inUrl.status()).toBe(401);
    await tab.close();
  });
});
