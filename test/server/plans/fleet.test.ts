// A warehouse sends no more in a shift than the vehicles based there can carry (each one's load × its trips):
// a plan beyond that would leave the rest unassigned at dispatch with "the vehicles are full".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { aCommodity, aHousehold, post } from '../../support/records.ts';
import { aMember, aPlan, dispatched } from '../../support/warehouses.ts';

describe.each(databaseKinds)("a warehouse's own vehicles bound what a plan sends from it (%s)", (kind) => {
  let t: TestApp;
  let water: number;
  const needs: number[] = [];

  beforeAll(async () => {
    t = await startTestApp(kind);
    const depot = await post(t, '/api/warehouses', { name: 'Fontvieille', address: 'Rue du Gabian', lat: 43.7282, lon: 7.4148, capacityWeightKg: 10_000, capacityVolumeM3: 100 }, 'admin');
    water = (await aCommodity(t, { code: 'WATER', name: 'Water', unit: '6 l pack', weightKg: 6, volumeM3: 0.006 })).id;
    await post(t, '/api/stock/lots', { warehouseId: depot.id, commodityId: water, lotCode: 'W-1', quantity: 200 }, 'admin');
    for (let i = 0; i < 8; i++) {
      const household = aHousehold({ name: `Quai ${i}`, address: `${i + 1} Quai Antoine 1er`, phone: `+377 93 60 00 0${i}`, lat: 43.7335 + i * 0.0003, lon: 7.4185 });
      needs.push((await post(t, '/api/needs', { household, commodityId: water, quantity: 12 }, 'community')).need.id);
    }
    // One cargo bike: 120 kg a trip, four trips a shift, 480 kg = 80 packs of the 96 asked: 10 packs (60 kg) for
    // each household, two households a trip.
    const rider = await aMember(t, 'driver');
    await post(t, '/api/drivers', { name: 'Bike', kind: 'driver', vehicleType: 'cargo_bike', capacityWeightKg: 120, capacityVolumeM3: 0.6, shiftStart: '07:00', shiftEnd: '19:00', userId: rider.id, homeWarehouseId: depot.id }, 'admin');
  }, 120_000);
  afterAll(() => t.close());

  it('allocates what its vehicles carry out, explains the rest by capacity, and dispatch serves it all', async () => {
    const plan = await aPlan(t, { commodityIds: [water] });
    expect(plan.allocations.reduce((sum, a) => sum + a.quantity, 0)).toBe(80);
    const unmet = (plan as unknown as { result: { unmet: { needId: string; reason: string }[] } }).result.unmet;
    expect(unmet.length).toBeGreaterThan(0);
    for (const u of unmet) expect(u.reason).toBe('capacity');
    const routes = await dispatched(t, plan.id);
    expect(routes.flatMap((r) => r.stops).flatMap((s) => s.items).reduce((sum, i) => sum + i.quantity, 0)).toBe(80);
  });
});
