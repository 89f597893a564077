import { describe, expect, it } from 'vitest';
import { relocate } from '../../../solver/routing/moves/relocate.ts';
import { SwapStar } from '../../../solver/routing/moves/swap-star.ts';
import { nearestNeighbours } from '../../../solver/routing/neighbours.ts';
import { compileProblem, type RoutingProblem } from '../../../solver/routing/problem.ts';
import { SearchState } from '../../../solver/routing/search-state.ts';

/** A depot at 0 and customers a, b at 10 and 20 on a line; one van with a 30-long break starting in [15, 18]. */
function line(): RoutingProblem {
  const xs = [0, 10, 20];
  return {
    depots: [{ id: 'depot', location: 0 }],
    customers: [
      { id: 'a', location: 1, demand: [1] },
      { id: 'b', location: 2, demand: [1] },
    ],
    vehicles: [{ id: 'van', startDepot: 'depot', capacity: [5], breaks: [{ id: 'lunch', timeWindow: [15, 18], duration: 30 }] }],
    distances: xs.map((x) => xs.map((y) => Math.abs(x - y))),
  };
}

describe('routes with breaks', () => {
  const lunch = 2; // the break's node comes after the two customers
  it('are infeasible when they serve anyone without the break, and free when they serve nobody', () => {
    const s = new SearchState(compileProblem(line()));
    s.setRoute(0, [0, 1]);
    expect(s.routes[0]!.cost).toBe(Infinity);
    s.setRoute(0, [lunch]);
    expect(s.routes[0]!.cost).toBe(0);
  });

  it('take the break where the vehicle stands: no detour, only the time', () => {
    const s = new SearchState(compileProblem(line()));
    s.setRoute(0, [0, lunch, 1]);
    const route = s.routes[0]!;
    expect(route.cost).toBe(40);
    expect(route.fwDur[4]).toBe(40 + 30); // leaving at 5, it reaches a at 15 and pauses there at once
    // The same route assembled from prefixes and suffixes, one of them starting with the break.
    expect(s.chainA.fromPrefix(route, 0).finish(route, 1).cost()).toBe(40);
    expect(s.chainA.fromPrefix(route, 1).finish(route, 2).cost()).toBe(40);
    // Without a, the break is taken at the depot and the van drives from there: 20 out and 20 back.
    expect(s.chainA.fromPrefix(route, 0).finish(route, 2).cost()).toBe(40);
    // After b instead of a, the break can no longer start by 18.
    s.setRoute(0, [0, 1, lunch]);
    expect(s.routes[0]!.cost).toBe(Infinity);
  });
});

/** On a line: a (demand 3) at 10, b (3) at 12, c (1) at -10; two vans of 4 from the depot at 0. */
function overloaded(): SearchState {
  const xs = [10, 12, -10, 0];
  const s = new SearchState(
    compileProblem({
      depots: [{ id: 'depot', location: 3 }],
      customers: [
        { id: 'a', location: 0, demand: [3] },
        { id: 'b', location: 1, demand: [3] },
        { id: 'c', location: 2, demand: [1] },
      ],
      vehicles: [{ id: 'van', count: 2, startDepot: 'depot', capacity: [4] }],
      distances: xs.map((x) => xs.map((y) => Math.abs(x - y))),
    }),
  );
  s.setCapacityPenalty(100);
  s.restore([[0, 1], [2]]);
  return s;
}

describe('routes over capacity', () => {
  it('cost their distance plus the overload at its price while capacity is relaxed, and are infeasible otherwise', () => {
    const s = overloaded();
    expect(s.routes[0]!.excess).toBe(2);
    expect(s.routes[0]!.cost).toBe(24 + 2 * 100);
    expect(s.withinCapacity()).toBe(false);
    s.setCapacityPenalty(Infinity);
    expect(s.routes[0]!.cost).toBe(Infinity);
    expect(s.routes[1]!.cost).toBe(20);
  });

  it('are left by a move that lengthens the routes but removes the overload (not screened out by distance)', () => {
    const s = overloaded();
    const move = relocate(s);
    // b next to c: 20 more to drive, 2 units less overload.
    expect(move.evaluate(1, 2)).toBeCloseTo(20 - 200, 9);
    move.apply();
    expect(s.withinCapacity()).toBe(true);
    expect(s.totalCost()).toBe(20 + 44);
  });

  it('are left by SWAP*, which prices the overload of each exchange', () => {
    const s = overloaded();
    const moved = new SwapStar(s, nearestNeighbours(s.inst, 2)).run();
    expect(moved.length).toBeGreaterThan(0);
    expect(s.withinCapacity()).toBe(true);
  });
});
