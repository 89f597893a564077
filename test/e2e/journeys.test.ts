// Each role's main journey through the web app in headless Chromium, on the seeded demo, with
// screenshots of the main pages at desktop and phone size (test-results/screenshots/).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, apiToken, desktop, ensureClientBuilt, hasChromium, launchChromium, openContext, phone, screenshot, signedInPage, signIn, startLifeline, type Lifeline } from './harness.ts';

if (!hasChromium) console.warn('Skipping the browser tests: /usr/bin/chromium is missing (apt-get install chromium).');

describe.skipIf(!hasChromium)('the web app', () => {
  let lifeline: Lifeline;
  let browser: Browser;
  let trackingCode = '';

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
    await expect(page.getByRole('heading', { name: 'Log a donation' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'charity');

    await page.getByLabel('Warehouse').selectOption({ label: 'Port Hercule Store' });
    await page.getByLabel('Donor', { exact: true }).fill('Boulangerie du Port');
    await page.getByLabel('Item').selectOption({ label: 'Rice (5 kg bag)' });
    await page.getByLabel('Quantity').fill('0');
    await page.getByRole('button', { name: 'Save and get the receipt' }).click();
    // The server's complaint shows next to the quantity, and nothing typed is lost.
    await page.locator('.field.has-error', { hasText: 'Quantity' }).getByText('At least 1').waitFor();
    expect(await page.getByLabel('Donor', { exact: true }).inputValue()).toBe('Boulangerie du Port');

    await page.getByLabel('Quantity').fill('25');
    await page.getByRole('button', { name: 'Save and get the receipt' }).click();
    await page.getByRole('heading', { name: 'Receipt' }).waitFor();
    trackingCode = (await page.getByTestId('tracking-code').textContent())!.trim();
    expect(trackingCode).toMatch(/^LL-[A-Z0-9]{8}$/);
    expect(await page.getByRole('img', { name: new RegExp(trackingCode) }).getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await screenshot(page, 'charity-receipt');
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
      await page.getByRole('columnheader', { name: 'Available' }).waitFor();
      await page.getByText(/lots expire within 3 days/).waitFor();
      await screenshot(page, 'coordinator-stock');
      await page.goto('/coordinator');
      await page.getByText(/Tier 1 \(\d+\)/).waitFor();
      await page.locator('.leaflet-interactive').first().waitFor();
      await screenshot(page, 'coordinator-map');
      for (const [path, name] of [['/coordinator/plans', 'coordinator-plans'], ['/coordinator/board', 'coordinator-board'], ['/coordinator/dashboard', 'coordinator-dashboard']]) {
        await page.goto(path!);
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        await screenshot(page, name!);
      }
      await context.close();
    }
  });

  it('lets a community worker edit the need sheet while a colleague sees the change live', async () => {
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
    await screenshot(a, 'community-sheet');
    await a.setViewportSize(phone);
    await screenshot(a, 'community-sheet');
    await worker.close();
    await colleague.close();
  });

  it('imports needs from CSV and reports the bad row by its line', async () => {
    const context = await openContext(browser, lifeline);
    const page = await signedInPage(context, lifeline, 'community@lifeline.local', '/community/import');
    const csv = [
      'name,address,lat,lon,people,community,commodity,quantity,elderly_alone',
      'Imported household,4 Rue Grimaldi,43.7335,7.4195,2,La Condamine,RICE-5KG,2,yes',
      'Broken row,x,not-a-number,7.42,0,La Condamine,RICE-5KG,1,maybe',
    ].join('\n');
    await page.getByLabel('or paste the CSV here').fill(csv);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText('2 rows: 1 new, 0 merged with existing needs, 1 with errors.').waitFor();
    const bad = page.locator('.import-report tr.row-error');
    expect(await bad.locator('td').first().textContent()).toBe('3');
    await bad.getByText('Enter a number').waitFor();
    await screenshot(page, 'community-import');
    await page.setViewportSize(phone);
    await screenshot(page, 'community-import');
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

  it('shows a driver their route page', async () => {
    const token = await apiToken(lifeline, 'driver1@lifeline.local');
    expect((await api<{ role: string }>(lifeline, token, '/auth/me')).role).toBe('driver');
    for (const viewport of [phone, desktop]) {
      const context = await openContext(browser, lifeline, viewport);
      const page: Page = await signedInPage(context, lifeline, 'driver1@lifeline.local', '/driver');
      await page.locator('main h1, .not-yet').first().waitFor();
      await screenshot(page, 'driver');
      await context.close();
    }
  });
});
