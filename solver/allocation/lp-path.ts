// The general path: the lexicographic objective as a sequence of LPs (one per tier for fairness,
// then weighted fulfilment, then travel), each stage's optimum fixed before the next
// (Vitoriano et al. 2011), solved by HiGHS or javascript-lp-solver through solver/lp. The stages are
// changes to one model, so HiGHS starts each from the previous stage's basis.
//
// Variables x_a ≥ pinned_a, one per candidate arc a = (need i, depot d = warehouse × commodity), and
// t_p ∈ [0, 1], one per tier p.
//   need        Σ_{a∋i} x_a ≤ D_i,   fairness  Σ_{a∋i} x_a ≥ t_p·A_i (i of tier p)
//   stock/FEFO  Σ_{a∈d, k_a≥k} x_a ≤ Q_d(k)        (lots k.. of d are all a late arrival may draw)
//   capacity    Σ_{a from w} weight_c x_a ≤ capW_w, Σ volume_c x_a ≤ capV_w
//   (1) per tier p, most vulnerable first: max t_p, then t_p ≥ t*_p − ε from there on
//   (2) max W = Σ w_i x_a                          (3) min Σ τ_a x_a, W ≥ W* − slack
// (A_i: attainable quantity of need i; see MODEL.md.) A time limit (for the whole sequence) stops it
// at the best plan found: the last solved stage's optimum, or a greedy plan when none was solved.
import { UnsolvableError } from '../errors.ts';
import { LpBuilder, type LpBackendName, type LpResult } from '../lp/solve.ts';
import { openLpSession, type LpSession } from '../lp/session.ts';
import { greedyPlan } from './greedy.ts';
import type { Instance } from './instance.ts';
import type { Stopped } from './problem.ts';
import { FLOOR_SLACK, FULFILMENT_SLACK, JSLP_FULFILMENT_SLACK, stageValues, type StagedSolution } from './stages.ts';

export interface LpPathOptions {
  backend: LpBackendName;
  seed: number;
  /** For all stages together. */
  timeLimitMs?: number;
  priceOfFairness: boolean;
}

export async function solveByLp(inst: Instance, options: LpPathOptions): Promise<StagedSolution> {
  const deadline = options.timeLimitMs === undefined ? Infinity : performance.now() + options.timeLimitMs;
  const { builder, tierColumns } = stagedModel(inst);
  const session = await openLpSession(builder, options.backend, options.seed);
  try {
    return await solveStagesIn(session, inst, builder.variableCount, tierColumns, options, deadline);
  } finally {
    session.close();
  }
}

async function solveStagesIn(
  session: LpSession,
  inst: Instance,
  columns: number,
  tierColumns: Map<number, number>,
  options: LpPathOptions,
  deadline: number,
): Promise<StagedSolution> {
  const arcCount = inst.arcs.length;
  const objective = (values: (j: number) => number) => Array.from({ length: columns }, (_, j) => values(j));
  const weights = objective((j) => (j < arcCount ? inst.needs[inst.arcs[j]!.need]!.weight : 0));
  const tierFloors: { tier: number; floor: number }[] = [];
  let best: Float64Array | undefined;
  let failure: string | undefined;
  /** The stage's optimum, or undefined when the time limit (or the solver, see below) stopped it. */
  const solve = async (stage: string): Promise<LpResult | undefined> => {
    const left = deadline - performance.now();
    if (left <= 0) return undefined;
    const result = await session.solve(Number.isFinite(left) ? left : undefined);
    if (result.status === 'time_limit') return undefined;
    if (result.status !== 'optimal' && result.status !== 'infeasible' && best !== undefined) {
      // A solver that gives up on a later stage of a large model (seen: HiGHS "failed" on a district's travel
      // stage) leaves the stages before standing, as a time limit does: the coordinator still gets that plan.
      failure = `the ${result.backend} solve of ${stage} ended with status ${result.status}`;
      return undefined;
    }
    checked(stage, result);
    best = result.x.slice(0, arcCount);
    return result;
  };
  const solved = (x: Float64Array, extra: Partial<StagedSolution> = {}): StagedSolution => {
    const clean = x.map((v) => Math.max(0, v));
    return { x: clean, tierFloors, ...stageValues(inst, clean), backend: options.backend, variables: arcCount, ...extra };
  };
  const stoppedAt = (stage: Stopped['stage'], tier?: number) => {
    const x = best ?? greedyPlan(inst);
    return solved(x, { stopped: { ...stopped(inst, x, stage, tier, best === undefined), ...(failure ? { because: failure } : {}) } });
  };

  for (const [tier, t] of tierColumns) {
    session.setObjective('max', objective((j) => (j === t ? 1 : 0)));
    const result = await solve(`fairness floor of tier ${tier}`);
    if (!result) return stoppedAt('floor', tier);
    tierFloors.push({ tier, floor: result.x[t]! });
    session.setVariableBounds(t, Math.max(0, result.x[t]! - FLOOR_SLACK), 1);
  }
  session.setObjective('max', weights);
  const fulfilment = await solve('weighted fulfilment');
  if (!fulfilment) return stoppedAt('weighted fulfilment');
  const slack = options.backend === 'jslp' ? JSLP_FULFILMENT_SLACK : FULFILMENT_SLACK;
  const kept = session.addRow(range(0, arcCount), weights.slice(0, arcCount), fulfilment.objective - slack * (1 + Math.abs(fulfilment.objective)), Infinity);
  session.setObjective('min', objective((j) => (j < arcCount ? inst.arcs[j]!.travelS : 0)));
  const travel = await solve('travel');
  if (!travel) return stoppedAt('travel');
  const plan = travel.x.slice(0, arcCount);
  if (!options.priceOfFairness) return solved(plan);
  // Without fairness floors: every t back to 0 and fulfilment free again (the plan is already kept).
  for (const t of tierColumns.values()) session.setVariableBounds(t, 0, 1);
  session.setRowBounds(kept, -Infinity, Infinity);
  session.setObjective('max', weights);
  const unfair = await solve('weighted fulfilment without fairness');
  return solved(plan, unfair ? { weightedWithoutFairness: unfair.objective } : {});
}

/** Variables (one per arc, one per tier) with every row the stages share. */
function stagedModel(inst: Instance): { builder: LpBuilder; tierColumns: Map<number, number> } {
  const builder = new LpBuilder('max');
  inst.arcs.forEach((arc) => builder.addVariable(arc.pinned, inst.needs[arc.need]!.asked));
  const tierColumns = new Map<number, number>();
  for (const tier of inst.tiers) {
    if (inst.needs.some((n) => n.tier === tier && n.attainable > 0)) tierColumns.set(tier, builder.addVariable(0, 1));
  }
  const arcsOfDepot = inst.depots.map(() => [] as number[]);
  inst.arcs.forEach((arc, a) => arcsOfDepot[arc.depot]!.push(a));
  arcsOfDepot.forEach((arcs, d) => {
    // Arcs that may draw lots k.. share the stock of lots k..; one row per distinct first lot.
    const firstLots = [...new Set(arcs.map((a) => inst.arcs[a]!.firstLot))].sort((p, q) => p - q);
    for (const k of firstLots) {
      const drawing = arcs.filter((a) => inst.arcs[a]!.firstLot >= k);
      builder.addRow(drawing, ones(drawing), -Infinity, inst.depots[d]!.usableFrom[k]!);
    }
  });
  const arcsOfWarehouse = inst.warehouses.map(() => [] as number[]);
  inst.arcs.forEach((arc, a) => arcsOfWarehouse[inst.depots[arc.depot]!.warehouse]!.push(a));
  inst.warehouses.forEach((warehouse, w) => {
    const arcs = arcsOfWarehouse[w]!;
    const commodityOf = (a: number) => inst.commodities[inst.depots[inst.arcs[a]!.depot]!.commodity]!;
    addCapacityRow(builder, arcs, arcs.map((a) => commodityOf(a).weightKg), warehouse.capacityWeightKg);
    addCapacityRow(builder, arcs, arcs.map((a) => commodityOf(a).volumeM3), warehouse.capacityVolumeM3);
  });
  inst.needs.forEach((need, i) => {
    const arcs = range(inst.arcStart[i]!, inst.arcStart[i + 1]!);
    if (arcs.length === 0) return;
    builder.addRow(arcs, ones(arcs), -Infinity, need.asked);
    // Max-min: every need of a tier gets at least t × its attainable quantity.
    const t = tierColumns.get(need.tier);
    if (t !== undefined && need.attainable > 0) builder.addRow([...arcs, t], [...ones(arcs), -need.attainable], 0, Infinity);
  });
  return { builder, tierColumns };
}

/** What the plan reached at the stage the time limit stopped, and how far the optimum can be at most. */
function stopped(inst: Instance, x: Float64Array, stage: Stopped['stage'], tier: number | undefined, greedy: boolean): Stopped {
  const from = greedy ? 'a greedy plan (no stage finished)' : 'the optimum of the stages before';
  if (stage === 'floor') {
    let reached = 1;
    inst.needs.forEach((n, i) => {
      if (n.tier !== tier || n.attainable <= 0) return;
      let got = 0;
      for (let a = inst.arcStart[i]!; a < inst.arcStart[i + 1]!; a++) got += x[a]!;
      reached = Math.min(reached, got / n.attainable);
    });
    return { stage, tier, reached, bound: 1, from };
  }
  const values = stageValues(inst, x);
  if (stage === 'weighted fulfilment') {
    // No need gets more than its attainable quantity.
    const bound = inst.needs.reduce((s, n) => s + n.weight * n.attainable, 0);
    return { stage, reached: values.weightedFulfilment, bound, from };
  }
  return { stage, reached: values.totalTravel, from };
}

function addCapacityRow(builder: LpBuilder, arcs: number[], perUnit: number[], capacity: number): void {
  if (capacity === Infinity || perUnit.every((v) => v === 0)) return;
  const used = arcs.filter((_, k) => perUnit[k]! > 0);
  builder.addRow(used, perUnit.filter((v) => v > 0), -Infinity, capacity);
}

function checked(stage: string, result: LpResult): LpResult {
  if (result.status === 'optimal') return result;
  if (result.status === 'infeasible') {
    throw new UnsolvableError(`no plan satisfies the pinned quantities (${stage} is infeasible): pins exceed stock, capacity or the need`, 'pins');
  }
  throw new UnsolvableError(`the ${result.backend} solve of ${stage} ended with status ${result.status}`);
}

function ones(items: readonly unknown[]): number[] {
  return items.map(() => 1);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}
