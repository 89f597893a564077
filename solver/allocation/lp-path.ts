// The general path: the lexicographic objective as a sequence of LPs (one per tier for fairness,
// then weighted fulfilment, then travel), each stage's optimum fixed before the next
// (Vitoriano et al. 2011), solved by HiGHS or javascript-lp-solver through solver/lp. The stages are
// changes to one model in a session (in the shared-arc form below, stage (3) has a model of its own).
//
// Variables x_a ≥ pinned_a, one per candidate arc a = (need i, depot d = warehouse × commodity), and
// t_p ∈ [0, 1], one per tier p.
//   need        Σ_{a∋i} x_a ≤ D_i,   fairness  Σ_{a∋i} x_a ≥ t_p·A_i (i of tier p)
//   stock/FEFO  Σ_{a∈d, k_a≥k} x_a ≤ Q_d(k)        (lots k.. of d are all a late arrival may draw)
//   capacity    Σ_{a from w} weight_c x_a ≤ capW_w, Σ volume_c x_a ≤ capV_w
//   handover    Σ_{a to needs at p} weight_c x_a ≤ capW_p, the same for volume (a gate's volunteers)
//   (1) per tier p, most vulnerable first: max t_p, then t_p ≥ t*_p − ε from there on
//   (2) max W = Σ w_i x_a                          (3) min Σ τ_a x_a, W ≥ W* − slack
// (A_i: attainable quantity of need i; see MODEL.md.) Needs with the same candidate arcs (a gate's
// households asking for one commodity, in several tiers and weights) share one set of arc columns
// and each gets a column y_i for what it receives: Σ_a x_a = Σ_i y_i, y_i ≤ D_i, y_i ≥ t_p·A_i, and
// W = Σ w_i y_i. It is the same LP (the members' arcs are interchangeable, so any split of the arc flows
// by the y_i is a plan of the full model with the same values), with a fraction of its columns and rows.
// A time limit (for the whole sequence) stops it at the best plan found: the last solved stage's
// optimum, or a greedy plan when none was solved.
import { UnsolvableError } from '../errors.ts';
import { LpBuilder, type LpBackendName, type LpResult } from '../lp/solve.ts';
import { openLpSession, type LpSession, type LpSessionOptions } from '../lp/session.ts';
import { greedyPlan } from './greedy.ts';
import { drawInOrder, waterFill } from './classes.ts';
import { pointsFilled, withPoints, type Arc, type Instance } from './instance.ts';
import type { Stopped, Warehouse } from './problem.ts';
import { FLOOR_SLACK, FULFILMENT_SLACK, JSLP_FULFILMENT_SLACK, stageValues, type StagedSolution } from './stages.ts';

export interface LpPathOptions {
  backend: LpBackendName;
  seed: number;
  /** For all stages together. */
  timeLimitMs?: number;
  priceOfFairness: boolean;
  /** Needs with the same candidate arcs share their arc columns (default true; false: the model above as written). */
  shareArcs?: boolean;
}

/** How many times the handover points a plan overfills are added before all of them are. */
const POINT_ROUNDS = 3;
/**
 * When a plan overfills points, the points it fills to this share are added with them: an optimum among many
 * moves its load to other nearly full points when only the overfilled ones get rows (at 200,000 households the
 * optimum without floors overfilled 9 gates, then 10, 2, 2 and 1 others, round after round; with the 304 it
 * filled to 80 %, none: 3.9 s of CPU against 21 s with all 1,000 gates' rows).
 */
const NEARLY_FULL = 0.8;

/**
 * The staged optimum. Handover points' capacities become rows only once a plan overfills them (constraint
 * generation): each point's row keeps its needs from sharing columns with other points' needs, and where stock
 * and warehouses bind first those rows do not bind at all (a 200,000-household district with 1,000 gates: 2.5
 * times the columns, 70 s against 23 s, the same stage values). A plan that keeps within every point's capacity
 * without their rows is optimal with them too, since the model with them only has fewer plans to choose from;
 * otherwise the points it overfilled or nearly filled are added and it is solved again (all after POINT_ROUNDS),
 * within the same time limit. The price of fairness is checked the same way (see withoutFairness).
 */
export async function solveByLp(inst: Instance, options: LpPathOptions): Promise<StagedSolution> {
  const deadline = options.timeLimitMs === undefined ? Infinity : performance.now() + options.timeLimitMs;
  // The model as written (shareArcs false, the reference the tests compare with) has every row from the start.
  if (!(options.shareArcs ?? true)) return (await solveStaged(inst, options, deadline)).solution;
  let kept: number[] = [];
  for (let round = 1; ; round++) {
    const { solution, unfair } = await solveStaged(withPoints(inst, kept), options, deadline, (x) => !overfills(inst, kept, x));
    if (!overfills(inst, kept, solution.x)) return unfair ? withoutFairness(inst, solution, unfair, kept, options, deadline) : solution;
    kept = keptNext(inst, kept, solution.x, round);
  }
}

/** Whether a plan overfills a point left out of the model (never when every point is in). */
const overfills = (inst: Instance, kept: readonly number[], x: Float64Array) => kept.length < inst.points.length && pointsFilled(inst, x).length > 0;

/** The points of the next round's model: those a plan overfilled or nearly filled added, every point after POINT_ROUNDS. */
function keptNext(inst: Instance, kept: readonly number[], x: Float64Array, round: number): number[] {
  if (round >= POINT_ROUNDS) return inst.points.map((_, k) => k);
  return [...new Set([...kept, ...pointsFilled(inst, x, NEARLY_FULL)])].sort((p, q) => p - q);
}

/**
 * The plan with its price of fairness, once the plan that gave it overfills no point either: an optimum without
 * floors fills gates the plan leaves room at. Then that stage alone is solved again with the rows of the points it
 * filled (NEARLY_FULL), as the plan's stages are; left out when the time limit stops it.
 */
async function withoutFairness(inst: Instance, plan: StagedSolution, unfair: Float64Array, kept: number[], options: LpPathOptions, deadline: number): Promise<StagedSolution> {
  const { weightedWithoutFairness, ...withoutPrice } = plan;
  let found: { objective: number; x: Float64Array } | undefined = { objective: weightedWithoutFairness!, x: unfair };
  for (let round = 1; found; round++) {
    if (!overfills(inst, kept, found.x)) return { ...withoutPrice, weightedWithoutFairness: found.objective };
    kept = keptNext(inst, kept, found.x, round);
    found = await fulfilmentWithoutFloors(withPoints(inst, kept), options, deadline);
  }
  return withoutPrice;
}

/** Stage (2) with no floor at all, on a model of its own: its optimum and plan, or undefined if not optimal in time. */
async function fulfilmentWithoutFloors(inst: Instance, options: LpPathOptions, deadline: number): Promise<{ objective: number; x: Float64Array } | undefined> {
  const left = deadline - performance.now();
  if (left <= 0) return undefined;
  // The model as built has every floor column at zero and each need's y_i in [0, D_i]: fulfilment without floors.
  const model = sharedArcsModel(inst, false);
  const session = await openLpSession(model.builder, options.backend, options.seed, model.solving);
  try {
    session.setObjective('max', model.weights);
    const result = await session.solve(Number.isFinite(left) ? left : undefined);
    return result.status === 'optimal' ? { objective: result.objective, x: model.arcQuantities(result.x) } : undefined;
  } finally {
    session.close();
  }
}

/** A staged solution, and the plan that gave the price of fairness when there is one. */
interface Staged {
  solution: StagedSolution;
  unfair?: Float64Array;
}

/** The stages; `worthTravel` may stop them after stage (2), whose plan is then the answer (see solveStagesIn). */
async function solveStaged(inst: Instance, options: LpPathOptions, deadline: number, worthTravel: (x: Float64Array) => boolean = () => true): Promise<Staged> {
  const sessions: LpSession[] = [];
  const open = async (model: StagedModel): Promise<Stage> => {
    const session = await openLpSession(model.builder, options.backend, options.seed, model.solving);
    sessions.push(session);
    return { session, model };
  };
  try {
    if (!(options.shareArcs ?? true)) {
      const whole = await open(perNeedModel(inst));
      return await solveStagesIn(inst, whole, () => Promise.resolve(whole), options, deadline, worthTravel);
    }
    // Travel matters only in stage (3): before it, needs reaching the same lots of the same warehouses share
    // columns whatever their travel times; stage (3) then has a model of its own with them apart.
    return await solveStagesIn(inst, await open(sharedArcsModel(inst, false)), () => open(sharedArcsModel(inst, true)), options, deadline, worthTravel);
  } finally {
    for (const session of sessions) session.close();
  }
}

/**
 * One of the forms of the staged LP: its columns and rows, the objectives of stages (2) and (3), how a
 * tier's floor is opened, fixed and lifted, and how column values become quantities per instance arc.
 */
interface StagedModel {
  builder: LpBuilder;
  /** Floor column t_p per tier that has a need with an attainable quantity. */
  tierColumns: Map<number, number>;
  weights: number[];
  travel: number[];
  /** How its session solves each stage. */
  solving: LpSessionOptions;
  /** Before stage (1) of a tier. */
  openTier(session: LpSession, tier: number): void;
  /** After it: the floor found, less the slack, is kept from then on. */
  fixTier(session: LpSession, tier: number, floor: number): void;
  /** Every floor lifted, for the price of fairness. */
  liftFloors(session: LpSession): void;
  /** Quantity per instance arc from the column values of a stage's optimum. */
  arcQuantities(values: Float64Array): Float64Array;
}

interface Stage {
  session: LpSession;
  model: StagedModel;
}

/**
 * Stages (1), (2) and the price of fairness on `fair`; stage (3) on the session `travelOn` gives, which
 * may be the same one or a model of its own (then given the floors and the fulfilment found).
 */
async function solveStagesIn(inst: Instance, fair: Stage, travelOn: () => Promise<Stage>, options: LpPathOptions, deadline: number, worthTravel: (x: Float64Array) => boolean): Promise<Staged> {
  const tierFloors: { tier: number; floor: number }[] = [];
  let best: Float64Array | undefined;
  let failure: string | undefined;
  /** The stage's optimum, or undefined when the time limit (or the solver, see below) stopped it. */
  const solve = async ({ session, model }: Stage, stage: string, fromLastBasis = false): Promise<LpResult | undefined> => {
    const limit = () => {
      const left = deadline - performance.now();
      return left <= 0 ? 0 : Number.isFinite(left) ? left : undefined;
    };
    if (limit() === 0) return undefined;
    let result = await session.solve(limit(), { fromLastBasis });
    // Presolve can find the fulfilment row kept from the other model (within 1e-10 of its optimum) infeasible
    // where the simplex does not: once more without it, taken only when optimal. Not the other way round: without
    // presolve HiGHS gave up ('failed') on a district's travel stage after 38 s that it solves with it in 24 s.
    if (result.status !== 'optimal' && result.status !== 'time_limit' && limit() !== 0) {
      const again = await session.solve(limit(), { presolve: false });
      if (again.status === 'optimal') result = again;
    }
    if (result.status === 'time_limit') return undefined;
    if (result.status !== 'optimal' && result.status !== 'infeasible' && best !== undefined) {
      // A solver that gives up on a later stage of a large model (seen: HiGHS "failed" on a district's travel
      // stage) leaves the stages before standing, as a time limit does: the coordinator still gets that plan.
      failure = `the ${result.backend} solve of ${stage} ended with status ${result.status}`;
      return undefined;
    }
    checked(stage, result);
    best = model.arcQuantities(result.x);
    return result;
  };
  const solved = (x: Float64Array, extra: Partial<StagedSolution> = {}, unfair?: Float64Array): Staged => {
    const clean = x.map((v) => Math.max(0, v));
    return { solution: { x: clean, tierFloors, ...stageValues(inst, clean), backend: options.backend, variables: fair.model.weights.length, ...extra }, ...(unfair ? { unfair } : {}) };
  };
  const stoppedAt = (stage: Stopped['stage'], tier?: number) => {
    const x = best ?? greedyPlan(inst);
    return solved(x, { stopped: { ...stopped(inst, x, stage, tier, best === undefined), ...(failure ? { because: failure } : {}) } });
  };

  const { session, model } = fair;
  for (const [tier, t] of model.tierColumns) {
    model.openTier(session, tier);
    session.setObjective('max', unitObjective(model.weights.length, t));
    const result = await solve(fair, `fairness floor of tier ${tier}`);
    if (!result) return stoppedAt('floor', tier);
    tierFloors.push({ tier, floor: result.x[t]! });
    model.fixTier(session, tier, result.x[t]!);
  }
  session.setObjective('max', model.weights);
  const fulfilment = await solve(fair, 'weighted fulfilment');
  if (!fulfilment) return stoppedAt('weighted fulfilment');
  // A fulfilment that already overfills a gate left out of the model is solved again with it (solveByLp): the
  // travel stage, the costliest at 200,000 households after an import (23 s of 85), would be spent for nothing.
  if (!worthTravel(best!)) return solved(best!);
  const travel = await travelOn();
  const slack = options.backend === 'jslp' ? JSLP_FULFILMENT_SLACK : FULFILMENT_SLACK;
  if (travel !== fair) for (const { tier, floor } of tierFloors) travel.model.fixTier(travel.session, tier, floor);
  const weights = travel.model.weights;
  const weighted = weights.flatMap((w, j) => (w !== 0 ? [j] : []));
  const kept = travel.session.addRow(weighted, weighted.map((j) => weights[j]!), fulfilment.objective - slack * (1 + Math.abs(fulfilment.objective)), Infinity);
  travel.session.setObjective('min', travel.model.travel);
  const travelled = await solve(travel, 'travel');
  if (!travelled) return stoppedAt('travel');
  const plan = best!;
  if (!options.priceOfFairness) return solved(plan);
  // Without fairness floors, and fulfilment free again (the plan is already kept).
  model.liftFloors(session);
  if (travel === fair) session.setRowBounds(kept, -Infinity, Infinity);
  session.setObjective('max', model.weights);
  // Lifting the floors only loosens bounds, so the last basis of this session (weighted fulfilment's optimum, or
  // travel's) stays a feasible start with the same objective: a solve afresh redid presolve and the whole simplex
  // (200,000 households, load ~10: 38 s afresh, 22 s from the basis, the same price of fairness to 1e-16).
  const unfair = await solve(fair, 'weighted fulfilment without fairness', true);
  return unfair ? solved(plan, { weightedWithoutFairness: unfair.objective }, model.arcQuantities(unfair.x)) : solved(plan);
}

function unitObjective(columns: number, column: number): number[] {
  return Array.from({ length: columns }, (_, j) => (j === column ? 1 : 0));
}

/** Columns with their stage (2) and (3) objective coefficients kept beside the builder. */
function columnsOf(builder: LpBuilder, weights: number[], travel: number[]) {
  return (lower: number, upper: number, weight = 0, travelS = 0): number => {
    weights.push(weight);
    travel.push(travelS);
    return builder.addVariable(lower, upper);
  };
}

/** Stock (FEFO suffix), dispatch capacity and handover capacity rows over the columns carrying each arc. */
function addStockAndCapacityRows(builder: LpBuilder, inst: Instance, arcColumns: readonly { arc: Arc; column: number }[]): void {
  const columnsOfDepot = inst.depots.map(() => [] as { arc: Arc; column: number }[]);
  for (const c of arcColumns) columnsOfDepot[c.arc.depot]!.push(c);
  columnsOfDepot.forEach((drawing, d) => {
    // Arcs that may draw lots k.. share the stock of lots k..; one row per distinct first lot.
    const firstLots = [...new Set(drawing.map((c) => c.arc.firstLot))].sort((p, q) => p - q);
    for (const k of firstLots) {
      const late = drawing.filter((c) => c.arc.firstLot >= k).map((c) => c.column);
      builder.addRow(late, ones(late), -Infinity, inst.depots[d]!.usableFrom[k]!);
    }
  });
  addCapacityRows(builder, inst, arcColumns, inst.warehouses, (arc) => inst.depots[arc.depot]!.warehouse);
  // A column's arc belongs to one need, or to the first of a group that shares its point (arcGroups).
  addCapacityRows(builder, inst, arcColumns, inst.points, (arc) => inst.needs[arc.need]!.point);
}

/** Weight and volume rows of each owner (a warehouse sending, a point taking in) over the columns it owns. */
function addCapacityRows(
  builder: LpBuilder,
  inst: Instance,
  arcColumns: readonly { arc: Arc; column: number }[],
  owners: readonly Pick<Warehouse, 'capacityWeightKg' | 'capacityVolumeM3'>[],
  ownerOf: (arc: Arc) => number | undefined,
): void {
  const columnsOfOwner = owners.map(() => [] as { arc: Arc; column: number }[]);
  for (const c of arcColumns) {
    const owner = ownerOf(c.arc);
    if (owner !== undefined) columnsOfOwner[owner]!.push(c);
  }
  owners.forEach((owner, o) => {
    const owned = columnsOfOwner[o]!;
    const commodityOf = (c: { arc: Arc }) => inst.commodities[inst.depots[c.arc.depot]!.commodity]!;
    const used = owned.map((c) => c.column);
    addCapacityRow(builder, used, owned.map((c) => commodityOf(c).weightKg), owner.capacityWeightKg);
    addCapacityRow(builder, used, owned.map((c) => commodityOf(c).volumeM3), owner.capacityVolumeM3);
  });
}

function floorTiers(inst: Instance, add: () => number): Map<number, number> {
  const tierColumns = new Map<number, number>();
  for (const tier of inst.tiers) {
    if (inst.needs.some((n) => n.tier === tier && n.attainable > 0)) tierColumns.set(tier, add());
  }
  return tierColumns;
}

/** The model as written above: one column per instance arc, a need row and a floor row per need. */
function perNeedModel(inst: Instance): StagedModel {
  const builder = new LpBuilder('max');
  const weights: number[] = [];
  const travel: number[] = [];
  const column = columnsOf(builder, weights, travel);
  inst.arcs.forEach((arc) => column(arc.pinned, inst.needs[arc.need]!.asked, inst.needs[arc.need]!.weight, arc.travelS));
  const tierColumns = floorTiers(inst, () => column(0, 1));
  addStockAndCapacityRows(builder, inst, inst.arcs.map((arc, column) => ({ arc, column })));
  inst.needs.forEach((need, i) => {
    const arcs = range(inst.arcStart[i]!, inst.arcStart[i + 1]!);
    if (arcs.length === 0) return;
    builder.addRow(arcs, ones(arcs), -Infinity, need.asked);
    // Max-min: every need of a tier gets at least t × its attainable quantity.
    const t = tierColumns.get(need.tier);
    if (t !== undefined && need.attainable > 0) builder.addRow([...arcs, t], [...ones(arcs), -need.attainable], 0, Infinity);
  });
  return {
    builder,
    tierColumns,
    weights,
    travel,
    solving: {},
    openTier: () => {},
    fixTier: (session, tier, floor) => session.setVariableBounds(tierColumns.get(tier)!, Math.max(0, floor - FLOOR_SLACK), 1),
    liftFloors: (session) => {
      for (const t of tierColumns.values()) session.setVariableBounds(t, 0, 1);
    },
    arcQuantities: (values) => values.slice(0, inst.arcs.length),
  };
}

/**
 * Needs sharing their candidate arcs (group g) share the arc columns x_ga; what need i receives is its own
 * column y_i ∈ [0, D_i], and one row per group balances them: Σ_a x_ga = Σ_{i∈g} y_i + Σ_p (A_gp·t_p + z_gp).
 * Floors need no rows: while tier p's floor is maximised its needs' y_i are held at 0 and the group
 * receives A_gp·t_p + z_gp for them (A_gp: their attainable sum, z_gp ≥ 0 the rest, which any split gives
 * each at least t_p·A_i); once found, the floor becomes the bound y_i ≥ (t*_p − ε)·A_i and t_p, z_gp go to 0.
 * (Without an upper bound, z_gp may take more than the group asked while t_p is maximised: that never
 * raises t_p, since the arcs could carry less.) Without `travel`, arcs are the same when they reach the same
 * lots of the same warehouse, in any order and whatever their travel times: enough for every stage but (3).
 */
function sharedArcsModel(inst: Instance, travel: boolean): StagedModel {
  const builder = new LpBuilder('max');
  const weights: number[] = [];
  const travelCost: number[] = [];
  const column = columnsOf(builder, weights, travelCost);
  const groups = arcGroups(inst, travel);
  const arcColumns: { arc: Arc; column: number }[] = [];
  const firstColumn: number[] = [];
  /** Per instance arc of a grouped need: the instance arc of that need the group's k-th arc column stands for. */
  const slot = new Int32Array(inst.arcs.length);
  for (const group of groups) {
    const first = group[0]!;
    const arcs = range(inst.arcStart[first]!, inst.arcStart[first + 1]!);
    const order = travel ? arcs : arcs.sort((p, q) => inst.arcs[p]!.depot - inst.arcs[q]!.depot);
    const asked = group.reduce((s, i) => s + inst.needs[i]!.asked, 0);
    firstColumn.push(builder.variableCount);
    for (const a of order) arcColumns.push({ arc: inst.arcs[a]!, column: column(inst.arcs[a]!.pinned, asked, 0, travel ? inst.arcs[a]!.travelS : 0) });
    for (const i of group) {
      const at = new Map(range(inst.arcStart[i]!, inst.arcStart[i + 1]!).map((a) => [inst.arcs[a]!.depot, a]));
      order.forEach((a, k) => (slot[inst.arcStart[i]! + k] = at.get(inst.arcs[a]!.depot)!));
    }
  }
  const received = new Int32Array(inst.needs.length).fill(-1);
  for (const group of groups) for (const i of group) received[i] = column(0, inst.needs[i]!.asked, inst.needs[i]!.weight);
  const tierColumns = floorTiers(inst, () => column(0, 0));
  /** Per tier: the z column of each group with needs of that tier, and those needs' y columns, floors and asks. */
  const rest = new Map<number, number[]>();
  const restOfGroup = groups.map(() => new Map<number, number>());
  const members = new Map<number, { columns: number[]; attainable: number[]; asked: number[] }>();
  for (const tier of tierColumns.keys()) {
    rest.set(tier, []);
    members.set(tier, { columns: [], attainable: [], asked: [] });
  }
  addStockAndCapacityRows(builder, inst, arcColumns);
  groups.forEach((group, g) => {
    const arcs = range(firstColumn[g]!, firstColumn[g]! + inst.arcStart[group[0]! + 1]! - inst.arcStart[group[0]!]!);
    const indices = [...arcs, ...group.map((i) => received[i]!)];
    const values = [...ones(arcs), ...group.map(() => -1)];
    const attainableOfTier = new Map<number, number>();
    for (const i of group) {
      const need = inst.needs[i]!;
      if (!tierColumns.has(need.tier)) continue;
      attainableOfTier.set(need.tier, (attainableOfTier.get(need.tier) ?? 0) + need.attainable);
      const m = members.get(need.tier)!;
      m.columns.push(received[i]!);
      m.attainable.push(need.attainable);
      m.asked.push(need.asked);
    }
    for (const [tier, attainable] of attainableOfTier) {
      const z = column(0, 0);
      rest.get(tier)!.push(z);
      restOfGroup[g]!.set(tier, z);
      indices.push(z);
      values.push(-1);
      if (attainable > 0) {
        indices.push(tierColumns.get(tier)!);
        values.push(-attainable);
      }
    }
    builder.addRow(indices, values, 0, 0);
  });
  // Columns were added in blocks (arcs, y, t, z), so each tier's y and z columns are ascending.
  const bounds = (session: LpSession, columns: number[], lower: number[] | number, upper: number[] | number) =>
    session.setVariablesBounds(columns, typeof lower === 'number' ? columns.map(() => lower) : lower, typeof upper === 'number' ? columns.map(() => upper) : upper);
  /** The tier whose floor is being maximised, if any: its needs' quantities are then in t_p and z_gp. */
  let open: number | undefined;
  return {
    builder,
    tierColumns,
    weights,
    travel: travelCost,
    // Every stage of the model without travel changes bounds across the model: each is solved afresh.
    solving: travel ? {} : { warmStart: false },
    openTier: (session, tier) => {
      open = tier;
      bounds(session, members.get(tier)!.columns, 0, 0);
      bounds(session, rest.get(tier)!, 0, Infinity);
      session.setVariableBounds(tierColumns.get(tier)!, 0, 1);
    },
    fixTier: (session, tier, floor) => {
      open = undefined;
      const m = members.get(tier)!;
      const share = Math.max(0, floor - FLOOR_SLACK);
      bounds(session, m.columns, m.attainable.map((a) => share * a), m.asked);
      bounds(session, rest.get(tier)!, 0, 0);
      session.setVariableBounds(tierColumns.get(tier)!, 0, 0);
    },
    liftFloors: (session) => {
      for (const m of members.values()) bounds(session, m.columns, 0, m.asked);
    },
    arcQuantities: (values) => {
      const x = new Float64Array(inst.arcs.length);
      groups.forEach((group, g) => {
        const first = group[0]!;
        const flows = values.slice(firstColumn[g]!, firstColumn[g]! + inst.arcStart[first + 1]! - inst.arcStart[first]!).map((v) => Math.max(0, v));
        const shares = group.map((i) => Math.max(0, values[received[i]!]!));
        const z = open === undefined ? undefined : restOfGroup[g]!.get(open);
        if (z !== undefined) {
          // The open tier's needs share what the group received for them, each at least t_p·A_i.
          const t = Math.max(0, values[tierColumns.get(open!)!]!);
          const ofTier = group.flatMap((i, m) => (inst.needs[i]!.tier === open ? [m] : []));
          const floors = ofTier.map((m) => t * inst.needs[group[m]!]!.attainable);
          const total = Math.max(0, values[z]!) + floors.reduce((s, f) => s + f, 0);
          waterFill(ofTier.map((m) => inst.needs[group[m]!]!.asked), floors, total).forEach((q, k) => (shares[ofTier[k]!] = q));
        }
        drawInOrder(flows, shares, (m, k, q) => (x[slot[inst.arcStart[group[m]!]! + k]!]! += q));
      });
      return x;
    },
  };
}

/**
 * Needs (with candidates) grouped by the same candidate arcs (with their travel times, or as a set without)
 * and the same limited handover point, if any; a need with a pin stays alone.
 */
function arcGroups(inst: Instance, travel: boolean): number[][] {
  const byKey = new Map<string, number[]>();
  inst.needs.forEach((_, i) => {
    const arcs = inst.arcs.slice(inst.arcStart[i]!, inst.arcStart[i + 1]!);
    if (arcs.length === 0) return;
    const point = inst.needs[i]!.point ?? '';
    const key = arcs.some((a) => a.pinned > 0)
      ? `need ${i}`
      : travel
        ? `${point}|${arcs.map((a) => `${a.depot}:${a.firstLot}:${a.travelS}`).join(',')}`
        : `${point}|${arcs.map((a) => `${a.depot}:${a.firstLot}`).sort().join(',')}`;
    const group = byKey.get(key);
    if (group) group.push(i);
    else byKey.set(key, [i]);
  });
  return [...byKey.values()];
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
