// Travel times warehouse → need behind one function, whether given as a function, a matrix, or
// (until a road network is at hand) straight-line distance at a typical urban speed.
import { InvalidProblemError } from '../errors.ts';
import type { Location, Need, TravelMatrix, TravelTimes, Warehouse } from './problem.ts';

export interface StraightLineOptions {
  /** Average door-to-door speed. */
  speedKmh?: number;
  /** Road distance / straight-line distance; 1.3 is typical for city grids. */
  detourFactor?: number;
}

const EARTH_RADIUS_M = 6_371_000;

export function haversineMetres(a: Location, b: Location): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Straight-line stand-in for road travel times; every located pair is reachable. */
export function straightLineTravel(
  warehouses: readonly Warehouse[],
  needs: readonly Need[],
  options: StraightLineOptions = {},
): TravelTimes {
  const metresPerSecond = ((options.speedKmh ?? 25) * 1000) / 3600;
  const detour = options.detourFactor ?? 1.3;
  const warehouseAt = locations(warehouses, 'warehouses');
  const needAt = locations(needs, 'needs');
  return (warehouseId, needId) => ({
    seconds: (haversineMetres(warehouseAt.get(warehouseId)!, needAt.get(needId)!) * detour) / metresPerSecond,
  });
}

function locations(items: readonly { id: string; location?: Location }[], field: string): Map<string, Location> {
  const byId = new Map<string, Location>();
  items.forEach((item, i) => {
    if (!item.location) throw new InvalidProblemError(`${field}[${i}].location`, 'needed for straight-line travel times when no travel is given');
    byId.set(item.id, item.location);
  });
  return byId;
}

/** Reads a travel matrix as a function; entries outside the matrix are unreachable. */
export function matrixTravel(matrix: TravelMatrix): TravelTimes {
  const row = new Map(matrix.warehouseIds.map((id, r) => [id, r]));
  const column = new Map(matrix.needIds.map((id, c) => [id, c]));
  return (warehouseId, needId) => {
    const r = row.get(warehouseId);
    const c = column.get(needId);
    if (r === undefined || c === undefined) return { seconds: Infinity, reason: 'not in the travel matrix' };
    const seconds = matrix.seconds[r]![c];
    if (seconds === null || seconds === undefined) {
      return { seconds: Infinity, reason: matrix.reasons?.[r]?.[c] ?? 'no route' };
    }
    return { seconds };
  };
}
