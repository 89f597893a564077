import { describe, expect, it } from 'vitest';
import { allocate } from '../../../solver/allocation/allocate.ts';
import type { AllocationProblem, Need, TravelTimes } from '../../../solver/allocation/problem.ts';

const NOW = Date.UTC(2026, 3, 2, 8);

/** Two warehouses, one commodity (1 kg, 0.01 m³ a unit); travel 600 s unless a test says otherwise. */
function scenario(overrides: Partial<AllocationProblem> & { needs: Need[] }): AllocationProblem {
  return {
    now: NOW,
    commodities: [
      { id: 'rice', weightKg: 1, volumeM3: 0.01, perishable: false },
      { id: 'milk', weightKg: 1, volumeM3: 0.001, perishable: true },
    ],
    warehouses: [
      { id: 'north', capacityWeightKg: Infinity, capacityVolumeM3: Infinity },
      { id: 'south', capacityWeightKg: Infinity, capacityVolumeM3: Infinity },
    ],
    lots: [
      { id: 'rice-n', warehouseId: 'north', commodityId: 'rice', quantity: 10 },
      { id: 'rice-s', warehouseId: 'south', commodityId: 'rice', quantity: 5 },
    ],
    travel: () => ({ seconds: 600 }),
    ...overrides,
  };
}

async function reasonOf(problem: AllocationProblem, needId: string) {
  const plan = await allocate(problem, { seed: 1 });
  return plan.unmet.find((u) => u.needId === needId);
}

describe('the reason given for a need left short', () => {
  it('is unreachable, with the network reason, when no warehouse holding the goods can reach it', async () => {
    const travel: TravelTimes = (_w, needId) => (needId === 'sealed' ? { seconds: Infinity, reason: 'sealed zone without an open gate' } : { seconds: 600 });
    const unmet = await reasonOf(scenario({ travel, needs: [{ id: 'sealed', commodityId: 'rice', quantity: 3 }] }), 'sealed');
    expect(unmet?.reason).toBe('unreachable');
    expect(unmet?.details.reasons).toEqual(['sealed zone without an open gate']);
    expect(unmet?.allocated).toBe(0);
  });

  it('is unreachable when every reachable warehouse is excluded by the coordinator', async () => {
    const unmet = await reasonOf(
      scenario({
        needs: [{ id: 'h1', commodityId: 'rice', quantity: 3 }],
        exclusions: [
          { needId: 'h1', warehouseId: 'north' },
          { needId: 'h1', warehouseId: 'south' },
        ],
      }),
      'h1',
    );
    expect(unmet?.reason).toBe('unreachable');
    expect(unmet?.details.excluded).toBe(2);
  });

  it('is unreachable when no warehouse can arrive before the deadline', async () => {
    const unmet = await reasonOf(scenario({ needs: [{ id: 'h1', commodityId: 'rice', quantity: 3, deadline: NOW + 60_000 }] }), 'h1');
    expect(unmet?.reason).toBe('unreachable');
    expect(unmet?.details.lateForDeadline).toBe(2);
  });

  it('is no_stock when nobody holds the commodity', async () => {
    const unmet = await reasonOf(scenario({ needs: [{ id: 'h1', commodityId: 'milk', quantity: 3 }] }), 'h1');
    expect(unmet?.reason).toBe('no_stock');
    expect(unmet?.details.reachableStock).toBe(0);
  });

  it('is no_stock when the only stock expires before it can arrive', async () => {
    const lots = [{ id: 'milk-n', warehouseId: 'north', commodityId: 'milk', quantity: 9, expiresAt: NOW + 300_000 }];
    const unmet = await reasonOf(scenario({ lots, needs: [{ id: 'h1', commodityId: 'milk', quantity: 3 }] }), 'h1');
    expect(unmet?.reason).toBe('no_stock');
    expect(unmet?.details.expiredBeforeArrival).toBe(1);
  });

  it('is no_stock with the reachable quantity when equals share too little stock', async () => {
    const needs: Need[] = [
      { id: 'a', commodityId: 'rice', quantity: 10, tier: 2 },
      { id: 'b', commodityId: 'rice', quantity: 10, tier: 2 },
    ];
    const plan = await allocate(scenario({ needs }), { seed: 1 });
    expect(plan.unmet.map((u) => u.reason)).toEqual(['no_stock', 'no_stock']);
    expect(plan.unmet[0]!.details.reachableStock).toBe(15);
    // Max-min fairness within the tier: both get the same share.
    expect(plan.fulfilment[0]!.allocated).toBeCloseTo(7.5, 5);
    expect(plan.fulfilment[1]!.allocated).toBeCloseTo(7.5, 5);
  });

  it('is outranked, with how much went to more vulnerable tiers', async () => {
    const needs: Need[] = [
      { id: 'infant', commodityId: 'rice', quantity: 15, flags: ['infant'] },
      { id: 'family', commodityId: 'rice', quantity: 5 },
    ];
    const unmet = await reasonOf(scenario({ needs }), 'family');
    expect(unmet?.reason).toBe('outranked');
    expect(unmet?.details.toHigherTiers).toBeCloseTo(15, 4);
    // Fixing each stage leaves a round-off slack (1e-7 of a floor), never more.
    expect(unmet?.allocated).toBeCloseTo(0, 5);
  });

  it('is capacity when stock is left at a warehouse whose dispatch capacity is used up', async () => {
    const warehouses = [
      { id: 'north', capacityWeightKg: 4, capacityVolumeM3: Infinity },
      { id: 'south', capacityWeightKg: Infinity, capacityVolumeM3: Infinity },
    ];
    const lots = [{ id: 'rice-n', warehouseId: 'north', commodityId: 'rice', quantity: 10 }];
    const unmet = await reasonOf(scenario({ warehouses, lots, needs: [{ id: 'h1', commodityId: 'rice', quantity: 8 }] }), 'h1');
    expect(unmet?.reason).toBe('capacity');
    expect(unmet?.details.warehouses).toEqual(['north']);
    expect(unmet?.details.strandedStock).toBeCloseTo(6, 6);
    expect(unmet?.allocated).toBeCloseTo(4, 6);
  });
});

describe('coordinator pins and exclusions', () => {
  it('force at least the pinned quantity on the pinned warehouse, on the LP path', async () => {
    const needs: Need[] = [{ id: 'h1', commodityId: 'rice', quantity: 6 }];
    const travel: TravelTimes = (w) => ({ seconds: w === 'north' ? 300 : 900 });
    const plan = await allocate(scenario({ needs, travel, pins: [{ needId: 'h1', warehouseId: 'south', quantity: 4 }] }), { seed: 1 });
    expect(plan.solver.backend).toBe('highs');
    const fromSouth = plan.allocations.filter((a) => a.warehouseId === 'south').reduce((s, a) => s + a.quantity, 0);
    expect(fromSouth).toBeCloseTo(4, 6);
  });

  it('refuses pins the stock cannot honour', async () => {
    const needs: Need[] = [{ id: 'h1', commodityId: 'rice', quantity: 20 }];
    await expect(allocate(scenario({ needs, pins: [{ needId: 'h1', warehouseId: 'south', quantity: 9 }] }), { seed: 1 })).rejects.toMatchObject({
      name: 'UnsolvableError',
      field: 'pins',
    });
  });

  it('never send goods over an excluded arc', async () => {
    const needs: Need[] = [{ id: 'h1', commodityId: 'rice', quantity: 12 }];
    const plan = await allocate(scenario({ needs, exclusions: [{ needId: 'h1', warehouseId: 'north' }] }), { seed: 1 });
    expect(plan.allocations.every((a) => a.warehouseId === 'south')).toBe(true);
  });
});

describe('first-expiring-first-out', () => {
  it('sends the earliest-expiring lot that is still good on arrival, and skips one that is not', async () => {
    const lots = [
      { id: 'late', warehouseId: 'north', commodityId: 'milk', quantity: 5, expiresAt: NOW + 86_400_000 },
      { id: 'soon', warehouseId: 'north', commodityId: 'milk', quantity: 2, expiresAt: NOW + 3_600_000 },
      { id: 'gone', warehouseId: 'north', commodityId: 'milk', quantity: 9, expiresAt: NOW + 60_000 },
    ];
    const plan = await allocate(scenario({ lots, needs: [{ id: 'h1', commodityId: 'milk', quantity: 4 }] }), { seed: 1 });
    expect(plan.allocations.map((a) => [a.lotId, a.quantity])).toEqual([
      ['late', 2],
      ['soon', 2],
    ]);
  });
});
