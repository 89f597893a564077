import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { connect } from '../../support/sockets.ts';
import { aHousehold, post } from '../../support/records.ts';
import { aMember, aPlan, dispatched, fontvieillePlan, twoWarehouses, type RouteBody, type TwoWarehouses } from '../../support/warehouses.ts';

describe.each(databaseKinds)('recalling a lot on %s', (kind) => {
  let t: TestApp;
  let url: string;
  let s: TwoWarehouses;
  /** The household that received rice of the lot before the recall, and the route carrying more of it. */
  let receiver: number;
  let carrying: RouteBody;
  const coordinator = () => bearer(t.tokens.coordinator);
  const lot = async (id: number) => (await t.db.query<{ on_hand: number; reserved: number; in_transit: number }>('SELECT on_hand, reserved, in_transit FROM lots WHERE id = $1', [id]))[0]!;

  beforeAll(async () => {
    t = await startTestApp(kind);
    url = await t.listen();
    s = await twoWarehouses(t);
    const driver = bearer(s.drivers.fontvieille.token);
    // A first round delivers 5 of the rice lot to the household near Fontvieille...
    const [first] = await dispatched(t, (await fontvieillePlan(t, s)).id);
    await t.api.post(`/api/routes/${first!.id}/pickup`).set(driver).expect(200);
    await t.api.post(`/api/stops/${first!.stops[0]!.id}/status`).set(driver).send({ status: 'delivered' }).expect(200);
    receiver = (await t.api.get(`/api/needs/${s.needs.riceFontvieille}`).set(coordinator()).expect(200)).body.householdId;
    // ...and a second has 3 more on the road to a neighbour when the recall comes.
    const neighbour = aHousehold({ name: 'Neri household', address: '9 Avenue de Fontvieille', phone: '+377 93 00 00 09', lat: 43.7295, lon: 7.4158 });
    await post(t, '/api/needs', { household: neighbour, commodityId: s.rice, quantity: 3 }, 'community');
    const second = await aPlan(t, { commodityIds: [s.rice], exclusions: [{ needId: s.needs.riceMonteCarlo, warehouseId: s.fontvieille }] });
    [carrying] = await dispatched(t, second.id);
    await t.api.post(`/api/routes/${carrying!.id}/pickup`).set(driver).expect(200);
  }, 120_000);
  afterAll(() => t.close());

  it('reaches the driver carrying it live, takes it off the stop and puts it back in stock', async () => {
    expect(await lot(s.lots.rice)).toEqual({ on_hand: 2, reserved: 0, in_transit: 3 });
    const phone = connect(url, s.drivers.fontvieille.token);
    await phone.hello;
    const res = await t.api.post(`/api/lots/${s.lots.rice}/recall`).set(coordinator()).send({ reason: 'mould found in bags of this lot' }).expect(200);
    expect(res.body.routes).toEqual([{ routeId: carrying.id, driverId: s.drivers.fontvieille.driverId, status: 'completed', stopIds: [carrying.stops[0]!.id] }]);
    const told = await phone.next((e) => e.type === 'route:updated' && (e.data as { routeId: number }).routeId === carrying.id && /recalled/.test((e.data as { reason: string }).reason));
    expect(told.data).toMatchObject({ status: 'completed' });
    // The driver's app reads the route again, as it does on every route:updated.
    const reread: RouteBody & { stops: { status: string; reason: string | null }[] } = (await t.api.get(`/api/routes/${carrying.id}`).set(bearer(s.drivers.fontvieille.token)).expect(200)).body;
    const stop = reread.stops[0]!;
    expect(stop).toMatchObject({ status: 'failed', reason: 'recalled', items: [] });
    phone.close();
    // What was on the road is back on hand, where no plan will take it; what was delivered stays delivered.
    expect(await lot(s.lots.rice)).toEqual({ on_hand: 5, reserved: 0, in_transit: 0 });
    expect(res.body.lot).toMatchObject({ id: s.lots.rice, recallReason: 'mould found in bags of this lot', recalledAt: expect.any(String) });
  });

  it('lists the households that received it for the coordinator, and each community worker their own', async () => {
    const recalls = (await t.api.get('/api/recalls').set(coordinator()).expect(200)).body;
    const rice = recalls.find((r: { lot: { id: number } }) => r.lot.id === s.lots.rice);
    expect(rice.households).toEqual([
      expect.objectContaining({ householdId: receiver, community: 'Monte-Carlo', needId: s.needs.riceFontvieille, quantity: 5, name: 'Bianchi household', address: expect.any(String) }),
    ]);
    const own = await aMember(t, 'community', { communities: ['Monte-Carlo'] });
    const other = await aMember(t, 'community', { communities: ['La Condamine'] });
    expect((await t.api.get('/api/recalls').set(bearer(own.token)).expect(200)).body[0].households.map((h: { householdId: number }) => h.householdId)).toEqual([receiver]);
    expect((await t.api.get('/api/recalls').set(bearer(other.token)).expect(200)).body).toEqual([]);
    await t.api.get('/api/recalls').set(bearer(t.tokens.driver)).expect(403);
  });

  it('warns the household on its own page, in en and zh', async () => {
    const { code } = await post(t, `/api/households/${receiver}/access`, {}, 'community');
    const en = (await t.api.get(`/api/resident/${code}`).query({ lang: 'en' }).expect(200)).body;
    expect(en.notices).toEqual([{ kind: 'recall', text: expect.stringMatching(/^Recall: the Rice delivered to you on .+ has been recalled \(mould found in bags of this lot\)\. Do not use it/) }]);
    const zh = (await t.api.get(`/api/resident/${code}`).query({ lang: 'zh' }).expect(200)).body;
    expect(zh.notices[0].text).toMatch(/^召回通知：.+Rice 已被召回（mould found in bags of this lot）/);
  });

  it('creates the replacement needs in one action, once', async () => {
    const res = await t.api.post(`/api/lots/${s.lots.rice}/recall/replacements`).set(coordinator()).expect(201);
    expect(res.body.needIds).toHaveLength(1);
    const need = (await t.api.get(`/api/needs/${res.body.needIds[0]}`).set(coordinator()).expect(200)).body;
    expect(need).toMatchObject({ householdId: receiver, commodityId: s.rice, quantity: 5, fulfilled: 0, status: 'open', urgency: 'high' });
    await t.api.post(`/api/lots/${s.lots.rice}/recall/replacements`).set(coordinator()).expect(409);
  });

  it('blocks the lot from plans at once: a plan made before is refused at approval, a new one leaves it out, nothing reserves it', async () => {
    const before = await aPlan(t, { commodityIds: [s.water] });
    expect(before.allocations.map((a) => a.lotId)).toEqual([s.lots.water]);
    await t.api.post(`/api/lots/${s.lots.water}/recall`).set(coordinator()).send({ reason: 'seal broken' }).expect(200);
    const stale = await t.api.post(`/api/plans/${before.id}/approve`).set(coordinator()).expect(409);
    expect(stale.body.code).toBe('stale-plan');
    const after = await aPlan(t, { commodityIds: [s.water] });
    expect(after.allocations).toEqual([]);
    const reserve = await t.api.post('/api/stock/movements').set(coordinator()).send({ lotId: s.lots.water, kind: 'reserved', quantity: 1, reason: 'by hand' }).expect(409);
    expect(reserve.body.code).toBe('recalled');
    await t.api.post(`/api/lots/${s.lots.water}/recall`).set(coordinator()).send({ reason: 'again' }).expect(409);
  });

  it('withdraws an approved plan that draws on it, releasing what it reserved', async () => {
    const lotId = (await post(t, '/api/stock/lots', { warehouseId: s.monteCarlo, commodityId: s.water, lotCode: 'WATER-2', quantity: 10, supplier: 'Eaux de Monaco' })).id;
    const plan = await aPlan(t, { commodityIds: [s.water] });
    await t.api.post(`/api/plans/${plan.id}/approve`).set(coordinator()).expect(200);
    expect((await lot(lotId)).reserved).toBe(5);
    const res = await t.api.post(`/api/lots/${lotId}/recall`).set(coordinator()).send({ reason: 'supplier warning' }).expect(200);
    expect(res.body.withdrawnPlanIds).toEqual([plan.id]);
    expect(res.body.lot).toMatchObject({ supplierKind: 'vendor', supplier: 'Eaux de Monaco' });
    expect((await lot(lotId)).reserved).toBe(0);
    expect((await t.api.get(`/api/plans/${plan.id}`).set(coordinator())).body.status).toBe('stale');
    await t.api.post(`/api/plans/${plan.id}/dispatch`).set(coordinator()).send({}).expect(409);
  });

  it('shows a donated lot as recalled on the public tracking page, naming its donor as supplier', async () => {
    const donation = await post(t, '/api/donations', { warehouseId: s.fontvieille, donorName: 'Boulangerie Riviera', items: [{ commodityId: s.rice, quantity: 4 }] }, 'charity');
    const { items } = (await t.api.get(`/api/donations/${donation.id}`).set(coordinator())).body;
    const received = await post(t, `/api/donations/${donation.id}/receive`, { items: [{ itemId: items[0].id, accepted: 4 }] });
    const lotId = received.items[0].lotId;
    const recalled = await t.api.post(`/api/lots/${lotId}/recall`).set(coordinator()).send({ reason: 'flooded store room' }).expect(200);
    expect(recalled.body.lot).toMatchObject({ supplierKind: 'donor', supplier: 'Boulangerie Riviera' });
    const track = (await t.api.get(`/api/track/${donation.trackingCode}`).expect(200)).body;
    expect(track.recalls).toEqual([{ commodity: 'Rice', recalledAt: expect.any(String), reason: 'flooded store room' }]);
  });

  it('is for coordinators of the lot’s warehouse only', async () => {
    const lotId = (await post(t, '/api/stock/lots', { warehouseId: s.fontvieille, commodityId: s.rice, lotCode: 'RICE-9', quantity: 1 })).id;
    await t.api.post(`/api/lots/${lotId}/recall`).set(bearer(s.coordinators.monteCarlo.token)).send({ reason: 'x' }).expect(404);
    await t.api.post(`/api/lots/${lotId}/recall`).set(bearer(t.tokens.community)).send({ reason: 'x' }).expect(403);
    await t.api.post(`/api/lots/${lotId}/recall`).set(coordinator()).send({}).expect(400);
    await t.api.post('/api/lots/999999/recall').set(coordinator()).send({ reason: 'x' }).expect(404);
  });
});
