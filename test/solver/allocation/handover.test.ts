import { describe, expect, it } from 'vitest';
import { allocate } from '../../../solver/allocation/allocate.ts';
import { buildInstance } from '../../../solver/allocation/instance.ts';
import type { AllocationProblem, Need, Plan } from '../../../solver/allocation/problem.ts';
import { randomProblem } from '../../../solver/allocation/random-problem.ts';
import { expectPlanRespectsConstraints, expectSameStages } from './plan-checks.ts';

const stagesOf = (plan: Plan) => ({ ...plan.solver.stages, x: new Float64Array(), backend: 'highs' as const, variables: 0, weightedWithoutFairness: plan.metrics.weightedFulfilmentWithoutFairness });
const received = (plan: Plan, needId: string) => plan.allocations.filter((a) => a.needId === needId).reduce((s, a) => s + a.quantity, 0);

describe('a gate whose volunteers carry in a limited weight per shift (a handover point)', () => {
  const NOW = Date.UTC(2026, 0, 15, 8);
  const rice = (id: string, pointId: string, tier: number, quantity: number): Need => ({ id, commodityId: 'rice', quantity, tier, pointId, location: { lat: 43.71, lon: 7.39 } });
  // Plenty of rice and warehouse capacity; gate A's volunteers carry 50 kg (ten 5 kg bags), gate B's are not limited.
  const problem: AllocationProblem = {
    now: NOW,
    commodities: [
      { id: 'rice', name: 'Rice (5 kg bag)', weightKg: 5, volumeM3: 0.01, perishable: false },
      { id: 'water', weightKg: 10, volumeM3: 0.01, perishable: false },
    ],
    warehouses: [{ id: 'w', capacityWeightKg: Infinity, capacityVolumeM3: Infinity, location: { lat: 43.7, lon: 7.38 } }],
    lots: [
      { id: 'rice-lot', warehouseId: 'w', commodityId: 'rice', quantity: 100 },
      { id: 'water-lot', warehouseId: 'w', commodityId: 'water', quantity: 100 },
    ],
    points: [{ id: 'gate-A', name: 'Gate A', capacityWeightKg: 50, capacityVolumeM3: Infinity }],
    needs: [
      rice('a-elderly', 'gate-A', 1, 4),
      rice('a-family', 'gate-A', 3, 6),
      { id: 'a-water', commodityId: 'water', quantity: 3, tier: 3, pointId: 'gate-A', location: { lat: 43.71, lon: 7.39 } },
      rice('b-family', 'gate-B', 3, 6),
    ],
    policy: {},
  };

  it('plans no more for the gate than its volunteers carry, the most vulnerable first, and says why the rest waits', async () => {
    expect(buildInstance(problem).capacityMayBind).toBe(true);
    for (const classes of [true, false]) {
      expectPlanRespectsConstraints(problem, await allocate(problem, { seed: 1, backend: 'highs', classes }));
      const plan = await allocate(problem, { seed: 1, backend: 'highs', wholeUnits: true, classes });
      // 50 kg at gate A: the tier-1 household's 4 bags (20 kg) first, 30 kg left for the others.
      expect(received(plan, 'a-elderly'), `classes ${classes}`).toBe(4);
      expect(received(plan, 'a-family') * 5 + received(plan, 'a-water') * 10).toBeLessThanOrEqual(30);
      expect(received(plan, 'b-family')).toBe(6);
      const waiting = plan.unmet.filter((u) => u.needId.startsWith('a-'));
      expect(waiting.length).toBeGreaterThan(0);
      for (const u of waiting) {
        expect(u.reason).toBe('handover');
        expect(u.explanation).toContain('Gate A');
        expect(u.details.capacityKg).toBe(50);
      }
      expect(plan.unmet.some((u) => u.needId === 'b-family')).toBe(false);
    }
  });

  it('is kept by the greedy plan a time limit falls back on', async () => {
    const plan = await allocate(problem, { seed: 1, backend: 'highs', timeLimitMs: 0 });
    expect(plan.solver.optimal).toBe(false);
    const kg = ['a-elderly', 'a-family'].reduce((s, id) => s + received(plan, id) * 5, received(plan, 'a-water') * 10);
    expect(kg).toBeLessThanOrEqual(50 + 1e-9);
    expect(received(plan, 'a-elderly')).toBe(4);
  });

  it('keeps only the points that can bind: a roomy gate does not split its needs from other classes', () => {
    const inst = buildInstance({ ...problem, points: [...problem.points!, { id: 'gate-B', capacityWeightKg: 1000, capacityVolumeM3: Infinity }] });
    expect(inst.points.map((p) => p.id)).toEqual(['gate-A']);
    expect(inst.needs.map((n) => n.point)).toEqual([0, 0, 0, undefined]);
  });

  it("leaves a gate's row out of the model while no plan overfills it, with the same optimum", async () => {
    // Gate A could be asked 80 kg, but only 5 bags of rice and 1 of water exist: at most 35 kg can reach it.
    const scarce = { ...problem, lots: [{ ...problem.lots[0]!, quantity: 5 }, { ...problem.lots[1]!, quantity: 1 }] };
    expect(buildInstance(scarce).points.map((p) => p.id)).toEqual(['gate-A']);
    const plan = await allocate(scarce, { seed: 1, backend: 'highs' });
    const full = await allocate(scarce, { seed: 1, backend: 'highs', classes: false });
    expectSameStages(stagesOf(plan), stagesOf(full), 'scarce');
    expectPlanRespectsConstraints(scarce, plan);
    // The same needs and gate where the gate binds: its row is added, and it keeps gate A's rice needs from
    // sharing columns with gate B's.
    const binding = await allocate(problem, { seed: 1, backend: 'highs' });
    expect(binding.unmet.some((u) => u.reason === 'handover')).toBe(true);
    expect(binding.solver.variables).toBeGreaterThan(plan.solver.variables);
  });

  it('keeps a gate one household alone asks more of than it takes in', async () => {
    // Gate A takes 5 bags (25 kg) and its one household asks 10: after the floors, 8 bags are left for it.
    const oneAsksMore: AllocationProblem = {
      ...problem,
      lots: [{ ...problem.lots[0]!, quantity: 15 }],
      points: [{ id: 'gate-A', name: 'Gate A', capacityWeightKg: 25, capacityVolumeM3: Infinity }],
      needs: [rice('a-elderly', 'gate-A', 1, 10), rice('b-family', 'gate-B', 3, 2)],
    };
    for (const classes of [true, false]) {
      const plan = await allocate(oneAsksMore, { seed: 1, backend: 'highs', classes });
      expect(received(plan, 'a-elderly'), `classes ${classes}`).toBeLessThanOrEqual(5 + 1e-6);
      expectPlanRespectsConstraints(oneAsksMore, plan);
    }
  });

  it('prices fairness with the gate kept, where only the plan without floors would overfill it', async () => {
    // 10 bags for two households: without floors the tier-1 one behind gate A would take all 10, but its
    // volunteers carry 5 (25 kg); with floors each gets 5 and the gate is just full. Fairness then costs nothing.
    const fairAtGate: AllocationProblem = {
      ...problem,
      lots: [{ ...problem.lots[0]!, quantity: 10 }],
      points: [{ id: 'gate-A', name: 'Gate A', capacityWeightKg: 25, capacityVolumeM3: Infinity }],
      needs: [rice('a-elderly', 'gate-A', 1, 10), rice('b-family', 'gate-B', 3, 10)],
    };
    const plan = await allocate(fairAtGate, { seed: 1, backend: 'highs' });
    const full = await allocate(fairAtGate, { seed: 1, backend: 'highs', classes: false });
    expect(received(plan, 'a-elderly')).toBeCloseTo(5, 6);
    expect(plan.metrics.weightedFulfilmentWithoutFairness).toBeCloseTo(plan.solver.stages.weightedFulfilment, 3);
    expectSameStages(stagesOf(plan), stagesOf(full), 'fair at the gate');
  });

  it('without the limit, gate A gets everything it asks', async () => {
    const plan = await allocate({ ...problem, points: [] }, { seed: 1, backend: 'auto', wholeUnits: true });
    expect(received(plan, 'a-family')).toBe(6);
    expect(received(plan, 'a-water')).toBe(3);
  });
});

describe('handover limits with needs sharing their arcs across gates', () => {
  it('reach every stage value of HiGHS on the full model, one column per need and arc', async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const problem = randomProblem(seed, { needs: 90, warehouses: 3 + (seed % 3), commodities: 1 + (seed % 3), capacity: seed % 2 ? 'tight' : 'loose', points: 5, handover: 0.5, lotsPerStock: 2, scarcity: 1.2 });
      const shared = await allocate(problem, { seed, backend: 'highs' });
      const full = await allocate(problem, { seed, backend: 'highs', classes: false });
      expectSameStages(stagesOf(shared), stagesOf(full), `seed ${seed}`);
      expectPlanRespectsConstraints(problem, shared);
      expect(shared.unmet.some((u) => u.reason === 'handover'), `seed ${seed}`).toBe(true);
    }
  });
});
