// Cross-exchange: two routes swap short stretches (1 to 3 customers each, not both single), the stretch
// starting at u moving to just after v.
import type { SearchState } from '../search-state.ts';
import type { RoutingMove } from './move.ts';

const MAX_LENGTH = 3;

export function crossExchange(s: SearchState): RoutingMove {
  let best = { u: -1, v: -1, a: 0, b: 0 };

  /** u's stretch (a customers from u) goes after v; v's following stretch (b customers) takes its place. */
  function delta(u: number, v: number, a: number, b: number): number {
    const ru = s.routeOf[u]!;
    const rv = s.routeOf[v]!;
    const A = s.routes[ru]!;
    const B = s.routes[rv]!;
    const pu = s.posOf[u]!;
    const pv = s.posOf[v]!;
    if (pu + a - 1 > A.size || pv + b > B.size) return Infinity;
    if (s.screen) {
      const intoA = s.d(A.at(pu - 1), B.at(pv + 1)) + s.d(B.at(pv + b), A.at(pu + a)) - s.d(A.at(pu - 1), u) - s.d(A.at(pu + a - 1), A.at(pu + a));
      const intoB = s.d(B.at(pv), u) + s.d(A.at(pu + a - 1), B.at(pv + b + 1)) - s.d(B.at(pv), B.at(pv + 1)) - s.d(B.at(pv + b), B.at(pv + b + 1));
      const quick = intoA + intoB + s.overloadChange(A, pu, pu + a - 1, B, pv + 1, pv + b);
      if (quick >= 0) return quick;
    }
    // A stretch that overloads the trip it joins is skipped before its chain is built.
    if (s.overfillsTrip(A, pu - 1, A, pu + a, -1, B, pv + 1, pv + b)) return Infinity;
    const x = s.chainA.fromPrefix(A, pu - 1).addRange(B, pv + 1, pv + b).finish(A, pu + a).cost();
    if (x === Infinity) return Infinity;
    const y = s.overfillsTrip(B, pv, B, pv + b + 1, -1, A, pu, pu + a - 1) ? Infinity : s.chainB.fromPrefix(B, pv).addRange(A, pu, pu + a - 1).finish(B, pv + b + 1).cost();
    return x + y - A.cost - B.cost;
  }

  return {
    name: 'cross-exchange',
    evaluate(u, v) {
      if (s.routeOf[u] === s.routeOf[v]) return Infinity;
      let bestDelta = Infinity;
      for (let a = 1; a <= MAX_LENGTH; a++) {
        for (let b = 1; b <= MAX_LENGTH; b++) {
          if (a === 1 && b === 1) continue;
          const d = delta(u, v, a, b);
          if (d < bestDelta) {
            bestDelta = d;
            best = { u, v, a, b };
          }
        }
      }
      return bestDelta;
    },
    apply() {
      const { u, v, a, b } = best;
      const ru = s.routeOf[u]!;
      const rv = s.routeOf[v]!;
      const pu = s.posOf[u]!;
      const pv = s.posOf[v]!;
      const A = s.routes[ru]!.nodes.slice();
      const B = s.routes[rv]!.nodes.slice();
      const fromA = A.splice(pu - 1, a, ...B.slice(pv, pv + b));
      B.splice(pv, b, ...fromA);
      s.setRoute(ru, A);
      s.setRoute(rv, B);
    },
  };
}
