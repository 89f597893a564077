// Checks every returned plan must pass, shared by the allocation tests.
import { expect } from 'vitest';
import { buildInstance } from '../../../solver/allocation/instance.ts';
import type { AllocationProblem, Plan } from '../../../solver/allocation/problem.ts';
import type { StagedSolution } from '../../../solver/allocation/stages.ts';

const TOL = 1e-6;

export function relativeGap(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));
}

/** Same value at every stage of the lexicographic objective, within 1e-6 relative. */
export function expectSameStages(a: StagedSolution, b: StagedSolution, label: string): void {
  expect(a.tierFloors.map((f) => f.tier), label).toEqual(b.tierFloors.map((f) => f.tier));
  a.tierFloors.forEach((f, k) => expect(Math.abs(f.floor - b.tierFloors[k]!.floor), `${label} floor of tier ${f.tier}`).toBeLessThan(1e-6));
  expect(relativeGap(a.weightedFulfilment, b.weightedFulfilment), `${label} weighted fulfilment`).toBeLessThan(TOL);
  expect(relativeGap(a.totalTravel, b.totalTravel), `${label} travel`).toBeLessThan(TOL);
  if (a.weightedWithoutFairness !== undefined && b.weightedWithoutFairness !== undefined) {
    expect(relativeGap(a.weightedWithoutFairness, b.weightedWithoutFairness), `${label} without fairness`).toBeLessThan(TOL);
  }
}

/** Stock, dispatch and handover capacity, expiry, asks, FEFO and the fairness floors hold in the plan. */
export function expectPlanRespectsConstraints(problem: AllocationProblem, plan: Plan): void {
  const inst = buildInstance(problem);
  const arcTravel = new Map(inst.arcs.map((arc) => [`${inst.warehouses[inst.depots[arc.depot]!.warehouse]!.id}/${inst.needs[arc.need]!.need.id}`, arc.travelS]));
  const attainable = new Map(inst.needs.map((n) => [n.need.id, n.attainable]));
  const lots = new Map(problem.lots.map((l) => [l.id, l]));
  const needs = new Map(problem.needs.map((n) => [n.id, n]));
  const commodities = new Map(problem.commodities.map((c) => [c.id, c]));
  const fromLot = new Map<string, number>();
  const toNeed = new Map<string, number>();
  const weight = new Map<string, number>();
  const volume = new Map<string, number>();
  for (const a of plan.allocations) {
    const lot = lots.get(a.lotId)!;
    const need = needs.get(a.needId)!;
    expect(a.quantity).toBeGreaterThan(0);
    expect(lot.warehouseId).toBe(a.warehouseId);
    expect(lot.commodityId).toBe(need.commodityId);
    // Only candidate arcs (reachable, among the nearest) carry goods.
    expect(a.travelTimeS).toBe(arcTravel.get(`${a.warehouseId}/${a.needId}`));
    // Expiry: the lot is still good when it arrives.
    expect(lot.expiresAt ?? Infinity).toBeGreaterThanOrEqual(problem.now + a.travelTimeS * 1000);
    if (need.deadline !== undefined) expect(problem.now + a.travelTimeS * 1000).toBeLessThanOrEqual(need.deadline);
    fromLot.set(a.lotId, (fromLot.get(a.lotId) ?? 0) + a.quantity);
    toNeed.set(a.needId, (toNeed.get(a.needId) ?? 0) + a.quantity);
    const c = commodities.get(a.commodityId)!;
    weight.set(a.warehouseId, (weight.get(a.warehouseId) ?? 0) + a.quantity * c.weightKg);
    volume.set(a.warehouseId, (volume.get(a.warehouseId) ?? 0) + a.quantity * c.volumeM3);
  }
  for (const [id, q] of fromLot) expect(q).toBeLessThanOrEqual(lots.get(id)!.quantity * (1 + TOL) + TOL);
  for (const [id, q] of toNeed) expect(q).toBeLessThanOrEqual(needs.get(id)!.quantity * (1 + TOL) + TOL);
  for (const w of problem.warehouses) {
    expect(weight.get(w.id) ?? 0).toBeLessThanOrEqual(w.capacityWeightKg * (1 + TOL) + TOL);
    expect(volume.get(w.id) ?? 0).toBeLessThanOrEqual(w.capacityVolumeM3 * (1 + TOL) + TOL);
  }
  expectWithinHandover(problem, plan);
  expectFefo(problem, plan, fromLot);
  // Fairness floors: every need gets its tier's floor share of what could reach it.
  for (const tier of plan.metrics.tiers) {
    for (const f of plan.fulfilment.filter((x) => x.tier === tier.tier)) {
      expect(f.allocated).toBeGreaterThanOrEqual((tier.floor - 2e-7) * attainable.get(f.needId)! - 1e-6);
    }
  }
}

/** What the needs naming a handover point receive fits in what it takes in. */
function expectWithinHandover(problem: AllocationProblem, plan: Plan): void {
  const pointOf = new Map(problem.needs.map((n) => [n.id, n.pointId]));
  const commodities = new Map(problem.commodities.map((c) => [c.id, c]));
  for (const point of problem.points ?? []) {
    const at = plan.allocations.filter((a) => pointOf.get(a.needId) === point.id);
    const kg = at.reduce((s, a) => s + a.quantity * commodities.get(a.commodityId)!.weightKg, 0);
    const m3 = at.reduce((s, a) => s + a.quantity * commodities.get(a.commodityId)!.volumeM3, 0);
    expect(kg, `handover at ${point.id}`).toBeLessThanOrEqual(point.capacityWeightKg * (1 + TOL) + TOL);
    expect(m3, `handover at ${point.id}`).toBeLessThanOrEqual(point.capacityVolumeM3 * (1 + TOL) + TOL);
  }
}

/** No lot is used while an earlier-expiring lot at the same warehouse, usable by that delivery, is left. */
function expectFefo(problem: AllocationProblem, plan: Plan, fromLot: Map<string, number>): void {
  for (const a of plan.allocations) {
    const used = problem.lots.find((l) => l.id === a.lotId)!;
    const arrival = problem.now + a.travelTimeS * 1000;
    for (const other of problem.lots) {
      if (other.warehouseId !== used.warehouseId || other.commodityId !== used.commodityId || other.id === used.id) continue;
      const earlier = (other.expiresAt ?? Infinity) < (used.expiresAt ?? Infinity);
      const usable = (other.expiresAt ?? Infinity) >= arrival;
      if (earlier && usable) expect(other.quantity - (fromLot.get(other.id) ?? 0)).toBeLessThan(1e-5);
    }
  }
}
