// The resident's page on a phone, in Chinese and English, following a delivery as it happens; and the
// community worker's printable slips.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { solving } from '../../server/plans/plans.service.ts';
import { apiToken, ensureClientBuilt, hasChromium, launchChromium, openContext, phone, signedInPage, startLifeline, type Lifeline } from './harness.ts';

type Route = { id: number; driverId: number; kind: string; stops: { id: number; kind: string; householdId: number | null }[] };

describe.skipIf(!hasChromium)('the resident page', () => {
  let lifeline: Lifeline;
  let browser: Browser;
  let coordinator: string;
  let driver: string;
  let stopId: number;
  let code: string;
  let household: string;

  const call = async <T,>(token: string, method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${lifeline.url}/api${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  };

  /** Fails the test on any CSP violation or script error the page reports (not the app's sign-in check, 401, or a revoked code, 404). */
  const watch = (page: Page, problems: string[]) => {
    page.on('console', (m) => m.type() === 'error' && !/status of (401|404)/.test(m.text()) && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
  };

  beforeAll(async () => {
    [lifeline, browser] = await Promise.all([startLifeline(), launchChromium(), ensureClientBuilt()]).then(([l, b]) => [l, b] as const);
    coordinator = await apiToken(lifeline, 'coordinator@lifeline.local');
    const plan = await call<{ id: number }>(coordinator, 'POST', '/plans', {});
    await solving.get(plan.id);
    await call(coordinator, 'POST', `/plans/${plan.id}/approve`);
    const { routes } = await call<{ routes: Route[] }>(coordinator, 'POST', `/plans/${plan.id}/dispatch`, { timeLimitMs: 1000 });
    const route = routes.find((r) => r.kind === 'vehicle' && r.stops.some((s) => s.kind === 'delivery'))!;
    const stop = route.stops.find((s) => s.kind === 'delivery')!;
    stopId = stop.id;
    const [owner] = await lifeline.db.query<{ email: string }>('SELECT u.email FROM drivers d JOIN users u ON u.id = d.user_id WHERE d.id = $1', [route.driverId]);
    driver = await apiToken(lifeline, owner!.email);
    await call(driver, 'POST', `/routes/${route.id}/pickup`);
    household = (await lifeline.db.query<{ name: string }>('SELECT name FROM households WHERE id = $1', [stop.householdId]))[0]!.name;
    code = (await call<{ code: string }>(coordinator, 'POST', `/households/${stop.householdId}/access`)).code;
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await lifeline?.close();
  });

  it('opens in Chinese on a Chinese phone, with each request’s status in plain words', async () => {
    const context = await browser.newContext({ baseURL: lifeline.url, viewport: phone, locale: 'zh-CN', timezoneId: 'Europe/Monaco' });
    const page = await context.newPage();
    const problems: string[] = [];
    watch(page, problems);
    await page.goto(`/h/${code}`);
    await page.getByRole('heading', { name: household }).waitFor();
    await page.getByRole('heading', { name: '进行中的需求' }).waitFor();
    await page.getByText(/^配送中：车辆已出发，预计 \d\d:\d\d–\d\d:\d\d 送到您家门口。$/).first().waitFor();
    await page.screenshot({ path: '/tmp/residents-zh.png', fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('follows the delivery in English on a phone, updating itself while open, and switches language', async () => {
    const context = await openContext(browser, lifeline, phone);
    const page = await context.newPage();
    const problems: string[] = [];
    watch(page, problems);
    await page.clock.install();
    await page.goto(`/h/${code}`);
    await page.getByRole('heading', { name: 'Open requests' }).waitFor();
    await page.getByText(/^On its way: the vehicle has left and is expected at your door \d\d:\d\d–\d\d:\d\d\.$/).first().waitFor();
    await page.screenshot({ path: '/tmp/residents-en.png', fullPage: true });

    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '进行中的需求' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Open requests' }).waitFor();

    await call(driver, 'POST', `/stops/${stopId}/status`, { status: 'delivered' });
    await page.clock.fastForward('00:31');
    await page.getByRole('heading', { name: 'Past requests' }).waitFor();
    await page.getByText('Delivered.').first().waitFor();
    await page.screenshot({ path: '/tmp/residents-en-delivered.png', fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('tells a resident with a revoked link, in their language, to ask for a new slip', async () => {
    const [{ id }] = (await lifeline.db.query<{ id: number }>('SELECT household_id AS id FROM household_access WHERE revoked_at IS NULL LIMIT 1')) as [{ id: number }];
    await call(coordinator, 'DELETE', `/households/${id}/access`);
    const context = await openContext(browser, lifeline, phone);
    const page = await context.newPage();
    await page.goto(`/h/${code}`);
    await page.getByRole('alert').filter({ hasText: 'This link is not valid (any more). Ask your community worker for a new slip.' }).waitFor();
    await page.screenshot({ path: '/tmp/residents-revoked.png' });
    await context.close();
  });

  it('prints slips for a community: one per household, with its name, link and QR code, in the household’s language', async () => {
    const context = await openContext(browser, lifeline);
    const page = await signedInPage(context, lifeline, 'community@lifeline.local', '/community/slips');
    const problems: string[] = [];
    watch(page, problems);
    const [{ community, households }] = (await lifeline.db.query<{ community: string; households: number }>(
      'SELECT community, count(*)::int AS households FROM households GROUP BY community ORDER BY community LIMIT 1',
    )) as [{ community: string; households: number }];
    await page.getByLabel('Community').fill(community);
    await page.getByLabel('Language of the slips').selectOption('zh');
    await page.getByRole('button', { name: 'Issue codes' }).click();
    await page.locator('.slip img').first().waitFor();
    expect(await page.locator('.slip').count()).toBe(households);
    await page.locator('.slip').first().getByText(/^扫描二维码或打开链接/).waitFor();
    const link = await page.locator('.slip .slip-url').first().textContent();
    expect(link).toMatch(new RegExp(`^${lifeline.url}/h/[0-9A-HJKMNP-TV-Z]{16}$`));
    await page.screenshot({ path: '/tmp/residents-slips.png' });
    // The printed link opens that household's page.
    const resident = await context.newPage();
    await resident.goto(link!);
    await resident.getByText(/Open requests|Past requests|No open requests/).first().waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
