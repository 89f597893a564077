import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { checkVroomSolution } from '../../../solver/formats/vroom-check.ts';
import type { VroomInput } from '../../../solver/formats/vroom.ts';

/** Six jobs around a depot on a line, two vans, deliveries and pickups, a window and a stop limit. */
function problem(): VroomInput {
  const xs = [0, 10, 20, 30, -10, -20, -30];
  const durations = xs.map((a) => xs.map((b) => Math.abs(a - b)));
  return {
    jobs: xs.slice(1).map((_, i) => ({
      id: i + 1,
      location_index: i + 1,
      delivery: [2],
      pickup: [i % 2],
      service: 3,
      ...(i === 0 ? { time_windows: [[0, 50]] as [number, number][] } : {}),
    })),
    vehicles: [
      { id: 7, start_index: 0, end_index: 0, capacity: [8], max_tasks: 3 },
      { id: 8, start_index: 0, end_index: 0, capacity: [8], time_window: [0, 500] },
    ],
    matrices: { car: { durations, distances: durations.map((row) => row.map((d) => 100 * d)) } },
  };
}

describe.each(databaseKinds)('POST /api/vrp on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  const solve = (body: unknown, role: 'coordinator' | 'driver' = 'coordinator') =>
    t.api.post('/api/vrp?timeLimitMs=300&seed=4').set(bearer(t.tokens[role])).send(body as object);

  it("answers a coordinator's VROOM problem with a VROOM solution the independent checker accepts", async () => {
    const input = problem();
    const res = await solve(input).expect(200);
    expect(res.body.code).toBe(0);
    expect(checkVroomSolution(input, res.body).violations).toEqual([]);
    expect(res.body.summary).toMatchObject({ routes: 2, unassigned: 0, delivery: [12], pickup: [3] });
    expect(res.body.summary.distance).toBe(100 * res.body.summary.duration);
  });

  it('refuses drivers', async () => {
    await solve(problem(), 'driver').expect(403);
  });

  it('names the field of a malformed problem (400) and of one Lifeline cannot solve yet (422)', async () => {
    const outside = await solve({ ...problem(), jobs: [{ id: 1, location_index: 99 }] }).expect(400);
    expect(outside.body.errors).toEqual([{ field: 'jobs[0].location_index', reason: 'must be below the matrix size 7' }]);
    const typo = await solve({ ...problem(), vehicle: [] }).expect(400);
    expect(typo.body.errors.map((e: { field: string }) => e.field)).toContain('body.vehicle');
    const setup = await solve({ ...problem(), shipments: [{ pickup: { id: 1, location_index: 1, setup: 5 }, delivery: { id: 1, location_index: 2 } }] }).expect(422);
    expect(setup.body.errors).toEqual([{ field: 'shipments[0].pickup.setup', reason: 'setup times: not supported by Lifeline yet' }]);
  });

  it('takes a problem whose matrices are larger than the 2 MB other requests may send', async () => {
    const size = 650;
    const durations = Array.from({ length: size }, (_, i) => Array.from({ length: size }, (_, j) => 10_000 + Math.abs(i - j)));
    const body = { jobs: [{ id: 1, location_index: 1 }], vehicles: [{ id: 1, start_index: 0, end_index: 0 }], matrices: { car: { durations } } };
    expect(JSON.stringify(body).length).toBeGreaterThan(2 * 1024 * 1024);
    const res = await solve(body).expect(200);
    expect(res.body.summary.cost).toBe(10_001 * 2);
  });
});
