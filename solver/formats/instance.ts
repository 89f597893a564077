// A benchmark instance read from a file: the routing problem with the distance convention of its set,
// the node ids as written in the file, and how the set's solution files number customers.
import { InvalidProblemError } from '../errors.ts';
import type { PlannedRoute } from '../routing/check.ts';
import type { RoutingProblem } from '../routing/problem.ts';

/** How the set's best-known costs measure an edge (see bench/instances/BKS.md). */
export type DistanceConvention = 'rounded' | 'unrounded' | 'truncated-1dp';

export interface BenchmarkInstance {
  name: string;
  format: 'cvrplib' | 'vrplib-tw' | 'solomon' | 'cordeau';
  convention: DistanceConvention;
  problem: RoutingProblem;
  /** Customer id for the number a solution file (.sol/.res) gives it. */
  customerIdOfSolutionNumber(k: number): string;
}

export interface Point {
  x: number;
  y: number;
}

/** Euclidean distances with the set's convention; travel time is the same number. */
export function euclideanMatrix(points: Point[], convention: DistanceConvention): number[][] {
  return points.map((a) =>
    points.map((b) => {
      const d = Math.hypot(a.x - b.x, a.y - b.y);
      if (convention === 'rounded') return Math.round(d);
      if (convention === 'truncated-1dp') return Math.floor(d * 10) / 10;
      return d;
    }),
  );
}

/** Rounds a total to the precision its convention reports (integers, one decimal, or two). */
export function reportedCost(cost: number, convention: DistanceConvention): number {
  const digits = convention === 'rounded' ? 0 : convention === 'truncated-1dp' ? 1 : 2;
  return Number(cost.toFixed(digits));
}

/** Numbers of one line, failing with the line number when something is not a number. */
export function numbers(line: string, lineNumber: number, field = 'line'): number[] {
  const parts = line.trim().split(/\s+/).filter((p) => p !== '');
  return parts.map((p) => {
    const v = Number(p);
    if (!Number.isFinite(v)) throw new InvalidProblemError(`${field} ${lineNumber}`, `"${p}" is not a number`);
    return v;
  });
}

/** Routes read from a solution file, as routes of the instance's vehicles. */
export function plannedRoutes(instance: BenchmarkInstance, routes: { vehicle?: number; customers: number[] }[]): PlannedRoute[] {
  const copies = new Map<string, number>();
  return routes.map((r) => {
    const vehicle = instance.problem.vehicles[r.vehicle ?? 0]!;
    const copy = copies.get(vehicle.id) ?? 0;
    copies.set(vehicle.id, copy + 1);
    return { vehicleId: vehicle.id, copy, stops: r.customers.map((k) => instance.customerIdOfSolutionNumber(k)) };
  });
}
