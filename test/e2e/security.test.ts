// Hostile text typed into Lifeline (names, reasons) stays text in every page that shows it, on maps'
// tooltips too, under the server's Content-Security-Policy; and a CSV export defuses formulas in it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { ensureClientBuilt, hasChromium, launchChromium, MAP_CENTRE, MAP_ZOOM, openContext, pixelOf, signIn, startLifeline, apiToken, type Lifeline } from './harness.ts';
import { solving } from '../../server/plans/plans.service.ts';

/** Sets window.__xss if it ever runs as HTML; it starts with = so that a spreadsheet would run it as a formula too. */
const HOSTILE = `=1+<img src=x onerror="window.__xss=1">`;
const named = (what: string) => `${HOSTILE} ${what}`;

/** A spot in the map's first view, out at sea, with nothing of the demo's near it. */
const SPOT = { lat: MAP_CENTRE.lat - 0.0039, lon: MAP_CENTRE.lon + 0.0135 };
const square = (c: { lat: number; lon: number }, d: number) => [[
  [c.lon - d, c.lat - d], [c.lon + d, c.lat - d], [c.lon + d, c.lat + d], [c.lon - d, c.lat + d], [c.lon - d, c.lat - d],
]];

if (!hasChromium) console.warn('Skipping the browser tests: /usr/bin/chromium is missing (apt-get install chromium).');

describe.skipIf(!hasChromium)('hostile text in the web app', () => {
  let lifeline: Lifeline;
  let browser: Browser;
  let token: string;
  const call = async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${lifeline.url}/api${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const answer = await res.json();
    expect(res.status, JSON.stringify(answer)).toBeLessThan(300);
    return answer as T;
  };
  let stops: { routeId: number; householdId: number | null; lat: number; lon: number }[];

  beforeAll(async () => {
    [lifeline, browser] = await Promise.all([startLifeline(), launchChromium(), ensureClientBuilt()]).then(([l, b]) => [l, b] as const);
    token = await apiToken(lifeline, 'coordinator@lifeline.local');
    // Routes on the board (one household on them is renamed by the board's test).
    const plan = await call<{ id: number }>('POST', '/plans', {});
    await solving.get(plan.id);
    await call('POST', `/plans/${plan.id}/approve`);
    const { routes } = await call<{ routes: { id: number; kind: string; stops: { householdId: number | null; lat: number; lon: number }[] }[] }>('POST', `/plans/${plan.id}/dispatch`, { timeLimitMs: 1000 });
    stops = routes.flatMap((r) => r.stops.map((s) => ({ ...s, routeId: r.id })));
    // Everything else a coordinator's map shows that people type.
    const rice = (await call<{ items: { id: number }[] }>('GET', '/commodities')).items[0]!;
    await call('POST', '/needs', { household: { name: named('Household'), address: '1 Rue Grimaldi', lat: SPOT.lat, lon: SPOT.lon, people: 2, community: 'Fontvieille' }, commodityId: rice.id, quantity: 1 });
    await call('POST', '/zones', { name: named('Zone'), status: 'controlled', polygon: { type: 'Polygon', coordinates: square(SPOT, 0.001) }, gates: [{ name: named('Gate'), lat: SPOT.lat + 0.001, lon: SPOT.lon + 0.001 }] });
    await call('POST', '/warehouses', { name: named('Warehouse'), address: '2 Quai', lat: SPOT.lat, lon: SPOT.lon + 0.004, capacityWeightKg: 100, capacityVolumeM3: 1 });
    const roads = await call<{ features: { geometry: { coordinates: [number, number][] } }[] }>('GET', '/network?layer=drive');
    const distance = ([lon, lat]: [number, number]) => Math.hypot(lon - MAP_CENTRE.lon - 0.003, lat - MAP_CENTRE.lat);
    const [lon, lat] = roads.features.flatMap((f) => f.geometry.coordinates).reduce((best, c) => (distance(c) < distance(best) ? c : best));
    await call('POST', '/network/closures', { lat, lon, reason: named('Closure') });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await lifeline?.close();
  });

  /** A coordinator's page that records every CSP violation and console error. */
  async function coordinatorPage(): Promise<{ page: Page; problems: string[] }> {
    const context = await openContext(browser, lifeline);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text()) && problems.push(m.text()));
    await page.exposeFunction('reportViolation', (v: string) => problems.push(v));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { reportViolation(v: string): void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await signIn(page, 'coordinator@lifeline.local');
    // The session is an httpOnly cookie: nothing a script in the page could read or send elsewhere.
    expect(await page.evaluate(() => [document.cookie, Object.keys(localStorage).filter((k) => /token/i.test(k))])).toEqual(['', []]);
    expect((await context.cookies()).find((c) => c.name === 'lifeline_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    return { page, problems };
  }

  /** Hovers a place on the map and returns the text of the tooltip that opens there, the one holding `text`. */
  async function tooltipAt(page: Page, lat: number, lon: number, text: string): Promise<string> {
    const box = (await page.locator('.map-main .map').boundingBox())!;
    const p = pixelOf(lat, lon, MAP_CENTRE, MAP_ZOOM, box);
    // A tooltip stays open until the pointer leaves its layer; the canvas heeds one move per 32 ms.
    await page.mouse.move(box.x + 5, box.y + 5);
    await page.waitForTimeout(50);
    await page.mouse.move(box.x + p.x, box.y + p.y);
    await page.waitForTimeout(50);
    await page.mouse.move(box.x + p.x + 1, box.y + p.y);
    const tooltip = page.locator('.leaflet-tooltip', { hasText: text });
    await tooltip.waitFor();
    return (await tooltip.textContent()) ?? '';
  }

  const xss = (page: Page) => page.evaluate(() => (window as unknown as { __xss?: number }).__xss);

  it('shows names, gates and closure reasons as text in the coordinator map’s tooltips', async () => {
    const { page, problems } = await coordinatorPage();
    await page.goto('/coordinator');
    await page.locator('.leaflet-interactive').first().waitFor();
    // Only the hostile records: hide the layers the other checks do not need, one at a time.
    await page.getByLabel('Zones').uncheck();
    await page.getByLabel('Warehouses').uncheck();
    await page.getByLabel('Road closures').uncheck();
    expect(await tooltipAt(page, SPOT.lat, SPOT.lon, 'Household')).toBe(`${named('Household')} · Tier 3 · 0%`);

    await page.getByLabel('Open needs').uncheck();
    await page.getByLabel('Zones').check();
    expect(await tooltipAt(page, SPOT.lat + 0.001, SPOT.lon + 0.001, 'Gate')).toBe(`Gate: ${named('Gate')}`);
    expect(await tooltipAt(page, SPOT.lat - 0.0005, SPOT.lon - 0.0005, 'Zone')).toBe(`${named('Zone')}: controlled`);

    await page.getByLabel('Warehouses').check();
    await page.getByLabel('Road closures').check();
    await page.getByTitle(named('Warehouse')).hover();
    expect(await page.locator('.leaflet-tooltip', { hasText: 'Warehouse' }).textContent()).toBe(named('Warehouse'));
    await page.getByTitle(named('Closure')).hover();
    expect(await page.locator('.leaflet-tooltip', { hasText: 'Closure' }).textContent()).toBe(named('Closure'));

    expect(await page.locator('.map-main img[src="x"]').count()).toBe(0);
    expect(await xss(page)).toBeUndefined();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows a recipient’s name as text in the board’s tooltip', async () => {
    const { page, problems } = await coordinatorPage();
    await page.goto('/coordinator/board');
    await page.getByText('Driver 1').first().waitFor();
    // The household stop in view that stands farthest from any other stop, so that hovering it hits only it.
    const box = (await page.locator('.map-main .map').boundingBox())!;
    const at = (s: { lat: number; lon: number }) => pixelOf(s.lat, s.lon, MAP_CENTRE, MAP_ZOOM, box);
    const room = (s: (typeof stops)[number]) => Math.min(...stops.filter((o) => o !== s).map((o) => Math.hypot(at(o).x - at(s).x, at(o).y - at(s).y)));
    const inView = stops.filter((s) => s.householdId && at(s).x > 20 && at(s).x < box.width - 20 && at(s).y > 20 && at(s).y < box.height - 20);
    const stop = inView.reduce((best, s) => (room(s) > room(best) ? s : best));
    const household = await call<{ version: number }>('GET', `/households/${stop.householdId}`);
    await call('PATCH', `/households/${stop.householdId}`, { name: named('Recipient'), version: household.version });
    await page.reload();
    await page.getByText('Driver 1').first().waitFor();
    // The board draws the stops of the routes opened on it.
    const card = page.locator(`li.route-card[data-route="${stop.routeId}"]`);
    await card.getByRole('button', { name: 'Show stops' }).click();
    await card.locator('.stop-dots li').first().waitFor();
    await page.waitForTimeout(300);
    expect(await tooltipAt(page, stop.lat, stop.lon, 'Recipient')).toContain(`. ${named('Recipient')} · to do`);
    expect(await page.locator('.map-main img[src="x"]').count()).toBe(0);
    expect(await xss(page)).toBeUndefined();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows a household’s name as text on the need sheet, and exports it defused for spreadsheets', async () => {
    const { page, problems } = await coordinatorPage();
    await page.goto('/community');
    await page.getByLabel('Community').selectOption('Fontvieille');
    await page.locator('tr[data-need]').first().waitFor();
    await page.getByRole('searchbox').fill(named('Household'));
    await expect.poll(() => page.locator('tr[data-need]').getByLabel('Name').inputValue()).toBe(named('Household'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    // Quoted (it holds quotes), and inside the quotes an apostrophe before the =.
    expect(csv).toContain(`"'${named('Household').replaceAll('"', '""')}"`);
    expect(await xss(page)).toBeUndefined();
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
