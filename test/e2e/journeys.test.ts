// Each role's main journey through the web app in headless Chromium, on the seeded demo, with
// screenshots of the main pages at desktop and phone size (test-results/screenshots/).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, apiToken, DEMO_PASSWORD, desktop, ensureClientBuilt, hasChromium, launchChromium, MAP_CENTRE, MAP_ZOOM, openContext, phone, pixelOf, screenshot, signedInPage, signIn, startLifeline, type Lifeline } from './harness.ts';

if (!hasChromium) console.warn('Skipping the browser tests: /usr/bin/chromium is missing (apt-get install chromium).');

describe.skipIf(!hasChromium)('the web app', () => {
  let lifeline: Lifeline;
  let browser: Browser;
  let trackingCode = '';
  let planId = 0;

  beforeAll(async () => {
    [lifeline, browser] = await Promise.all([startLifeline(), launchChromium(), ensureClientBuilt()]).then(([l, b]) => [l, b] as const);
  });
  afterAll(async () => {
    await browser?.close();
    await lifeline?.close();
  });

  it('lets the charity desk log a donation, keeping what was typed when a field is wrong, and shows its receipt with a QR code', async () => {
    const context = await openContext(browser, lifeline);
    const page = await context.newPage();
    await signIn(page, 'charity@lifeline.local');
    await page.getByRole('heading', { name: 'Log a donation' }).waitFor();
    await screenshot(page, 'charity');

    await page.getByLabel('Warehouse').selectOption({ label: 'Port Hercule Store' });
    await page.getByLabel('Donor', { exact: true }).fill('Boulangerie du Port');
    await page.getByLabel('Item').selectOption({ label: 'Rice (5 kg bag)' });
    await page.getByLabel('Quantity').fill('0');
    await page.getByRole('button', { name: 'Save and get the receipt' }).click();
    // The server's complaint shows next to the quantity, and nothing typed is lost.
    await page.locator('.field.has-error', { hasText: 'Quantity' }).getByText('More than 0').waitFor();
    expect(await page.getByLabel('Donor', { exact: true }).inputValue()).toBe('Boulangerie du Port');

    await page.getByLabel('Quantity').fill('25');
    await page.getByRole('button', { name: 'Save and get the receipt' }).click();
    await page.getByRole('heading', { name: 'Receipt' }).waitFor();
    trackingCode = (await page.getByTestId('tracking-code').textContent())!.trim();
    expect(trackingCode).toMatch(/^LL-[A-Z0-9]{8}$/);
    expect(await page.getByRole('img', { name: new RegExp(trackingCode) }).getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await screenshot(page, 'charity-receipt');
    await page.setViewportSize(phone);
    await screenshot(page, 'charity-receipt');
    await page.setViewportSize(desktop);
    await page.getByRole('link', { name: 'Log another donation' }).click();
    await page.getByRole('cell', { name: trackingCode }).waitFor();

    await page.setViewportSize(phone);
    await page.goto(`/charity`);
    await page.getByRole('heading', { name: 'Log a donation' }).waitFor();
    await screenshot(page, 'charity');
    await context.close();
  });

  it('shows anyone the public journey of the donation by its tracking code, without signing in', async () => {
    const context = await openContext(browser, lifeline, phone);
    const page = await context.newPage();
    await page.goto(`/track/${trackingCode}`);
    await page.getByText('Pledged to Port Hercule Store').waitFor();
    expect(await page.getByText('Boulangerie').count()).toBe(0); // the donor's name is not public
    await screenshot(page, 'track');
    await page.setViewportSize(desktop);
    await screenshot(page, 'track');
    await context.close();
  });

  it('lets the coordinator receive the donation into stock, which the tracking page then shows', async () => {
    const context = await openContext(browser, lifeline);
    const page = await signedInPage(context, lifeline, 'coordinator@lifeline.local', '/coordinator/donations');
    const card = page.locator('.card', { hasText: trackingCode });
    await card.getByRole('button', { name: 'Receive' }).click();
    await card.getByLabel('Accepted').fill('20');
    await card.getByLabel('Rejected').fill('5');
    await card.getByRole('button', { name: 'Record receipt' }).click();
    // Rejecting without a reason is refused, next to the reason field, with the numbers kept.
    await card.getByLabel('Why rejected').waitFor();
    await card.locator('.field.has-error').first().waitFor();
    expect(await card.getByLabel('Accepted').inputValue()).toBe('20');
    await card.getByLabel('Why rejected').fill('torn bags');
    await screenshot(page, 'coordinator-receive');
    await card.getByRole('button', { name: 'Record receipt' }).click();
    await page.getByText(`Donation ${trackingCode} received`).waitFor();

    const track = await context.newPage();
    await track.goto(`/track/${trackingCode}`);
    await track.getByText('received at the warehouse').first().waitFor();
    await context.close();
  });

  it('shows the coordinator stock with expiry warnings and the map with needs and zones', async () => {
    for (const viewport of [desktop, phone]) {
      const context = await openContext(browser, lifeline, viewport);
      const page = await signedInPage(context, lifeline, 'coordinator@lifeline.local', '/coordinator/stock');
      await page.getByRole('columnheader', { name: 'Available', exact: true }).waitFor();
      await page.getByText(/lots expire within 7 days/).waitFor();
      await screenshot(page, 'coordinator-stock');
      await page.goto('/coordinator');
      await page.getByText(/Tier 1 \(\d+\)/).waitFor();
      await page.locator('.leaflet-interactive').first().waitFor();
      await screenshot(page, 'coordinator-map');
      for (const [path, name] of [['/coordinator/plans', 'coordinator-plans'], ['/coordinator/board', 'coordinator-board']]) {
        await page.goto(path!);
        await page.locator('main h1').first().waitFor();
        await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached' });
        await screenshot(page, name!);
      }
      await context.close();
    }
  });

  it('lets the coordinator change a zone status and close a road on the map', async () => {
    const context = await openContext(browser, lifeline);
    const page = await signedInPage(context, lifeline, 'coordinator@lifeline.local', '/coordinator');
    const map = page.locator('.map-main .map');
    await page.locator('.leaflet-interactive').first().waitFor();
    await page.getByLabel('Open needs').uncheck();
    const box = (await map.boundingBox())!;
    const at = (lat: number, lon: number) => {
      const p = pixelOf(lat, lon, MAP_CENTRE, MAP_ZOOM, box);
      return { x: box.x + p.x, y: box.y + p.y };
    };

    // La Condamine is "controlled" in the demo: click inside it and put it under precaution.
    const inside = at(43.7355, 7.4205);
    await page.mouse.click(inside.x, inside.y);
    await page.getByRole('heading', { name: 'La Condamine' }).waitFor();
    await page.getByLabel('Status today').selectOption('precaution');
    await page.getByLabel('Note').fill('cases falling');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'La Condamine' }).waitFor({ state: 'detached' });
    const token = await apiToken(lifeline, 'coordinator@lifeline.local');
    const zones = await api<{ name: string; status: string }[]>(lifeline, token, '/zones');
    expect(zones.find((z) => z.name === 'La Condamine')?.status).toBe('precaution');

    // Close the road nearest the middle of the map.
    const roads = await api<{ features: { geometry: { coordinates: [number, number][] } }[] }>(lifeline, token, '/network?layer=drive');
    const [lon, lat] = roads.features
      .flatMap((f) => f.geometry.coordinates)
      .reduce((best, c) => (Math.hypot(c[0] - MAP_CENTRE.lon, c[1] - MAP_CENTRE.lat) < Math.hypot(best[0] - MAP_CENTRE.lon, best[1] - MAP_CENTRE.lat) ? c : best));
    await page.getByRole('button', { name: 'Close a road…' }).click();
    const road = at(lat, lon);
    await page.mouse.click(road.x, road.y);
    await page.getByRole('heading', { name: 'New road closure' }).waitFor();
    await page.getByRole('button', { name: 'Close the road' }).click();
    await page.locator('.field.has-error', { hasText: 'Reason' }).getByText('Required').waitFor();
    await page.getByLabel('Reason').fill('checkpoint on the bridge');
    await page.getByRole('button', { name: 'Close the road' }).click();
    await page.getByRole('button', { name: /checkpoint on the bridge/ }).waitFor();
    await screenshot(page, 'coordinator-map-closure');
    const closures = await api<{ reason: string }[]>(lifeline, token, '/network/closures');
    expect(closures.map((c) => c.reason)).toContain('checkpoint on the bridge');
    await context.close();
  });

  it('lets the coordinator run an allocation plan, review why needs go unmet, exclude an allocation and re-run, approve it and dispatch the routes', async () => {
    const context = await openContext(browser, lifeline);
    const page = await signedInPage(context, lifeline, 'coordinator@lifeline.local', '/coordinator/plans');
    await page.getByLabel('Time limit (seconds)').fill('5');
    await page.getByRole('button', { name: 'Run the plan' }).click();
    await page.waitForURL(/\/coordinator\/plans\/\d+$/);
    await page.getByText('ready for review').waitFor({ timeout: 60_000 });
    await page.getByRole('heading', { name: 'Fill rate by priority tier' }).waitFor();
    await page.getByRole('heading', { name: /Unmet needs \(\d+\)/ }).waitFor();
    await screenshot(page, 'coordinator-plan');

    // Exclude one allocation and re-run: the new plan no longer sends from that warehouse to that need.
    const firstPlanId = Number(/plans\/(\d+)$/.exec(page.url())![1]);
    const row = page.locator('.wide-card tbody tr').first();
    await row.getByRole('button', { name: 'Exclude' }).click();
    const excluded = await lifeline.db.query<{ need_id: number; warehouse_id: number }>('SELECT need_id, warehouse_id FROM plan_allocations WHERE plan_id = $1 ORDER BY id LIMIT 1', [firstPlanId]);
    await page.getByRole('button', { name: 'Re-run with 1 pins/exclusions' }).click();
    await page.waitForURL((url) => url.pathname !== `/coordinator/plans/${firstPlanId}`);
    await page.getByText('ready for review').waitFor({ timeout: 60_000 });
    const secondPlanId = Number(/plans\/(\d+)$/.exec(page.url())![1]);
    const again = await lifeline.db.query('SELECT 1 FROM plan_allocations WHERE plan_id = $1 AND need_id = $2 AND warehouse_id = $3', [secondPlanId, excluded[0]!.need_id, excluded[0]!.warehouse_id]);
    expect(again).toHaveLength(0);

    await page.getByRole('button', { name: 'Approve (reserve the stock)' }).click();
    await page.locator('h1 .badge', { hasText: 'approved' }).waitFor();
    await page.setViewportSize(phone);
    await screenshot(page, 'coordinator-plan');
    await page.setViewportSize(desktop);
    await page.getByRole('button', { name: 'Dispatch to drivers' }).click();
    await page.getByText(/\d+ routes sent to drivers and gate volunteers/).waitFor({ timeout: 60_000 });
    planId = Number(/plans\/(\d+)$/.exec(page.url())![1]);
    await context.close();
  }, 120_000);

  it('lets a driver complete stops, online and offline, each recorded once, or report a failure, while the board updates live; a gate volunteer gets a walking tour', async () => {
    expect(planId, 'this journey continues from the routes the coordinator dispatched above').toBeGreaterThan(0);
    const token = await apiToken(lifeline, 'coordinator@lifeline.local');
    const routes = await api<{ id: number; driverId: number; kind: string; stops: { id: number; kind: string }[] }[]>(lifeline, token, `/routes?planId=${planId}`);
    // A route whose first three stops hand goods over (a collection stop is collected, not delivered).
    const route = routes.find((r) => r.kind === 'vehicle' && r.stops.length >= 3 && !r.stops.slice(0, 3).some((s) => s.kind === 'collection'))!;
    const [driver] = await lifeline.db.query<{ email: string; name: string }>('SELECT u.email, d.name FROM drivers d JOIN users u ON u.id = d.user_id WHERE d.id = $1', [route.driverId]);

    const board = await openContext(browser, lifeline);
    const boardPage = await signedInPage(board, lifeline, 'coordinator@lifeline.local', '/coordinator/board');
    // The board lists the routes summed up; opened, a route shows its stops.
    const card = boardPage.locator(`.route-card[data-route="${route.id}"]`);
    await card.getByText(`0 of ${route.stops.length} stops done`).waitFor();
    await card.getByRole('button', { name: 'Show stops' }).click();
    await card.locator('[data-stop]').first().waitFor();
    expect(await card.locator('[data-stop]').count()).toBe(route.stops.length);
    await boardPage.locator('.live-live').waitFor();

    const phoneContext = await openContext(browser, lifeline, phone);
    await phoneContext.grantPermissions(['geolocation']);
    await phoneContext.setGeolocation({ latitude: 43.7283, longitude: 7.4150 });
    const page = await signedInPage(phoneContext, lifeline, driver!.email, '/driver');
    await page.getByRole('heading', { name: "Today's route" }).waitFor();
    await page.locator('.live-live').waitFor();
    // The phone reports where it is; the board shows the driver there.
    await boardPage.locator('.leaflet-tooltip', { hasText: driver!.name }).waitFor();
    await screenshot(page, 'driver');
    await page.getByRole('button', { name: 'Loaded at the warehouse' }).click();
    await page.getByRole('button', { name: 'Loaded at the warehouse' }).waitFor({ state: 'detached' });

    const deliveredOnce = async (stopId: number) =>
      Number((await lifeline.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM stock_movements WHERE stop_id = $1 AND kind = 'delivered'`, [stopId]))[0]!.n);
    const itemsOf = async (stopId: number) => Number((await lifeline.db.query<{ n: number }>('SELECT count(*)::int AS n FROM stop_items WHERE stop_id = $1', [stopId]))[0]!.n);

    // Online: one tap, and the coordinators' board shows it without a reload.
    const [first, second, third] = route.stops;
    await page.getByRole('button', { name: '✓ Delivered' }).click();
    await boardPage.locator(`[data-stop="${first!.id}"][data-status="delivered"]`).waitFor();
    await page.locator(`li.stop[data-stop="${first!.id}"].stop-delivered`).waitFor();
    expect(await deliveredOnce(first!.id)).toBe(await itemsOf(first!.id));

    // Offline: the delivery waits on the phone, the screen says so, and it syncs once when back online.
    await phoneContext.setOffline(true);
    const tapped = Date.now();
    await page.getByRole('button', { name: '✓ Delivered' }).click();
    await page.getByText('1 waiting to sync').waitFor();
    await page.locator(`li.stop[data-stop="${second!.id}"]`).getByText('waiting to sync').waitFor();
    await screenshot(page, 'driver-offline');
    expect(await deliveredOnce(second!.id)).toBe(0);
    const online = Date.now();
    await phoneContext.setOffline(false);
    await page.getByText('1 waiting to sync').waitFor({ state: 'detached', timeout: 20_000 });
    await boardPage.locator(`[data-stop="${second!.id}"][data-status="delivered"]`).waitFor();
    expect(await deliveredOnce(second!.id)).toBe(await itemsOf(second!.id));
    // Its proof keeps the phone's time of the tap, apart from when the server got it after the sync.
    const [proof] = await lifeline.db.query<{ device_time: Date; received_at: Date; receiver_name: string }>('SELECT device_time, received_at, receiver_name FROM stop_proofs WHERE stop_id = $1', [second!.id]);
    expect(proof!.receiver_name).toEqual(expect.any(String));
    expect(proof!.device_time.getTime()).toBeGreaterThanOrEqual(tapped);
    expect(proof!.device_time.getTime()).toBeLessThanOrEqual(online);
    expect(proof!.received_at.getTime()).toBeGreaterThanOrEqual(online);

    // The server records the delivery and stops before storing its answer: the phone's retry is told it
    // was carried out, and the delivery is recorded once.
    let dropped = false;
    await page.route('**/api/stops/*/status', async (intercepted) => {
      if (dropped) return intercepted.continue();
      dropped = true;
      await intercepted.fetch();
      const key = intercepted.request().headers()['idempotency-key'];
      await lifeline.db.query(`UPDATE idempotent_replies SET status = NULL, body = NULL, claimed_at = now() - interval '1 hour' WHERE key = $1`, [key]);
      await intercepted.abort('connectionreset');
    });
    await page.getByRole('button', { name: '✓ Delivered' }).click();
    await page.getByText('1 waiting to sync').waitFor();
    // The phone lists the action as waiting from the tap on, before its request is answered: wait for the
    // server to have recorded it (the answer is then lost), and the action is still waiting on the phone.
    await expect.poll(() => deliveredOnce(third!.id), { timeout: 20_000 }).toBe(await itemsOf(third!.id));
    await page.getByText('1 waiting to sync').waitFor();
    await page.getByText('1 waiting to sync').click();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByText('1 waiting to sync').waitFor({ state: 'detached' });
    expect(await deliveredOnce(third!.id)).toBe(await itemsOf(third!.id));
    await boardPage.locator(`[data-stop="${third!.id}"][data-status="delivered"]`).waitFor();
    await screenshot(boardPage, 'coordinator-board');

    // A failed delivery needs its reason, and the board shows it.
    const fourth = route.stops[3]!;
    await page.getByRole('button', { name: '✗ Could not deliver' }).click();
    expect(await page.getByRole('button', { name: 'Report' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Nobody home' }).click();
    await page.getByRole('button', { name: 'Report' }).click();
    await boardPage.locator(`[data-stop="${fourth.id}"][data-status="failed"]`).waitFor();
    await card.getByText(`4 of ${route.stops.length} stops done · 1 failed`).waitFor();
    const [failed] = await lifeline.db.query<{ status: string; reason: string }>('SELECT status, reason FROM stops WHERE id = $1', [fourth.id]);
    expect(failed).toEqual({ status: 'failed', reason: 'nobody_home' });
    // The board acknowledged what it handled, once for the burst, up to the failed stop's event.
    const [seen] = await lifeline.db.query<{ user_id: number; seq: number }>(
      `SELECT u.id AS user_id, max(e.seq)::int AS seq FROM users u JOIN live_events e ON e.recipients @> ARRAY[u.id] AND e.type = 'stop:updated'
       WHERE u.email = 'coordinator@lifeline.local' GROUP BY u.id`,
    );
    await expect
      .poll(async () => (await lifeline.db.query<{ acked_seq: number }>('SELECT acked_seq FROM live_recipients WHERE user_id = $1', [seen!.user_id]))[0]?.acked_seq, { timeout: 5000 })
      .toBeGreaterThanOrEqual(seen!.seq);
    // The board filtered on the server to the routes with a failed stop: this one alone, counted.
    await boardPage.getByLabel('only with a failed stop').check();
    await boardPage.locator('.board-count', { hasText: /^1 of 1 routes$/ }).waitFor();
    expect(await boardPage.locator('.route-card').count()).toBe(1);
    await card.waitFor();
    await boardPage.getByLabel('only with a failed stop').uncheck();
    await boardPage.locator('.route-card').nth(1).waitFor();

    // The dashboard counts what was delivered.
    await boardPage.goto('/coordinator/dashboard');
    await boardPage.getByRole('heading', { name: 'Delivered so far, by tier' }).waitFor();
    const delivered = await boardPage.locator('.figure-chip', { hasText: 'Items delivered' }).locator('strong').textContent();
    expect(Number(delivered)).toBeGreaterThan(0);
    await screenshot(boardPage, 'coordinator-dashboard');
    await boardPage.setViewportSize(phone);
    await screenshot(boardPage, 'coordinator-dashboard');

    await page.getByRole('tab', { name: 'Map' }).click();
    await page.locator('.route-map-pane .leaflet-interactive').first().waitFor();
    await screenshot(page, 'driver-map');
    await page.setViewportSize(desktop);
    await screenshot(page, 'driver');
    await board.close();
    await phoneContext.close();

    // A gate volunteer gets the walking tour from the gate to the doors.
    const walking = routes.find((r) => r.kind === 'walking');
    expect(walking, 'the demo seals a zone, so dispatch makes walking tours').toBeDefined();
    const [volunteer] = await lifeline.db.query<{ email: string }>('SELECT u.email FROM drivers d JOIN users u ON u.id = d.user_id WHERE d.id = $1', [walking!.driverId]);
    const volunteerContext = await openContext(browser, lifeline, phone);
    const tour = await signedInPage(volunteerContext, lifeline, volunteer!.email, '/driver');
    await tour.getByRole('heading', { name: "Today's walking tour" }).waitFor();
    await tour.getByText('Door delivery').first().waitFor();
    await screenshot(tour, 'gate-volunteer');
    await volunteerContext.close();
  }, 90_000);

  it('lets a community worker edit the need sheet while a colleague sees the change live, keeps their entry when the colleague saved first, and shows where each household value came from', async () => {
    const worker = await openContext(browser, lifeline);
    const colleague = await openContext(browser, lifeline);
    const a = await signedInPage(worker, lifeline, 'community@lifeline.local', '/community');
    const b = await signedInPage(colleague, lifeline, 'coordinator@lifeline.local', '/community');
    for (const page of [a, b]) {
      await page.getByLabel('Community').selectOption('Fontvieille');
      await page.locator('tr[data-need]').first().waitFor();
      await page.locator('.live-live').waitFor();
    }
    const needId = await a.locator('tr[data-need]').first().getAttribute('data-need');
    const quantity = a.locator(`tr[data-need="${needId}"]`).getByLabel('Quantity');
    const before = Number(await quantity.inputValue());

    // Validation as you type: a bad number is flagged at once and not sent.
    await quantity.fill('0');
    await a.locator(`tr[data-need="${needId}"] .cell-error`).getByText('At least 1').waitFor();
    await quantity.fill(String(before + 7));
    await quantity.press('Enter');

    const seen = b.locator(`tr[data-need="${needId}"]`).getByLabel('Quantity');
    await expect.poll(() => seen.inputValue(), { timeout: 10_000 }).toBe(String(before + 7));
    await b.locator(`tr[data-need="${needId}"].flash`).waitFor();

    // Both edit the same cell: the colleague saves first, so the worker is told and keeps what they typed.
    await quantity.fill(String(before + 1));
    await seen.fill(String(before + 2));
    await seen.press('Enter');
    await expect.poll(() => lifeline.db.query<{ quantity: number }>('SELECT quantity FROM needs WHERE id = $1', [Number(needId)]).then((r) => r[0]!.quantity)).toBe(before + 2);
    await quantity.press('Enter');
    await a.getByText('A colleague changed this row first').waitFor();
    expect(await quantity.inputValue()).toBe(String(before + 1));
    await screenshot(a, 'community-sheet-conflict');
    await quantity.focus();
    await quantity.press('Enter');
    await a.getByText('A colleague changed this row first').waitFor({ state: 'detached' });
    await expect.poll(() => seen.inputValue(), { timeout: 10_000 }).toBe(String(before + 1));

    // Correcting the household by hand shows in its history, beside where each value came from.
    const phoneCell = a.locator(`tr[data-need="${needId}"]`).getByLabel('Phone');
    await phoneCell.fill('12');
    await a.locator(`tr[data-need="${needId}"] .cell-error`).getByText('A phone number').waitFor();
    await phoneCell.fill('+377 93 15 28 00');
    await phoneCell.press('Enter');
    await a.locator(`tr[data-need="${needId}"]`).getByRole('button', { name: 'History' }).click();
    const history = a.locator('.history-table');
    await history.getByRole('cell', { name: '+377 93 15 28 00' }).waitFor();
    await history.getByRole('cell', { name: 'demo survey' }).first().waitFor();
    await screenshot(a, 'community-sheet');
    await a.setViewportSize(phone);
    await screenshot(a, 'community-sheet');
    await worker.close();
    await colleague.close();
  });

  it('refuses a CSV with a bad row, names it by its line, then imports the fixed file', async () => {
    const context = await openContext(browser, lifeline);
    const page = await signedInPage(context, lifeline, 'community@lifeline.local', '/community/import');
    const csv = [
      'name,address,lat,lon,people,community,commodity,quantity,elderly_alone',
      'Imported household,4 Rue Grimaldi,43.7335,7.4195,2,La Condamine,RICE-5KG,2,yes',
      'Broken row,x,not-a-number,7.42,0,La Condamine,RICE-5KG,1,maybe',
    ].join('\n');
    await page.getByLabel('or paste the CSV here').fill(csv);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText('Nothing was imported: fix the 1 line(s) below and import the file again.').waitFor();
    const bad = page.locator('.import-report tr.row-error');
    expect(await bad.locator('td').first().textContent()).toBe('3');
    await bad.getByText('Enter a number').waitFor();
    await screenshot(page, 'community-import');
    await page.setViewportSize(phone);
    await screenshot(page, 'community-import');
    await page.getByLabel('or paste the CSV here').fill(csv.split('\n').slice(0, 2).join('\n'));
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText('1 rows: 1 new, 0 merged with existing needs, 0 with errors.').waitFor();
    await context.close();
  });

  it('lets the admin add a community worker and tie them to one community, which the API then enforces', async () => {
    const context = await openContext(browser, lifeline);
    const page = await signedInPage(context, lifeline, 'admin@lifeline.local', '/admin/users');
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'New user' }) });
    await form.getByLabel('Email').fill('fontvieille@lifeline.local');
    await form.getByLabel('Name').fill('Fanny Fontvieille');
    await form.getByLabel('Role').selectOption('community');
    await form.getByLabel('Password').fill('short');
    await form.getByRole('button', { name: 'Create the user' }).click();
    // The server's complaint shows next to the password, and what was typed stays.
    await form.locator('.field.has-error', { hasText: 'Password' }).waitFor();
    expect(await form.getByLabel('Email').inputValue()).toBe('fontvieille@lifeline.local');
    await form.getByLabel('Password').fill(DEMO_PASSWORD);
    await form.getByRole('button', { name: 'Create the user' }).click();
    const row = page.locator('tr', { hasText: 'Fanny Fontvieille' });
    await row.waitFor();
    await row.getByRole('textbox').fill('Fontvieille');
    await row.getByRole('button', { name: 'Save: Fanny Fontvieille' }).click();
    await row.getByText('Saved.').waitFor();
    await screenshot(page, 'admin-users');
    const token = await apiToken(lifeline, 'fontvieille@lifeline.local');
    const needs = await api<{ items: { household: { community: string } }[] }>(lifeline, token, '/needs?limit=200');
    expect(needs.items.length).toBeGreaterThan(0);
    expect(new Set(needs.items.map((n) => n.household.community))).toEqual(new Set(['Fontvieille']));
    await context.close();
  });

  it("reloads the driver's route when the phone comes back after events it missed were pruned", async () => {
    const context = await openContext(browser, lifeline, phone);
    const page = await signedInPage(context, lifeline, 'driver2@lifeline.local', '/driver');
    await page.getByRole('heading', { name: "Today's route" }).waitFor();
    await page.locator('.live-live').waitFor();
    const [driver] = await lifeline.db.query<{ id: number }>(`SELECT id FROM users WHERE email = 'driver2@lifeline.local'`);
    // Events after the phone's last number were dropped meanwhile (it stayed away longer than they are kept).
    await lifeline.db.query('UPDATE live_pruned SET through = (SELECT last_seq FROM live_stream) + 1');
    const reloaded = page.waitForRequest((r) => r.url().endsWith('/api/me/route'));
    lifeline.dropLive(driver!.id);
    await reloaded;
    await page.locator('.live-live').waitFor();
    await lifeline.db.query('UPDATE live_pruned SET through = 0');
    await context.close();
  });

  it('switches the interface to Chinese and remembers it after a reload', async () => {
    const context = await openContext(browser, lifeline, phone);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('button', { name: '登录' }).waitFor();
    await screenshot(page, 'sign-in-zh');
    await page.reload();
    await page.getByRole('button', { name: '登录' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'sign-in');
    await page.setViewportSize(desktop);
    await screenshot(page, 'sign-in');
    await context.close();
  });

});
