import { describe, expect, it } from 'vitest';
import { Random } from '../../../../solver/random.ts';
import { checkSolution } from '../../../../solver/routing/check.ts';
import { LocalSearch } from '../../../../solver/routing/local-search.ts';
import { SwapStar } from '../../../../solver/routing/moves/swap-star.ts';
import { nearestNeighbours } from '../../../../solver/routing/neighbours.ts';
import { compileProblem, type RoutingProblem } from '../../../../solver/routing/problem.ts';
import { RuinRecreate } from '../../../../solver/routing/ruin-recreate.ts';
import { SearchState } from '../../../../solver/routing/search-state.ts';
import { randomProblem } from '../fixtures.ts';

/** Two vans of four around a depot at (0, 0), both full: no customer can move alone. */
const points = [[5, -10], [-1, -9], [6, 0], [0, -7], [-5, 1], [-6, -9], [4, 0], [6, 8], [0, 0]] as const;
const crafted: RoutingProblem = {
  depots: [{ id: 'D', location: 8 }],
  customers: Array.from({ length: 8 }, (_, i) => ({ id: `C${i}`, location: i, demand: [1] })),
  vehicles: [{ id: 'V', count: 2, startDepot: 'D', capacity: [4] }],
  distances: points.map(([ax, ay]) => points.map(([bx, by]) => Math.round(10 * Math.hypot(ax - bx, ay - by)))),
};
/** A local optimum of every other move: SWAP* alone sends C4 and C0 across, each to its best place. */
const stuck = [[3, 1, 5, 4], [7, 2, 6, 0]];

function searchFrom(problem: RoutingProblem, routes: number[][], swapStar: boolean): SearchState {
  const inst = compileProblem(problem);
  const s = new SearchState(inst);
  s.restore(routes);
  new LocalSearch(s, nearestNeighbours(inst, 20), new Random(1), { swapStar }).run();
  return s;
}

describe('SWAP*', () => {
  it('leaves a local optimum of the other moves for a better solution', () => {
    const without = searchFrom(crafted, stuck, false);
    expect(without.totalCost()).toBe(705);
    const s = searchFrom(crafted, stuck, true);
    expect(s.totalCost()).toBe(668);
    expect(s.snapshot()).toEqual([[3, 0, 1, 5], [4, 7, 2, 6]]);
  });

  for (const timeWindows of [false, true]) {
    it(`improves random solutions exactly, within every limit (${timeWindows ? 'with' : 'without'} time windows, pickups and stop limits)`, () => {
      let applied = 0;
      for (let seed = 1; seed <= 4; seed++) {
        const plain = randomProblem(seed, 40, { timeWindows, depots: 1 + (seed % 2) });
        const problem: RoutingProblem =
          seed % 2 === 0 ? plain : { ...plain, customers: plain.customers.map((c, i) => (i % 2 === 0 ? { ...c, pickup: [1 + (i % 9), i % 4] } : c)), vehicles: plain.vehicles.map((v) => ({ ...v, maxStops: 7 })) };
        const inst = compileProblem(problem);
        const s = new SearchState(inst);
        const random = new Random(seed);
        const neighbours = nearestNeighbours(inst, 10);
        new RuinRecreate(s, neighbours, random).recreate(random.shuffle(Array.from({ length: 40 }, (_, c) => c)));
        const swapStar = new SwapStar(s, neighbours);
        for (let round = 0; round < 30; round++) {
          const before = s.totalCost();
          if (swapStar.run().length === 0) break;
          applied++;
          expect(s.totalCost()).toBeLessThan(before);
          const routes = s.routes.filter((r) => r.tasks > 0).map((r) => ({ vehicleId: r.slot.vehicleId, copy: r.slot.copy, stops: r.nodes.map((c) => `C${c}`) }));
          const check = checkSolution(problem, { routes });
          expect(check.violations).toEqual([]);
          expect(check.cost).toBeCloseTo(s.totalCost(), 6);
        }
      }
      expect(applied).toBeGreaterThan(0);
    });
  }
});
