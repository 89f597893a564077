// Pair relocate: move a shipment (pickup and delivery together) into another route, the stop u next to
// its neighbour v and the other stop at its best place on the right side of it. Single-stop moves cannot
// move a shipment between routes, as half a shipment in each route breaks the pair rule.
import type { SearchState } from '../search-state.ts';
import { costOf, type RoutingMove } from './move.ts';

export function pairRelocate(s: SearchState): RoutingMove {
  /** The target route and the positions (of the route as it was) after which the pickup and the delivery go. */
  let best = { pickup: -1, route: -1, a: 0, b: 0 };

  /** Distance saved by taking both stops out, plus that of putting u next to v: a bound on the change. */
  function screen(u: number, v: number, pickup: number, delivery: number): number {
    const A = s.routes[s.routeOf[u]!]!;
    const B = s.routes[s.routeOf[v]!]!;
    const pp = s.posOf[pickup]!;
    const pd = s.posOf[delivery]!;
    let out: number;
    if (pd === pp + 1) out = s.d(A.at(pp - 1), A.at(pd + 1)) - s.d(A.at(pp - 1), pickup) - s.d(pickup, delivery) - s.d(delivery, A.at(pd + 1));
    else out = s.d(A.at(pp - 1), A.at(pp + 1)) - s.d(A.at(pp - 1), pickup) - s.d(pickup, A.at(pp + 1)) + s.d(A.at(pd - 1), A.at(pd + 1)) - s.d(A.at(pd - 1), delivery) - s.d(delivery, A.at(pd + 1));
    const pv = s.posOf[v]!;
    const after = s.d(v, u) + s.d(u, B.at(pv + 1)) - s.d(v, B.at(pv + 1));
    const before = s.d(B.at(pv - 1), u) + s.d(u, v) - s.d(B.at(pv - 1), v);
    return out + Math.min(after, before);
  }

  return {
    name: 'pair-relocate',
    evaluate(u, v) {
      const { pairOf, pairRole } = s.inst;
      if (pairRole === null || pairRole[u] === 0) return Infinity;
      const ru = s.routeOf[u]!;
      const rv = s.routeOf[v]!;
      if (ru === rv || s.penalty(u, rv) === Infinity) return Infinity;
      const pickup = pairRole[u] === 1 ? u : pairOf![u]!;
      const delivery = pairOf![pickup]!;
      if (s.screen) {
        const quick = screen(u, v, pickup, delivery);
        if (quick >= 0) return quick;
      }
      const A = s.routes[ru]!;
      const B = s.routes[rv]!;
      const pp = s.posOf[pickup]!;
      const pd = s.posOf[delivery]!;
      const rest = s.chainA.fromPrefix(A, pp - 1);
      if (pd > pp + 1) rest.addRange(A, pp + 1, pd - 1);
      const a0 = costOf(rest.finish(A, pd + 1), A.size - 2);
      if (a0 === Infinity) return Infinity;
      const base = s.chainB;
      const trial = s.chainA;
      const pv = s.posOf[v]!;
      let bestDelta = Infinity;
      const consider = (a: number, b: number, cost: number) => {
        const delta = a0 + cost - A.cost - B.cost;
        if (delta < bestDelta) {
          bestDelta = delta;
          best = { pickup, route: rv, a, b };
        }
      };
      if (u === pickup) {
        // The pickup just before or after v; the delivery anywhere after it.
        for (const a of [pv - 1, pv]) {
          base.fromPrefix(B, a).add(pickup);
          for (let b = a; b <= B.size; b++) {
            if (b > a) base.add(B.nodes[b - 1]!);
            if (base.warp > 1e-7) break;
            consider(a, b, trial.copyFrom(base).add(delivery).finish(B, b + 1).cost());
          }
        }
      } else {
        // The delivery just before or after v; the pickup anywhere before it.
        for (const b of [pv - 1, pv]) {
          for (let a = 0; a <= b; a++) {
            base.fromPrefix(B, a).add(pickup);
            if (b > a) base.addRange(B, a + 1, b);
            consider(a, b, base.add(delivery).finish(B, b + 1).cost());
          }
        }
      }
      return bestDelta;
    },
    apply() {
      const { pickup, route, a, b } = best;
      const delivery = s.inst.pairOf![pickup]!;
      const from = s.routeOf[pickup]!;
      const to = s.routes[route]!.nodes.slice();
      to.splice(b, 0, delivery);
      to.splice(a, 0, pickup);
      s.setRoute(from, s.routes[from]!.nodes.filter((x) => x !== pickup && x !== delivery));
      s.setRoute(route, to);
    },
  };
}
