import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startDemoApp } from '../../support/app.ts';
import { solving } from '../../../server/plans/plans.service.ts';
import { deliveryTimes, foldDeliveryTimes } from '../../../server/dispatch/stops.repo.ts';

const COORDINATOR = 'coordinator@lifeline.local';
const drivers = Array.from({ length: 8 }, (_, i) => `driver${i + 1}@lifeline.local`);
const volunteers = Array.from({ length: 4 }, (_, i) => `volunteer${i + 1}@lifeline.local`);

describe('the dashboard’s time to delivery, kept as stops are delivered, on the demo scenario', () => {
  let t: Awaited<ReturnType<typeof startDemoApp>>;
  /** The figures from every delivered item joined to its need, as the dashboard read them before the ledger. */
  const fromTheStops = async () =>
    (
      await t.db.query<{ hours: number | null; delivered: number }>(
        `SELECT avg(extract(epoch FROM s.done_at - n.created_at) / 3600)::float8 AS hours, count(*)::int AS delivered
         FROM stops s JOIN stop_items si ON si.stop_id = s.id JOIN needs n ON n.id = si.need_id
         WHERE s.status = 'delivered' AND s.kind IN ('delivery', 'door')`,
      )
    )[0]!;
  const expectAsFromTheStops = async () => {
    const [kept, counted] = [await deliveryTimes(t.db), await fromTheStops()];
    expect(kept.delivered).toBe(counted.delivered);
    if (counted.hours === null) expect(kept.hours).toBeNull();
    else expect(kept.hours).toBeCloseTo(counted.hours, 9);
  };

  beforeAll(async () => {
    t = await startDemoApp('pglite', [COORDINATOR, ...drivers, ...volunteers]);
    const coordinator = bearer(t.tokens[COORDINATOR]!);
    const { id: planId } = (await t.api.post('/api/plans').set(coordinator).send({}).expect(202)).body;
    await solving.get(planId);
    await t.api.post(`/api/plans/${planId}/approve`).set(coordinator).expect(200);
    await t.api.post(`/api/plans/${planId}/dispatch`).set(coordinator).send({ timeLimitMs: 1000 }).expect(200);
    // Reported some hours before: each need waited a different time.
    await t.db.query(`UPDATE needs SET created_at = created_at - make_interval(hours => id % 7 + 1)`);
  });
  afterAll(() => t.close());

  it('counts nothing before a delivery, then each item delivered with its hours; a failed stop or a renumbered one adds nothing', async () => {
    expect(await deliveryTimes(t.db)).toEqual({ hours: null, delivered: 0 });
    const routes = await t.db.query<{ id: number; email: string }>(
      `SELECT r.id, u.email FROM routes r JOIN drivers d ON d.id = r.driver_id JOIN users u ON u.id = d.user_id WHERE r.kind = 'vehicle' ORDER BY r.id LIMIT 2`,
    );
    for (const route of routes) {
      const driver = bearer(t.tokens[route.email]!);
      await t.api.post(`/api/routes/${route.id}/accept`).set(driver).expect(200);
      await t.api.post(`/api/routes/${route.id}/pickup`).set(driver).expect(200);
      const stops = ((await t.api.get(`/api/routes/${route.id}`).set(driver).expect(200)).body.stops as { id: number; kind: string }[]).filter((s) => s.kind !== 'collection');
      for (const stop of stops.slice(0, 3)) await t.api.post(`/api/stops/${stop.id}/status`).set(driver).send({ status: 'delivered' }).expect(200);
      await t.api.post(`/api/stops/${stops[3]!.id}/status`).set(driver).send({ status: 'failed', reason: 'nobody_home' }).expect(200);
    }
    const delivered = await fromTheStops();
    expect(delivered.delivered).toBeGreaterThan(6);
    await expectAsFromTheStops();
    const rows = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM delivery_times'))[0]!.n;
    const before = await rows();
    await t.db.query(`UPDATE stops SET seq = -id WHERE status = 'delivered'`);
    expect(await rows()).toBe(before);
    await expectAsFromTheStops();
    expect(await foldDeliveryTimes(t.db)).toBe(1);
    await expectAsFromTheStops();
  });
});
