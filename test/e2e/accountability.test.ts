// Proof of delivery and its accountability in the browser: the driver's app opening after a reload with no
// signal, its queued delivery (photo and drawn signature included) recorded once with the phone's time of
// the tap; the coordinator's recall page and the community workers' view of it; the admin's audit log.
// Typed text is hostile throughout and must show as text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { solving } from '../../server/plans/plans.service.ts';
import { apiToken, call, DEMO_PASSWORD, ensureClientBuilt, hasChromium, launchChromium, openContext, phone, screenshot, signedInPage, startLifeline, type Lifeline } from './harness.ts';

type Route = { id: number; driverId: number; kind: string; warehouseId: number; stops: { id: number; kind: string; householdId: number | null }[] };

const HOSTILE = '<img src=x onerror="window.__pwned=1">';
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The demo's plan, run, approved and dispatched: its routes. */
async function dispatchedRoutes(lifeline: Lifeline, coordinator: string): Promise<Route[]> {
  const plan = await call<{ id: number }>(lifeline, coordinator, 'POST', '/plans', {});
  await solving.get(plan.id);
  await call(lifeline, coordinator, 'POST', `/plans/${plan.id}/approve`);
  return (await call<{ routes: Route[] }>(lifeline, coordinator, 'POST', `/plans/${plan.id}/dispatch`, { timeLimitMs: 1000 })).routes;
}

/** True when nothing the page did ran planted markup as code. */
const unharmed = async (page: Page) => (await page.evaluate(() => (window as { __pwned?: number }).__pwned)) === undefined;

describe.skipIf(!hasChromium)('proof of delivery offline, recalls and the audit log in the web app', () => {
  let lifeline: Lifeline;
  let browser: Browser;
  let coordinator: string;
  let route: Route;
  let driverEmail: string;
  /** The stop delivered online with a signature, and the one delivered offline. */
  let signedStop: number;
  let offlineStop: number;

  const count = async (sql: string, params: unknown[]) => Number((await lifeline.db.query<{ n: number }>(sql, params))[0]!.n);

  /** Draws a stroke across the next stop's signature pad, as a finger would. */
  const sign = async (page: Page) => {
    const pad = page.locator('canvas.signature-pad');
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + box.height * 0.7);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + 20 + i * 20, box.y + box.height * (i % 2 ? 0.3 : 0.7), { steps: 3 });
    await page.mouse.up();
  };


  beforeAll(async () => {
    [lifeline, browser] = await Promise.all([startLifeline(), launchChromium(), ensureClientBuilt()]).then(([l, b]) => [l, b] as const);
    coordinator = await apiToken(lifeline, 'coordinator@lifeline.local');
    const routes = await dispatchedRoutes(lifeline, coordinator);
    route = routes.find((r) => r.kind === 'vehicle' && r.stops.filter((s) => s.kind === 'delivery').length >= 2 && r.stops[0]!.kind === 'delivery' && r.stops[1]!.kind === 'delivery')!;
    [signedStop, offlineStop] = [route.stops[0]!.id, route.stops[1]!.id];
    driverEmail = (await lifeline.db.query<{ email: string }>('SELECT u.email FROM drivers d JOIN users u ON u.id = d.user_id WHERE d.id = $1', [route.driverId]))[0]!.email;
    await call(lifeline, await apiToken(lifeline, driverEmail), 'POST', `/routes/${route.id}/pickup`);
    // A household whose name is markup: wherever the recall lists it, it must show as text.
    await lifeline.db.query('UPDATE households SET name = $1 WHERE id = $2', [`Chen ${HOSTILE}`, route.stops[0]!.householdId]);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await lifeline?.close();
  });

  it('stores a signature drawn on the phone as a PNG with the delivery', async () => {
    const context = await openContext(browser, lifeline, phone);
    const page = await signedInPage(context, lifeline, driverEmail, '/driver');
    await page.locator(`li.stop[data-stop="${signedStop}"].is-next`).waitFor();
    await page.locator('.next-stop h2').getByText(`Chen ${HOSTILE}`, { exact: true }).waitFor();
    await sign(page);
    await page.getByRole('button', { name: '✓ Delivered' }).click();
    await expect.poll(() => count('SELECT count(*)::int AS n FROM stop_proofs WHERE stop_id = $1', [signedStop]), { timeout: 20_000 }).toBe(1);

    const [proof] = await lifeline.db.query<{ signature: Uint8Array }>('SELECT signature FROM stop_proofs WHERE stop_id = $1', [signedStop]);
    const signature = Buffer.from(proof!.signature);
    expect(signature.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(signature.length).toBeGreaterThan(500); // a drawn stroke, not an empty canvas
    expect(signature.length).toBeLessThanOrEqual(200_000);
    const res = await fetch(`${lifeline.url}/api/stops/${signedStop}/proof/signature`, { headers: { Authorization: `Bearer ${coordinator}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(await unharmed(page)).toBe(true);
    await context.close();
  }, 60_000);

  it('opens after a reload with no signal, keeps a queued delivery with its photo and signature, and records it once, at the phone’s time of the tap', async () => {
    const context = await openContext(browser, lifeline, phone);
    await context.grantPermissions(['geolocation']);
    await context.setGeolocation({ latitude: 43.7312, longitude: 7.4189 });
    const page = await signedInPage(context, lifeline, driverEmail, '/driver');
    await page.locator(`li.stop[data-stop="${offlineStop}"].is-next`).waitFor();
    // The service worker has taken over and keeps what the route screen needs.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.waitForFunction(
      async () => {
        const kept = (await (await caches.open('lifeline-api')).keys()).map((r) => new URL(r.url).pathname);
        return kept.includes('/api/me/route') && kept.includes('/api/auth/me');
      },
      undefined,
      { polling: 250 },
    );
    const accepted: number[] = [];
    context.on('requestfinished', async (request) => {
      if (request.method() === 'POST' && request.url().endsWith(`/api/stops/${offlineStop}/status`)) accepted.push((await request.response())!.status());
    });

    await context.setOffline(true);
    // The tap happens two hours before the sync, by the phone's clock.
    const tappedAt = new Date(Date.now() - 2 * 3600_000);
    await page.clock.setFixedTime(tappedAt);
    const photo = await page.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 64;
      canvas.height = 48;
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#0b5563';
      g.fillRect(0, 0, 64, 48);
      return canvas.toDataURL('image/jpeg', 0.8).split(',')[1]!;
    });
    await page.locator('input[name="photo"]').setInputFiles({ name: 'door.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(photo, 'base64') });
    await sign(page);
    await page.getByRole('button', { name: '✓ Delivered' }).click();
    await page.getByText('1 waiting to sync').waitFor();

    // Reloaded without signal: the app, the route and the waiting delivery are all still there.
    await page.reload();
    await page.getByRole('heading', { name: "Today's route" }).waitFor();
    await page.getByText('Offline.').waitFor();
    await page.getByText('1 waiting to sync').waitFor();
    await page.locator(`li.stop[data-stop="${offlineStop}"]`).getByText('waiting to sync').waitFor();
    await screenshot(page, 'driver-offline-reloaded');
    expect(await count('SELECT count(*)::int AS n FROM stop_proofs WHERE stop_id = $1', [offlineStop])).toBe(0);

    await context.setOffline(false);
    await page.getByText('1 waiting to sync').waitFor({ state: 'detached', timeout: 30_000 });
    await page.locator(`li.stop[data-stop="${offlineStop}"].stop-delivered`).waitFor();

    // Once: one proof, the goods delivered once, one accepted request.
    expect(accepted).toEqual([200]);
    const items = await count('SELECT count(*)::int AS n FROM stop_items WHERE stop_id = $1', [offlineStop]);
    expect(await count(`SELECT count(*)::int AS n FROM stock_movements WHERE stop_id = $1 AND kind = 'delivered'`, [offlineStop])).toBe(items);
    const proofs = await lifeline.db.query<{ device_time: Date; received_at: Date; device_lat: number; device_lon: number; photo: Uint8Array; signature: Uint8Array }>(
      'SELECT device_time, received_at, device_lat, device_lon, photo, signature FROM stop_proofs WHERE stop_id = $1',
      [offlineStop],
    );
    expect(proofs).toHaveLength(1);
    const [proof] = proofs;
    // The phone's time and place of the tap, not when the server heard of it.
    expect(proof!.device_time.toISOString()).toBe(tappedAt.toISOString());
    expect(proof!.received_at.getTime() - proof!.device_time.getTime()).toBeGreaterThan(3600_000);
    expect([proof!.device_lat, proof!.device_lon]).toEqual([43.7312, 7.4189]);
    expect(Buffer.from(proof!.photo).subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(true);
    expect(Buffer.from(proof!.signature).subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    await context.close();
  }, 120_000);
});

describe.skipIf(!hasChromium)('the recall and audit pages', () => {
  let lifeline: Lifeline;
  let browser: Browser;
  let lot: { id: number; warehouseId: number; code: string };
  let household: { id: number; community: string };


  beforeAll(async () => {
    [lifeline, browser] = await Promise.all([startLifeline(), launchChromium(), ensureClientBuilt()]).then(([l, b]) => [l, b] as const);
    const routes = await dispatchedRoutes(lifeline, await apiToken(lifeline, 'coordinator@lifeline.local'));
    const route = routes.find((r) => r.kind === 'vehicle' && r.stops[0]!.kind === 'delivery')!;
    const stop = route.stops[0]!;
    const email = (await lifeline.db.query<{ email: string }>('SELECT u.email FROM drivers d JOIN users u ON u.id = d.user_id WHERE d.id = $1', [route.driverId]))[0]!.email;
    const driver = await apiToken(lifeline, email);
    await call(lifeline, driver, 'POST', `/routes/${route.id}/pickup`);
    await call(lifeline, driver, 'POST', `/stops/${stop.id}/status`, { status: 'delivered' });
    const [delivered] = await lifeline.db.query<{ id: number; warehouse_id: number; lot_code: string }>(
      `SELECT l.id, l.warehouse_id, l.lot_code FROM stock_movements m JOIN lots l ON l.id = m.lot_id WHERE m.stop_id = $1 AND m.kind = 'delivered' ORDER BY l.id LIMIT 1`,
      [stop.id],
    );
    lot = { id: delivered!.id, warehouseId: delivered!.warehouse_id, code: delivered!.lot_code };
    // A household whose name is markup: the recall lists it as text.
    await lifeline.db.query('UPDATE households SET name = $1 WHERE id = $2', [`Chen ${HOSTILE}`, stop.householdId]);
    household = { id: stop.householdId!, community: (await lifeline.db.query<{ community: string }>('SELECT community FROM households WHERE id = $1', [stop.householdId]))[0]!.community };
    // Two community workers: one of the household's community, one of another.
    const admin = await apiToken(lifeline, 'admin@lifeline.local');
    for (const [name, community] of [['near', household.community], ['far', 'Somewhere Else']] as const) {
      await call(lifeline, admin, 'POST', '/users', { email: `${name}@lifeline.local`, name: `Worker ${name}`, role: 'community', password: DEMO_PASSWORD, communities: [community] });
    }
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await lifeline?.close();
  });

  it('lets a coordinator recall a lot with a reason, lists who received it, and asks for their replacements in one action', async () => {
    const context = await openContext(browser, lifeline);
    const page = await signedInPage(context, lifeline, 'coordinator@lifeline.local', '/coordinator/recalls');
    await page.getByRole('heading', { name: 'Lot recalls' }).waitFor();
    await page.getByText('No lot has been recalled.').waitFor();
    await page.getByLabel('Warehouse').selectOption(String(lot.warehouseId));
    await page.locator(`select[name="lot"] option[value="${lot.id}"]`).waitFor({ state: 'attached' });
    await page.getByLabel('Lot').selectOption(String(lot.id));
    await page.getByLabel('Reason').fill(`mould found ${HOSTILE}`);
    await page.getByRole('button', { name: 'Recall this lot' }).click();
    await page.getByText(new RegExp(`Lot ${lot.code} is blocked\\. \\d+ households in \\d+ communities received it`)).waitFor();

    const [stored] = await lifeline.db.query<{ recalled_at: Date | null; recall_reason: string }>('SELECT recalled_at, recall_reason FROM lots WHERE id = $1', [lot.id]);
    expect(stored!.recalled_at).not.toBeNull();
    expect(stored!.recall_reason).toBe(`mould found ${HOSTILE}`);

    const card = page.locator(`.recall-card[data-lot="${lot.id}"]`);
    await card.locator('.recall-reason', { hasText: `mould found ${HOSTILE}` }).waitFor();
    await card.getByRole('cell', { name: `Chen ${HOSTILE}` }).waitFor();
    await card.locator('.chips li', { hasText: household.community }).waitFor();
    expect(await page.locator('.recall-card img').count()).toBe(0);
    expect(await unharmed(page)).toBe(true);
    await screenshot(page, 'coordinator-recalls');

    const households = await card.locator('.recall-households tbody tr').count();
    await card.getByRole('button', { name: `Create replacement needs for the ${households} households` }).click();
    await card.getByText(`${households} urgent replacement needs created.`).waitFor();
    await card.getByText(/Replacements were asked for on/).waitFor();
    const [replaced] = await lifeline.db.query<{ replaced_at: Date | null }>('SELECT replaced_at FROM lots WHERE id = $1', [lot.id]);
    expect(replaced!.replaced_at).not.toBeNull();

    // In Chinese too.
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '批次召回', level: 1 }).waitFor();
    await card.getByText('已召回', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await context.close();
  }, 90_000);

  it('shows a community worker the recalls that reached their own communities only, without the coordinator’s actions', async () => {
    const context = await openContext(browser, lifeline);
    const near = await signedInPage(context, lifeline, 'near@lifeline.local', '/community/recalls');
    const card = near.locator(`.recall-card[data-lot="${lot.id}"]`);
    await card.getByRole('cell', { name: `Chen ${HOSTILE}` }).waitFor();
    expect(await near.getByRole('button', { name: 'Recall this lot' }).count()).toBe(0);
    expect(await card.getByRole('button', { name: /Create replacement needs/ }).count()).toBe(0);
    expect(await unharmed(near)).toBe(true);
    await context.close();

    const other = await openContext(browser, lifeline);
    const far = await signedInPage(other, lifeline, 'far@lifeline.local', '/community/recalls');
    await far.getByText('No recalled lot reached your communities.').waitFor();
    expect(await far.locator('.recall-card').count()).toBe(0);
    await other.close();
  }, 60_000);

  it('lets the admin search the audit log by record and by request, page through it, and export a page as CSV; changed text shows as text', async () => {
    const context = await openContext(browser, lifeline);
    const page = await signedInPage(context, lifeline, 'admin@lifeline.local', '/admin/audit');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.locator('.audit-table tbody tr').first().waitFor();

    // Paging: the next page holds older rows, and "newer" comes back.
    await page.getByLabel('Rows per page').selectOption('50');
    await expect.poll(() => page.locator('.audit-table tbody tr').count()).toBe(50);
    const idsOf = async () => (await page.locator('.audit-table tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-audit')))));
    const first = await idsOf();
    await page.getByRole('button', { name: 'Older →' }).click();
    await page.getByText('Page 2').waitFor();
    await expect.poll(async () => Math.max(...(await idsOf()))).toBeLessThan(Math.min(...first));
    await page.getByRole('button', { name: '← Newer' }).click();
    await expect.poll(idsOf).toEqual(first);

    // A record's changes: the recall shows its reason as it was typed.
    await page.getByLabel('Record').fill(`lots:${lot.id}`);
    await page.getByRole('button', { name: 'Search' }).click();
    const stored = await lifeline.db.query('SELECT 1 FROM audit_log WHERE table_name = $1 AND record_id = $2', ['lots', String(lot.id)]);
    // Newest first, 50 to a page: the recall is on the first page whatever came before it.
    await expect.poll(() => page.locator('.audit-table tbody tr').count()).toBe(Math.min(stored.length, 50));
    await page.locator('.audit-change ins').getByText(`mould found ${HOSTILE}`, { exact: true }).waitFor();
    expect(await page.locator('.audit-table img').count()).toBe(0);
    expect(await unharmed(page)).toBe(true);
    await screenshot(page, 'admin-audit');

    // Everything the recall's request changed, by its request id.
    const recall = page.locator('.audit-table tbody tr', { hasText: 'POST /api/lots/' }).first();
    await recall.locator('td').nth(2).getByRole('button').click();
    const requestId = await page.getByLabel('Request id').inputValue();
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const changed = await lifeline.db.query('SELECT 1 FROM audit_log WHERE request_id = $1', [requestId]);
    await expect.poll(() => page.locator('.audit-table tbody tr').count()).toBe(Math.min(changed.length, 50));

    // The CSV holds the page on screen.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^id,at,userId,role,method,path/);
    expect(csv).toContain(requestId);
    expect(lines.length - 1).toBeGreaterThanOrEqual(Math.min(changed.length, 50));

    // A malformed filter is named next to its field, and nothing else breaks.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Record').fill('Not a table!');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('a table, or a table and an id as table:id').waitFor();
    await context.close();
  }, 90_000);
});
