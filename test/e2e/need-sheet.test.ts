// The need sheet of a community with thousands of needs: the browser holds only the rows in view, fetches
// the others from the server as they scroll into view, searches on the server, and saves an edit far down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiToken, ensureClientBuilt, hasChromium, launchChromium, openContext, screenshot, signedInPage, startLifeline, type Lifeline } from './harness.ts';
import { insertHouseholds } from '../../server/needs/households.repo.ts';
import { insertNeeds } from '../../server/needs/needs.repo.ts';
import { addressKey, phoneKey } from '../../server/needs/households.service.ts';

const COMMUNITY = 'Larvotto Heights';
const HOUSEHOLDS = 3000;
const name = (i: number) => `Sheet household ${String(i).padStart(4, '0')}`;

describe.skipIf(!hasChromium)('a need sheet of thousands of needs', () => {
  let lifeline: Lifeline;
  let browser: Browser;
  let needIds: number[];

  beforeAll(async () => {
    [lifeline, browser] = await Promise.all([startLifeline(), launchChromium(), ensureClientBuilt()]).then(([l, b]) => [l, b] as const);
    const [rice] = await lifeline.db.query<{ id: number }>('SELECT id FROM commodities ORDER BY id LIMIT 1');
    const households = Array.from({ length: HOUSEHOLDS }, (_, i) => {
      const address = `${i + 1} Avenue Princesse Grace`;
      const phone = `+377 97 ${String(100000 + i).slice(0, 2)} ${String(100000 + i).slice(2, 4)} ${String(100000 + i).slice(4)}`;
      return { name: name(i), address, phone, lat: 43.745 + i * 1e-6, lon: 7.43, people: 2, community: COMMUNITY, addressKey: addressKey(address), phoneKey: phoneKey(phone) };
    });
    const ids = await insertHouseholds(lifeline.db, households);
    needIds = (await insertNeeds(lifeline.db, ids.map(({ id }) => ({ householdId: id, commodityId: rice!.id, quantity: 3, urgency: 'normal', deadline: null, sources: ['test'] })))).map((n) => n.id);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await lifeline?.close();
  });

  it('renders only the rows in view, scrolls to the last household, searches on the server and saves an edit far down', async () => {
    const context = await openContext(browser, lifeline);
    const page = await signedInPage(context, lifeline, 'community@lifeline.local', '/community');
    await page.getByLabel('Community').selectOption(COMMUNITY);
    await page.locator(`tr[data-need="${needIds[0]}"]`).waitFor({ timeout: 60_000 });
    // A window of the sheet, not the whole of it.
    const rendered = await page.locator('tr[data-need]').count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(200);
    await page.locator('.sheet-count').getByText(`${HOUSEHOLDS.toLocaleString('en-GB')} rows`).waitFor();

    // Scrolled to the end: the last household, fetched when it came into view.
    const last = needIds.at(-1)!;
    await page.locator('.sheet-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    const lastRow = page.locator(`tr[data-need="${last}"]`);
    await lastRow.waitFor();
    expect(await lastRow.getByLabel('Name').inputValue()).toBe(name(HOUSEHOLDS - 1));
    expect(await page.locator('tr[data-need]').count()).toBeLessThan(200);
    await expect.poll(() => page.locator(`tr[data-need="${needIds[0]}"]`).count()).toBe(0);
    await screenshot(page, 'need-sheet-end');

    // An edit on a row far down saves.
    const quantity = lastRow.getByLabel('Quantity');
    await quantity.fill('9');
    await quantity.press('Enter');
    await expect.poll(() => lifeline.db.query<{ quantity: number }>('SELECT quantity FROM needs WHERE id = $1', [last]).then((r) => r[0]!.quantity)).toBe(9);

    // A colleague's new household arrives live: the pages in view are fetched again, with the new total.
    const token = await apiToken(lifeline, 'coordinator@lifeline.local');
    const res = await fetch(`${lifeline.url}/api/needs`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ household: { name: 'Newcomer household', address: '9999 Avenue Princesse Grace', lat: 43.75, lon: 7.43, people: 1, community: COMMUNITY }, commodityId: 1, quantity: 1 }),
    });
    expect(res.status).toBe(201);
    const { need: added } = (await res.json()) as { need: { id: number } };
    await page.locator('.sheet-count').getByText(`${(HOUSEHOLDS + 1).toLocaleString('en-GB')} rows`).waitFor();
    await page.locator('.sheet-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.locator(`tr[data-need="${added.id}"]`).waitFor();

    // The search runs on the server: a household in the middle, never scrolled to, is found alone.
    const middle = Math.floor(HOUSEHOLDS / 2) + 7;
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/needs?')) asked.push(new URL(r.url()).searchParams.get('q') ?? '');
    });
    await page.getByRole('searchbox').fill(name(middle));
    await page.locator('.sheet-count').getByText('1 rows', { exact: true }).waitFor();
    await expect.poll(() => page.locator('tr[data-need]').count()).toBe(1);
    expect(await page.locator(`tr[data-need="${needIds[middle]}"]`).getByLabel('Name').inputValue()).toBe(name(middle));
    expect(asked).toContain(name(middle));
    await context.close();
  }, 90_000);
});
