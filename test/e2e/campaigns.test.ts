// A campaign in the browser: the coordinator opens it from the campaigns page and watches the live view count
// the entries; a household asks on the public page (window, counts, remaining) and follows its entry on its own
// page, which shows the draw's outcome live. A hostile item name stays text everywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiToken, ensureClientBuilt, hasChromium, launchChromium, openContext, phone, screenshot, signedInPage, startLifeline, type Lifeline } from './harness.ts';

/** Sets window.__xss if it ever runs as HTML. */
const HOSTILE = `<img src=x onerror="window.__xss=1">`;
const ITEM = `${HOSTILE} masks`;

describe.skipIf(!hasChromium)('campaigns in the web app', () => {
  let lifeline: Lifeline;
  let browser: Browser;
  let token: string;
  let campaignId: number;
  let coordinator: Page;
  const codes: string[] = [];
  const problems: string[] = [];

  const call = async <T,>(method: string, path: string, body?: unknown, auth = true): Promise<T> => {
    const headers = { 'content-type': 'application/json', ...(auth ? { Authorization: `Bearer ${token}` } : {}) };
    const res = await fetch(`${lifeline.url}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const answer = await res.json();
    expect(res.status, JSON.stringify(answer)).toBeLessThan(300);
    return answer as T;
  };
  const watch = (page: Page) => {
    page.on('console', (m) => m.type() === 'error' && !/status of (401|404|409)/.test(m.text()) && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    return page;
  };
  const noScriptRan = async (page: Page) => expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

  beforeAll(async () => {
    [lifeline, browser] = await Promise.all([startLifeline(), launchChromium(), ensureClientBuilt()]).then(([l, b]) => [l, b] as const);
    token = await apiToken(lifeline, 'coordinator@lifeline.local');
    await call('POST', '/commodities', { code: 'FFP2', name: ITEM, unit: 'box', weightKg: 0.2, volumeM3: 0.001, category: 'hygiene' });
    const households = await lifeline.db.query<{ id: number }>('SELECT id FROM households ORDER BY id LIMIT 3');
    for (const h of households) codes.push((await call<{ code: string }>('POST', `/households/${h.id}/access`)).code);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await lifeline?.close();
  });

  it('opens a campaign from the coordinator’s page and counts the entries live', async () => {
    const context = await openContext(browser, lifeline);
    coordinator = watch(await signedInPage(context, lifeline, 'coordinator@lifeline.local', '/coordinator/campaigns'));
    await coordinator.getByLabel('Item').selectOption({ label: `${ITEM} (box)` });
    await coordinator.getByLabel('Quantity').fill('1');
    await coordinator.getByLabel('Per household at most').fill('1');
    await coordinator.getByRole('button', { name: 'Open campaign' }).click();
    const link = coordinator.locator('table a[href^="/coordinator/campaigns/"]').first();
    campaignId = Number(await link.textContent());
    await link.click();
    await coordinator.getByRole('heading', { name: `Campaign ${campaignId}: ${ITEM}` }).waitFor();
    const entries = coordinator.locator('dt', { hasText: 'Households entered' }).locator('xpath=following-sibling::dd[1]');
    expect(await entries.textContent()).toBe('0');
    for (const code of codes.slice(0, 2)) await call('POST', `/campaigns/${campaignId}/requests`, { code, quantity: 1 }, false);
    // The live view follows by itself (it asks every 5 s).
    await coordinator.waitForFunction(() => Array.from(document.querySelectorAll('dt')).find((dt) => dt.textContent === 'Households entered')?.nextElementSibling?.textContent === '2', undefined, { timeout: 15_000 });
    await coordinator.getByText('Tier').first().waitFor();
    await screenshot(coordinator, 'campaign-live');
    await noScriptRan(coordinator);
  });

  it('shows the public page its window, counts and remaining units, and takes a household’s request with its code', async () => {
    const context = await browser.newContext({ baseURL: lifeline.url, viewport: phone, locale: 'en-GB', timezoneId: 'Europe/Monaco' });
    context.setDefaultTimeout(15_000);
    const page = watch(await context.newPage());
    await page.goto(`/c/${campaignId}`);
    await page.getByText(ITEM, { exact: true }).waitFor();
    await page.getByText('taking requests').waitFor();
    await page.getByText(/^Requests from .+ to .+\.$/).waitFor();
    await page.getByText('1 box in all, at most 1 per household; 2 households have asked; 1 not yet given.').waitFor();
    await page.getByLabel('Your access code (on your slip)').fill(codes[2]!);
    await page.getByRole('button', { name: 'Ask' }).click();
    const receipt = await page.getByRole('status').textContent();
    expect(receipt).toMatch(/Your receipt: [0-9A-Z]{16}\./);
    await page.reload();
    await page.getByText('3 households have asked').waitFor();
    await screenshot(page, 'campaign-public');
    await noScriptRan(page);
    await context.close();
  });

  it('lists the entry on the household’s page and shows the draw’s outcome there live when the coordinator closes', async () => {
    const context = await browser.newContext({ baseURL: lifeline.url, viewport: phone, locale: 'zh-CN', timezoneId: 'Europe/Monaco' });
    context.setDefaultTimeout(15_000);
    const resident = watch(await context.newPage());
    await resident.goto(`/h/${codes[0]}`);
    await resident.getByRole('heading', { name: '稀缺物资抽签' }).waitFor();
    const entry = resident.locator('.resident-entry');
    await entry.getByText('已登记', { exact: true }).waitFor();
    expect(await entry.locator('.resident-receipt').textContent()).toMatch(/^[0-9A-Z]{16}$/);
    expect(await entry.textContent()).toContain(ITEM);

    await coordinator.getByRole('button', { name: 'Close and draw' }).click();
    await coordinator.getByText('closed', { exact: true }).waitFor();
    // No reload: the page hears the draw.
    await entry.getByText(/^(已中签|候补中)$/).waitFor();
    expect(await entry.textContent()).toMatch(/已中签：1 × box|本次未中签。您在候补名单上排第 [12] 位/);
    await screenshot(resident, 'campaign-resident-drawn');
    await noScriptRan(resident);
    expect(problems).toEqual([]);
    await context.close();
  });
});
