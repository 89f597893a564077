import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { binary, pdfPages, pdfText } from '../../support/pdf.ts';
import { aHousehold, post } from '../../support/records.ts';
import { aPlan, dispatched, fontvieillePlan, twoWarehouses, type Member, type RouteBody, type TwoWarehouses } from '../../support/warehouses.ts';

/** Gini by its definition (mean absolute difference over twice the mean), not the solver's sorted formula. */
function giniByDefinition(xs: number[]): number {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  if (!xs.length || mean === 0) return 0;
  let diff = 0;
  for (const a of xs) for (const b of xs) diff += Math.abs(a - b);
  return diff / (2 * xs.length * xs.length * mean);
}

const HOSTILE = '=HYPERLINK("http://evil.example","摩纳哥")';
const localDay = (ms: number) => new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);

describe.each(databaseKinds)('the deliveries report on %s', (kind) => {
  let t: TestApp;
  let s: TwoWarehouses;
  let donatedLot: number;
  let recalledLot: number;
  let elderly: number;
  const from = localDay(Date.now() - 7 * 86_400_000);
  const to = localDay(Date.now() + 86_400_000);
  const report = (query: Record<string, string>, token = t.tokens.coordinator) => t.api.get('/api/reports/deliveries').query({ from, to, ...query }).set(bearer(token));
  const sql = <T,>(text: string, params: unknown[] = []) => t.db.query<T>(text, params);

  const deliverAll = async (route: RouteBody, driver: Member) => {
    await t.api.post(`/api/routes/${route.id}/pickup`).set(bearer(driver.token)).expect(200);
    for (const stop of route.stops) {
      await t.api.post(`/api/stops/${stop.id}/status`).set(bearer(driver.token)).send({ status: 'delivered', proof: { receiverName: 'Door', handedTo: 'recipient', deviceTime: new Date().toISOString() } }).expect(200);
    }
  };

  beforeAll(async () => {
    t = await startTestApp(kind);
    s = await twoWarehouses(t);
    // A donation of rice: 6 accepted into a lot, 2 refused.
    const pledge = await post(t, '/api/donations', { warehouseId: s.fontvieille, donorName: 'Croix-Rouge', items: [{ commodityId: s.rice, quantity: 8 }] }, 'charity');
    const items = (await t.api.get(`/api/donations/${pledge.id}`).set(bearer(t.tokens.coordinator)).expect(200)).body.items;
    await post(t, `/api/donations/${pledge.id}/receive`, { items: [{ itemId: items[0].id, accepted: 6, rejected: 2, rejectionReason: 'torn bags', lotCode: 'DON-1' }] }, 'admin');
    donatedLot = (await sql<{ id: number }>(`SELECT id FROM lots WHERE lot_code = 'DON-1'`))[0]!.id;
    // An elderly neighbour of Fontvieille in a community whose name is a formula.
    const household = aHousehold({ name: 'Ferrari household', address: '3 Rue Grimaldi', phone: '+377 93 00 00 03', lat: 43.729, lon: 7.416, community: HOSTILE, elderlyAlone: true });
    elderly = (await post(t, '/api/needs', { household, commodityId: s.rice, quantity: 4 }, 'community')).need.id;

    for (const route of await dispatched(t, (await fontvieillePlan(t, s)).id)) await deliverAll(route, s.drivers.fontvieille);
    for (const route of await dispatched(t, (await aPlan(t, { commodityIds: [s.water] })).id)) await deliverAll(route, s.drivers.monteCarlo);
    await post(t, '/api/stock/movements', { lotId: s.lots.water, kind: 'spoiled', quantity: 2, reason: '-burst packs' }, 'admin');
    recalledLot = (await sql<{ lot_id: number }>(`SELECT lot_id FROM stock_movements WHERE kind = 'delivered' ORDER BY id LIMIT 1`))[0]!.lot_id;
    await post(t, `/api/lots/${recalledLot}/recall`, { reason: 'mould found' }, 'admin');
  }, 180_000);
  afterAll(() => t.close());

  it('sums every delivery figure from the ledger: by tier, community, commodity and period', async () => {
    const r = (await report({ period: 'day' }).expect(200)).body;
    const ledger = await sql<{ quantity: number; commodity_id: number; community: string; household_id: number; need_id: number; day: string }>(
      `SELECT m.quantity, l.commodity_id, h.community, n.household_id, m.need_id, to_char(m.created_at AT TIME ZONE $1, 'YYYY-MM-DD') AS day
       FROM stock_movements m JOIN lots l ON l.id = m.lot_id JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id WHERE m.kind = 'delivered'`,
      [r.timeZone],
    );
    expect(ledger.length).toBeGreaterThanOrEqual(3);
    const total = ledger.reduce((sum, m) => sum + m.quantity, 0);
    expect(total).toBe(14); // 5 + 4 rice from Fontvieille, 5 water from Monte-Carlo, as planned
    expect(r.deliveries).toMatchObject({ total, movements: ledger.length, households: new Set(ledger.map((m) => m.household_id)).size });
    const sumBy = <K,>(key: (m: (typeof ledger)[number]) => K) => {
      const totals = new Map<K, number>();
      for (const m of ledger) totals.set(key(m), (totals.get(key(m)) ?? 0) + m.quantity);
      return totals;
    };
    // The elderly household is tier 2; the others have no flag: tier 3.
    expect(r.deliveries.byTier).toEqual([...sumBy((m) => (m.need_id === elderly ? 2 : 3))].sort(([a], [b]) => a - b).map(([tier, quantity]) => ({ tier, quantity })));
    expect(new Map(r.deliveries.byCommunity.map((c: { community: string; quantity: number }) => [c.community, c.quantity]))).toEqual(sumBy((m) => m.community));
    expect(new Map(r.deliveries.byCommodity.map((c: { commodityId: number; quantity: number }) => [c.commodityId, c.quantity]))).toEqual(sumBy((m) => m.commodity_id));
    const byDay = sumBy((m) => m.day);
    expect(r.deliveries.byPeriod.filter((p: { quantity: number }) => p.quantity > 0)).toEqual([...byDay].map(([period, quantity]) => ({ period, quantity })));
    expect(r.deliveries.byPeriod).toHaveLength(9);
    expect(r.deliveries.lines.reduce((sum: number, l: { quantity: number }) => sum + l.quantity, 0)).toBe(total);
  });

  it('gives the fill rate and Gini over time from the ledger and the needs as stored', async () => {
    const r = (await report({ period: 'week' }).expect(200)).body;
    const needs = await sql<{ id: number; quantity: number }>(`SELECT id, quantity FROM needs WHERE status <> 'cancelled' AND confirmed`);
    const got = new Map((await sql<{ need_id: number; q: number }>(`SELECT need_id, sum(quantity)::int AS q FROM stock_movements WHERE kind = 'delivered' GROUP BY need_id`)).map((m) => [m.need_id, m.q]));
    const last = r.fillRate.at(-1);
    const asked = needs.reduce((sum, n) => sum + n.quantity, 0);
    const delivered = needs.reduce((sum, n) => sum + Math.min(n.quantity, got.get(n.id) ?? 0), 0);
    expect(last).toMatchObject({ needs: needs.length, asked, delivered });
    expect(last.fillRate).toBeCloseTo(delivered / asked, 12);
    expect(last.gini).toBeCloseTo(giniByDefinition(needs.map((n) => Math.min(1, (got.get(n.id) ?? 0) / n.quantity))), 12);
    expect(last.tiers.find((x: { tier: number }) => x.tier === 2)).toMatchObject({ asked: 4, delivered: 4, fillRate: 1 });
    expect(r.plans.map((p: { planId: number }) => p.planId)).toHaveLength(2);
  });

  it('lists the donations received with where they went, spoilage and recalls, as the ledger has them', async () => {
    const r = (await report({}).expect(200)).body;
    const moved = async (lotId: number, kind: string) => (await sql<{ q: number }>(`SELECT coalesce(sum(quantity), 0)::int AS q FROM stock_movements WHERE lot_id = $1 AND kind = $2`, [lotId, kind]))[0]!.q;
    const toCommunities = await sql<{ community: string; quantity: number }>(
      `SELECT h.community, sum(m.quantity)::int AS quantity FROM stock_movements m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
       WHERE m.lot_id = $1 AND m.kind = 'delivered' GROUP BY 1 ORDER BY 1`,
      [donatedLot],
    );
    expect(r.donations).toEqual([
      expect.objectContaining({ donor: 'Croix-Rouge', lotId: donatedLot, received: 6, rejected: 2, rejectionReason: 'torn bags', delivered: await moved(donatedLot, 'delivered'), spoiled: 0, recalled: donatedLot === recalledLot, communities: toCommunities }),
    ]);
    expect(r.spoilage).toEqual([expect.objectContaining({ lotId: s.lots.water, quantity: 2, reason: '-burst packs' })]);
    const receivers = await sql<{ n: number }>(`SELECT count(DISTINCT n.household_id)::int AS n FROM stock_movements m JOIN needs n ON n.id = m.need_id WHERE m.lot_id = $1 AND m.kind = 'delivered'`, [recalledLot]);
    expect(r.recalls).toEqual([expect.objectContaining({ lotId: recalledLot, reason: 'mould found', delivered: await moved(recalledLot, 'delivered'), households: receivers[0]!.n })]);
  });

  it('exports the same figures as CSV, one row per figure, with typed text neutralised', async () => {
    const json = (await report({}).expect(200)).body;
    const res = await report({ format: 'csv' }).expect(200).expect('Content-Type', /text\/csv/);
    const rows: Record<string, string>[] = parse(res.text.replace(/^\uFEFF/, ''), { columns: true });
    const figure = (section: string, measure: string, where: Record<string, string> = {}) =>
      rows.filter((row) => row.section === section && row.measure === measure && Object.entries(where).every(([k, v]) => row[k] === v)).map((row) => Number(row.value));
    expect(figure('deliveries-total', 'delivered')).toEqual([json.deliveries.total]);
    for (const c of json.deliveries.byCommodity) expect(figure('deliveries-by-commodity', 'delivered', { commodity: c.commodity })).toEqual([c.quantity]);
    expect(figure('spoiled', 'spoiled')).toEqual([2]);
    // A formula typed as a community name, or a reason starting with '-', reaches the spreadsheet as text.
    expect(rows.some((row) => row.community === HOSTILE)).toBe(false);
    expect(rows.some((row) => row.community === `'${HOSTILE}`)).toBe(true);
    expect(rows.find((row) => row.section === 'spoiled')!.reason).toBe("'-burst packs");
  });

  it('prints the report as a PDF in en and zh, with the ledger’s figures in its text', async () => {
    for (const lang of ['en', 'zh']) {
      const res = await report({ format: 'pdf', lang }).buffer(true).parse(binary);
      expect(res.status).toBe(200);
      expect(res.type).toBe('application/pdf');
      expect(pdfPages(res.body)).toBeGreaterThanOrEqual(1);
      const text = pdfText(res.body);
      if (text === undefined) continue;
      expect(text).toContain(lang === 'zh' ? '配送报告' : 'Deliveries report');
      expect(text).toContain(lang === 'zh' ? '共向 3 户送达 14 件' : '14 units delivered to 3 households');
      expect(text).toContain('摩纳哥');
      expect(text).toContain('Croix-Rouge');
    }
  });

  it('is for coordinators and admins; a coordinator tied to a warehouse gets its ledger only', async () => {
    await report({}, t.tokens.community).expect(403);
    await report({}, t.tokens.driver).expect(403);
    await report({}, t.tokens.admin).expect(200);
    const mc = (await report({}, s.coordinators.monteCarlo.token).expect(200)).body;
    expect(mc.warehouseIds).toEqual([s.monteCarlo]);
    expect(mc.deliveries.total).toBe(5);
    expect(mc.donations).toEqual([]);
    expect(mc.recalls.every((x: { lotId: number }) => x.lotId === s.lots.water)).toBe(true);
    const bad = await report({ from: to, to: from }).expect(400);
    expect(bad.body.errors[0].field).toBe('query.to');
  });
});
