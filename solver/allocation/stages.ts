// What a solve path (network flow or LP) hands back: the quantity on every candidate arc and the
// value reached at each stage of the lexicographic objective, so both paths can be compared.
import type { Instance } from './instance.ts';
import type { Stopped } from './problem.ts';

/**
 * A fixed stage result is relaxed by this much before the next stage, so that round-off in one
 * solve never makes the next one infeasible: fairness floors by this share of attainable quantity.
 */
export const FLOOR_SLACK = 1e-7;
/**
 * Stage (2) is fixed at its optimum less this share (plus this, absolute) when stage (3) minimises
 * travel: small enough that travel cannot buy a visible loss of fulfilment, large enough for the
 * HiGHS' round-off.
 */
export const FULFILMENT_SLACK = 1e-10;
/** The same for javascript-lp-solver, whose reported values are rounded more coarsely. */
export const JSLP_FULFILMENT_SLACK = 1e-9;

export interface StagedSolution {
  /** Quantity per instance arc. */
  x: Float64Array;
  /** Stage (1): the max-min fulfilled share of attainable quantity, per tier that has any. */
  tierFloors: { tier: number; floor: number }[];
  /** Stage (2): Σ weight × quantity. */
  weightedFulfilment: number;
  /** Stage (3): Σ quantity × travel seconds. */
  totalTravel: number;
  /** Stage (2) without fairness floors, when asked for (price of fairness). */
  weightedWithoutFairness?: number;
  backend: 'flow' | 'highs' | 'jslp';
  variables: number;
  /** Absent when every stage was solved to its optimum; else where the time limit stopped the solve. */
  stopped?: Stopped;
}


/** The quantity each need is guaranteed once the tiers' floors are fixed. */
export function floorQuantities(inst: Instance, tierFloors: readonly { tier: number; floor: number }[]): Float64Array {
  const floorOfTier = new Map(tierFloors.map((f) => [f.tier, Math.max(0, f.floor - FLOOR_SLACK)]));
  return Float64Array.from(inst.needs, (n) => n.attainable * (floorOfTier.get(n.tier) ?? 0));
}

export function stageValues(inst: Instance, x: Float64Array): { weightedFulfilment: number; totalTravel: number } {
  let weightedFulfilment = 0;
  let totalTravel = 0;
  inst.arcs.forEach((arc, a) => {
    weightedFulfilment += inst.needs[arc.need]!.weight * x[a]!;
    totalTravel += arc.travelS * x[a]!;
  });
  return { weightedFulfilment, totalTravel };
}
