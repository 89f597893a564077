import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startDemoApp } from '../../support/app.ts';
import { solving } from '../../../server/plans/plans.service.ts';

type Stop = { id: number; kind: string; status: string; trip: number | null; items: { commodityId: number; quantity: number }[] };
type Route = { id: number; driverId: number; kind: string; status: string; version: number; warehouseIds: number[]; stops: Stop[] };
type Summary = Omit<Route, 'stops'> & { stopCount: number; stopsByStatus: Record<string, number>; weightKg: number; trips: number; lastDoneAt: string | null };

const COORDINATOR = 'coordinator@lifeline.local';
const drivers = Array.from({ length: 8 }, (_, i) => `driver${i + 1}@lifeline.local`);
const volunteers = Array.from({ length: 4 }, (_, i) => `volunteer${i + 1}@lifeline.local`);

describe('the board’s routes summed up (GET /api/routes?view=summary) on the demo scenario', () => {
  let t: Awaited<ReturnType<typeof startDemoApp>>;
  let coordinator: Record<string, string>;
  let full: Route[];

  beforeAll(async () => {
    t = await startDemoApp('pglite', [COORDINATOR, ...drivers, ...volunteers]);
    coordinator = bearer(t.tokens[COORDINATOR]!);
    const { id: planId } = (await t.api.post('/api/plans').set(coordinator).send({}).expect(202)).body;
    await solving.get(planId);
    await t.api.post(`/api/plans/${planId}/approve`).set(coordinator).expect(200);
    await t.api.post(`/api/plans/${planId}/dispatch`).set(coordinator).send({ timeLimitMs: 1000 }).expect(200);
    // One route on its way, one stop of it delivered and one failed: every count differs from the others.
    const busiest = (await t.db.query<{ id: number; email: string }>(
      `SELECT r.id, u.email FROM routes r JOIN drivers d ON d.id = r.driver_id JOIN users u ON u.id = d.user_id
       WHERE r.kind = 'vehicle' ORDER BY (SELECT count(*) FROM stops s WHERE s.route_id = r.id AND s.kind <> 'collection') DESC, r.id LIMIT 1`,
    ))[0]!;
    const driver = bearer(t.tokens[busiest.email]!);
    await t.api.post(`/api/routes/${busiest.id}/accept`).set(driver).expect(200);
    await t.api.post(`/api/routes/${busiest.id}/pickup`).set(driver).expect(200);
    const [first, second] = ((await t.api.get(`/api/routes/${busiest.id}`).set(driver).expect(200)).body.stops as Stop[]).filter((s) => s.kind !== 'collection');
    await t.api.post(`/api/stops/${first!.id}/status`).set(driver).send({ status: 'delivered' }).expect(200);
    await t.api.post(`/api/stops/${second!.id}/status`).set(driver).send({ status: 'failed', reason: 'nobody_home' }).expect(200);
    full = (await t.api.get('/api/routes').query({ limit: 500 }).set(coordinator).expect(200)).body;
  });
  afterAll(() => t.close());

  it('counts each route’s stops by state, weighs its goods and counts its trips as its stops show them, without the stops', async () => {
    const summaries = (await t.api.get('/api/routes').query({ limit: 500, view: 'summary' }).set(coordinator).expect(200)).body as Summary[];
    const weightOf = new Map((await t.db.query<{ id: number; weight_kg: number }>('SELECT id, weight_kg FROM commodities')).map((c) => [c.id, c.weight_kg]));
    expect(full.some((r) => new Set(r.stops.map((s) => s.status)).size === 3)).toBe(true);
    expect(summaries.map((s) => s.id)).toEqual(full.map((r) => r.id));
    for (const [i, { stops, reloads: _, ...route }] of (full as (Route & { reloads: number[] })[]).entries()) {
      const summary = summaries[i]!;
      expect(summary).not.toHaveProperty('stops');
      expect(summary).toMatchObject(route);
      const byStatus = { pending: 0, delivered: 0, failed: 0, collected: 0 } as Record<string, number>;
      for (const s of stops) byStatus[s.status]! += 1;
      expect(summary.stopCount).toBe(stops.length);
      expect(summary.stopsByStatus).toEqual(byStatus);
      expect(summary.trips).toBe(new Set(stops.filter((s) => s.trip !== null).map((s) => s.trip)).size);
      expect(summary.weightKg).toBeCloseTo(stops.flatMap((s) => s.items).reduce((sum, item) => sum + item.quantity * weightOf.get(item.commodityId)!, 0), 6);
      expect(summary.lastDoneAt !== null).toBe(byStatus.delivered! + byStatus.failed! > 0);
    }
  });

  it('filters the routes by kind, state and failed stops on the server, as the board asks for them', async () => {
    const ids = async (query: Record<string, string>) =>
      ((await t.api.get('/api/routes').query({ limit: 500, view: 'summary', ...query }).set(coordinator).expect(200)).body as Summary[]).map((r) => r.id);
    const walking = full.filter((r) => r.kind === 'walking').map((r) => r.id);
    expect(walking.length).toBeGreaterThan(0);
    expect(await ids({ kind: 'walking' })).toEqual(walking);
    expect(await ids({ kind: 'vehicle' })).toEqual(full.filter((r) => r.kind === 'vehicle').map((r) => r.id));
    const failed = full.filter((r) => r.stops.some((s) => s.status === 'failed')).map((r) => r.id);
    expect(failed).toHaveLength(1);
    expect(await ids({ failed: 'true' })).toEqual(failed);
    expect(await ids({ failed: 'false' })).toEqual(full.filter((r) => !failed.includes(r.id)).map((r) => r.id));
    expect(await ids({ status: 'picked_up', kind: 'vehicle' })).toEqual(failed);
    expect(await ids({ status: 'picked_up', kind: 'walking' })).toEqual([]);
    const bad = await t.api.get('/api/routes').query({ status: 'lost', failed: 'maybe' }).set(coordinator).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['query.failed', 'query.status']);
  });

  it('pages the summaries so that following the next links lists every route once, in order', async () => {
    const seen: number[] = [];
    let next: string | undefined = '/api/routes?view=summary&limit=3';
    while (next) {
      const res: { body: unknown; headers: Record<string, string> } = await t.api.get(next).set(coordinator).expect(200);
      expect(Number(res.headers['x-total-count'])).toBe(full.length);
      expect((res.body as Summary[]).length).toBeLessThanOrEqual(3);
      seen.push(...(res.body as Summary[]).map((r) => r.id));
      next = /<([^>]+)>; rel="next"/.exec(res.headers.link ?? '')?.[1];
    }
    expect(full.length).toBeGreaterThan(3);
    expect(seen).toEqual(full.map((r) => r.id));
  });
});
