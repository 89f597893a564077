// Clarke–Wright savings construction: every customer starts alone on the vehicle kind that reaches it
// most cheaply, then route ends are joined in order of the distance saved, while the joined route keeps
// every limit. Only pairs of granular neighbours are considered, so it stays fast on large problems.
import type { SearchState } from './search-state.ts';

/** Builds routes for the given customers; returns false (and does nothing) if the fleet cannot give each its own vehicle. */
export function savingsConstruction(s: SearchState, customers: number[], neighbours: Int32Array[]): boolean {
  const { inst } = s;
  if (s.hasRules || s.pairs || customers.length > inst.slots.length) return false;
  const free = inst.classSlots.map((members) => members.slice().reverse());
  for (const c of customers) {
    let bestClass = -1;
    let bestCost = Infinity;
    free.forEach((slots, k) => {
      const slot = slots[slots.length - 1];
      if (slot === undefined) return;
      const cost = s.chainA.fromPrefix(s.routes[slot]!, 0).add(c).close().cost();
      if (cost < bestCost) {
        bestCost = cost;
        bestClass = k;
      }
    });
    if (bestClass < 0) {
      // Cannot happen for customers that passed the unservable check, unless a class ran out of vehicles.
      for (const r of s.routes) if (r.size > 0) s.setRoute(r.index, []);
      return false;
    }
    s.setRoute(free[bestClass]!.pop()!, [c]);
  }
  for (const [i, j] of savingsOrder(s, customers, neighbours)) join(s, i, j);
  return true;
}

/** Pairs (i, j), i to be followed by j, by decreasing saving d(i, depot) + d(depot, j) − d(i, j). */
function savingsOrder(s: SearchState, customers: number[], neighbours: Int32Array[]): [number, number][] {
  const pairs: { i: number; j: number; saving: number }[] = [];
  for (const i of customers) {
    const ri = s.routes[s.routeOf[i]!]!;
    for (const j of neighbours[i]!) {
      if (s.routeOf[j] === -1) continue;
      const rj = s.routes[s.routeOf[j]!]!;
      const saving = s.d(i, ri.slot.endNode) + s.d(rj.slot.startNode, j) - s.d(i, j);
      if (saving > 0) pairs.push({ i, j, saving });
    }
  }
  pairs.sort((a, b) => b.saving - a.saving || a.i - b.i || a.j - b.j);
  return pairs.map((p) => [p.i, p.j]);
}

/** Joins i's route and j's route into i's vehicle if i ends one, j starts the other, and it pays. */
function join(s: SearchState, i: number, j: number): void {
  const ri = s.routeOf[i]!;
  const rj = s.routeOf[j]!;
  if (ri === rj) return;
  const A = s.routes[ri]!;
  const B = s.routes[rj]!;
  if (s.posOf[i] !== A.size || s.posOf[j] !== 1) return;
  const cost = s.chainA.fromPrefix(A, A.size).finish(B, 1).cost();
  if (cost >= A.cost + B.cost) return;
  s.setRoute(ri, A.nodes.concat(B.nodes));
  s.setRoute(rj, []);
}
