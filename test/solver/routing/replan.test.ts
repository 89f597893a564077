import { describe, expect, it } from 'vitest';
import { checkSolution } from '../../../solver/routing/check.ts';
import type { RoutingProblem } from '../../../solver/routing/problem.ts';
import { replanRoutes, type CurrentPlan } from '../../../solver/routing/replan.ts';
import { solveRouting } from '../../../solver/routing/solve.ts';
import { randomProblem } from './fixtures.ts';

/** Four individual vans with room to spare, from one depot, 30 stops; the first two vans have left and served two stops each. */
async function underWay(): Promise<CurrentPlan> {
  const problem: RoutingProblem = randomProblem(9, 30);
  problem.vehicles = ['van1', 'van2', 'van3', 'van4'].map((id) => ({ id, startDepot: 'D0', capacity: [100, 60] }));
  const plan = await solveRouting(problem, { seed: 3, maxIterations: 300 });
  const routes = plan.routes.map((r) => ({ vehicleId: r.vehicleId, stops: r.stops }));
  const progress = plan.routes.map((r, i) =>
    i < 2
      ? { vehicleId: r.vehicleId, done: r.stops.slice(0, 2), position: { location: problem.customers.find((c) => c.id === r.stops[1])!.location, time: r.serviceStarts[1]! + 5 } }
      : { vehicleId: r.vehicleId, done: [] },
  );
  return { problem, routes, progress };
}

function onBoard(plan: CurrentPlan): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of plan.progress.filter((p) => p.position)) {
    for (const id of plan.routes.find((r) => r.vehicleId === p.vehicleId)!.stops.filter((s) => !p.done.includes(s))) out.set(id, p.vehicleId);
  }
  return out;
}

describe('replanRoutes', () => {
  it('inserts an urgent stop and keeps the goods on board on their vehicle', async () => {
    const plan = await underWay();
    const urgent = { id: 'URGENT', location: 3, demand: [2, 1], serviceTime: 5 };
    const result = await replanRoutes(plan, { kind: 'urgent-stop', stop: urgent }, { seed: 1, maxIterations: 200 });
    expect(checkSolution(result.remaining, result.solution).violations).toEqual([]);
    for (const [id, vehicle] of onBoard(plan)) expect(result.routes.find((r) => r.stops.includes(id))?.vehicleId).toBe(vehicle);
    const withUrgent = result.routes.find((r) => r.stops.includes('URGENT'))!;
    expect(plan.progress.find((p) => p.vehicleId === withUrgent.vehicleId)?.position).toBeUndefined();
    // Served stops stay as they were.
    for (const p of plan.progress) expect(result.routes.find((r) => r.vehicleId === p.vehicleId)?.done).toEqual(p.done);
    // Only the new stop changes vehicle: moving others costs more than it saves here.
    expect(result.moved).toEqual([{ id: 'URGENT', to: withUrgent.vehicleId }]);
  });

  it('re-plans with a driver still on the road after the end of their shift: nothing new for them, their goods stay on board', async () => {
    const plan = await underWay();
    const late = plan.progress.find((p) => p.position)!;
    plan.problem.vehicles = plan.problem.vehicles.map((v) => ({ ...v, shift: [0, v.id === late.vehicleId ? late.position!.time - 60 : 1e6] as [number, number] }));
    const urgent = { id: 'URGENT', location: 3, demand: [2, 1], serviceTime: 5 };
    const result = await replanRoutes(plan, { kind: 'urgent-stop', stop: urgent }, { seed: 1, maxIterations: 200 });
    expect(result.routes.find((r) => r.vehicleId === late.vehicleId)!.stops).not.toContain('URGENT');
    const left = plan.routes.find((r) => r.vehicleId === late.vehicleId)!.stops.filter((s) => !late.done.includes(s));
    for (const id of left) expect(result.routes.find((r) => r.stops.includes(id))?.vehicleId ?? late.vehicleId).toBe(late.vehicleId);
    expect(result.routes.some((r) => r.stops.includes('URGENT'))).toBe(true);
  });

  it('sends the vehicles still at the depot no earlier than the time of the re-plan', async () => {
    const plan = await underWay();
    plan.problem.vehicles = plan.problem.vehicles.map((v) => ({ ...v, shift: [0, 1e6] as [number, number] }));
    plan.now = 300;
    const result = await replanRoutes(plan, { kind: 'urgent-stop', stop: { id: 'URGENT', location: 3, demand: [2, 1], serviceTime: 5 } }, { seed: 1, maxIterations: 200 });
    expect(checkSolution(result.remaining, result.solution).violations).toEqual([]);
    const fromDepot = result.solution.routes.filter((r) => !plan.progress.find((p) => p.vehicleId === r.vehicleId)?.position && r.stops.length > 0);
    expect(fromDepot.length).toBeGreaterThan(0);
    for (const r of fromDepot) expect(Math.min(...r.serviceStarts)).toBeGreaterThanOrEqual(300);
  });

  it('gives the stops of a dropped driver to the vehicles still at the depot', async () => {
    const plan = await underWay();
    const droppedId = plan.progress[0]!.vehicleId;
    const result = await replanRoutes(plan, { kind: 'driver-dropped', vehicleId: droppedId }, { seed: 1, maxIterations: 200 });
    expect(result.routes.map((r) => r.vehicleId)).not.toContain(droppedId);
    expect(checkSolution(result.remaining, result.solution).violations).toEqual([]);
    const orphaned = plan.routes.find((r) => r.vehicleId === droppedId)!.stops.slice(2);
    for (const id of orphaned) {
      const served = result.routes.find((r) => r.stops.includes(id)) ?? null;
      const reported = result.unassigned.some((u) => u.id === id);
      expect(served !== null || reported).toBe(true);
      if (served) expect(plan.progress.find((p) => p.vehicleId === served.vehicleId)?.position).toBeUndefined();
    }
    for (const [id, vehicle] of onBoard(plan)) {
      if (vehicle !== droppedId) expect(result.routes.find((r) => r.stops.includes(id))?.vehicleId).toBe(vehicle);
    }
  });

  it('re-routes on a closure with the new matrix, goods on board still on their vehicle', async () => {
    const plan = await underWay();
    const distances = plan.problem.distances.map((row) => Array.from(row, (d) => d * 1.5));
    distances[5]![6] = Infinity;
    distances[6]![5] = Infinity;
    const result = await replanRoutes(plan, { kind: 'closure', distances }, { seed: 1, maxIterations: 200 });
    expect(checkSolution(result.remaining, result.solution).violations).toEqual([]);
    for (const r of result.solution.routes) {
      for (let i = 1; i < r.stops.length; i++) expect([r.stops[i - 1], r.stops[i]].sort()).not.toEqual(['C5', 'C6']);
    }
    for (const [id, vehicle] of onBoard(plan)) expect(result.routes.find((r) => r.stops.includes(id))?.vehicleId).toBe(vehicle);
  });
});
