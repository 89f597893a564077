// The coordinator's map of thousands of needs: the server answers each view with clusters, drawn as count
// bubbles; a click on one zooms in, until the needs are drawn one by one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Response } from 'playwright-core';
import { ensureClientBuilt, hasChromium, launchChromium, openContext, screenshot, signedInPage, startLifeline, type Lifeline } from './harness.ts';
import { insertHouseholds } from '../../server/needs/households.repo.ts';
import { insertNeeds } from '../../server/needs/needs.repo.ts';
import { addressKey, phoneKey } from '../../server/needs/households.service.ts';
import type { NeedMap } from '../../server/needs/needs.schema.ts';

const HOUSEHOLDS = 4000;
/** Web Mercator's y of a latitude (0 at the top of the world, 1 at the bottom), and back. */
const mercatorY = (lat: number) => 0.5 - Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / (2 * Math.PI);
const latitudeOf = (y: number) => (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;

describe.skipIf(!hasChromium)('a map of thousands of needs', () => {
  let lifeline: Lifeline;
  let browser: Browser;

  beforeAll(async () => {
    [lifeline, browser] = await Promise.all([startLifeline(), launchChromium(), ensureClientBuilt()]).then(([l, b]) => [l, b] as const);
    const [rice] = await lifeline.db.query<{ id: number }>('SELECT id FROM commodities ORDER BY id LIMIT 1');
    // A block of flats in Monaco's Larvotto, 80 households to a row, about 2 m apart, inside one cluster cell
    // of zoom 15 (64-pixel squares of Web Mercator), so that the map opens on it as one bubble.
    const cells = 2 ** 17;
    const [west, south] = [(Math.floor(((7.43 + 180) / 360) * cells) + 0.2) / cells, (Math.floor(mercatorY(43.7435) * cells) + 0.8) / cells];
    const households = Array.from({ length: HOUSEHOLDS }, (_, i) => {
      const address = `Flat ${i + 1}, Avenue Princesse Grace`;
      const phone = `+377 ${String(20_000_000 + i)}`;
      const at = { lat: latitudeOf(south) + Math.floor(i / 80) * 2e-5, lon: west * 360 - 180 + (i % 80) * 2e-5 };
      return { name: `Map household ${i}`, address, phone, ...at, people: 2, community: 'Larvotto', addressKey: addressKey(address), phoneKey: phoneKey(phone) };
    });
    const ids = await insertHouseholds(lifeline.db, households);
    await insertNeeds(lifeline.db, ids.map(({ id }) => ({ householdId: id, commodityId: rice!.id, quantity: 2, urgency: 'normal', deadline: null, sources: ['test'] })));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await lifeline?.close();
  });

  it('shows cluster bubbles, and single needs once zoomed in', async () => {
    const context = await openContext(browser, lifeline);
    const answers: NeedMap[] = [];
    context.on('response', (res: Response) => {
      if (res.url().includes('/api/map/needs')) void res.json().then((body: NeedMap) => answers.push(body), () => undefined);
    });
    const page = await signedInPage(context, lifeline, 'coordinator@lifeline.local', '/coordinator');
    // The block is one bubble of thousands (shown as "4k"): the browser got a handful of clusters, not the needs.
    const bubble = page.locator('.need-cluster', { hasText: /^4k$/ });
    await bubble.waitFor();
    // The answer's body is read after the page has drawn it.
    await expect.poll(() => answers.length).toBeGreaterThan(0);
    const first = answers.at(-1)!;
    expect(first.total).toBeGreaterThan(HOUSEHOLDS);
    expect(first.needs.length).toBeLessThan(100);
    const block = first.clusters.find((c) => c.count >= HOUSEHOLDS)!;
    expect(Math.round(block.count / 1000)).toBe(4);
    expect(block.worstTier).toBe(3);
    expect(await bubble.getAttribute('class')).toContain('tier-3');
    expect(await page.locator('.need-cluster').count()).toBe(first.clusters.length);
    await screenshot(page, 'need-map-clusters');

    // Clicked, it zooms to the block; its bubbles clicked again until the needs come one by one.
    for (let clicks = 0; clicks < 4 && (await page.locator('.need-cluster').count()) > 0; clicks++) {
      const asked = answers.length;
      await (clicks === 0 ? bubble : page.locator('.need-cluster').first()).click();
      await expect.poll(() => answers.length, { timeout: 15_000 }).toBeGreaterThan(asked);
      await page.waitForTimeout(300);
    }
    await expect.poll(() => page.locator('.need-cluster').count()).toBe(0);
    await expect.poll(() => answers.at(-1)?.clusters.length).toBe(0);
    const close = answers.at(-1)!;
    expect(close.clusters).toEqual([]);
    expect(close.needs.length).toBeGreaterThan(50);
    expect(close.needs.some((n) => n.household.startsWith('Map household'))).toBe(true);
    await page.getByText(`Tier 3 (${close.tiers[3]})`).waitFor();
    await screenshot(page, 'need-map-single-needs');
    await context.close();
  }, 90_000);
});
