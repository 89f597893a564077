import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startDemoApp } from '../../support/app.ts';
import { solving } from '../../../server/plans/plans.service.ts';
import { verifyDraw, type DrawResults } from '../../../server/campaigns/draw.ts';

type Stop = { id: number; kind: string; items: { needId: number }[] };
type Route = { id: number; driverId: number; kind: string; stops: Stop[] };
type Request = { id: number; commodity: string; quantity: number; status: string };

const ADMIN = 'admin@lifeline.local';
const CHARITY = 'charity@lifeline.local';
const drivers = Array.from({ length: 8 }, (_, i) => `driver${i + 1}@lifeline.local`);

describe('a campaign’s winners on the demo scenario', () => {
  let t: Awaited<ReturnType<typeof startDemoApp>>;
  let campaignId: number;
  let commodityId: number;
  /** Six households outside the sealed zone, with their codes. */
  const codes = new Map<number, string>();
  const as = (email: string) => bearer(t.tokens[email]!);
  const pageOf = async (householdId: number) => (await t.api.get(`/api/resident/${codes.get(householdId)}?lang=en`).expect(200)).body.requests as Request[];
  const entryOf = async (householdId: number) => (await t.api.get(`/api/campaigns/${campaignId}/entries/${codes.get(householdId)}`).expect(200)).body;
  const campaignNeeds = () => t.db.query<{ id: number; household_id: number; quantity: number; status: string }>(`SELECT id, household_id, quantity, status FROM needs WHERE $1 = ANY(sources) ORDER BY id`, [`campaign:${campaignId}`]);

  beforeAll(async () => {
    t = await startDemoApp('pglite', [ADMIN, CHARITY, ...drivers]);
    commodityId = (await t.api.post('/api/commodities').set(as(ADMIN)).send({ code: 'FFP2', name: 'FFP2 masks', unit: 'box', weightKg: 0.2, volumeM3: 0.001, category: 'hygiene' }).expect(201)).body.id;
    const [warehouse] = await t.db.query<{ id: number }>('SELECT id FROM warehouses ORDER BY id LIMIT 1');
    const donation = await t.api.post('/api/donations').set(as(CHARITY)).send({ warehouseId: warehouse!.id, donorName: 'Mask maker', items: [{ commodityId, quantity: 10 }] }).expect(201);
    const items = (await t.api.get(`/api/donations/${donation.body.id}`).set(as(ADMIN))).body.items as { id: number }[];
    await t.api.post(`/api/donations/${donation.body.id}/receive`).set(as(ADMIN)).send({ items: items.map((i) => ({ itemId: i.id, accepted: 10 })) }).expect(200);
    const households = await t.db.query<{ id: number }>(
      `SELECT h.id FROM households h LEFT JOIN zones z ON z.id = h.zone_id WHERE z.id IS NULL OR z.status <> 'sealed' ORDER BY h.id LIMIT 6`,
    );
    for (const { id } of households) codes.set(id, (await t.api.post(`/api/households/${id}/access`).set(as(ADMIN)).expect(201)).body.code);
    const opened = await t.api
      .post('/api/campaigns')
      .set(as(ADMIN))
      .send({ commodityId, quantity: 3, perHouseholdCap: 1, opensAt: new Date(Date.now() - 60_000).toISOString(), closesAt: new Date(Date.now() + 3600_000).toISOString() })
      .expect(201);
    campaignId = opened.body.id;
    for (const code of codes.values()) await t.api.post(`/api/campaigns/${campaignId}/requests`).send({ code, quantity: 1 }).expect(201);
  });
  afterAll(() => t.close());

  it('turns the winners into needs that the next plan serves and their pages show; the others learn their place', async () => {
    const results = (await t.api.post(`/api/campaigns/${campaignId}/close`).set(as(ADMIN)).expect(200)).body as DrawResults;
    expect(verifyDraw(results)).toBeUndefined();
    const needs = await campaignNeeds();
    expect(needs).toHaveLength(3);
    for (const need of needs) {
      expect((await pageOf(need.household_id)).find((r) => r.id === need.id)).toMatchObject({ commodity: 'FFP2 masks', quantity: 1, status: 'confirmed' });
      expect(await entryOf(need.household_id)).toMatchObject({ status: 'won', given: 1, waitingPlace: null });
    }
    const losers = [...codes.keys()].filter((id) => !needs.some((n) => n.household_id === id));
    expect((await Promise.all(losers.map(entryOf))).map((e) => e.waitingPlace).sort()).toEqual([1, 2, 3]);

    const planId = (await t.api.post('/api/plans').set(as(ADMIN)).send({ commodityIds: [commodityId] }).expect(202)).body.id;
    await solving.get(planId);
    await t.api.post(`/api/plans/${planId}/approve`).set(as(ADMIN)).expect(200);
    const plan = (await t.api.get(`/api/plans/${planId}`).set(as(ADMIN))).body as { allocations: { needId: number; quantity: number }[] };
    expect(plan.allocations.map((a) => a.needId).sort()).toEqual(needs.map((n) => n.id).sort());
    for (const need of needs) expect((await pageOf(need.household_id)).find((r) => r.id === need.id)!.status).toBe('planned');
  });

  it('moves the waiting list up when a winner refuses the delivery at the door', async () => {
    const [planId] = (await t.db.query<{ id: number }>(`SELECT id FROM plans WHERE status = 'approved' ORDER BY id DESC LIMIT 1`)).map((p) => p.id);
    const { routes } = (await t.api.post(`/api/plans/${planId}/dispatch`).set(as(ADMIN)).send({ timeLimitMs: 1500 }).expect(200)).body as { routes: Route[] };
    const needs = await campaignNeeds();
    const route = routes.find((r) => r.stops.some((s) => s.kind === 'delivery' && s.items.some((i) => needs.some((n) => n.id === i.needId))))!;
    const stop = route.stops.find((s) => s.kind === 'delivery' && s.items.some((i) => needs.some((n) => n.id === i.needId)))!;
    const refused = needs.find((n) => stop.items.some((i) => i.needId === n.id))!;
    const before = (await t.api.get(`/api/campaigns/${campaignId}/results`).expect(200)).body as DrawResults;
    const head = before.entries.find((e) => e.waitingPlace === 1)!;

    const [{ email }] = (await t.db.query<{ email: string }>('SELECT u.email FROM drivers d JOIN users u ON u.id = d.user_id WHERE d.id = $1', [route.driverId])) as [{ email: string }];
    await t.api.post(`/api/routes/${route.id}/pickup`).set(as(email)).expect(200);
    await t.api.post(`/api/stops/${stop.id}/status`).set(as(email)).send({ status: 'failed', reason: 'refused' }).expect(200);

    expect(await entryOf(refused.household_id)).toMatchObject({ status: 'forfeited', given: 0 });
    const after = await campaignNeeds();
    expect(after.find((n) => n.id === refused.id)!.status).toBe('cancelled');
    const promoted = after.find((n) => !needs.some((m) => m.id === n.id))!;
    expect(promoted).toMatchObject({ quantity: 1, status: 'open' });
    expect(await entryOf(promoted.household_id)).toMatchObject({ status: 'won', given: 1 });
    expect((await pageOf(promoted.household_id)).find((r) => r.id === promoted.id)).toMatchObject({ commodity: 'FFP2 masks', status: 'confirmed' });
    const waiting = [...codes.keys()].filter((id) => !after.some((n) => n.household_id === id));
    expect((await Promise.all(waiting.map(entryOf))).map((e) => e.waitingPlace).sort()).toEqual([1, 2]);
    // The published draw is unchanged and still verifies; only the entries' current status moved.
    const results = (await t.api.get(`/api/campaigns/${campaignId}/results`).expect(200)).body as DrawResults;
    expect(verifyDraw(results)).toBeUndefined();
    expect(results.entries.find((e) => e.receiptHash === head.receiptHash)).toMatchObject({ outcome: 'waiting', status: 'won' });
    expect((await t.api.get(`/api/campaigns/${campaignId}`).expect(200)).body.remaining).toBe(0);
  });
});
