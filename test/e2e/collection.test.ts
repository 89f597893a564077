// A pledge collected on a pickup route, in headless Chromium on the seeded demo: the coordinator dispatches
// and sees the pledge no route can collect, the charity sees when its pledge is to be collected, the driver sees the collection stop and the reloads between trips and taps Collected,
// and the charity then sees it collected. The charity logs the pledge, with its collection point, on its desk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, apiToken, ensureClientBuilt, hasChromium, launchChromium, openContext, phone, screenshot, signedInPage, startLifeline, type Lifeline } from './harness.ts';
import { solving } from '../../server/plans/plans.service.ts';

type Route = { id: number; driverId: number; kind: string; reloads: number[]; stops: { id: number; kind: string; donationId: number | null }[] };

describe.skipIf(!hasChromium)('a pledge collected on a pickup route', () => {
  let lifeline: Lifeline;
  let browser: Browser;
  let route: Route;
  let driverEmail: string;
  let planId: number;

  const send = async (token: string, path: string, body: unknown = {}) => {
    const res = await fetch(`${lifeline.url}/api${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
    return res.json();
  };

  /** The charity logs a pledge with its collection point on its desk: the pin placed on the map, then typed exactly. */
  const pledgeOnTheDesk = async (warehouseId: number, riceId: number) => {
    const context = await openContext(browser, lifeline);
    const page = await signedInPage(context, lifeline, 'charity@lifeline.local', '/charity');
    await page.locator('select[name=warehouseId]').selectOption(String(warehouseId));
    await page.locator('input[name=donorName]').fill('Palace kitchens');
    await page.locator('select[name="items.0.commodityId"]').selectOption(String(riceId));
    await page.locator('input[name="items.0.quantity"]').fill('4');
    await page.getByLabel('A driver collects it from the donor').check();
    const donations = async () => (await lifeline.db.query<{ n: number }>('SELECT count(*)::int AS n FROM donations'))[0]!.n;
    const before = await donations();
    // No address and no point: refused, naming both, and nothing recorded.
    await page.getByRole('button', { name: 'Save and get the receipt' }).click();
    await page.locator('.collection .has-error input[name=collectionAddress]').waitFor();
    await page.locator('.collection .has-error input[name=lat]').waitFor();
    expect(await donations()).toBe(before);
    await page.locator('input[name=collectionAddress]').fill('Place du Palais');
    await page.locator('.point-map .map').click({ position: { x: 150, y: 120 } });
    await page.waitForFunction(() => Number(document.querySelector<HTMLInputElement>('input[name=lat]')!.value) > 43.7);
    await page.locator('input[name=lat]').fill('43.7312');
    await page.locator('input[name=lon]').fill('7.4202');
    await page.getByRole('button', { name: 'Save and get the receipt' }).click();
    await page.getByText('to be collected from Place du Palais: waiting for a route').first().waitFor();
    const [stored] = await lifeline.db.query<{ collection_lat: number; collection_lon: number }>(`SELECT collection_lat, collection_lon FROM donations WHERE donor_name = 'Palace kitchens'`);
    expect([stored!.collection_lat, stored!.collection_lon].map(Number)).toEqual([43.7312, 7.4202]);
    await context.close();
  };

  beforeAll(async () => {
    [lifeline, browser] = await Promise.all([startLifeline(), launchChromium(), ensureClientBuilt()]).then(([l, b]) => [l, b] as const);
    const coordinator = await apiToken(lifeline, 'coordinator@lifeline.local');
    // A pledge inside the sealed compound, where no vehicle may drive.
    const [rice] = await lifeline.db.query<{ id: number }>(`SELECT id FROM commodities WHERE code = 'RICE-5KG'`);
    const [warehouse] = await lifeline.db.query<{ id: number }>('SELECT id FROM warehouses ORDER BY id LIMIT 1');
    await pledgeOnTheDesk(warehouse!.id, rice!.id);
    planId = (await send(coordinator, '/plans')).id;
    await solving.get(planId);
    await send(coordinator, `/plans/${planId}/approve`);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await lifeline?.close();
  });

  it('lets the coordinator dispatch and shows the pledges no route collects, with why', async () => {
    const context = await openContext(browser, lifeline);
    const page = await signedInPage(context, lifeline, 'coordinator@lifeline.local', `/coordinator/plans/${planId}`);
    await page.getByRole('button', { name: 'Dispatch to drivers' }).click();
    await page.getByText(/\d+ routes sent to drivers and gate volunteers/).waitFor({ timeout: 60_000 });
    await page.getByText('Pledges no route collects today (1)').waitFor();
    await page.getByText(/no road open to vehicles reaches it/).waitFor();
    await context.close();
    const coordinator = await apiToken(lifeline, 'coordinator@lifeline.local');
    route = (await api<Route[]>(lifeline, coordinator, `/routes?planId=${planId}`)).find((r) => r.stops.some((s) => s.kind === 'collection'))!;
    expect(route).toBeDefined();
    [{ email: driverEmail }] = (await lifeline.db.query<{ email: string }>('SELECT u.email FROM drivers d JOIN users u ON u.id = d.user_id WHERE d.id = $1', [route.driverId])) as [{ email: string }];
  }, 90_000);

  it('tells the charity when, and by which route, the pledge is to be collected', async () => {
    const context = await openContext(browser, lifeline);
    const page = await signedInPage(context, lifeline, 'charity@lifeline.local', '/charity');
    await page.getByText(new RegExp(`to be collected on .* by route ${route.id}`)).waitFor();
    await context.close();
  });

  it('shows the driver the collection stop with its address, the reloads between trips, and records Collected', async () => {
    const driver = await apiToken(lifeline, driverEmail);
    await send(driver, `/routes/${route.id}/pickup`);
    // The stops before the collection are done, so it is the next stop on the phone.
    const at = route.stops.findIndex((s) => s.kind === 'collection');
    for (const s of route.stops.slice(0, at)) await send(driver, `/stops/${s.id}/status`, { status: 'failed', reason: 'nobody_home' });

    const context = await openContext(browser, lifeline, phone);
    const page = await signedInPage(context, lifeline, driverEmail, '/driver');
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    const next = page.getByRole('region', { name: 'Next stop' });
    await next.getByText('Paroisse Saint-Charles food drive').waitFor();
    await next.getByText('Avenue Saint-Charles').waitFor();
    expect(await page.locator('li.reload-note').count()).toBe(route.reloads.length);
    if (route.reloads.length) await page.locator('li.reload-note').first().getByText('Back to the warehouse to reload').waitFor();
    await screenshot(page, 'driver-collection');
    await next.getByRole('button', { name: '✓ Collected' }).click();
    const stopId = route.stops[at]!.id;
    await page.locator(`li.stop[data-stop="${stopId}"].stop-collected`).waitFor();
    expect(problems).toEqual([]);
    await context.close();

    const charity = await openContext(browser, lifeline);
    const desk = await signedInPage(charity, lifeline, 'charity@lifeline.local', '/charity');
    await desk.getByText(/^collected /).waitFor();
    await charity.close();
  });
});
