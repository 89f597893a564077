// The coordinator's packs page in headless Chromium, on the seeded demo: define a lockdown food pack,
// assemble packs from stock, take one apart, in English and in Chinese, at desktop and phone size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, apiToken, desktop, ensureClientBuilt, hasChromium, launchChromium, openContext, phone, screenshot, signedInPage, startLifeline, type Lifeline } from './harness.ts';

interface StockLine {
  commodityId: number;
  commodityName: string;
  available: number;
}

describe.skipIf(!hasChromium)('the packs page', () => {
  let lifeline: Lifeline;
  let browser: Browser;
  let token: string;
  /** A warehouse of the demo holding at least five of each component, and the components' names. */
  let warehouse: { id: number; name: string };
  const components = [
    { name: 'Rice', option: 'Rice (5 kg bag)' },
    { name: 'Cooking oil', option: 'Cooking oil (1 L bottle)' },
    { name: 'Eggs', option: 'Eggs (tray of 12)' },
  ];

  beforeAll(async () => {
    [lifeline, browser] = await Promise.all([startLifeline(), launchChromium(), ensureClientBuilt()]).then(([l, b]) => [l, b] as const);
    token = await apiToken(lifeline, 'coordinator@lifeline.local');
    for (const w of (await api<{ items: { id: number; name: string }[] }>(lifeline, token, '/warehouses')).items) {
      const stock = (await api<{ commodities: StockLine[] }>(lifeline, token, `/warehouses/${w.id}/stock`)).commodities;
      if (components.every(({ name }) => stock.some((l) => l.commodityName === name && l.available >= 5))) {
        warehouse = w;
        break;
      }
    }
    expect(warehouse).toBeDefined();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await lifeline?.close();
  });

  it('defines a pack, assembles packs from the lots first expiring first, and takes one apart', async () => {
    const context = await openContext(browser, lifeline);
    const page = await signedInPage(context, lifeline, 'coordinator@lifeline.local', '/coordinator/packs');
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.getByRole('heading', { name: 'Standard packs' }).waitFor();
    await page.getByText('No packs are defined yet').waitFor();

    await page.getByLabel('Code').fill('FOODPACK');
    await page.getByLabel('Name').fill('保供包 food pack');
    for (const [i, { option }] of components.entries()) {
      if (i > 0) await page.getByRole('button', { name: 'Add an item' }).click();
      await page.locator(`select[name="components.${i}.commodityId"]`).selectOption({ label: option });
    }
    await page.locator('input[name="components.2.quantity"]').fill('0');
    await page.getByRole('button', { name: 'Save pack' }).click();
    // The server's refusal shows next to the line it is about, with everything typed kept.
    await page.locator('.field.has-error', { hasText: 'Per pack' }).getByText('More than 0').waitFor();
    expect(await page.getByLabel('Code').inputValue()).toBe('FOODPACK');
    await page.locator('input[name="components.2.quantity"]').fill('1');
    await page.getByRole('button', { name: 'Save pack' }).click();
    await page.getByRole('status').filter({ hasText: '保供包 food pack is defined' }).waitFor();

    await page.locator('select[name=warehouse]').selectOption({ label: warehouse.name });
    await page.getByLabel('Packs to assemble').fill('2');
    await page.getByRole('button', { name: 'Assemble from stock' }).click();
    await page.getByRole('status').filter({ hasText: /^2 × 保供包 food pack assembled into lot FOODPACK-A\d+/ }).waitFor();
    const row = page.locator('tr', { hasText: 'FOODPACK-A' });
    await row.locator('td.num', { hasText: /^2$/ }).waitFor();
    expect(await row.locator('ul.lots li').count()).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'packs');

    // Asking for more than the warehouse holds is refused, naming what is short.
    await page.getByLabel('Packs to assemble').fill('100000');
    await page.getByRole('button', { name: 'Assemble from stock' }).click();
    await page.getByRole('alert').filter({ hasText: 'not enough stock at this warehouse' }).waitFor();

    await row.getByRole('button', { name: 'Take apart' }).click();
    await page.getByRole('status').filter({ hasText: /^1 × 保供包 food pack of lot FOODPACK-A\d+ taken apart/ }).waitFor();
    await row.locator('td.num', { hasText: /^1$/ }).waitFor();
    const lots = await api<{ onHand: number; components: { quantity: number; returned: number }[] }[]>(lifeline, token, `/packs/${(await api<{ id: number }[]>(lifeline, token, '/packs'))[0]!.id}/lots`);
    expect(lots.map((l) => l.onHand)).toEqual([1]);
    // What is still inside the one pack left: a bag of rice, a bottle of oil, a tray of eggs.
    expect(lots[0]!.components.reduce((sum, p) => sum + p.quantity - p.returned, 0)).toBe(3);

    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '标准包（物资套装）' }).waitFor();
    await page.getByRole('button', { name: '拆包' }).waitFor();
    await page.getByRole('status').filter({ hasText: /^已拆开批次 FOODPACK-A\d+ 的 1 个保供包 food pack，物资已退回原批次。$/ }).waitFor();
    await page.setViewportSize(phone);
    await screenshot(page, 'packs-zh');
    await page.setViewportSize(desktop);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
