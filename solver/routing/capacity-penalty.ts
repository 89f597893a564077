// Capacity relaxation after HGS-CVRP's penalty management (Vidal 2022): local search may overload routes
// at a cost per unit, adapted every period of outcomes (PERIOD unless told) so that about a target share of
// them are within capacity; an overloaded outcome is repaired by local search at REPAIR_FACTOR times that cost.
import type { Instance } from './problem.ts';
import type { LocalSearch } from './local-search.ts';
import type { SearchState } from './search-state.ts';

const PERIOD = 100;
const UP = 1.2;
const DOWN = 0.85;
const LOWEST = 0.1;
const HIGHEST = 1e5;
export const REPAIR_FACTOR = 10;

/** Keeps the state's cost of overload near the level where `target` of the outcomes fit. */
export class CapacityPenalty {
  private within = 0;
  private seen = 0;

  constructor(
    private readonly s: SearchState,
    private readonly target: number,
    /** Outcomes between two adaptations. */
    private readonly period = PERIOD,
  ) {
    s.setCapacityPenalty(initialCapacityPenalty(s.inst));
  }

  /** Counts one outcome of the local search; true when the cost of overload has just changed. */
  record(withinCapacity: boolean): boolean {
    if (withinCapacity) this.within++;
    if (++this.seen < this.period) return false;
    const share = this.within / this.period;
    this.within = this.seen = 0;
    const penalty = this.s.capacityPenalty;
    if (share < this.target - 0.05) this.s.setCapacityPenalty(Math.min(penalty * UP, HIGHEST));
    else if (share > this.target + 0.05) this.s.setCapacityPenalty(Math.max(penalty * DOWN, LOWEST));
    else return false;
    return true;
  }
}

/** HGS-CVRP's starting cost of overload: the longest edge per unit of the largest demand. */
function initialCapacityPenalty(inst: Instance): number {
  let longest = 0;
  for (const d of inst.dist) if (d < Infinity && d > longest) longest = d;
  let largest = 0;
  for (let i = 0; i < inst.realCount * inst.dims; i++) largest = Math.max(largest, inst.demand[i]!);
  return Math.max(LOWEST, Math.min(1000, longest / Math.max(largest, 1e-9)));
}

/** Local search around the overloaded routes with overload made dearer, to bring them within capacity. */
export function repairOverload(s: SearchState, ls: LocalSearch): void {
  const penalty = s.capacityPenalty;
  const around = s.routes.filter((r) => r.excess > 0).flatMap((r) => r.nodes);
  s.setCapacityPenalty(penalty * REPAIR_FACTOR);
  ls.run(around);
  s.setCapacityPenalty(penalty);
}
