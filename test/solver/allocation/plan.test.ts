import { describe, expect, it } from 'vitest';
import { allocate } from '../../../solver/allocation/allocate.ts';
import { randomProblem } from '../../../solver/allocation/random-problem.ts';
import { carryOverNeeds } from '../../../solver/allocation/rolling.ts';
import { expectPlanRespectsConstraints } from './plan-checks.ts';

describe('every returned plan', () => {
  it('respects stock, capacity, expiry, asks, FEFO and the fairness floors on the flow path', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const problem = randomProblem(seed, { needs: 40, warehouses: 5, commodities: 3, lotsPerStock: 3 });
      const plan = await allocate(problem, { seed });
      expect(plan.solver.backend).toBe('flow');
      expectPlanRespectsConstraints(problem, plan);
    }
  });

  it('respects them on the LP path when warehouse capacity binds', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const problem = randomProblem(seed, { needs: 40, warehouses: 5, commodities: 3, lotsPerStock: 3, capacity: 'tight' });
      const plan = await allocate(problem, { seed });
      expect(plan.solver.backend).toBe('highs');
      expectPlanRespectsConstraints(problem, plan);
    }
  });

  it('explains every need left short and no other', async () => {
    const problem = randomProblem(5, { needs: 60, warehouses: 4, commodities: 3, capacity: 'tight' });
    const plan = await allocate(problem, { seed: 5 });
    const short = plan.fulfilment.filter((f) => f.asked - f.allocated > 1e-6 * f.asked).map((f) => f.needId);
    expect(plan.unmet.map((u) => u.needId).sort()).toEqual(short.sort());
    for (const u of plan.unmet) expect(u.explanation.length).toBeGreaterThan(10);
  });

  it('is the same plan for the same input and seed', async () => {
    for (const capacity of ['loose', 'tight'] as const) {
      const problem = randomProblem(11, { needs: 50, warehouses: 6, commodities: 3, capacity });
      const first = await allocate(problem, { seed: 4 });
      const second = await allocate(problem, { seed: 4 });
      expect({ ...second, solver: { ...second.solver, ms: 0 } }).toEqual({ ...first, solver: { ...first.solver, ms: 0 } });
    }
  });

  it('reports metrics consistent with the allocations', async () => {
    const problem = randomProblem(8, { needs: 80, warehouses: 6, commodities: 3 });
    const plan = await allocate(problem, { seed: 1 });
    const sent = plan.allocations.reduce((s, a) => s + a.quantity, 0);
    const asked = problem.needs.reduce((s, n) => s + n.quantity, 0);
    expect(plan.metrics.overallFillRate).toBeCloseTo(sent / asked, 9);
    expect(plan.metrics.totalTravel).toBeCloseTo(plan.allocations.reduce((s, a) => s + a.quantity * a.travelTimeS, 0), 3);
    expect(plan.metrics.giniOfFulfilment).toBeGreaterThanOrEqual(0);
    expect(plan.metrics.giniOfFulfilment).toBeLessThan(1);
    expect(plan.metrics.priceOfFairness).toBeGreaterThanOrEqual(0);
    for (const tier of plan.metrics.tiers) expect(tier.fillRate).toBeLessThanOrEqual(1 + 1e-9);
    for (const cover of plan.metrics.cover) {
      expect(cover.stockAfter).toBeCloseTo(cover.stockBefore - plan.allocations.filter((a) => a.commodityId === cover.commodityId).reduce((s, a) => s + a.quantity, 0), 6);
    }
  });
});

describe('the rolling horizon', () => {
  it('carries needs left short into the next plan with the remainder, a day more waiting and more weight', async () => {
    const problem = randomProblem(21, { needs: 30, warehouses: 3, commodities: 2, scarcity: 0.4 });
    const plan = await allocate(problem, { seed: 1 });
    const tomorrow = carryOverNeeds(problem.needs, plan);
    expect(tomorrow.length).toBe(plan.unmet.length);
    for (const need of tomorrow) {
      const today = problem.needs.find((n) => n.id === need.id)!;
      const unmet = plan.unmet.find((u) => u.needId === need.id)!;
      expect(need.quantity).toBeCloseTo(unmet.shortfall, 9);
      expect(need.daysWaiting).toBe((today.daysWaiting ?? 0) + 1);
    }
    const next = await allocate({ ...problem, needs: tomorrow }, { seed: 1 });
    for (const f of next.fulfilment) {
      const before = plan.fulfilment.find((x) => x.needId === f.needId)!;
      expect(f.weight).toBeGreaterThan(before.weight);
    }
  });
});
