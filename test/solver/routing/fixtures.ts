// Small random routing problems for the tests: customers on a 100×100 square, optional time windows,
// a fleet that is large enough, Euclidean distances (time = distance); and the river, where fewer vans cost more.
import { Random } from '../../../solver/random.ts';
import type { RoutingProblem } from '../../../solver/routing/problem.ts';

export function randomProblem(seed: number, customers: number, options: { timeWindows?: boolean; depots?: number } = {}): RoutingProblem {
  const random = new Random(seed);
  const depots = options.depots ?? 1;
  const points = Array.from({ length: customers + depots }, () => ({ x: random.int(100), y: random.int(100) }));
  const distances = points.map((a) => points.map((b) => Math.hypot(a.x - b.x, a.y - b.y)));
  return {
    depots: Array.from({ length: depots }, (_, j) => ({ id: `D${j}`, location: customers + j, timeWindow: [0, 1000] as [number, number] })),
    customers: Array.from({ length: customers }, (_, i) => {
      const start = random.int(600);
      return {
        id: `C${i}`,
        location: i,
        demand: [1 + random.int(9), 1 + random.int(5)],
        serviceTime: 5,
        ...(options.timeWindows ? { timeWindow: [start, start + 150 + random.int(200)] as [number, number] } : {}),
      };
    }),
    vehicles: Array.from({ length: depots }, (_, j) => ({ id: `V${j}`, count: customers, startDepot: `D${j}`, capacity: [30, 20] })),
    distances,
  };
}

/**
 * Depot 0; stops 1, 2, 3. The road between 1 and 2 crosses a river (100); 3 is beside 1. Two vans (1 with 3, then 2
 * alone) drive 47 where one van serving all three drives 125: distance alone sends two, fewest vehicles first one.
 */
export const riverDistances = [
  [0, 10, 10, 12],
  [10, 0, 100, 5],
  [10, 100, 0, 100],
  [12, 5, 100, 0],
];
