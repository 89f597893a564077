import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { aCommodity, aLot, aWarehouse } from '../../support/records.ts';
import { flowRates, FLOW_WINDOW_DAYS, recordMovements } from '../../../server/stock/stock.service.ts';

describe.each(databaseKinds)('stock ledger on %s', (kind) => {
  let t: TestApp;
  let warehouseId: number;
  let commodityId: number;
  beforeAll(async () => {
    t = await startTestApp(kind);
    warehouseId = (await aWarehouse(t)).id;
    commodityId = (await aCommodity(t)).id;
  });
  afterAll(() => t.close());

  const coordinator = () => bearer(t.tokens.coordinator);

  it('receives a lot and shows it as on-hand and available stock', async () => {
    const lot = await aLot(t, warehouseId, commodityId, 40, 'RICE-A');
    expect(lot).toMatchObject({ onHand: 40, reserved: 0, inTransit: 0 });
    const stock = await t.api.get(`/api/warehouses/${warehouseId}/stock`).set(coordinator()).expect(200);
    expect(stock.body.commodities[0]).toMatchObject({ commodityId, onHand: 40, available: 40 });
    expect(stock.body.commodities[0].lots[0]).toMatchObject({ lotCode: 'RICE-A', available: 40 });
  });

  it('refuses a movement that would take a lot below zero, and writes nothing', async () => {
    const lot = await aLot(t, warehouseId, commodityId, 5);
    const res = await t.api.post('/api/stock/movements').set(coordinator()).send({ lotId: lot.id, kind: 'spoiled', quantity: 6, reason: 'flood' }).expect(409);
    expect(res.type).toBe('application/problem+json');
    const ledger = await t.api.get(`/api/stock/movements?lotId=${lot.id}`).set(coordinator()).expect(200);
    expect(ledger.body.items.map((m: { kind: string }) => m.kind)).toEqual(['received']);
  });

  it('never oversells a lot under many concurrent reservations', async () => {
    const lot = await aLot(t, warehouseId, commodityId, 50);
    const attempts = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        t.api.post('/api/stock/movements').set(coordinator()).send({ lotId: lot.id, kind: 'reserved', quantity: 3, reason: `order ${i}` }),
      ),
    );
    const accepted = attempts.filter((r) => r.status === 201).length;
    expect(attempts.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(accepted).toBe(16); // 16 × 3 = 48 ≤ 50 < 17 × 3
    const [row] = await t.db.query<{ on_hand: number; reserved: number }>('SELECT on_hand, reserved FROM lots WHERE id = $1', [lot.id]);
    expect(row).toEqual({ on_hand: 50, reserved: 48 });
  });

  it('records many movements at once, each applied to its lot, or refuses the lot that cannot cover its part and writes none', async () => {
    const [a, b] = [await aLot(t, warehouseId, commodityId, 10), await aLot(t, warehouseId, commodityId, 4)];
    await t.db.transaction((tx) =>
      recordMovements(tx, [
        { lotId: a.id, kind: 'reserved', quantity: 6, reason: 'plan' },
        { lotId: b.id, kind: 'reserved', quantity: 4, reason: 'plan' },
        { lotId: a.id, kind: 'reserved', quantity: 3, reason: 'plan' },
      ]),
    );
    const balances = async () => t.db.query<{ id: number; reserved: number }>('SELECT id, reserved FROM lots WHERE id = ANY($1::int[]) ORDER BY id', [[a.id, b.id]]);
    expect(await balances()).toEqual([{ id: a.id, reserved: 9 }, { id: b.id, reserved: 4 }]);
    const refused = t.db.transaction((tx) =>
      recordMovements(tx, [
        { lotId: a.id, kind: 'reserved', quantity: 1, reason: 'next plan' },
        { lotId: b.id, kind: 'reserved', quantity: 1, reason: 'next plan' },
      ]),
    );
    await expect(refused).rejects.toMatchObject({ code: 'not-enough-stock', message: expect.stringContaining(`lot ${b.id} `) });
    expect(await balances()).toEqual([{ id: a.id, reserved: 9 }, { id: b.id, reserved: 4 }]);
    const [{ count }] = await t.db.query<{ count: number }>("SELECT count(*)::int AS count FROM stock_movements WHERE reason = 'next plan'");
    expect(count).toBe(0);

    // A recalled lot among them is the one named.
    const c = await aLot(t, warehouseId, commodityId, 5);
    await t.api.post(`/api/lots/${c.id}/recall`).set(coordinator()).send({ reason: 'mould' }).expect(200);
    const recalled = t.db.transaction((tx) =>
      recordMovements(tx, [
        { lotId: a.id, kind: 'released', quantity: 1, reason: 'next plan' },
        { lotId: c.id, kind: 'reserved', quantity: 1, reason: 'next plan' },
      ]),
    );
    await expect(recalled).rejects.toMatchObject({ code: 'recalled', message: expect.stringContaining(`lot ${c.id} `) });
  });

  it("gives each commodity's available stock and its inflow and outflow per day over the last week, from the ledger", async () => {
    const other = (await aCommodity(t)).id;
    const lot = await aLot(t, warehouseId, other, 14);
    await t.api.post('/api/stock/movements').set(coordinator()).send({ lotId: lot.id, kind: 'spoiled', quantity: 7, reason: 'flood' }).expect(201);
    await t.api.post('/api/stock/movements').set(coordinator()).send({ lotId: lot.id, kind: 'reserved', quantity: 2, reason: 'plan' }).expect(201);
    const flow = (await flowRates(t.db)).find((f) => f.commodityId === other);
    expect(flow).toEqual({ commodityId: other, available: 5, inflowPerDay: 14 / FLOW_WINDOW_DAYS, outflowPerDay: 7 / FLOW_WINDOW_DAYS });
    // Stock received before the window is available but no inflow; movements written together count each.
    await t.db.query(`INSERT INTO stock_movements (lot_id, kind, quantity, reason, created_at) VALUES ($1, 'received', 3, 'found', now() - make_interval(days => $2))`, [lot.id, FLOW_WINDOW_DAYS + 1]);
    await t.db.transaction((tx) => recordMovements(tx, [{ lotId: lot.id, kind: 'spoiled', quantity: 1, reason: 'rats' }, { lotId: lot.id, kind: 'spoiled', quantity: 2, reason: 'rats' }]));
    const flows = await flowRates(t.db);
    expect(flows.find((f) => f.commodityId === other)).toEqual({ commodityId: other, available: 5, inflowPerDay: 14 / FLOW_WINDOW_DAYS, outflowPerDay: 10 / FLOW_WINDOW_DAYS });
    // Every commodity's flows as the movements of the window give them.
    const fromMovements = await t.db.query<{ commodityId: number; inflow: number; outflow: number }>(
      `SELECT c.id AS "commodityId", coalesce(sum(m.quantity) FILTER (WHERE m.kind = 'received'), 0)::int AS inflow, coalesce(sum(m.quantity) FILTER (WHERE m.kind IN ('dispatched', 'spoiled')), 0)::int AS outflow
       FROM commodities c LEFT JOIN lots l ON l.commodity_id = c.id LEFT JOIN stock_movements m ON m.lot_id = l.id AND m.created_at > now() - make_interval(days => $1)
       GROUP BY c.id ORDER BY c.id`,
      [FLOW_WINDOW_DAYS],
    );
    expect(flows.map((f) => ({ commodityId: f.commodityId, inflow: Math.round(f.inflowPerDay * FLOW_WINDOW_DAYS), outflow: Math.round(f.outflowPerDay * FLOW_WINDOW_DAYS) }))).toEqual(fromMovements);
  });

  it('keeps the ledger append-only', async () => {
    await expect(t.db.query('DELETE FROM stock_movements')).rejects.toThrow(/append-only/);
    await expect(t.db.query('UPDATE stock_movements SET quantity = 1')).rejects.toThrow(/append-only/);
  });

  it('records adjustments both ways and releases reservations', async () => {
    const lot = await aLot(t, warehouseId, commodityId, 10);
    await t.api.post('/api/stock/movements').set(coordinator()).send({ lotId: lot.id, kind: 'adjusted', quantity: -2, reason: 'count' }).expect(201);
    await t.api.post('/api/stock/movements').set(coordinator()).send({ lotId: lot.id, kind: 'reserved', quantity: 8, reason: 'plan' }).expect(201);
    const released = await t.api.post('/api/stock/movements').set(coordinator()).send({ lotId: lot.id, kind: 'released', quantity: 3, reason: 'plan changed' }).expect(201);
    expect(released.body.lot).toMatchObject({ onHand: 8, reserved: 5 });
  });

  it('refuses bad movements with the field named', async () => {
    const lot = await aLot(t, warehouseId, commodityId, 10);
    const cases: [Record<string, unknown>, string][] = [
      [{ lotId: lot.id, kind: 'spoiled', quantity: -1, reason: 'x' }, 'body.quantity'],
      [{ lotId: lot.id, kind: 'delivered', quantity: 1, reason: 'x' }, 'body.kind'],
      [{ lotId: lot.id, kind: 'spoiled', quantity: 1 }, 'body.reason'],
      [{ lotId: lot.id, kind: 'spoiled', quantity: 1.5, reason: 'x' }, 'body.quantity'],
    ];
    for (const [body, field] of cases) {
      const res = await t.api.post('/api/stock/movements').set(coordinator()).send(body).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const unknown = await t.api.post('/api/stock/movements').set(coordinator()).send({ lotId: 999999, kind: 'spoiled', quantity: 1, reason: 'x' }).expect(404);
    expect(unknown.body.errors[0].field).toBe('body.lotId');
  });

  it('refuses a lot for an unknown warehouse or a duplicate lot code', async () => {
    await t.api.post('/api/stock/lots').set(coordinator()).send({ warehouseId: 999999, commodityId, lotCode: 'X', quantity: 1 }).expect(404);
    await t.api.post('/api/stock/lots').set(coordinator()).send({ warehouseId, commodityId, lotCode: 'RICE-A', quantity: 1 }).expect(409);
  });

  it('does not duplicate a received lot when the request is retried', async () => {
    const body = { warehouseId, commodityId, lotCode: 'RETRY-1', quantity: 7 };
    const a = await t.api.post('/api/stock/lots').set(coordinator()).set('Idempotency-Key', 'lot-retry').send(body).expect(201);
    const b = await t.api.post('/api/stock/lots').set(coordinator()).set('Idempotency-Key', 'lot-retry').send(body).expect(201);
    expect(b.body.id).toBe(a.body.id);
    const ledger = await t.api.get(`/api/stock/movements?lotId=${a.body.id}`).set(coordinator());
    expect(ledger.body.total).toBe(1);
  });

  it('shows stock only to coordinators and admins', async () => {
    await t.api.get(`/api/warehouses/${warehouseId}/stock`).set(bearer(t.tokens.driver)).expect(403);
    await t.api.get(`/api/warehouses/${warehouseId}/stock`).set(bearer(t.tokens.admin)).expect(200);
    await t.api.post('/api/stock/lots').set(bearer(t.tokens.community)).send({ warehouseId, commodityId, lotCode: 'Z', quantity: 1 }).expect(403);
  });
});
