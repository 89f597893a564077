import { describe, expect, it } from 'vitest';
import { relocate } from '../../../solver/routing/moves/relocate.ts';
import { SwapStar } from '../../../solver/routing/moves/swap-star.ts';
import { nearestNeighbours } from '../../../solver/routing/neighbours.ts';
import { compileProblem, type RoutingProblem } from '../../../solver/routing/problem.ts';
import { SearchState } from '../../../solver/routing/search-state.ts';
import { randomProblem } from './fixtures.ts';

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

/**
 * On a line: a (6) at 10, c (3) at 12, b (6) at -10, e (2) at 11, and a pledge p handing in 4 at -12; one van of
 * 10 that may reload once at the depot (0), running a, c, reload, b.
 */
function twoTrips(): SearchState {
  const xs = [10, 12, -10, 11, -12, 0];
  const s = new SearchState(
    compileProblem({
      depots: [{ id: 'depot', location: 5 }],
      customers: [
        { id: 'a', location: 0, demand: [6] },
        { id: 'c', location: 1, demand: [3] },
        { id: 'b', location: 2, demand: [6] },
        { id: 'e', location: 3, demand: [2] },
        { id: 'p', location: 4, demand: [0], pickup: [4] },
      ],
      vehicles: [{ id: 'van', startDepot: 'depot', capacity: [10], maxTrips: 2, reloadTime: 5 }],
      distances: xs.map((x) => xs.map((y) => Math.abs(x - y))),
    }),
  );
  s.setRoute(0, [0, 1, s.inst.slots[0]!.reloads[0]!, 2]);
  return s;
}

describe('an insertion that would overfill a trip', () => {
  const exact = (s: SearchState, p: number, c: number) => s.chainA.fromPrefix(s.routes[0]!, p).add(c).finish(s.routes[0]!, p + 1).cost();

  it('is told apart before the route is evaluated: exactly the places the full check finds over capacity', () => {
    const s = twoTrips();
    const route = s.routes[0]!;
    const e = 3;
    // e (2) fits the second trip (6) but not the first (9), wherever in it.
    expect([0, 1, 2, 3, 4].map((p) => s.overfillsTrip(route, p, route, p + 1, e))).toEqual([true, true, true, false, false]);
    for (let p = 0; p <= route.size; p++) expect(exact(s, p, e) === Infinity, `after position ${p}`).toBe(s.overfillsTrip(route, p, route, p + 1, e));
    // A pledge brings its goods back: it weighs on no trip's departure, and the full check decides where it fits.
    const p = 4;
    for (let q = 0; q <= route.size; q++) expect(s.overfillsTrip(route, q, route, q + 1, p)).toBe(false);
  });

  it('is told apart for tails and stretches moved from another route too: only where the full check finds it infeasible', () => {
    // Two vans of 10 that may reload once, each on two trips (of 6 and 9, 7 and 9) of customers of 1 to 6 at random places.
    const problem = randomProblem(7, 16);
    const s = new SearchState(
      compileProblem({
        ...problem,
        customers: problem.customers.map((c, i) => ({ ...c, demand: [1 + (i % 6)] })),
        vehicles: [{ id: 'van', count: 2, startDepot: problem.depots[0]!.id, capacity: [10], maxTrips: 2, reloadTime: 5 }],
      }),
    );
    const [x, y] = s.inst.slots.map((slot) => slot.reloads[0]!);
    s.setRoute(0, [0, 1, 2, x!, 3, 4]);
    s.setRoute(1, [5, 6, y!, 7, 8, 9]);
    const [X, Y] = s.routes as [typeof s.routes[0], typeof s.routes[0]];
    expect([X.cost, Y.cost].every(Number.isFinite)).toBe(true);
    const skipped = { tails: 0, stretches: 0 };
    for (const [head, tail] of [[X, Y], [Y, X]]) {
      for (let p = 0; p <= head.size; p++) {
        for (let q = 1; q <= tail.size + 1; q++) {
          // head's prefix, then tail's suffix (2-opt*)
          if (s.overfillsTrip(head, p, tail, q)) {
            skipped.tails++;
            expect(s.chainA.fromPrefix(head, p).finish(tail, q).cost()).toBe(Infinity);
          }
          // a stretch of tail's placed after p in head (or-opt, cross-exchange)
          for (let to = q; to <= Math.min(q + 2, tail.size); to++) {
            if (!s.overfillsTrip(head, p, head, p + 1, -1, tail, to, q)) continue;
            skipped.stretches++;
            expect(s.chainA.fromPrefix(head, p).addRange(tail, to, q).finish(head, p + 1).cost()).toBe(Infinity);
          }
        }
      }
    }
    // Another vehicle's route reduced to its end depot adds nothing (it used to be walked backwards from past its end).
    expect(s.chainA.fromPrefix(X, X.size).finish(Y, Y.size + 1).cost()).toBe(X.cost);
    expect(skipped.tails).toBeGreaterThan(0);
    expect(skipped.stretches).toBeGreaterThan(0);
  });

  it('is never skipped while capacity is relaxed: there the overload only costs', () => {
    const s = overloaded();
    // c (1) joins a and b (6 in a van of 4): over capacity, at a price.
    expect(s.overfillsTrip(s.routes[0]!, 2, s.routes[0]!, 3, 2)).toBe(false);
    expect(s.chainA.fromPrefix(s.routes[0]!, 2).add(2).finish(s.routes[0]!, 3).cost()).toBeLessThan(Infinity);
    s.setCapacityPenalty(Infinity);
    expect(s.overfillsTrip(s.routes[0]!, 2, s.routes[0]!, 3, 2)).toBe(true);
  });
});
