// Dispatch routes each warehouse apart, on worker threads and on the travel times between its own points:
// the routes must still be those of the whole district's matrix, each warehouse's stops on its own vehicles.
import { describe, expect, it } from 'vitest';
import { routeWarehouses, warehousePoints, type WarehouseDrive } from '../../../server/dispatch/route-build.ts';
import type { Driver } from '../../../server/drivers/drivers.schema.ts';
import type { Customer } from '../../../solver/routing/problem.ts';
import type { TravelMatrix } from '../../../solver/network/index.ts';
import { Random } from '../../../solver/random.ts';
import { groupBy } from '../../../server/db/rows.ts';

/** Places on a plane (metres), driven at 10 m/s: warehouses first, then stops of both warehouses mixed. */
function district(places: number, seed: number): TravelMatrix {
  const random = new Random(seed);
  const xy = Array.from({ length: places }, () => [random.next() * 5000, random.next() * 5000] as const);
  const distancesM = new Float64Array(places * places);
  xy.forEach(([x1, y1], i) => xy.forEach(([x2, y2], j) => (distancesM[i * places + j] = Math.round(Math.hypot(x1 - x2, y1 - y2)))));
  return { size: places, rows: places, mode: 'van', distancesM, timesS: distancesM.map((d) => d / 10), snapped: [], why: () => undefined };
}

/** Each warehouse's points (warehousePoints) and its matrix between them, cut out of the whole one, as dispatch computes them. */
function perWarehouse(matrix: TravelMatrix, stops: Map<number, Customer[]>, vehicleIndex: Map<string, number>): Map<number, WarehouseDrive> {
  return new Map(
    [...stops].map(([warehouseId, customers]) => {
      const points = warehousePoints(warehouseId, customers, vehicleIndex);
      const cut = (field: 'distancesM' | 'timesS') => Float64Array.from(points.flatMap((i) => points.map((j) => matrix[field][i * matrix.size + j]!)));
      return [warehouseId, { points, matrix: { ...matrix, size: points.length, rows: points.length, distancesM: cut('distancesM'), timesS: cut('timesS') } }];
    }),
  );
}

const van = (id: number, homeWarehouseId: number): Driver =>
  ({ id, kind: 'driver', vehicleType: 'van', capacityWeightKg: 60, capacityVolumeM3: 1, shiftStart: '08:00', shiftEnd: '18:00', homeWarehouseId, active: true }) as Driver;

describe('routing each warehouse apart', () => {
  it("serves every stop once, on a vehicle of the stop's warehouse, with the distances of the whole matrix", async () => {
    const matrix = district(2 + 30, 3);
    const warehouses = [7, 9];
    const vehicleIndex = new Map(warehouses.map((w, i) => [`w${w}`, i]));
    // Stops alternate between the warehouses, so each warehouse's points are scattered over the matrix.
    const stops = new Map<number, Customer[]>(warehouses.map((w) => [w, []]));
    for (let k = 0; k < 30; k++) {
      const warehouseId = warehouses[k % 2]!;
      stops.get(warehouseId)!.push({ id: `h${k}`, location: 2 + k, demand: [5 + (k % 4), 0.01], serviceTime: 60 });
    }
    const vehicles = [van(1, 7), van(2, 7), van(3, 9), van(4, 9)];
    const solution = await routeWarehouses(stops, groupBy(vehicles, (v) => v.homeWarehouseId!), perWarehouse(matrix, stops, vehicleIndex), { timeLimitMs: 400, seed: 1, limits: { van: { maxTrips: 1 } } });

    expect(solution!.unassigned).toEqual([]);
    const served = solution!.routes.flatMap((r) => r.stops);
    expect(served.sort()).toEqual(Array.from({ length: 30 }, (_, k) => `h${k}`).sort());
    const warehouseOfStop = new Map([...stops].flatMap(([w, list]) => list.map((c) => [c.id, w] as const)));
    const locationOf = new Map([...stops.values()].flat().map((c) => [c.id, c.location]));
    const at = (i: number, j: number) => matrix.distancesM[i * matrix.size + j]!;
    for (const route of solution!.routes) {
      const home = vehicles.find((v) => `d${v.id}` === route.vehicleId)!.homeWarehouseId!;
      for (const id of route.stops) expect(warehouseOfStop.get(id)).toBe(home);
      const path = [vehicleIndex.get(`w${home}`)!, ...route.stops.map((id) => locationOf.get(id)!), vehicleIndex.get(`w${home}`)!];
      expect(route.distance).toBeCloseTo(path.slice(1).reduce((sum, p, k) => sum + at(path[k]!, p), 0), 6);
      expect(route.load[0]).toBeLessThanOrEqual(60);
    }
    expect(solution!.cost).toBeCloseTo(solution!.routes.reduce((sum, r) => sum + r.distance, 0), 6);
  });

  it('answers no solution when no warehouse has a stop', async () => {
    expect(await routeWarehouses(new Map(), new Map([[7, [van(1, 7)]]]), new Map(), { timeLimitMs: 200, seed: 1 })).toBeNull();
  });
});
