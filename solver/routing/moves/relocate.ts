// Relocate: move customer u to just after or just before its neighbour v, in the same or another route.
import type { SearchState } from '../search-state.ts';
import { costOf, type RoutingMove } from './move.ts';

export function relocate(s: SearchState): RoutingMove {
  let bestU = -1;
  /** Position in v's route after which u goes (in the route as it was before the move). */
  let bestAfter = 0;
  let bestRoute = -1;

  /** Distance change of putting u after position p of route rv; exact unless a route becomes empty. */
  function distanceDelta(u: number, rv: number, p: number): number {
    const A = s.routes[s.routeOf[u]!]!;
    const B = s.routes[rv]!;
    const pu = s.posOf[u]!;
    const prev = A.at(pu - 1);
    const next = A.at(pu + 1);
    const before = B.at(p);
    const after = B.at(p + 1);
    return s.d(prev, next) - s.d(prev, u) - s.d(u, next) + s.d(before, u) + s.d(u, after) - s.d(before, after);
  }

  /** Cost change of putting u after position p of route rv. */
  function deltaAfter(u: number, rv: number, p: number): number {
    const ru = s.routeOf[u]!;
    const pu = s.posOf[u]!;
    const A = s.routes[ru]!;
    if (ru === rv && (p === pu || p === pu - 1)) return Infinity;
    if (s.screen && A.size > 1) {
      const quick = distanceDelta(u, rv, p) + s.overloadChange(A, pu, pu, s.routes[rv]!, 1, 0);
      if (quick >= 0) return quick;
    }
    if (ru !== rv) {
      const B = s.routes[rv]!;
      const a = costOf(s.chainA.fromPrefix(A, pu - 1).finish(A, pu + 1), A.size - 1);
      if (a === Infinity) return Infinity;
      const b = s.overfillsTrip(B, p, B, p + 1, u) ? Infinity : s.chainB.fromPrefix(B, p).add(u).finish(B, p + 1).cost();
      return a + b - A.cost - B.cost;
    }
    const c = s.chainA;
    if (p < pu) c.fromPrefix(A, p).add(u).addRange(A, p + 1, pu - 1).finish(A, pu + 1);
    else c.fromPrefix(A, pu - 1).addRange(A, pu + 1, p).add(u).finish(A, p + 1);
    return c.cost() - A.cost;
  }

  return {
    name: 'relocate',
    evaluate(u, v) {
      const rv = s.routeOf[v]!;
      const pv = s.posOf[v]!;
      const after = deltaAfter(u, rv, pv);
      const before = deltaAfter(u, rv, pv - 1);
      bestU = u;
      bestRoute = rv;
      bestAfter = after <= before ? pv : pv - 1;
      return Math.min(after, before);
    },
    apply() {
      const ru = s.routeOf[bestU]!;
      const pu = s.posOf[bestU]!;
      if (ru === bestRoute) {
        const nodes = s.routes[ru]!.nodes.slice();
        nodes.splice(pu - 1, 1);
        nodes.splice(bestAfter < pu ? bestAfter : bestAfter - 1, 0, bestU);
        s.setRoute(ru, nodes);
        return;
      }
      const from = s.routes[ru]!.nodes.slice();
      from.splice(pu - 1, 1);
      const to = s.routes[bestRoute]!.nodes.slice();
      to.splice(bestAfter, 0, bestU);
      s.setRoute(ru, from);
      s.setRoute(bestRoute, to);
    },
  };
}
