import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startDemoApp } from '../../support/app.ts';
import { solving } from '../../../server/plans/plans.service.ts';

type Stop = { id: number; kind: string; householdId: number | null; items: { needId: number }[] };
type Route = { id: number; driverId: number; kind: string; stops: Stop[] };
type Request = { id: number; status: string; statusText: string };

const ADMIN = 'admin@lifeline.local';
const COORDINATOR = 'coordinator@lifeline.local';
const COMMUNITY = 'community@lifeline.local';
const drivers = Array.from({ length: 8 }, (_, i) => `driver${i + 1}@lifeline.local`);

describe('household access codes and the resident page on the demo scenario', () => {
  let t: Awaited<ReturnType<typeof startDemoApp>>;
  /** Each demo household's code, issued on slips per community before anything was planned. */
  const codes = new Map<number, string>();
  let mine: string;
  let theirs: { id: number; community: string };
  const as = (email: string) => bearer(t.tokens[email]!);
  const resident = (householdId: number, lang = 'en') => t.api.get(`/api/resident/${codes.get(householdId)}?lang=${lang}`).expect(200);
  const statusOf = async (needId: number, lang = 'en') => {
    const [{ household_id }] = (await t.db.query<{ household_id: number }>('SELECT household_id FROM needs WHERE id = $1', [needId])) as [{ household_id: number }];
    return ((await resident(household_id, lang)).body.requests as Request[]).find((r) => r.id === needId)!;
  };

  beforeAll(async () => {
    t = await startDemoApp('pglite', [ADMIN, COORDINATOR, COMMUNITY, ...drivers]);
    const communities = (await t.db.query<{ community: string }>('SELECT DISTINCT community FROM households ORDER BY community')).map((r) => r.community);
    expect(communities.length).toBeGreaterThan(1);
    [mine] = communities as [string];
    await t.api.patch(`/api/users/${t.userIds[COMMUNITY]}`).set(as(ADMIN)).send({ communities: [mine] }).expect(200);
    const [other] = await t.db.query<{ id: number; community: string }>('SELECT id, community FROM households WHERE community <> $1 ORDER BY id LIMIT 1', [mine]);
    theirs = other!;
    for (const community of communities) {
      const slips = await t.api.post(`/api/communities/${encodeURIComponent(community)}/access-slips`).set(as(COORDINATOR)).send({}).expect(200);
      for (const slip of slips.body.slips) codes.set(slip.householdId, slip.code);
    }
  });
  afterAll(() => t.close());

  it('issues an unguessable code to the community worker of the household, stored only as its hash, and hides other communities’ households', async () => {
    const [household] = await t.db.query<{ id: number }>('SELECT id FROM households WHERE community = $1 ORDER BY id LIMIT 1', [mine]);
    const issued = await t.api.post(`/api/households/${household!.id}/access`).set(as(COMMUNITY)).expect(201);
    expect(issued.body.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(issued.body.url).toBe(`/h/${issued.body.code}`);
    codes.set(household!.id, issued.body.code);
    const stored = JSON.stringify(await t.db.query('SELECT * FROM household_access'));
    expect(stored).not.toContain(issued.body.code);

    await t.api.post(`/api/households/${theirs.id}/access`).set(as(COMMUNITY)).expect(404);
    await t.api.delete(`/api/households/${theirs.id}/access`).set(as(COMMUNITY)).expect(404);
    await t.api.post(`/api/communities/${encodeURIComponent(theirs.community)}/access-slips`).set(as(COMMUNITY)).send({}).expect(403);
    await t.api.post(`/api/households/${household!.id}/access`).set(as(drivers[0]!)).expect(403);
    await t.api.post(`/api/households/${household!.id}/access`).expect(401);
    await t.api.post('/api/households/999999/access').set(as(COORDINATOR)).expect(404);
    // Slips again: every household keeps its code; none is listed (a code is shown only when issued).
    const again = await t.api.post(`/api/communities/${encodeURIComponent(mine)}/access-slips`).set(as(COMMUNITY)).send({}).expect(200);
    expect(again.body.slips).toEqual([]);
    expect(again.body.keptCodes).toBeGreaterThan(0);
  });

  it('shows a household its own requests only, with nothing it did not give itself', async () => {
    for (const householdId of [theirs.id, ...[...codes.keys()].slice(0, 5)]) {
      const page = await resident(householdId);
      const own = await t.db.query<{ id: number }>('SELECT id FROM needs WHERE household_id = $1 ORDER BY id DESC', [householdId]);
      expect(page.body.requests.map((r: Request) => r.id)).toEqual(own.map((n) => n.id));
      expect(Object.keys(page.body.household).sort()).toEqual(['community', 'name']);
      const text = JSON.stringify(page.body);
      for (const hidden of ['address', 'phone', 'elderly', 'chronic', 'pregnant', 'infant', 'disabled', 'lat', 'householdId']) expect(text).not.toMatch(new RegExp(hidden, 'i'));
      expect(page.headers['cache-control']).toBe('no-store');
    }
  });

  it('stops a revoked code at once, and a reissued code replaces the old one', async () => {
    const householdId = theirs.id;
    const first = codes.get(householdId)!;
    await t.api.get(`/api/resident/${first}`).expect(200);
    await t.api.delete(`/api/households/${householdId}/access`).set(as(COORDINATOR)).expect(204);
    const gone = await t.api.get(`/api/resident/${first}`).expect(404);
    expect(gone.headers['content-type']).toMatch(/application\/problem\+json/);
    await t.api.delete(`/api/households/${householdId}/access`).set(as(COORDINATOR)).expect(404);

    const second = (await t.api.post(`/api/households/${householdId}/access`).set(as(COORDINATOR)).expect(201)).body.code;
    await t.api.get(`/api/resident/${second}`).expect(200);
    const third = (await t.api.post(`/api/households/${householdId}/access`).set(as(COORDINATOR)).expect(201)).body.code;
    await t.api.get(`/api/resident/${second}`).expect(404);
    await t.api.get(`/api/resident/${third.toLowerCase()}`).expect(200); // typed in lower case
    codes.set(householdId, third);
  });

  it('follows each request through confirmation, today’s plan (or why not yet), the road, delivery and failure, in en and zh', async () => {
    const [need] = await t.db.query<{ id: number }>(`SELECT id FROM needs WHERE status = 'open' ORDER BY id LIMIT 1`);
    expect((await statusOf(need!.id)).status).toBe('confirmed');
    // A household asks from its page: received, until the community worker confirms it.
    const [{ id: masks }] = (await t.db.query<{ id: number }>(`SELECT id FROM commodities WHERE code = 'MASKS-50'`)) as [{ id: number }];
    const [asker] = await t.db.query<{ id: number }>(
      `SELECT h.id FROM households h WHERE h.community = $1 AND NOT EXISTS (SELECT 1 FROM needs n WHERE n.household_id = h.id AND n.commodity_id = $2) ORDER BY h.id LIMIT 1`,
      [mine, masks],
    );
    const asked = (await t.api.post(`/api/resident/${codes.get(asker!.id)}/requests`).send({ commodityId: masks, quantity: 1 }).expect(201)).body as Request;
    expect(asked).toMatchObject({ status: 'received', statusText: 'Received. A community worker will confirm your request.' });
    expect((await statusOf(asked.id, 'zh')).statusText).toBe('已收到。社区工作人员将确认您的需求。');
    await t.api.post(`/api/community-queue/requests/${asked.id}`).set(as(COMMUNITY)).send({ decision: 'confirm' }).expect(200);
    expect((await statusOf(asked.id)).status).toBe('confirmed');

    const planId = (await t.api.post('/api/plans').set(as(COORDINATOR)).send({}).expect(202)).body.id;
    await solving.get(planId);
    await t.api.post(`/api/plans/${planId}/approve`).set(as(COORDINATOR)).expect(200);
    const plan = (await t.api.get(`/api/plans/${planId}`).set(as(COORDINATOR))).body;
    const outranked = plan.result.unmet.find((u: { reason: string; allocated: number }) => u.reason === 'outranked' && u.allocated === 0);
    expect(outranked).toBeDefined();
    expect(await statusOf(Number(outranked.needId))).toMatchObject({ status: 'waiting', statusText: expect.stringMatching(/stock is short, and households with more vulnerable members are served first/) });
    expect((await statusOf(Number(outranked.needId), 'zh')).statusText).toMatch(/物资紧缺/);
    expect((await statusOf(plan.allocations[0].needId)).status).toBe('planned');
    // The confirmed request went into the plan like any other need.
    expect(['planned', 'waiting']).toContain((await statusOf(asked.id)).status);

    const { routes } = (await t.api.post(`/api/plans/${planId}/dispatch`).set(as(COORDINATOR)).send({ timeLimitMs: 1500 }).expect(200)).body as { routes: Route[] };
    const route = routes.find((r) => r.kind === 'vehicle' && r.stops.filter((s) => s.kind === 'delivery').length >= 2)!;
    const [first, second] = route.stops.filter((s) => s.kind === 'delivery') as [Stop, Stop];
    const delivered = first.items[0]!.needId;
    const failed = second.items[0]!.needId;
    expect(await statusOf(delivered)).toMatchObject({ status: 'planned', statusText: expect.stringMatching(/^In today's delivery plan, expected \d\d:\d\d–\d\d:\d\d\.$/) });

    const [{ email }] = (await t.db.query<{ email: string }>('SELECT u.email FROM drivers d JOIN users u ON u.id = d.user_id WHERE d.id = $1', [route.driverId])) as [{ email: string }];
    await t.api.post(`/api/routes/${route.id}/pickup`).set(as(email)).expect(200);
    expect(await statusOf(delivered)).toMatchObject({ status: 'on_its_way', statusText: expect.stringMatching(/^On its way: the vehicle has left and is expected at your door \d\d:\d\d–\d\d:\d\d\.$/) });
    expect((await statusOf(delivered, 'zh')).statusText).toMatch(/^配送中：车辆已出发，预计 \d\d:\d\d–\d\d:\d\d 送到您家门口。$/);

    const gateRoute = routes.find((r) => r.kind === 'vehicle' && r.stops.some((s) => s.kind === 'gate'));
    if (gateRoute) {
      const gateNeed = gateRoute.stops.find((s) => s.kind === 'gate')!.items[0]!.needId;
      const [{ email: gateDriver }] = (await t.db.query<{ email: string }>('SELECT u.email FROM drivers d JOIN users u ON u.id = d.user_id WHERE d.id = $1', [gateRoute.driverId])) as [{ email: string }];
      if (gateRoute.id !== route.id) await t.api.post(`/api/routes/${gateRoute.id}/pickup`).set(as(gateDriver)).expect(200);
      expect((await statusOf(gateNeed)).statusText).toMatch(/^On its way: the vehicle has left for Porte Neuve gate, expected there \d\d:\d\d–\d\d:\d\d\. A volunteer then brings it to your door\.$/);
    }

    await t.api.post(`/api/stops/${first.id}/status`).set(as(email)).send({ status: 'delivered' }).expect(200);
    expect((await statusOf(delivered)).status).toBe('delivered');
    await t.api.post(`/api/stops/${second.id}/status`).set(as(email)).send({ status: 'failed', reason: 'nobody_home' }).expect(200);
    expect(await statusOf(failed)).toMatchObject({
      status: 'failed',
      statusText: 'Delivery failed: nobody was home. The goods went back to the warehouse; your request stays open and goes into the next plan.',
    });
    // The language follows Accept-Language when the page does not name one.
    const [{ household_id }] = (await t.db.query<{ household_id: number }>('SELECT household_id FROM needs WHERE id = $1', [failed])) as [{ household_id: number }];
    const zh = await t.api.get(`/api/resident/${codes.get(household_id)}`).set('Accept-Language', 'zh-CN,zh;q=0.9,en;q=0.5').expect(200);
    expect(zh.body.lang).toBe('zh');
    expect(zh.body.requests.find((r: Request) => r.id === failed).statusText).toMatch(/^配送未成功：家中无人。/);
  });

  it('throttles wrong codes per address (429 with Retry-After, even for a right code then), never counting right ones, and answers every wrong code alike', async () => {
    const right = codes.get(theirs.id)!;
    for (let i = 0; i < 25; i++) await t.api.get(`/api/resident/${right}`).expect(200);
    const malformed = await t.api.get('/api/resident/nope').expect(404);
    const wellFormed = await t.api.get('/api/resident/ABCDEFGHJKMNPQRS').expect(404);
    expect(malformed.body.detail).toBe(wellFormed.body.detail);
    let refused: Awaited<ReturnType<typeof t.api.get>> | undefined;
    for (let i = 0; i < 25 && !refused; i++) {
      const res = await t.api.get(`/api/resident/ZZZZZZZZZZZZZZ${String(i).padStart(2, '0')}`);
      if (res.status === 429) refused = res;
      else expect(res.status).toBe(404);
    }
    expect(refused).toBeDefined();
    expect(Number(refused!.headers['retry-after'])).toBeGreaterThan(0);
    const blocked = await t.api.get(`/api/resident/${right}?lang=zh`).expect(429);
    expect(blocked.body.detail).toMatch(/秒后再试/);
  });
});
