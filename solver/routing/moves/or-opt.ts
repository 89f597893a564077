// Or-opt: move a chain of 2 or 3 consecutive customers starting at u to just after v, kept in order
// or reversed, within one route or into another.
import type { SearchState } from '../search-state.ts';
import { costOf, slice, type RoutingMove } from './move.ts';

const LENGTHS = [2, 3];

export function orOpt(s: SearchState): RoutingMove {
  let best = { u: -1, v: -1, length: 0, reversed: false };

  function delta(u: number, v: number, length: number, reversed: boolean): number {
    const ru = s.routeOf[u]!;
    const rv = s.routeOf[v]!;
    const pu = s.posOf[u]!;
    const pv = s.posOf[v]!;
    const A = s.routes[ru]!;
    const B = s.routes[rv]!;
    const end = pu + length - 1;
    if (end > A.size || (ru === rv && pv >= pu - 1 && pv <= end)) return Infinity;
    const [from, to] = reversed ? [end, pu] : [pu, end];
    if (s.screen && A.size > length && (s.symmetric || !reversed)) {
      const prev = A.at(pu - 1);
      const next = A.at(end + 1);
      const before = B.at(pv);
      const after = B.at(pv + 1);
      const first = A.at(from);
      const last = A.at(to);
      const quick =
        s.d(prev, next) - s.d(prev, A.at(pu)) - s.d(A.at(end), next) + s.d(before, first) + s.d(last, after) - s.d(before, after) + s.overloadChange(A, pu, end, B, 1, 0);
      if (quick >= 0) return quick;
    }
    if (ru !== rv) {
      const a = costOf(s.chainA.fromPrefix(A, pu - 1).finish(A, end + 1), A.size - length);
      if (a === Infinity) return Infinity;
      const b = s.overfillsTrip(B, pv, B, pv + 1, -1, A, from, to) ? Infinity : s.chainB.fromPrefix(B, pv).addRange(A, from, to).finish(B, pv + 1).cost();
      return a + b - A.cost - B.cost;
    }
    const c = s.chainA;
    if (pv < pu) c.fromPrefix(A, pv).addRange(A, from, to).addRange(A, pv + 1, pu - 1).finish(A, end + 1);
    else c.fromPrefix(A, pu - 1).addRange(A, end + 1, pv).addRange(A, from, to).finish(A, pv + 1);
    return c.cost() - A.cost;
  }

  return {
    name: 'or-opt',
    evaluate(u, v) {
      let bestDelta = Infinity;
      for (const length of LENGTHS) {
        for (const reversed of [false, true]) {
          const d = delta(u, v, length, reversed);
          if (d < bestDelta) {
            bestDelta = d;
            best = { u, v, length, reversed };
          }
        }
      }
      return bestDelta;
    },
    apply() {
      const { u, v, length, reversed } = best;
      const ru = s.routeOf[u]!;
      const rv = s.routeOf[v]!;
      const pu = s.posOf[u]!;
      const from = s.routes[ru]!.nodes.slice();
      const moved = slice(from, reversed ? pu + length - 1 : pu, reversed ? pu : pu + length - 1);
      from.splice(pu - 1, length);
      const to = ru === rv ? from : s.routes[rv]!.nodes.slice();
      to.splice(to.indexOf(v) + 1, 0, ...moved);
      s.setRoute(ru, from);
      if (ru !== rv) s.setRoute(rv, to);
    },
  };
}
