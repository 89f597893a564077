// Fleet minimisation after SISR (Christiaens & Vanden Berghe 2020, §5): take a route away, put its
// customers in a bank, and run ruin and recreate with no new route allowed until the bank is empty; then
// take the next route away. A trial is kept when it leaves fewer customers in the bank, or customers that
// were left out less often so far (each customer counts its absences): the hard ones then get placed
// first, and the others make room around them.
import type { Random } from '../random.ts';
import type { RuinRecreate } from './ruin-recreate.ts';
import type { SearchState } from './search-state.ts';

/**
 * Fewest routes the capacities allow: the total demand over the largest vehicle, per dimension. Where
 * customers hand goods in as well, a route may carry more than its capacity in all, so there is no bound.
 */
function routesLowerBound(s: SearchState, customers: number[]): number {
  const { inst } = s;
  if (inst.pickup !== null) return 1;
  let bound = 1;
  for (let k = 0; k < inst.dims; k++) {
    let demand = 0;
    for (const c of customers) demand += inst.demand[c * inst.dims + k]!;
    let largest = 0;
    for (const slot of inst.slots) largest = Math.max(largest, slot.capacity[k]!);
    if (largest > 0) bound = Math.max(bound, Math.ceil(demand / largest - 1e-9));
  }
  return bound;
}

export interface FleetBudget {
  /** Share of the budget used after `iteration` iterations of this phase (0 to 1). */
  progress: (iteration: number) => number;
  /** Share of the budget by which the phase ends. */
  until: number;
  /** It ends sooner when no route was cut for this share of the budget: what is left serves distance better. */
  stall: number;
}

/**
 * Cuts routes from the solution in `s` (everyone served) within the budget or until the capacity bound is
 * met. Leaves `s` holding the fewest-route solution found, and `rr` with new routes closed; returns the
 * iterations it took.
 */
export function minimiseFleet(
  s: SearchState,
  rr: RuinRecreate,
  random: Random,
  neighbours: Int32Array[],
  customers: number[],
  budget: FleetBudget,
): number {
  const bound = routesLowerBound(s, customers);
  const absences = new Float64Array(s.inst.customerCount);
  const missing = (bank: number[]) => bank.reduce((sum, c) => sum + absences[c]!, 0);
  let best = s.snapshot();
  let used = s.routesUsed();
  let bank: number[] = [];
  let iteration = 0;
  let lastCut = budget.progress(0);
  for (;;) {
    const done = budget.progress(iteration);
    if (used <= bound || done >= budget.until || done - lastCut >= budget.stall) break;
    if (bank.length === 0) {
      bank = takeRouteAway(s, random);
      rr.routeLimit = used - 1;
      continue;
    }
    iteration++;
    s.beginTrial();
    // Half of the ruins start next to a banked customer: that is where room is needed.
    const seed = random.next() < 0.5 ? bank[random.int(bank.length)] : undefined;
    const removed = rr.ruin(seed);
    const left = rr.recreate(removed.concat(bank));
    if (!s.pairs && !s.reloads) ejectToPlace(s, left, absences, neighbours);
    if (left.length < bank.length || missing(left) < missing(bank)) {
      s.commit();
      bank = left;
    } else {
      s.rollback();
    }
    for (const c of bank) absences[c]!++;
    if (bank.length === 0) {
      best = s.snapshot();
      used = s.routesUsed();
      lastCut = budget.progress(iteration);
    }
  }
  rr.routeLimit = 0;
  s.restore(best);
  return iteration;
}

/**
 * Places customers recreate left out by taking out one customer of the route that was left out less often
 * (Nagata & Bräysy 2009's ejection, depth one): the bank's count of absences then falls, and the customer
 * that blocked the place is the one to find another. Updates `left` in place.
 */
function ejectToPlace(s: SearchState, left: number[], absences: Float64Array, neighbours: Int32Array[]): void {
  left.sort((a, b) => absences[b]! - absences[a]!);
  for (let i = 0; i < left.length; i++) {
    const c = left[i]!;
    const ejected = ejectionInsert(s, c, absences, neighbours[c]!);
    if (ejected !== -1) left[i] = ejected;
  }
}

/** Inserts c in a route near it in place of one customer less often absent; returns that customer, or -1. */
function ejectionInsert(s: SearchState, c: number, absences: Float64Array, near: Int32Array): number {
  const pause = s.inst.isBreak;
  const seen = new Set<number>();
  let bestAbsences = Infinity;
  let bestDelta = Infinity;
  let bestRoute = -1;
  let bestAt = 0;
  let bestOut = 0;
  const chain = s.chainA;
  for (const v of near) {
    const r = s.routeOf[v]!;
    if (r === -1 || seen.has(r)) continue;
    seen.add(r);
    const route = s.routes[r]!;
    if (s.penalty(c, r) === Infinity) continue;
    for (let q = 1; q <= route.size; q++) {
      const e = route.nodes[q - 1]!;
      if (pause !== null && pause[e] === 1) continue;
      if (absences[e]! >= absences[c]! || absences[e]! > bestAbsences) continue;
      for (let p = 0; p <= route.size; p++) {
        // c after position p of the route as it is, e (at position q) taken out.
        if (p === q - 1 || p === q) {
          chain.fromPrefix(route, q - 1).add(c).finish(route, q + 1);
        } else if (p < q) {
          chain.fromPrefix(route, p).add(c).addRange(route, p + 1, q - 1).finish(route, q + 1);
        } else {
          chain.fromPrefix(route, q - 1).addRange(route, q + 1, p).add(c).finish(route, p + 1);
        }
        const cost = chain.cost();
        if (cost === Infinity) continue;
        const delta = cost - route.cost;
        if (absences[e]! < bestAbsences || (absences[e] === bestAbsences && delta < bestDelta)) {
          bestAbsences = absences[e]!;
          bestDelta = delta;
          bestRoute = r;
          bestAt = p;
          bestOut = q;
        }
      }
    }
  }
  if (bestRoute === -1) return -1;
  const route = s.routes[bestRoute]!;
  const e = route.nodes[bestOut - 1]!;
  const nodes = route.nodes.slice();
  // Insert first (positions refer to the route as it is), then take e out.
  nodes.splice(bestAt, 0, c);
  nodes.splice(bestAt < bestOut ? bestOut : bestOut - 1, 1);
  s.routeOf[e] = -1;
  s.setRoute(bestRoute, nodes);
  return e;
}

/** Empties one of the routes with fewest customers (its breaks stay); returns its customers. */
function takeRouteAway(s: SearchState, random: Random): number[] {
  const pause = s.inst.isBreak;
  const used = s.routes.filter((r) => r.tasks > 0);
  const fewest = Math.min(...used.map((r) => r.tasks));
  const smallest = used.filter((r) => r.tasks === fewest);
  const route = smallest[random.int(smallest.length)]!;
  const customers = route.nodes.filter((c) => pause === null || pause[c] === 0);
  const kept = route.nodes.filter((c) => pause !== null && pause[c] === 1);
  for (const c of customers) s.routeOf[c] = -1;
  s.setRoute(route.index, kept);
  return customers;
}
