// 2-opt within one route: reverse the stretch between u and v so that they become adjacent.
import type { SearchState } from '../search-state.ts';
import { slice, type RoutingMove } from './move.ts';

export function twoOpt(s: SearchState): RoutingMove {
  /** Positions of the reversed stretch in the last best variant. */
  let best = { route: -1, from: 0, to: 0 };

  function delta(route: number, from: number, to: number): number {
    const R = s.routes[route]!;
    if (s.screen && s.symmetric) {
      const quick = s.d(R.at(from - 1), R.at(to)) + s.d(R.at(from), R.at(to + 1)) - s.d(R.at(from - 1), R.at(from)) - s.d(R.at(to), R.at(to + 1));
      if (quick >= 0) return quick;
    }
    return s.chainA.fromPrefix(R, from - 1).addRange(R, to, from).finish(R, to + 1).cost() - R.cost;
  }

  return {
    name: '2-opt',
    evaluate(u, v) {
      const r = s.routeOf[u]!;
      if (r !== s.routeOf[v]) return Infinity;
      const p = Math.min(s.posOf[u]!, s.posOf[v]!);
      const q = Math.max(s.posOf[u]!, s.posOf[v]!);
      if (q - p < 2) return Infinity;
      // Reversing p+1..q makes p adjacent to q; reversing p..q-1 does too, from the other side.
      const right = delta(r, p + 1, q);
      const left = delta(r, p, q - 1);
      best = right <= left ? { route: r, from: p + 1, to: q } : { route: r, from: p, to: q - 1 };
      return Math.min(right, left);
    },
    apply() {
      const nodes = s.routes[best.route]!.nodes.slice();
      nodes.splice(best.from - 1, best.to - best.from + 1, ...slice(nodes, best.to, best.from));
      s.setRoute(best.route, nodes);
    },
  };
}
