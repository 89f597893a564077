// The contract every local-search move follows: evaluate the cost change around two customers, then
// apply the variant just evaluated. One file per move (VROOM's operators, PyVRP's LS operators).
import type { Chain, SearchState } from '../search-state.ts';

export interface RoutingMove {
  readonly name: string;
  /**
   * Cost change of the best variant of this move that brings customer u next to its neighbour v
   * (or exchanges them). Exact when negative (an improvement that keeps every limit). A value ≥ 0
   * only says "no improvement": variants are screened by distance first and the limits are checked
   * only for those that gain, so a non-improving answer may be a lower bound; Infinity when no
   * variant applies.
   */
  evaluate(u: number, v: number): number;
  /** Applies the variant found by the last `evaluate` (which must have returned a finite delta). */
  apply(): void;
}

export type MoveFactory = (state: SearchState) => RoutingMove;

/** Cost of a route that will hold `size` customers once built by `chain`: an unused vehicle costs nothing. */
export function costOf(chain: Chain, size: number): number {
  return size === 0 ? 0 : chain.cost();
}

/** Customers of a route at positions from..to (inclusive, 1-based; from > to reads backwards). */
export function slice(nodes: number[], from: number, to: number): number[] {
  if (from <= to) return nodes.slice(from - 1, to);
  return nodes.slice(to - 1, from).reverse();
}
