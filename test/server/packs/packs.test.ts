import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { aCommodity, aHousehold, post } from '../../support/records.ts';
import { aPlan, dispatched, twoWarehouses, type RouteBody, type TwoWarehouses } from '../../support/warehouses.ts';

/** A date `n` days from today, as the API takes it. */
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/** How each ledger kind moves a lot's on-hand stock (001_records.sql and 020_packs.sql), restated to check the trigger. */
const onHandSign: Record<string, number> = { received: 1, returned: 1, adjusted: 1, assembled: 1, unpacked: 1, dispatched: -1, spoiled: -1, packed: -1, disassembled: -1 };

interface LotBody {
  id: number;
  lotCode: string;
  commodityId: number;
  expiresOn: string | null;
  onHand: number;
  recalledAt: string | null;
}
interface Moved {
  lotId: number;
  quantity: number;
}

describe.each(databaseKinds)('standard packs on %s', (kind) => {
  let t: TestApp;
  let s: TwoWarehouses;
  const coordinator = () => bearer(t.tokens.coordinator);
  const c: Record<'oil' | 'eggs' | 'vegetables' | 'soap', number> = { oil: 0, eggs: 0, vegetables: 0, soap: 0 };
  const lots: Record<string, number> = {};
  let pack: { id: number; code: string; weightKg: number; perishable: boolean; components: { commodityId: number; quantity: number }[] };
  /** The pack lots made so far: the first assembly's and the retried one's. */
  let first: LotBody;
  let second: LotBody;

  const lotRow = async (id: number) => (await t.db.query<{ on_hand: number; reserved: number; in_transit: number }>('SELECT on_hand, reserved, in_transit FROM lots WHERE id = $1', [id]))[0]!;
  const count = async (table: string) => Number((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);
  const counts = async () => Object.fromEntries(await Promise.all(['commodities', 'pack_components', 'lots', 'stock_movements', 'assemblies', 'pack_lot_components', 'audit_log'].map(async (table) => [table, await count(table)])));
  const lot = (warehouseId: number, commodityId: number, lotCode: string, quantity: number, expiresOn?: string) =>
    post(t, '/api/stock/lots', { warehouseId, commodityId, lotCode, quantity, ...(expiresOn ? { expiresOn } : {}) }).then((l: LotBody) => (lots[lotCode] = l.id));

  beforeAll(async () => {
    t = await startTestApp(kind);
    s = await twoWarehouses(t);
    c.oil = (await aCommodity(t, { name: 'Oil', unit: '1 l bottle', weightKg: 0.92, volumeM3: 0.0011 })).id;
    c.eggs = (await aCommodity(t, { name: 'Eggs', unit: 'egg', weightKg: 0.06, volumeM3: 0.0001, perishable: true })).id;
    c.vegetables = (await aCommodity(t, { name: 'Vegetables', unit: '1 kg', weightKg: 1, volumeM3: 0.002, perishable: true })).id;
    c.soap = (await aCommodity(t, { name: 'Soap', unit: 'bar', weightKg: 0.1, volumeM3: 0.0001, category: 'hygiene' })).id;
    const at = s.fontvieille;
    lots['RICE-1'] = s.lots.rice; // 10 bags, no date
    await lot(at, s.rice, 'RICE-P', 4, inDays(60));
    await lot(at, c.oil, 'OIL-1', 10, inDays(300));
    await lot(at, c.eggs, 'EGG-OLD', 12, inDays(-1));
    await lot(at, c.eggs, 'EGG-A', 12, inDays(20));
    await lot(at, c.eggs, 'EGG-B', 20, inDays(10));
    await lot(at, c.eggs, 'EGG-C', 100);
    await lot(at, c.vegetables, 'VEG-1', 30, inDays(7));
  }, 120_000);
  afterAll(() => t.close());

  it('defines a lockdown food pack from its components: it weighs what they weigh and keeps when they keep', async () => {
    const components = [
      { commodityId: s.rice, quantity: 1 },
      { commodityId: c.oil, quantity: 1 },
      { commodityId: c.eggs, quantity: 12 },
      { commodityId: c.vegetables, quantity: 3 },
    ];
    pack = await post(t, '/api/packs', { code: 'FOODPACK', name: '保供包 lockdown food pack', category: 'food', components });
    expect(pack).toMatchObject({ code: 'FOODPACK', unit: 'pack', weightKg: 9.64, perishable: true });
    expect(pack.components).toEqual(components.map((line) => ({ ...line, name: expect.any(String), unit: expect.any(String) })));
    const listed = (await t.api.get('/api/packs').set(bearer(t.tokens.community)).expect(200)).body;
    expect(listed.map((p: { id: number }) => p.id)).toEqual([pack.id]);
    // A pack is a commodity: needs, plans and the catalogue name it like any other.
    expect((await t.api.get(`/api/commodities/${pack.id}`).set(coordinator()).expect(200)).body.name).toBe('保供包 lockdown food pack');
  });

  it('refuses a bad pack with problem+json naming the field, and writes nothing', async () => {
    const before = await counts();
    const bad: [object, number, string][] = [
      [{ code: 'X1', name: 'x', category: 'food', components: [] }, 400, 'body.components'],
      [{ code: 'X2', name: 'x', category: 'food', components: [{ commodityId: c.oil, quantity: 0 }] }, 400, 'body.components.0.quantity'],
      [{ code: 'X3', name: 'x', category: 'food', components: [{ commodityId: c.oil, quantity: 1 }, { commodityId: c.oil, quantity: 2 }] }, 400, 'body.components'],
      [{ code: 'X4', name: 'x', category: 'food', components: [{ commodityId: c.oil, quantity: 1 }, { commodityId: 999_999, quantity: 1 }] }, 404, 'body.components.1.commodityId'],
      [{ code: 'X5', name: 'x', category: 'food', components: [{ commodityId: c.oil, quantity: 1 }, { commodityId: pack.id, quantity: 1 }] }, 400, 'body.components.1.commodityId'],
      [{ code: 'FOODPACK', name: 'x', category: 'food', components: [{ commodityId: c.oil, quantity: 1 }] }, 409, 'body.code'],
      [{ code: 'X6', name: 'x', category: 'food', perishable: false, components: [{ commodityId: c.oil, quantity: 1 }] }, 400, 'body.perishable'],
    ];
    for (const [body, status, field] of bad) {
      const res = await t.api.post('/api/packs').set(coordinator()).send(body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.type).toBe('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    await t.api.post('/api/packs').set(bearer(t.tokens.community)).send({ code: 'X7', name: 'x', category: 'food', components: [{ commodityId: c.oil, quantity: 1 }] }).expect(403);
    expect(await counts()).toEqual(before);
  });

  it('assembles packs from the lots first expiring first, skipping expired ones; the pack lot expires with its earliest component', async () => {
    const res = await t.api.post(`/api/packs/${pack.id}/assemble`).set(coordinator()).send({ warehouseId: s.fontvieille, quantity: 2 }).expect(201);
    first = res.body.packLot;
    const moved = Object.fromEntries(res.body.moved.map((m: Moved) => [m.lotId, m.quantity]));
    // 24 eggs: the 20 of EGG-B (10 days) before EGG-A (20 days); EGG-OLD is past its date, EGG-C has none.
    expect(moved).toEqual({ [lots['RICE-P']!]: 2, [lots['OIL-1']!]: 2, [lots['EGG-B']!]: 20, [lots['EGG-A']!]: 4, [lots['VEG-1']!]: 6 });
    expect(first).toMatchObject({ commodityId: pack.id, warehouseId: s.fontvieille, onHand: 2, expiresOn: inDays(7), lotCode: `FOODPACK-A${res.body.assembly.id}` });
    expect(await lotRow(lots['EGG-B']!)).toEqual({ on_hand: 0, reserved: 0, in_transit: 0 });
    expect(await lotRow(lots['EGG-OLD']!)).toMatchObject({ on_hand: 12 });
    const ledger = (await t.api.get('/api/stock/movements').set(coordinator()).query({ warehouseId: s.fontvieille, limit: 500 }).expect(200)).body.items;
    const mine = ledger.filter((m: { assemblyId: number | null }) => m.assemblyId === res.body.assembly.id);
    expect(mine.map((m: { kind: string; lotId: number; quantity: number }) => [m.kind, m.lotId, m.quantity]).sort()).toEqual(
      [...Object.entries(moved).map(([lotId, q]) => ['packed', Number(lotId), q]), ['assembled', first.id, 2]].sort(),
    );
    const [listed] = (await t.api.get(`/api/packs/${pack.id}/lots`).set(coordinator()).expect(200)).body;
    expect(listed.components.map((p: { lotId: number; quantity: number; returned: number }) => [p.lotId, p.quantity, p.returned])).toEqual(
      expect.arrayContaining([[lots['EGG-B'], 20, 0], [lots['EGG-A'], 4, 0]]),
    );
  });

  it('refuses a bad assembly with problem+json, and writes nothing', async () => {
    const before = await counts();
    const assemble = (packId: number, body: object) => t.api.post(`/api/packs/${packId}/assemble`).set(coordinator()).send(body);
    const short = await assemble(pack.id, { warehouseId: s.fontvieille, quantity: 10 }).expect(409);
    expect(short.type).toBe('application/problem+json');
    expect(short.body.code).toBe('not-enough-stock');
    // Rice suffices (RICE-P 2 and RICE-1 10); the expired eggs do not count.
    expect(short.body.short).toEqual([
      { commodityId: c.oil, name: 'Oil', needed: 10, available: 8 },
      { commodityId: c.eggs, name: 'Eggs', needed: 120, available: 108 },
      { commodityId: c.vegetables, name: 'Vegetables', needed: 30, available: 24 },
    ]);
    expect((await assemble(pack.id, { warehouseId: s.fontvieille, quantity: 0 }).expect(400)).body.errors[0].field).toBe('body.quantity');
    expect((await assemble(pack.id, { warehouseId: 999_999, quantity: 1 }).expect(404)).body.errors[0].field).toBe('body.warehouseId');
    await assemble(999_999, { warehouseId: s.fontvieille, quantity: 1 }).expect(404);
    await assemble(c.oil, { warehouseId: s.fontvieille, quantity: 1 }).expect(404); // a commodity, not a pack
    expect((await assemble(pack.id, { warehouseId: s.fontvieille, quantity: 1, lotCode: first.lotCode }).expect(409)).body.code).toBe('already-exists');
    await assemble(pack.id, { warehouseId: s.fontvieille, quantity: 1, extra: true }).expect(400);
    expect(await counts()).toEqual(before);
  });

  it('assembles once for retries that carry the same Idempotency-Key', async () => {
    const before = await count('assemblies');
    const send = () => t.api.post(`/api/packs/${pack.id}/assemble`).set(coordinator()).set('Idempotency-Key', 'assemble-once').send({ warehouseId: s.fontvieille, quantity: 1 });
    const one = await send().expect(201);
    const again = await send().expect(201);
    expect(again.body).toEqual(one.body);
    expect(await count('assemblies')).toBe(before + 1);
    second = one.body.packLot;
    // EGG-B is used up: 8 left of EGG-A, then 4 of EGG-C.
    expect(one.body.moved.filter((m: Moved & { commodityId: number }) => m.commodityId === c.eggs).map((m: Moved) => [m.lotId, m.quantity])).toEqual([
      [lots['EGG-A'], 8],
      [lots['EGG-C'], 4],
    ]);
  });

  it('takes packs apart back into the lots they came from, earliest first, and never more than it holds', async () => {
    const res = await t.api.post(`/api/packs/${pack.id}/disassemble`).set(coordinator()).send({ lotId: first.id, quantity: 1, reason: 'a bottle broke' }).expect(201);
    expect(res.body.packLot.onHand).toBe(1);
    expect(Object.fromEntries(res.body.moved.map((m: Moved) => [m.lotId, m.quantity]))).toEqual({ [lots['RICE-P']!]: 1, [lots['OIL-1']!]: 1, [lots['EGG-B']!]: 12, [lots['VEG-1']!]: 3 });
    expect(await lotRow(lots['EGG-B']!)).toMatchObject({ on_hand: 12 });
    const before = await counts();
    const over = await t.api.post(`/api/packs/${pack.id}/disassemble`).set(coordinator()).send({ lotId: first.id, quantity: 2 }).expect(409);
    expect(over.body.code).toBe('not-enough-stock');
    expect((await t.api.post(`/api/packs/${pack.id}/disassemble`).set(coordinator()).send({ lotId: lots['EGG-A'], quantity: 1 }).expect(400)).body.errors[0].field).toBe('body.lotId');
    expect((await t.api.post(`/api/packs/${pack.id}/disassemble`).set(coordinator()).send({ lotId: 999_999, quantity: 1 }).expect(404)).body.errors[0].field).toBe('body.lotId');
    expect(await counts()).toEqual(before);
  });

  it('keeps the ledger balanced: per lot and per commodity the movements add up to the stock, and no unit is made or lost', async () => {
    const ledger = (await t.api.get('/api/stock/movements').set(coordinator()).query({ warehouseId: s.fontvieille, limit: 500 }).expect(200)).body;
    expect(ledger.total).toBeLessThan(500);
    const stock = (await t.api.get(`/api/warehouses/${s.fontvieille}/stock`).set(coordinator()).expect(200)).body.commodities as { commodityId: number; onHand: number; lots: { id: number; onHand: number }[] }[];
    const byLot = new Map<number, number>();
    const byCommodity = new Map<number, number>();
    for (const m of ledger.items as { lotId: number; commodityId: number; kind: string; quantity: number }[]) {
      const change = (onHandSign[m.kind] ?? 0) * m.quantity;
      byLot.set(m.lotId, (byLot.get(m.lotId) ?? 0) + change);
      byCommodity.set(m.commodityId, (byCommodity.get(m.commodityId) ?? 0) + change);
    }
    for (const line of stock) {
      expect(byCommodity.get(line.commodityId), `commodity ${line.commodityId}`).toBe(line.onHand);
      for (const l of line.lots) expect(byLot.get(l.id), `lot ${l.id}`).toBe(l.onHand);
    }
    // Every component unit received is on a shelf, loose or inside a pack still on hand.
    const onHand = (commodityId: number) => stock.find((l) => l.commodityId === commodityId)?.onHand ?? 0;
    const received = (commodityId: number) => ledger.items.filter((m: { commodityId: number; kind: string }) => m.commodityId === commodityId && m.kind === 'received').reduce((sum: number, m: { quantity: number }) => sum + m.quantity, 0);
    for (const line of pack.components) {
      expect(onHand(line.commodityId) + onHand(pack.id) * line.quantity, `component ${line.commodityId}`).toBe(received(line.commodityId));
    }
    expect(onHand(pack.id)).toBe(2); // 2 + 1 assembled, 1 taken apart
  });

  it('never takes the same units twice when assemblies race for the last of them', async () => {
    const kit = await post(t, '/api/packs', { code: 'SOAPKIT', name: 'Soap kit', category: 'hygiene', components: [{ commodityId: c.soap, quantity: 2 }] });
    await lot(s.fontvieille, c.soap, 'SOAP-1', 3);
    await lot(s.fontvieille, c.soap, 'SOAP-2', 3);
    const attempts = await Promise.all(Array.from({ length: 6 }, () => t.api.post(`/api/packs/${kit.id}/assemble`).set(coordinator()).send({ warehouseId: s.fontvieille, quantity: 1 })));
    expect(attempts.map((r) => r.status).sort()).toEqual([201, 201, 201, 409, 409, 409]);
    expect(attempts.filter((r) => r.status === 409).every((r) => r.body.code === 'not-enough-stock')).toBe(true);
    expect(await lotRow(lots['SOAP-1']!)).toMatchObject({ on_hand: 0 });
    expect(await lotRow(lots['SOAP-2']!)).toMatchObject({ on_hand: 0 });
    const kits = (await t.api.get(`/api/packs/${kit.id}/lots`).set(coordinator()).expect(200)).body as { onHand: number; components: { quantity: number }[] }[];
    expect(kits.map((k) => [k.onHand, k.components.reduce((sum, p) => sum + p.quantity, 0)])).toEqual([[1, 2], [1, 2], [1, 2]]);
  });

  it('checks the warehouse scope on the stored records: another warehouse’s coordinator can neither assemble there nor take its packs apart', async () => {
    const other = bearer(s.coordinators.monteCarlo.token);
    const before = await counts();
    const refused = await t.api.post(`/api/packs/${pack.id}/assemble`).set(other).send({ warehouseId: s.fontvieille, quantity: 1 }).expect(403);
    expect(refused.body.errors[0].field).toBe('body.warehouseId');
    await t.api.post(`/api/packs/${pack.id}/disassemble`).set(other).send({ lotId: first.id, quantity: 1 }).expect(404);
    expect((await t.api.get(`/api/packs/${pack.id}/lots`).set(other).expect(200)).body).toEqual([]);
    expect((await t.api.get(`/api/packs/${pack.id}/lots`).set(bearer(s.coordinators.fontvieille.token)).expect(200)).body).toHaveLength(2);
    expect(await counts()).toEqual(before);
  });

  describe('asked for by households', () => {
    let delivered: number;
    let receiver: number;
    let carrying: RouteBody;

    it('a need for a pack reaches a plan from the pack lots, a route, and the door', async () => {
      const need = (await post(t, '/api/needs', { household: aHousehold({ name: 'Colombo household', address: '21 Avenue de Fontvieille', phone: '+377 93 00 00 21', lat: 43.7299, lon: 7.4161 }), commodityId: pack.id, quantity: 1 }, 'community')).need;
      receiver = need.householdId;
      const plan = await aPlan(t, { commodityIds: [pack.id] });
      expect(plan.allocations).toEqual([expect.objectContaining({ needId: need.id, quantity: 1, warehouseId: s.fontvieille })]);
      delivered = plan.allocations[0]!.lotId;
      expect([first.id, second.id]).toContain(delivered);
      const [route] = await dispatched(t, plan.id);
      const driver = bearer(s.drivers.fontvieille.token);
      const stop = route!.stops.find((x) => x.items.some((i) => i.needId === need.id))!;
      expect(stop.items).toEqual([expect.objectContaining({ needId: need.id, lotId: delivered, quantity: 1 })]);
      await t.api.post(`/api/routes/${route!.id}/pickup`).set(driver).expect(200);
      await t.api.post(`/api/stops/${stop.id}/status`).set(driver).send({ status: 'delivered' }).expect(200);
      expect((await t.api.get(`/api/needs/${need.id}`).set(coordinator()).expect(200)).body).toMatchObject({ status: 'fulfilled', fulfilled: 1 });
      expect(await lotRow(delivered)).toEqual({ on_hand: 0, reserved: 0, in_transit: 0 });
      // A second pack is on the road to a neighbour when the recall comes.
      await post(t, '/api/needs', { household: aHousehold({ name: 'Greco household', address: '23 Avenue de Fontvieille', phone: '+377 93 00 00 23', lat: 43.7297, lon: 7.4159 }), commodityId: pack.id, quantity: 1 }, 'community');
      [carrying] = await dispatched(t, (await aPlan(t, { commodityIds: [pack.id] })).id);
      await t.api.post(`/api/routes/${carrying!.id}/pickup`).set(driver).expect(200);
    }, 60_000);

    it('a recall of a component lot goes through the packs: they are blocked, pulled off the road, and their households listed', async () => {
      const res = await t.api.post(`/api/lots/${lots['VEG-1']}/recall`).set(coordinator()).send({ reason: 'mouldy vegetables' }).expect(200);
      expect(res.body.packLots.map((l: LotBody) => l.id).sort()).toEqual([first.id, second.id].sort());
      for (const l of res.body.packLots) expect(l).toMatchObject({ recalledAt: expect.any(String), recallReason: expect.stringMatching(/^made with recalled lot VEG-1: mouldy vegetables$/) });
      expect(res.body.households).toEqual([expect.objectContaining({ householdId: receiver, lotId: delivered, commodityId: pack.id, quantity: 1, name: 'Colombo household' })]);
      expect(res.body.routes).toEqual([expect.objectContaining({ routeId: carrying.id, stopIds: [carrying.stops.find((x) => x.items.length > 0)!.id] })]);
      // No plan takes a pack lot made with it, and nothing more goes into packs from it.
      await post(t, '/api/needs', { household: aHousehold({ name: 'Ricci household', address: '25 Avenue de Fontvieille', phone: '+377 93 00 00 25', lat: 43.7296, lon: 7.4157 }), commodityId: pack.id, quantity: 1 }, 'community');
      expect((await aPlan(t, { commodityIds: [pack.id] })).allocations).toEqual([]);
      const blocked = await t.api.post(`/api/packs/${pack.id}/assemble`).set(coordinator()).send({ warehouseId: s.fontvieille, quantity: 1 }).expect(409);
      expect(blocked.body.short).toEqual([expect.objectContaining({ commodityId: c.vegetables, available: 0 })]);
      // The household's own page warns it about the pack.
      const { code } = await post(t, `/api/households/${receiver}/access`, {}, 'community');
      expect((await t.api.get(`/api/resident/${code}`).query({ lang: 'en' }).expect(200)).body.notices).toEqual([
        { kind: 'recall', text: expect.stringMatching(/^Recall: the 保供包 lockdown food pack delivered to you/) },
      ]);
    });

    it('replaces the packs the households received in one action on the component lot, once', async () => {
      const res = await t.api.post(`/api/lots/${lots['VEG-1']}/recall/replacements`).set(coordinator()).expect(201);
      expect(res.body.needIds).toHaveLength(1);
      expect((await t.api.get(`/api/needs/${res.body.needIds[0]}`).set(coordinator()).expect(200)).body).toMatchObject({ householdId: receiver, commodityId: pack.id, quantity: 1, status: 'open' });
      await t.api.post(`/api/lots/${delivered}/recall/replacements`).set(coordinator()).expect(409);
      await t.api.post(`/api/lots/${lots['VEG-1']}/recall/replacements`).set(coordinator()).expect(409);
    });
  });
});
