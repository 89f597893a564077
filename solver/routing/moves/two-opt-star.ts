// 2-opt*: two routes exchange their tails so that u and v become adjacent (v then u, or u then v).
import type { SearchState } from '../search-state.ts';
import { costOf, type RoutingMove } from './move.ts';

export function twoOptStar(s: SearchState): RoutingMove {
  /** The route whose head keeps `cutFirst` positions and takes the other's tail after `cutSecond`. */
  let best = { first: -1, cutFirst: 0, second: -1, cutSecond: 0 };

  /** Route X keeps positions ..x and continues with Y's tail from y+1; Y keeps ..y and takes X's tail from x+1. */
  function delta(rx: number, x: number, ry: number, y: number): number {
    const X = s.routes[rx]!;
    const Y = s.routes[ry]!;
    const sizeX = x + Y.size - y;
    const sizeY = y + X.size - x;
    if (s.screen && sizeX > 0 && sizeY > 0) {
      // A tail that is only the end depot stays the route's own end depot.
      const tailY = y < Y.size ? Y.nodes[y]! : X.slot.endNode;
      const tailX = x < X.size ? X.nodes[x]! : Y.slot.endNode;
      const quick = s.d(X.at(x), tailY) + s.d(Y.at(y), tailX) - s.d(X.at(x), X.at(x + 1)) - s.d(Y.at(y), Y.at(y + 1)) + s.overloadChange(X, x + 1, X.size, Y, y + 1, Y.size);
      if (quick >= 0) return quick;
    }
    // A tail that overloads the trip it joins is skipped before its chain is built (most of them, on full routes).
    if (s.overfillsTrip(X, x, Y, y + 1)) return Infinity;
    const a = costOf(s.chainA.fromPrefix(X, x).finish(Y, y + 1), sizeX);
    if (a === Infinity) return Infinity;
    const b = s.overfillsTrip(Y, y, X, x + 1) ? Infinity : costOf(s.chainB.fromPrefix(Y, y).finish(X, x + 1), sizeY);
    return a + b - X.cost - Y.cost;
  }

  return {
    name: '2-opt*',
    evaluate(u, v) {
      const ru = s.routeOf[u]!;
      const rv = s.routeOf[v]!;
      if (ru === rv) return Infinity;
      const pu = s.posOf[u]!;
      const pv = s.posOf[v]!;
      // u then v: u's route keeps ..u and continues at v; v then u: v's route keeps ..v and continues at u.
      const uThenV = delta(ru, pu, rv, pv - 1);
      const vThenU = delta(rv, pv, ru, pu - 1);
      best = uThenV <= vThenU ? { first: ru, cutFirst: pu, second: rv, cutSecond: pv - 1 } : { first: rv, cutFirst: pv, second: ru, cutSecond: pu - 1 };
      return Math.min(uThenV, vThenU);
    },
    apply() {
      const X = s.routes[best.first]!.nodes;
      const Y = s.routes[best.second]!.nodes;
      const newX = X.slice(0, best.cutFirst).concat(Y.slice(best.cutSecond));
      const newY = Y.slice(0, best.cutSecond).concat(X.slice(best.cutFirst));
      s.setRoute(best.first, newX);
      s.setRoute(best.second, newY);
    },
  };
}
