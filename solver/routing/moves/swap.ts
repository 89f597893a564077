// Swap: customers u and v trade places, within one route or between two.
import type { SearchState } from '../search-state.ts';
import type { RoutingMove } from './move.ts';

export function swap(s: SearchState): RoutingMove {
  let lastU = -1;
  let lastV = -1;

  /** Distance change of x taking y's place in y's route (y's neighbours kept). */
  function replaceDelta(x: number, y: number): number {
    const R = s.routes[s.routeOf[y]!]!;
    const p = s.posOf[y]!;
    const prev = R.at(p - 1);
    const next = R.at(p + 1);
    return s.d(prev, x) + s.d(x, next) - s.d(prev, y) - s.d(y, next);
  }

  return {
    name: 'swap',
    evaluate(u, v) {
      lastU = u;
      lastV = v;
      const ru = s.routeOf[u]!;
      const rv = s.routeOf[v]!;
      const pu = s.posOf[u]!;
      const pv = s.posOf[v]!;
      const A = s.routes[ru]!;
      if (ru !== rv) {
        if (s.screen) {
          const quick = replaceDelta(v, u) + replaceDelta(u, v) + s.overloadChange(A, pu, pu, s.routes[rv]!, pv, pv);
          if (quick >= 0) return quick;
        }
        const B = s.routes[rv]!;
        const a = s.chainA.fromPrefix(A, pu - 1).add(v).finish(A, pu + 1).cost();
        if (a === Infinity) return Infinity;
        const b = s.chainB.fromPrefix(B, pv - 1).add(u).finish(B, pv + 1).cost();
        return a + b - A.cost - B.cost;
      }
      const [first, second] = pu < pv ? [u, v] : [v, u];
      const p = Math.min(pu, pv);
      const q = Math.max(pu, pv);
      const c = s.chainA.fromPrefix(A, p - 1).add(second);
      if (q > p + 1) c.addRange(A, p + 1, q - 1);
      return c.add(first).finish(A, q + 1).cost() - A.cost;
    },
    apply() {
      const ru = s.routeOf[lastU]!;
      const rv = s.routeOf[lastV]!;
      const a = s.routes[ru]!.nodes.slice();
      const b = ru === rv ? a : s.routes[rv]!.nodes.slice();
      a[s.posOf[lastU]! - 1] = lastV;
      b[s.posOf[lastV]! - 1] = lastU;
      s.setRoute(ru, a);
      if (ru !== rv) s.setRoute(rv, b);
    },
  };
}
