import { describe, expect, it } from 'vitest';
import { wholeUnits } from '../../../solver/allocation/whole-units.ts';
import type { AllocationProblem } from '../../../solver/allocation/problem.ts';

const problem: AllocationProblem = {
  now: 0,
  warehouses: [{ id: 'w', capacityWeightKg: 100, capacityVolumeM3: 100 }],
  commodities: [{ id: 'c', weightKg: 1, volumeM3: 0.01, perishable: false }],
  lots: [{ id: 'l', warehouseId: 'w', commodityId: 'c', quantity: 3 }],
  needs: [
    { id: 'a', commodityId: 'c', quantity: 2 },
    { id: 'b', commodityId: 'c', quantity: 2 },
  ],
};
const line = (needId: string, quantity: number) => ({ needId, lotId: 'l', warehouseId: 'w', commodityId: 'c', quantity, travelTimeS: 60 });

describe('whole units', () => {
  it('rounds a split lot down, then gives the freed unit to the largest fraction, never beyond the lot', () => {
    const rounded = wholeUnits(problem, [line('a', 1.5), line('b', 1.5)]);
    expect(rounded.reduce((s, a) => s + a.quantity, 0)).toBe(3);
    expect(rounded.every((a) => Number.isInteger(a.quantity))).toBe(true);
  });

  it('keeps whole allocations as they are and drops lines that round to nothing', () => {
    expect(wholeUnits(problem, [line('a', 2), line('b', 0.2)]).map((a) => [a.needId, a.quantity])).toEqual([['a', 2], ['b', 1]]);
    expect(wholeUnits({ ...problem, warehouses: [{ id: 'w', capacityWeightKg: 2, capacityVolumeM3: 1 }] }, [line('a', 2), line('b', 0.2)]).map((a) => a.needId)).toEqual(['a']);
  });

  it('gives no freed unit to a need whose handover point (a gate) is full', () => {
    const atGate = { ...problem, needs: problem.needs.map((n) => ({ ...n, pointId: 'gate' })), points: [{ id: 'gate', capacityWeightKg: 2.5, capacityVolumeM3: 100 }] };
    expect(wholeUnits(atGate, [line('a', 1.25), line('b', 1.25)]).reduce((s, a) => s + a.quantity, 0)).toBe(2);
    expect(wholeUnits({ ...atGate, points: [] }, [line('a', 1.25), line('b', 1.25)]).reduce((s, a) => s + a.quantity, 0)).toBe(3);
  });

  it('never rounds a need above what it asked', () => {
    const rounded = wholeUnits(problem, [line('a', 1.9999999)]);
    expect(rounded[0]!.quantity).toBe(2);
  });
});

describe('a plan in whole units', () => {
  it('reports fulfilment and shortfalls of the rounded allocations', async () => {
    const { allocate } = await import('../../../solver/allocation/allocate.ts');
    const plan = await allocate(
      { ...problem, warehouses: [{ id: 'w', capacityWeightKg: 100, capacityVolumeM3: 100, location: { lat: 43.73, lon: 7.42 } }], needs: problem.needs.map((n) => ({ ...n, location: { lat: 43.74, lon: 7.43 } })) },
      { seed: 1, wholeUnits: true },
    );
    expect(plan.allocations.every((a) => Number.isInteger(a.quantity))).toBe(true);
    expect(plan.fulfilment.every((f) => Number.isInteger(f.allocated))).toBe(true);
    expect(plan.unmet.every((u) => Number.isInteger(u.allocated) && u.shortfall === u.asked - u.allocated)).toBe(true);
    expect(plan.fulfilment.reduce((s, f) => s + f.allocated, 0)).toBe(3);
  });
});
