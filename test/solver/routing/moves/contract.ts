// The contract every move must keep, checked on random solutions: a negative delta is exactly the cost
// change once applied, and applying it keeps every route within its limits.
import { expect, it } from 'vitest';
import { Random } from '../../../../solver/random.ts';
import { checkSolution } from '../../../../solver/routing/check.ts';
import type { MoveFactory } from '../../../../solver/routing/moves/move.ts';
import { compileProblem } from '../../../../solver/routing/problem.ts';
import { RuinRecreate } from '../../../../solver/routing/ruin-recreate.ts';
import { SearchState } from '../../../../solver/routing/search-state.ts';
import { nearestNeighbours } from '../../../../solver/routing/neighbours.ts';
import { randomProblem } from '../fixtures.ts';

export function itKeepsTheMoveContract(factory: MoveFactory): void {
  for (const timeWindows of [false, true]) {
    it(`finds improvements whose delta equals the recomputed cost change (${timeWindows ? 'with' : 'without'} time windows)`, () => {
      let applied = 0;
      for (let seed = 1; seed <= 4; seed++) {
        const problem = randomProblem(seed, 40, { timeWindows, depots: 1 + (seed % 2) });
        const inst = compileProblem(problem);
        const s = new SearchState(inst);
        const random = new Random(seed);
        const neighbours = nearestNeighbours(inst, 10);
        // A poor but feasible start: customers inserted in random order.
        new RuinRecreate(s, neighbours, random).recreate(random.shuffle(Array.from({ length: 40 }, (_, c) => c)));
        const move = factory(s);
        for (let round = 0; round < 400; round++) {
          const u = random.int(40);
          const v = neighbours[u]![random.int(10)]!;
          if (s.routeOf[u] === -1 || s.routeOf[v] === -1) continue;
          const before = s.totalCost();
          const delta = move.evaluate(u, v);
          if (!(delta < -1e-9)) continue;
          move.apply();
          applied++;
          expect(s.totalCost() - before).toBeCloseTo(delta, 6);
          const routes = s.routes.filter((r) => r.size > 0).map((r) => ({ vehicleId: r.slot.vehicleId, copy: r.slot.copy, stops: r.nodes.map((c) => `C${c}`) }));
          const check = checkSolution(problem, { routes, unassigned: problem.customers.filter((_, c) => s.routeOf[c] === -1) });
          expect(check.violations).toEqual([]);
          expect(check.cost).toBeCloseTo(s.totalCost() - s.unassignedCount() * s.unassignedPenalty, 6);
        }
      }
      expect(applied).toBeGreaterThan(0);
    });
  }
}
