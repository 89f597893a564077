import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { aCommodity, aHousehold, post } from '../../support/records.ts';
import { solving } from '../../../server/plans/plans.service.ts';
import { insertEntries } from '../../../server/plans/plans.repo.ts';

// Two real places in Monaco for the warehouses, and households on real streets.
const fontvieille = { name: 'Fontvieille', address: 'Rue du Gabian', lat: 43.7282, lon: 7.4148, capacityWeightKg: 10_000, capacityVolumeM3: 100 };
const monteCarlo = { name: 'Monte-Carlo', address: 'Bd des Moulins', lat: 43.7418, lon: 7.4287, capacityWeightKg: 10_000, capacityVolumeM3: 100 };

describe.each(databaseKinds)('allocation plans on %s', (kind) => {
  let t: TestApp;
  let rice: number;
  let insulin: number;
  let depots: { id: number }[];
  beforeAll(async () => {
    t = await startTestApp(kind);
    rice = (await aCommodity(t, { code: 'RICE' })).id;
    insulin = (await aCommodity(t, { code: 'INSULIN', name: 'Insulin', category: 'medicine', weightKg: 0.2 })).id;
    depots = [await post(t, '/api/warehouses', fontvieille), await post(t, '/api/warehouses', monteCarlo)];
    await post(t, '/api/stock/lots', { warehouseId: depots[0]!.id, commodityId: rice, lotCode: 'R1', quantity: 6 });
    await post(t, '/api/stock/lots', { warehouseId: depots[1]!.id, commodityId: rice, lotCode: 'R2', quantity: 4 });
    await post(t, '/api/stock/lots', { warehouseId: depots[1]!.id, commodityId: insulin, lotCode: 'I1', quantity: 2 });
    const households = [
      aHousehold({ address: '2 Rue Grimaldi', lat: 43.7335, lon: 7.4185, elderlyAlone: true }),
      aHousehold({ address: '8 Boulevard Princesse Charlotte', lat: 43.7405, lon: 7.4265 }),
      aHousehold({ address: '15 Avenue de Fontvieille', lat: 43.7298, lon: 7.4165, infant: true }),
    ];
    for (const household of households) await post(t, '/api/needs', { household, commodityId: rice, quantity: 5 }, 'community');
    await post(t, '/api/needs', { household: households[0], commodityId: insulin, quantity: 3, urgency: 'critical' }, 'community');
  });
  afterAll(() => t.close());

  const coordinator = () => bearer(t.tokens.coordinator);
  const plan = async (body: object = {}) => {
    const res = await t.api.post('/api/plans').set(coordinator()).send(body).expect(202);
    expect(res.body.status).toBe('solving');
    await solving.get(res.body.id);
    return (await t.api.get(`/api/plans/${res.body.id}`).set(coordinator()).expect(200)).body;
  };

  it('builds a plan that never hands out more than the lots hold or the needs ask, whole units only', async () => {
    const p = await plan();
    expect(p.status).toBe('ready');
    const byLot = new Map<number, number>();
    const byNeed = new Map<number, number>();
    for (const a of p.allocations) {
      expect(Number.isInteger(a.quantity)).toBe(true);
      byLot.set(a.lotId, (byLot.get(a.lotId) ?? 0) + a.quantity);
      byNeed.set(a.needId, (byNeed.get(a.needId) ?? 0) + a.quantity);
    }
    const lots = await t.db.query<{ id: number; on_hand: number }>('SELECT id, on_hand FROM lots');
    for (const lot of lots) expect(byLot.get(lot.id) ?? 0).toBeLessThanOrEqual(lot.on_hand);
    for (const [, q] of byNeed) expect(q).toBeLessThanOrEqual(5);
    // 10 rice for 15 asked, 2 insulin for 3 asked: everything available goes out.
    expect(p.allocations.reduce((s: number, a: { quantity: number }) => s + a.quantity, 0)).toBe(12);
    // Days of cover come from the ledger: 10 rice received in the last week and none sent out yet.
    const riceCover = p.result.metrics.cover.find((c: { commodityId: string }) => c.commodityId === String(rice));
    expect(riceCover.netOutflowPerDay).toBeCloseTo(-10 / 7, 6);
    expect(riceCover.daysOfCover).toBeNull();
  });

  it('explains every need left short, and serves the most vulnerable tiers fairly', async () => {
    const p = await plan();
    expect(p.result.unmet.length).toBeGreaterThan(0);
    for (const u of p.result.unmet) expect(['no_stock', 'capacity', 'unreachable', 'outranked']).toContain(u.reason);
    const insulinShort = p.result.unmet.find((u: { needId: string; asked: number }) => u.asked === 3);
    expect(insulinShort).toMatchObject({ allocated: 2, shortfall: 1 });
    const tier1 = p.result.metrics.tiers.find((tier: { tier: number }) => tier.tier === 1);
    expect(tier1.smallestFraction).toBeGreaterThan(0);
    expect(p.result.solver.backend).toMatch(/flow|highs|jslp/);
  });

  it('respects a coordinator exclusion', async () => {
    const needs = (await t.api.get(`/api/needs?commodityId=${rice}`).set(coordinator())).body.items;
    const p = await plan({ exclusions: needs.map((n: { id: number }) => ({ needId: n.id, warehouseId: depots[1]!.id })) });
    expect(p.allocations.filter((a: { commodityId: number; warehouseId: number }) => a.commodityId === rice && a.warehouseId === depots[1]!.id)).toEqual([]);
  });

  it('refuses a stale plan with 409 after the stock moved underneath it, reserving nothing', async () => {
    const p = await plan();
    const lot = (await t.db.query<{ id: number }>(`SELECT id FROM lots WHERE lot_code = 'R1'`))[0]!;
    await t.api.post('/api/stock/movements').set(coordinator()).send({ lotId: lot.id, kind: 'spoiled', quantity: 1, reason: 'wet' }).expect(201);
    const res = await t.api.post(`/api/plans/${p.id}/approve`).set(coordinator()).expect(409);
    expect(res.body.detail).toMatch(/stale/);
    expect((await t.api.get(`/api/plans/${p.id}`).set(coordinator())).body.status).toBe('stale');
    const [{ n }] = await t.db.query<{ n: number }>(`SELECT count(*) AS n FROM stock_movements WHERE kind = 'reserved' AND plan_id = $1`, [p.id]);
    expect(n).toBe(0);
  });

  it('refuses a plan whose needs were edited since, naming them, reserving nothing', async () => {
    const p = await plan();
    const [first, second] = [...new Set(p.allocations.map((a: { needId: number }) => a.needId))] as number[];
    // Each edited and put back as it was (the later tests plan the same needs): the version still moved.
    const edit = async (id: number, change: object) => {
      const need = (await t.api.get(`/api/needs/${id}`).set(coordinator()).expect(200)).body;
      await t.api.patch(`/api/needs/${id}`).set(coordinator()).send({ ...change, version: need.version }).expect(200);
      return need;
    };
    const asked = (await edit(first!, { quantity: 1 })).quantity;
    await edit(first!, { quantity: asked });
    await edit(second!, { status: 'cancelled' });
    await edit(second!, { status: 'open' });
    const res = await t.api.post(`/api/plans/${p.id}/approve`).set(coordinator()).expect(409);
    expect(res.body.changes).toEqual([first, second].sort((a, b) => a! - b!).map((id) => `need ${id} changed`));
    const [{ n }] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM stock_movements WHERE plan_id = $1`, [p.id]);
    expect(n).toBe(0);
  });

  it('answers any window of its unmet needs and fulfilment, stored as rows, with how many there are', async () => {
    const p = await plan();
    const whole = (await t.api.get(`/api/plans/${p.id}?limit=5000`).set(coordinator()).expect(200)).body;
    expect(whole.result.fulfilment).toHaveLength(4);
    expect(whole.result.unmet.length).toBeGreaterThanOrEqual(2);
    expect(whole.pages).toMatchObject({ unmet: whole.result.unmet.length, fulfilment: 4 });
    const window = (await t.api.get(`/api/plans/${p.id}?limit=2&offset=1`).set(coordinator()).expect(200)).body;
    expect(window.result.fulfilment).toEqual(whole.result.fulfilment.slice(1, 3));
    expect(window.result.unmet).toEqual(whole.result.unmet.slice(1, 3));
    expect(window.pages).toMatchObject({ unmet: whole.result.unmet.length, fulfilment: 4, limit: 2, offset: 1 });
    // The lists are rows of their own, not arrays inside the stored result.
    const [stored] = await t.db.query<{ lists: boolean }>(`SELECT result ? 'unmet' OR result ? 'fulfilment' AS lists FROM plans WHERE id = $1`, [p.id]);
    expect(stored!.lists).toBe(false);
  });

  it('writes a long list a slice per statement, every entry at its place', async () => {
    const p = await plan();
    const whole = (await t.api.get(`/api/plans/${p.id}?limit=5000`).set(coordinator()).expect(200)).body;
    await t.db.query('DELETE FROM plan_fulfilment WHERE plan_id = $1', [p.id]);
    // Three statements of two, two and one entries: each slice starts where the last ended.
    await insertEntries(t.db, 'plan_fulfilment', p.id, whole.result.fulfilment.concat(whole.result.fulfilment.slice(0, 1)), 2);
    const again = (await t.api.get(`/api/plans/${p.id}?limit=5000`).set(coordinator()).expect(200)).body;
    expect(again.result.fulfilment).toEqual([...whole.result.fulfilment, whole.result.fulfilment[0]]);
    const ords = await t.db.query<{ ord: number }>('SELECT ord FROM plan_fulfilment WHERE plan_id = $1 ORDER BY ord', [p.id]);
    expect(ords.map((r) => r.ord)).toEqual([0, 1, 2, 3, 4]);
  });

  it('approves a fresh plan by reserving all of its stock in one transaction, once', async () => {
    const p = await plan();
    const approved = await t.api.post(`/api/plans/${p.id}/approve`).set(coordinator()).expect(200);
    expect(approved.body.status).toBe('approved');
    const [{ total }] = await t.db.query<{ total: number }>(`SELECT coalesce(sum(quantity), 0) AS total FROM stock_movements WHERE kind = 'reserved' AND plan_id = $1`, [p.id]);
    expect(total).toBe(p.allocations.reduce((s: number, a: { quantity: number }) => s + a.quantity, 0));
    await t.api.post(`/api/plans/${p.id}/approve`).set(coordinator()).expect(409);
    // What this plan reserved is no longer there for the next one.
    const next = await plan();
    expect(next.allocations).toEqual([]);
  });

  it('refuses bad plan requests and the wrong roles', async () => {
    const bad = await t.api.post('/api/plans').set(coordinator()).send({ timeLimitMs: 5, backend: 'magic' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.backend', 'body.timeLimitMs']);
    await t.api.post('/api/plans').set(bearer(t.tokens.community)).send({}).expect(403);
    await t.api.get('/api/plans/999999').set(coordinator()).expect(404);
    await t.api.post('/api/plans/999999/approve').set(coordinator()).expect(404);
    const commodity = await t.api.post('/api/plans').set(coordinator()).send({ commodityIds: [rice, 999999] }).expect(404);
    expect(commodity.body.errors[0].field).toBe('body.commodityIds.1');
    const pin = await t.api.post('/api/plans').set(coordinator()).send({ pins: [{ needId: 999999, warehouseId: depots[0]!.id, quantity: 1 }] }).expect(404);
    expect(pin.body.errors[0].field).toBe('body.pins.0.needId');
  });
});
