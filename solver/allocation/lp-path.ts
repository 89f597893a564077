// The general path: the lexicographic objective as a sequence of LPs (one per tier for fairness,
// then weighted fulfilment, then travel), each stage's optimum fixed before the next
// (Vitoriano et al. 2011), solved by HiGHS or javascript-lp-solver through solver/lp.
//
// Variables x_a ≥ pinned_a, one per candidate arc a = (need i, depot d = warehouse × commodity).
//   need        Σ_{a∋i} x_a ≤ D_i
//   stock/FEFO  Σ_{a∈d, k_a≥k} x_a ≤ Q_d(k)        (lots k.. of d are all a late arrival may draw)
//   capacity    Σ_{a from w} weight_c x_a ≤ capW_w, Σ volume_c x_a ≤ capV_w
//   (1) per tier p, most vulnerable first: max t, Σ_{a∋i} x_a ≥ t·A_i (tier p), ≥ (t*_q − ε)·A_i (q < p)
//   (2) max W = Σ w_i x_a, all floors fixed      (3) min Σ τ_a x_a, W ≥ W* − slack
// (A_i: attainable quantity of need i; see MODEL.md.)
import { UnsolvableError } from '../errors.ts';
import { LpBuilder, solveLp, type LpBackendName, type LpResult } from '../lp/solve.ts';
import type { Instance } from './instance.ts';
import { FULFILMENT_SLACK, floorQuantities, stageValues, type StagedSolution } from './stages.ts';

export interface LpPathOptions {
  backend: LpBackendName;
  seed: number;
  timeLimitMs?: number;
  priceOfFairness: boolean;
}

/** How each need's row is bounded in one stage. */
type NeedRows = (builder: LpBuilder, need: number, arcs: number[]) => void;

export async function solveByLp(inst: Instance, options: LpPathOptions): Promise<StagedSolution> {
  const base = baseModel(inst);
  const arcsOf = inst.needs.map((_, i) => range(inst.arcStart[i]!, inst.arcStart[i + 1]!));
  const solve = async (stage: string, builder: LpBuilder) => {
    const result = await solveLp(builder.model(), options.backend, { seed: options.seed, timeLimitMs: options.timeLimitMs });
    return checked(stage, result);
  };
  const withNeedRows = (rows: NeedRows) => {
    const builder = base.clone();
    arcsOf.forEach((arcs, i) => {
      if (arcs.length > 0) rows(builder, i, arcs);
    });
    return builder;
  };
  const weights = inst.arcs.map((arc) => inst.needs[arc.need]!.weight);

  const tierFloors: { tier: number; floor: number }[] = [];
  for (const tier of inst.tiers) {
    const floors = floorQuantities(inst, tierFloors);
    const sharers = inst.needs.some((n) => n.tier === tier && n.attainable > 0);
    if (!sharers) continue;
    const builder = base.clone();
    const t = builder.addVariable(0, 1);
    arcsOf.forEach((arcs, i) => {
      if (arcs.length === 0) return;
      const need = inst.needs[i]!;
      builder.addRow(arcs, ones(arcs), floors[i]!, need.asked);
      // Max-min: every need of this tier gets at least t × its attainable quantity.
      if (need.tier === tier && need.attainable > 0) builder.addRow([...arcs, t], [...ones(arcs), -need.attainable], 0, Infinity);
    });
    const objective = new Array<number>(builder.variableCount).fill(0);
    objective[t] = 1;
    builder.setObjective('max', objective);
    const result = await solve(`fairness floor of tier ${tier}`, builder);
    tierFloors.push({ tier, floor: result.x[t]! });
  }

  const floors = floorQuantities(inst, tierFloors);
  const fair = withNeedRows((builder, i, arcs) => builder.addRow(arcs, ones(arcs), floors[i]!, inst.needs[i]!.asked));
  fair.setObjective('max', weights);
  const fulfilment = await solve('weighted fulfilment', fair);

  fair.addRow(range(0, inst.arcs.length), weights, fulfilment.objective - FULFILMENT_SLACK * (1 + Math.abs(fulfilment.objective)), Infinity);
  fair.setObjective('min', inst.arcs.map((arc) => arc.travelS));
  const travel = await solve('travel', fair);

  let weightedWithoutFairness: number | undefined;
  if (options.priceOfFairness) {
    const unfair = withNeedRows((builder, i, arcs) => builder.addRow(arcs, ones(arcs), -Infinity, inst.needs[i]!.asked));
    unfair.setObjective('max', weights);
    weightedWithoutFairness = (await solve('weighted fulfilment without fairness', unfair)).objective;
  }
  const x = travel.x.map((v) => Math.max(0, v));
  return {
    x,
    tierFloors,
    ...stageValues(inst, x),
    ...(weightedWithoutFairness !== undefined ? { weightedWithoutFairness } : {}),
    backend: options.backend,
    variables: inst.arcs.length,
  };
}

/** Variables (one per arc) with the rows every stage shares: stock per FEFO suffix, capacity. */
function baseModel(inst: Instance): LpBuilder {
  const builder = new LpBuilder('max');
  inst.arcs.forEach((arc) => builder.addVariable(arc.pinned, inst.needs[arc.need]!.asked));
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
  inst.warehouses.forEach((warehouse, w) => {
    const arcs = range(0, inst.arcs.length).filter((a) => inst.depots[inst.arcs[a]!.depot]!.warehouse === w);
    const commodityOf = (a: number) => inst.commodities[inst.depots[inst.arcs[a]!.depot]!.commodity]!;
    addCapacityRow(builder, arcs, arcs.map((a) => commodityOf(a).weightKg), warehouse.capacityWeightKg);
    addCapacityRow(builder, arcs, arcs.map((a) => commodityOf(a).volumeM3), warehouse.capacityVolumeM3);
  });
  return builder;
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
  if (result.status === 'time_limit') throw new UnsolvableError(`the ${result.backend} solve of ${stage} reached its time limit`);
  throw new UnsolvableError(`the ${result.backend} solve of ${stage} ended with status ${result.status}`);
}

function ones(items: readonly unknown[]): number[] {
  return items.map(() => 1);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}
