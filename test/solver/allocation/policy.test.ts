import { describe, expect, it } from 'vitest';
import { gini } from '../../../solver/allocation/metrics.ts';
import { defaultPolicy, resolvePolicy, tierOf, weightOf } from '../../../solver/allocation/policy.ts';
import { haversineMetres, matrixTravel, straightLineTravel } from '../../../solver/allocation/travel.ts';

describe('the priority policy', () => {
  it('puts a need in the most vulnerable tier of its flags, moved up by critical urgency', () => {
    const base = { id: 'n', commodityId: 'c', quantity: 1 };
    expect(tierOf({ ...base, flags: ['disabled', 'infant'] }, defaultPolicy)).toBe(1);
    expect(tierOf({ ...base, flags: ['elderly_alone'] }, defaultPolicy)).toBe(2);
    expect(tierOf({ ...base, flags: ['elderly_alone'], urgency: 'critical' }, defaultPolicy)).toBe(1);
    expect(tierOf({ ...base }, defaultPolicy)).toBe(3);
    expect(tierOf({ ...base, tier: 2, flags: ['infant'] }, defaultPolicy)).toBe(2);
    expect(tierOf({ ...base, flags: ['pet_owner'] }, resolvePolicy({ flagTiers: { pet_owner: 2 } }))).toBe(2);
  });

  it('weighs a need more the longer it has waited, up to the cap', () => {
    const need = { id: 'n', commodityId: 'c', quantity: 1 };
    const today = weightOf(need, 2, defaultPolicy);
    const tomorrow = weightOf({ ...need, daysWaiting: 1 }, 2, defaultPolicy);
    expect(today).toBe(10);
    expect(tomorrow).toBeCloseTo(10 * Math.exp(0.1), 12);
    expect(weightOf({ ...need, daysWaiting: 100 }, 2, defaultPolicy)).toBe(30);
    expect(weightOf({ ...need, urgency: 'critical' }, 1, defaultPolicy)).toBe(200);
  });
});

describe('travel times', () => {
  it('stands in with straight-line times at city speed when no network is given', () => {
    const metres = haversineMetres({ lat: 43.73, lon: 7.42 }, { lat: 43.74, lon: 7.42 });
    expect(metres).toBeGreaterThan(1100);
    expect(metres).toBeLessThan(1120);
    const travel = straightLineTravel([{ id: 'w', capacityWeightKg: 1, capacityVolumeM3: 1, location: { lat: 43.73, lon: 7.42 } }], [
      { id: 'n', commodityId: 'c', quantity: 1, location: { lat: 43.74, lon: 7.42 } },
    ]);
    expect(travel('w', 'n').seconds).toBeCloseTo((metres * 1.3) / (25 / 3.6), 6);
  });

  it('reads a matrix with unreachable entries and their reasons', () => {
    const travel = matrixTravel({ warehouseIds: ['a', 'b'], needIds: ['x'], seconds: [[120], [null]], reasons: [[null], ['road closed']] });
    expect(travel('a', 'x')).toEqual({ seconds: 120 });
    expect(travel('b', 'x')).toEqual({ seconds: Infinity, reason: 'road closed' });
    expect(travel('c', 'x').seconds).toBe(Infinity);
  });
});

describe('the Gini coefficient of fulfilment', () => {
  it('is 0 when everyone is served alike and grows with inequality', () => {
    expect(gini([0.5, 0.5, 0.5])).toBe(0);
    expect(gini([0, 0, 0, 1])).toBeCloseTo(0.75, 12);
    expect(gini([])).toBe(0);
  });
});
