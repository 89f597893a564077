import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, jobsSchemaOf, startTestApp, type TestApp } from '../../support/app.ts';
import { aPlan, fontvieillePlan, twoWarehouses, type TwoWarehouses } from '../../support/warehouses.ts';
import { solving } from '../../../server/plans/plans.service.ts';

describe.each(databaseKinds)('solves as jobs on %s', (kind) => {
  let t: TestApp;
  let s: TwoWarehouses;
  beforeAll(async () => {
    t = await startTestApp(kind);
    s = await twoWarehouses(t);
  });
  afterAll(() => t.close());

  const admin = () => bearer(t.tokens.admin);
  const coordinator = () => bearer(t.tokens.coordinator);
  const jobCount = async (queue: string) => Number((await t.db.query<{ n: number }>(`SELECT count(*) AS n FROM ${jobsSchemaOf(t.db)}.job WHERE name = $1`, [queue]))[0]!.n);

  it('runs a plan as a job its starter follows at GET /api/jobs/:id, and no one else sees', async () => {
    const created = await t.api.post('/api/plans').set(coordinator()).send({ commodityIds: [s.water] }).expect(202);
    expect(created.body).toMatchObject({ status: 'solving', jobId: expect.any(String) });
    await solving.get(created.body.id);
    const job = (await t.api.get(`/api/jobs/${created.body.jobId}`).set(coordinator()).expect(200)).body;
    expect(job).toMatchObject({ kind: 'plan', planId: created.body.id, state: 'done', attempts: 1, startedBy: t.userIds.coordinator, error: null });
    expect((await t.api.get(`/api/plans/${created.body.id}`).set(coordinator()).expect(200)).body.status).toBe('ready');
    await t.api.get(`/api/jobs/${created.body.jobId}`).set(bearer(s.coordinators.monteCarlo.token)).expect(404);
    await t.api.get(`/api/jobs/${created.body.jobId}`).set(admin()).expect(200);
    await t.api.get('/api/jobs/not-a-uuid').set(coordinator()).expect(400);
  });

  it('starts one job for one Idempotency-Key, however often the request is retried', async () => {
    const before = await jobCount('plan');
    const send = () => t.api.post('/api/plans').set(coordinator()).set('Idempotency-Key', 'plan-once').send({ commodityIds: [s.rice] }).expect(202);
    const [first, second] = [await send(), await send()];
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.jobId).toBe(first.body.jobId);
    expect(await jobCount('plan')).toBe(before + 1);
    await solving.get(first.body.id);
  });

  it('writes the job’s changes to the audit log under the request that started it', async () => {
    const created = await t.api.post('/api/plans').set(coordinator()).send({ commodityIds: [s.water] }).expect(202);
    await solving.get(created.body.id);
    const { items } = (await t.api.get('/api/audit').set(admin()).query({ requestId: created.get('X-Request-Id')!, limit: 1000 }).expect(200)).body;
    const records = items.map((row: { record: string }) => row.record.split(':')[0]);
    // The plan's insert is the request's own; its allocations and its status come from the job.
    expect(records).toContain('plan_allocations');
    expect(items.find((row: { record: string; action: string }) => row.record === `plans:${created.body.id}` && row.action === 'update')).toMatchObject({
      userId: t.userIds.coordinator,
      role: 'coordinator',
      method: 'POST',
      path: '/api/plans',
      after: { status: 'ready' },
    });
  });

  it('answers a dispatch that outlasts the wait with 202 and its job, whose answer follows; the same key starts no second job', async () => {
    const plan = await fontvieillePlan(t, s);
    await t.api.post(`/api/plans/${plan.id}/approve`).set(admin()).expect(200);
    const before = await jobCount('dispatch');
    const waitMs = t.jobs.options.waitMs;
    Object.assign(t.jobs.options, { waitMs: 0 });
    const send = () => t.api.post(`/api/plans/${plan.id}/dispatch`).set(admin()).set('Idempotency-Key', 'dispatch-once').send({ timeLimitMs: 200 });
    let started;
    try {
      started = await send();
    } finally {
      Object.assign(t.jobs.options, { waitMs });
    }
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ job: { kind: 'dispatch', planId: plan.id }, url: `/api/jobs/${started.body.job.id}` });
    const job = await t.jobs.settled(started.body.job.id);
    expect(job).toMatchObject({ state: 'done', result: { routeIds: [expect.any(Number)] } });
    const followed = (await t.api.get(started.body.url).set(admin()).expect(200)).body;
    expect(followed.result.routeIds).toEqual(job.result && (job.result as { routeIds: number[] }).routeIds);
    expect((await send()).body).toEqual(started.body);
    expect(await jobCount('dispatch')).toBe(before + 1);
  });

  it('answers a dispatch within the wait as before, and a refused one with the refusal', async () => {
    const plan = await aPlan(t, { commodityIds: [s.water] });
    await t.api.post(`/api/plans/${plan.id}/approve`).set(admin()).expect(200);
    const dispatched = (await t.api.post(`/api/plans/${plan.id}/dispatch`).set(admin()).send({ timeLimitMs: 200 }).expect(200)).body;
    expect(dispatched.routes[0]).toMatchObject({ planId: plan.id, stops: expect.any(Array) });
    const again = await t.api.post(`/api/plans/${plan.id}/dispatch`).set(admin()).send({ timeLimitMs: 200 }).expect(409);
    expect(again.body).toMatchObject({ code: 'conflict', instance: `/api/plans/${plan.id}/dispatch` });
    await t.api.post('/api/plans/999999/dispatch').set(admin()).send({ timeLimitMs: 200 }).expect(404);
  });
});
