// The coordinator's reports page and handover sheets in the browser: the report's CSV and PDF downloaded from the
// page carry the same figures as the JSON and the stock ledger; a handover sheet printed from the plan page is
// rendered (pdftoppm), its QR code decoded, and the decoded address opened on a phone with no account records
// the delivery, which the stop then shows with the receiver's name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { parse } from 'csv-parse/sync';
import type { Browser, Download } from 'playwright-core';
import { solving } from '../../server/plans/plans.service.ts';
import type { DeliveriesReport } from '../../server/reports/reports.schema.ts';
import { apiToken, call, ensureClientBuilt, hasChromium, launchChromium, openContext, phone, screenshot, signedInPage, startLifeline, type Lifeline } from './harness.ts';

type Route = { id: number; planId: number; driverId: number; kind: string; gateId: number | null; stops: { id: number; kind: string; status: string; gateId?: number | null; proof?: { receiverName: string } | null }[] };

const hasPoppler = existsSync('/usr/bin/pdftoppm') && existsSync('/usr/bin/pdftotext');

const driverEmail = async (lifeline: Lifeline, driverId: number) =>
  (await lifeline.db.query<{ email: string }>('SELECT u.email FROM drivers d JOIN users u ON u.id = d.user_id WHERE d.id = $1', [driverId]))[0]!.email;

/** A UTC day `days` from today, YYYY-MM-DD (the test server's time zone is the machine's). */
const utcDay = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A page pdftoppm rendered in grey (PGM: a text header, then one byte per pixel). */
interface Grey {
  width: number;
  height: number;
  pixels: Uint8Array;
}

function readPgm(file: string): Grey {
  const bytes = readFileSync(file);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(bytes.subarray(0, 64).toString('latin1'))!;
  return { width: Number(header[1]), height: Number(header[2]), pixels: bytes.subarray(header[0].length) };
}

/** A rectangle of a grey page as jsQR takes it: RGBA bytes, row after row. */
function crop(page: Grey, left: number, top: number, width: number, height: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = page.pixels[(top + y) * page.width + left + x]!;
      out.set([v, v, v, 255], (y * width + x) * 4);
    }
  }
  return out;
}

/** Every QR code on every page of a PDF, rendered at 200 dpi: what a phone camera would read, top to bottom. */
function qrCodesOf(pdfPath: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'sheet-'));
  execFileSync('/usr/bin/pdftoppm', ['-r', '200', '-gray', pdfPath, join(dir, 'page')]);
  const found: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.pgm')).sort()) {
    const page = readPgm(join(dir, file));
    // jsQR reads one code per image, and the codes (74 pt) stand in the right-hand column, one per stop (88 pt
    // apart): look at that column through a window one code high, sliding 6 pt at a time.
    const px = (pt: number) => Math.round((pt / 72) * 200);
    const [left, height] = [Math.round(page.width * 0.6), px(84)];
    for (let top = 0; top + height <= page.height; top += px(6)) {
      const code = jsQR.default(crop(page, left, top, page.width - left, height), page.width - left, height);
      if (code && !found.includes(code.data)) found.push(code.data);
    }
  }
  return found;
}

describe.skipIf(!hasChromium)('the reports page and handover sheets in the web app', () => {
  let lifeline: Lifeline;
  let browser: Browser;
  let coordinator: string;
  let planId: number;
  let walk: Route;

  beforeAll(async () => {
    [lifeline, browser] = await Promise.all([startLifeline(), launchChromium(), ensureClientBuilt()]).then(([l, b]) => [l, b] as const);
    coordinator = await apiToken(lifeline, 'coordinator@lifeline.local');
    const plan = await call<{ id: number }>(lifeline, coordinator, 'POST', '/plans', {});
    planId = plan.id;
    await solving.get(plan.id);
    await call(lifeline, coordinator, 'POST', `/plans/${plan.id}/approve`);
    const routes = (await call<{ routes: Route[] }>(lifeline, coordinator, 'POST', `/plans/${plan.id}/dispatch`, { timeLimitMs: 1000 })).routes;
    // A van delivers its first doors, so the report has figures; the van feeding the walk's first door brings its goods to the gate.
    walk = routes.find((r) => r.kind === 'walking' && r.stops.length > 0)!;
    const [feeder] = await lifeline.db.query<{ route_id: number }>(
      `SELECT s.route_id FROM stops s JOIN stop_items si ON si.stop_id = s.id
       WHERE s.kind = 'gate' AND (si.need_id, si.lot_id) IN (SELECT need_id, lot_id FROM stop_items WHERE stop_id = $1) LIMIT 1`,
      [walk.stops[0]!.id],
    );
    const toGate = routes.find((r) => r.id === feeder!.route_id)!;
    const toDoors = routes.find((r) => r.kind === 'vehicle' && r.stops.some((s) => s.kind === 'delivery'))!;
    for (const van of new Set([toGate, toDoors])) {
      const driver = await apiToken(lifeline, await driverEmail(lifeline, van.driverId));
      await call(lifeline, driver, 'POST', `/routes/${van.id}/pickup`);
      const stops = van === toGate ? van.stops.filter((s) => s.kind === 'gate') : [];
      if (van === toDoors) stops.push(...van.stops.filter((s) => s.kind === 'delivery').slice(0, 3));
      for (const stop of stops) await call(lifeline, driver, 'POST', `/stops/${stop.id}/status`, { status: 'delivered' });
    }
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await lifeline?.close();
  });

  it('lets a coordinator read the deliveries report and download its CSV and PDF, with the JSON’s and the ledger’s figures', async () => {
    const context = await openContext(browser, lifeline);
    const page = await signedInPage(context, lifeline, 'coordinator@lifeline.local', '/coordinator');
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Deliveries report' }).waitFor();
    const [from, to] = [utcDay(-2), utcDay(1)];
    await page.getByLabel('From').fill(from);
    await page.getByLabel('To (included)').fill(to);
    await page.getByRole('button', { name: 'Show the figures' }).click();
    await page.locator(`.report-figures[data-from="${from}"][data-to="${to}"]`).waitFor();

    const json = await call<DeliveriesReport>(lifeline, coordinator, 'GET', `/reports/deliveries?from=${from}&to=${to}`);
    const [ledger] = await lifeline.db.query<{ total: number; movements: number; households: number }>(
      `SELECT coalesce(sum(m.quantity), 0)::int AS total, count(*)::int AS movements, count(DISTINCT n.household_id)::int AS households
       FROM stock_movements m JOIN needs n ON n.id = m.need_id WHERE m.kind = 'delivered'`,
    );
    expect(ledger!.total).toBeGreaterThan(0);
    expect(json.deliveries).toMatchObject(ledger!);
    await page.locator('[data-figure="delivered"] strong').getByText(String(ledger!.total), { exact: true }).waitFor();
    await page.locator('[data-figure="households"] strong').getByText(String(ledger!.households), { exact: true }).waitFor();
    await screenshot(page, 'coordinator-reports');

    const download = async (button: string): Promise<{ file: Download; path: string }> => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
      return { file, path: (await file.path())! };
    };
    const csvFile = await download('Download CSV');
    expect(csvFile.file.suggestedFilename()).toBe(`deliveries-${from}-${to}.csv`);
    const rows = parse(readFileSync(csvFile.path, 'utf8'), { bom: true }) as string[][];
    const head = rows[0]!;
    const col = (name: string) => head.indexOf(name);
    const figure = (section: string, measure: string, where: (row: string[]) => boolean = () => true) =>
      rows.filter((r) => r[col('section')] === section && r[col('measure')] === measure && where(r)).map((r) => Number(r[col('value')]));
    expect(figure('deliveries-total', 'delivered')).toEqual([ledger!.total]);
    expect(figure('deliveries-total', 'households')).toEqual([ledger!.households]);
    expect(figure('deliveries-total', 'movements')).toEqual([ledger!.movements]);
    for (const tier of json.deliveries.byTier) expect(figure('deliveries-by-tier', 'delivered', (r) => r[col('tier')] === String(tier.tier))).toEqual([tier.quantity]);
    expect(figure('deliveries-by-commodity', 'delivered').reduce((a, b) => a + b, 0)).toBe(ledger!.total);

    const pdfFile = await download('Download PDF');
    expect(pdfFile.file.suggestedFilename()).toBe(`deliveries-${from}-${to}.pdf`);
    const pdf = readFileSync(pdfFile.path);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    if (hasPoppler) {
      const text = execFileSync('/usr/bin/pdftotext', [pdfFile.path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain(`${ledger!.total} units delivered to ${ledger!.households} households in ${ledger!.movements} ledger movements.`);
    }

    // In Chinese, the PDF is in Chinese too.
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '配送报表' }).waitFor();
    const zhFile = await download('下载 PDF');
    if (hasPoppler) {
      const text = execFileSync('/usr/bin/pdftotext', [zhFile.path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain(`共向 ${ledger!.households} 户送达 ${ledger!.total} 件，台账记录 ${ledger!.movements} 条。`);
    }
    await page.getByRole('button', { name: 'English' }).click();
    await context.close();
  }, 120_000);

  it.skipIf(!hasPoppler)('prints a handover sheet from the plan page whose QR code, opened on a phone with no account, records the delivery', async () => {
    const context = await openContext(browser, lifeline);
    const page = await signedInPage(context, lifeline, 'coordinator@lifeline.local', `/coordinator/plans/${planId}`);
    await page.getByRole('heading', { name: 'Handover sheets' }).waitFor();
    const [sheet] = await Promise.all([page.waitForEvent('download'), page.locator(`li[data-route="${walk.id}"] button`).click()]);
    expect(sheet.suggestedFilename()).toBe(`handover-sheet-${walk.id}.pdf`);
    const urls = qrCodesOf((await sheet.path())!);
    const pending = walk.stops.filter((s) => s.status === 'pending').length;
    expect(urls).toHaveLength(pending);
    for (const url of urls) expect(url).toMatch(new RegExp(`^${lifeline.url}/s/[A-Za-z0-9_-]{22}$`));
    // The gate's sheet is there too.
    await page.locator(`li[data-gate="${walk.gateId}"] > button`).waitFor();
    await context.close();

    // Any phone, no account: the first code on the sheet.
    const phoneContext = await openContext(browser, lifeline, phone);
    const phonePage = await phoneContext.newPage();
    await phonePage.goto(urls[0]!);
    await phonePage.getByRole('heading', { name: 'Record a delivery' }).waitFor();
    await phonePage.getByLabel('Name of who took it').fill('Mme Moreau');
    await phonePage.getByRole('button', { name: 'Record' }).click();
    await phonePage.getByRole('status').getByText(/Mme Moreau/).waitFor();
    await screenshot(phonePage, 'handover-recorded');
    // Scanned again, the code shows what was recorded, with no form to record it twice.
    await phonePage.reload();
    await phonePage.getByRole('status').getByText(/Mme Moreau/).waitFor();
    expect(await phonePage.getByRole('button', { name: 'Record' }).count()).toBe(0);
    // A code that does not work says so, and what to do.
    await phonePage.goto(`${lifeline.url}/s/${'x'.repeat(22)}`);
    await phonePage.getByRole('alert').getByText(/does not work \(any more\).*Ask the coordinator for a new sheet/).waitFor();
    await phoneContext.close();

    const after = await call<Route>(lifeline, coordinator, 'GET', `/routes/${walk.id}`);
    const recorded = after.stops.filter((s) => s.status === 'delivered');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.proof?.receiverName).toBe('Mme Moreau');
    expect(recorded[0]!.id).toBe(walk.stops.find((s) => s.status === 'pending')!.id); // the first door in walking order
  }, 120_000);
});
