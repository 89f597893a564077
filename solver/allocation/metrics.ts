// Plan metrics for the coordinator and the rolling horizon: fill rate and smallest fulfilled
// fraction per tier, Gini of fulfilment, price of fairness, total travel, days of cover.
import type { Allocation, AllocationProblem, CommodityCover, NeedFulfilment, PlanMetrics, TierMetrics } from './problem.ts';
import type { Instance } from './instance.ts';
import type { StagedSolution } from './stages.ts';

export function fulfilmentOf(inst: Instance, allocations: readonly Allocation[]): NeedFulfilment[] {
  const allocated = new Map<string, number>();
  for (const a of allocations) allocated.set(a.needId, (allocated.get(a.needId) ?? 0) + a.quantity);
  return inst.needs.map((n) => {
    const got = allocated.get(n.need.id) ?? 0;
    return { needId: n.need.id, tier: n.tier, weight: n.weight, asked: n.asked, allocated: got, fraction: got / n.asked };
  });
}

export function planMetrics(
  inst: Instance,
  problem: AllocationProblem,
  fulfilment: readonly NeedFulfilment[],
  allocations: readonly Allocation[],
  staged: StagedSolution,
): PlanMetrics {
  const asked = fulfilment.reduce((s, f) => s + f.asked, 0);
  const got = fulfilment.reduce((s, f) => s + f.allocated, 0);
  const metrics: PlanMetrics = {
    tiers: inst.tiers.map((tier) => tierMetrics(tier, fulfilment, staged)),
    overallFillRate: asked > 0 ? got / asked : 1,
    giniOfFulfilment: gini(fulfilment.map((f) => f.fraction)),
    weightedFulfilment: staged.weightedFulfilment,
    totalTravel: staged.totalTravel,
    cover: cover(problem, allocations),
  };
  if (staged.weightedWithoutFairness !== undefined) {
    metrics.weightedFulfilmentWithoutFairness = staged.weightedWithoutFairness;
    metrics.priceOfFairness =
      staged.weightedWithoutFairness > 0 ? Math.max(0, (staged.weightedWithoutFairness - staged.weightedFulfilment) / staged.weightedWithoutFairness) : 0;
  }
  return metrics;
}

function tierMetrics(tier: number, fulfilment: readonly NeedFulfilment[], staged: StagedSolution): TierMetrics {
  const members = fulfilment.filter((f) => f.tier === tier);
  const asked = members.reduce((s, f) => s + f.asked, 0);
  return {
    tier,
    needs: members.length,
    fillRate: asked > 0 ? members.reduce((s, f) => s + f.allocated, 0) / asked : 1,
    // A loop, not Math.min(...list): a district's tier holds more needs than a call takes arguments.
    smallestFraction: members.reduce((least, f) => Math.min(least, f.fraction), Infinity),
    floor: staged.tierFloors.find((f) => f.tier === tier)?.floor ?? 0,
  };
}

/** Gini coefficient: mean absolute difference over twice the mean (0 = everyone equally served). */
export function gini(values: readonly number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const n = sorted.length;
  const total = sorted.reduce((s, v) => s + v, 0);
  if (n === 0 || total <= 0) return 0;
  let weighted = 0;
  sorted.forEach((v, i) => {
    weighted += (i + 1) * v;
  });
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

function cover(problem: AllocationProblem, allocations: readonly Allocation[]): CommodityCover[] {
  return problem.commodities.map((c) => {
    const stockBefore = problem.lots.filter((l) => l.commodityId === c.id).reduce((s, l) => s + l.quantity, 0);
    const sent = allocations.filter((a) => a.commodityId === c.id).reduce((s, a) => s + a.quantity, 0);
    const flow = problem.flows?.find((f) => f.commodityId === c.id);
    const netOutflowPerDay = flow ? flow.outflowPerDay - flow.inflowPerDay : 0;
    const stockAfter = Math.max(0, stockBefore - sent);
    return { commodityId: c.id, stockBefore, stockAfter, netOutflowPerDay, daysOfCover: netOutflowPerDay > 0 ? stockAfter / netOutflowPerDay : null };
  });
}
