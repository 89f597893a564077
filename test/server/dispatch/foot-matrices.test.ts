// A sealed zone's foot matrix, on the demo map: doors at one place (a building's households) share one point,
// so the matrix grows with the zone's places, not its households, and the walk between them is 0 m.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { footMatrices, type HouseholdStop } from '../../../server/dispatch/route-build.ts';
import { RoadMap } from '../../../server/network/network.service.ts';
import type { Db } from '../../../server/db/database.ts';
import { openTestDatabase } from '../../support/app.ts';

const household = (householdId: number, warehouseId: number, lat: number, lon: number): HouseholdStop => ({
  key: `h${householdId}@${warehouseId}`,
  warehouseId,
  householdId,
  at: { lat, lon },
  zoneId: 1,
  sealed: true,
  items: [],
  demand: [1, 0],
  priority: 1,
  dueS: undefined,
});

describe('foot matrices of sealed zones', () => {
  let db: Db & { drop(): Promise<void> };
  let roads: RoadMap;
  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    roads = new RoadMap(db);
  });
  afterAll(() => db.drop());

  it('gives the households of one building one point, 0 m apart, and each other place its own', async () => {
    const gate = { id: 5, zoneId: 1, name: 'north gate', lat: 43.7392, lon: 7.4215 };
    const building = [household(1, 10, 43.7384, 7.4246), household(2, 10, 43.7384, 7.4246), household(2, 11, 43.7384, 7.4246)];
    const other = household(3, 10, 43.7363, 7.4198);
    const walks = await footMatrices(roads, new Map([[1, [gate]]]), [...building, other]);
    const zone = walks.get(1)!;
    // The gate, the building, the other house.
    expect(zone.distances).toHaveLength(3);
    expect(new Set(building.map((h) => zone.index.get(h.key)))).toEqual(new Set([1]));
    expect(zone.index.get(other.key)).toBe(2);
    expect(zone.index.get('g5')).toBe(0);
    expect(zone.distances[1]![1]).toBe(0);
    expect(zone.distances[0]![1]).toBeGreaterThan(0);
    expect(zone.distances[1]![2]).toBeGreaterThan(0);
  });
});
