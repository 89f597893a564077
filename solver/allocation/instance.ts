// Turns a validated problem into the indexed instance every solve path reads: tiers and weights per
// need, stock per warehouse × commodity in FEFO order, and the candidate arcs (K nearest usable).
import { UnsolvableError } from '../errors.ts';
import { resolvePolicy, tierOf, weightOf } from './policy.ts';
import type { AllocationProblem, Commodity, HandoverPoint, Lot, Need, PriorityPolicy, Travel, Warehouse } from './problem.ts';
import { matrixTravel, straightLineTravel } from './travel.ts';

/** The stock of one commodity at one warehouse, lots sorted first-expiring-first. */
export interface Depot {
  warehouse: number;
  commodity: number;
  lots: Lot[];
  /** Expiry per lot (Infinity when it does not expire), ascending. */
  expiry: number[];
  /** Stock of lots k.. (suffix sums), so usableFrom[k] is what a need reaching lot k may draw. */
  usableFrom: number[];
}

/** A candidate delivery route: warehouse (depot) → need, usable lots from `firstLot` on. */
export interface Arc {
  need: number;
  depot: number;
  firstLot: number;
  travelS: number;
  /** Quantity the coordinator forces on this arc (0 when not pinned). */
  pinned: number;
}

/** Why some warehouses holding the commodity cannot serve a need, counted for the explanations. */
export interface Blocked {
  unreachable: number;
  unreachableReasons: string[];
  excluded: number;
  lateForDeadline: number;
  expiredBeforeArrival: number;
  stockedWarehouses: number;
}

export interface NeedInfo {
  need: Need;
  commodity: number;
  tier: number;
  weight: number;
  asked: number;
  /** What could reach this need if it were alone: min(asked, usable stock on its arcs within capacity). */
  attainable: number;
  blocked: Blocked;
  /** Index in `Instance.points` of the handover point whose capacity it shares, if it names one. */
  point?: number;
}

export interface Instance {
  now: number;
  policy: PriorityPolicy;
  warehouses: Warehouse[];
  commodities: Commodity[];
  /** The problem's handover points that some need names. */
  points: HandoverPoint[];
  needs: NeedInfo[];
  depots: Depot[];
  /** Grouped by need: arcs of need i are arcStart[i] .. arcStart[i+1]-1. */
  arcs: Arc[];
  arcStart: number[];
  /** Distinct tiers, most vulnerable first. */
  tiers: number[];
  /** False when no warehouse could ever reach its weight or volume capacity with the stock it holds. */
  capacityMayBind: boolean;
}

export function buildInstance(problem: AllocationProblem): Instance {
  const policy = resolvePolicy(problem.policy);
  const warehouseIndex = new Map(problem.warehouses.map((w, i) => [w.id, i]));
  const commodityIndex = new Map(problem.commodities.map((c, i) => [c.id, i]));
  const depots = buildDepots(problem.lots, warehouseIndex, commodityIndex);
  const depotsByCommodity = problem.commodities.map(() => [] as number[]);
  depots.forEach((d, k) => depotsByCommodity[d.commodity]!.push(k));
  const travel = travelOf(problem);
  const excluded = exclusionsByNeed(problem);
  const pins = pinsByNeed(problem);
  const pointOf = handoverPoints(problem);
  const points: HandoverPoint[] = [];
  const pointIndex = new Map<HandoverPoint, number>();
  const needs: NeedInfo[] = [];
  const arcs: Arc[] = [];
  const arcStart = [0];
  // Needs at one delivery point asking for one commodity by one deadline get the same candidates:
  // they are found once per point (thousands of households behind one gate) and copied.
  const candidatesAt = new Map<string, Candidates>();
  problem.needs.forEach((need, i) => {
    const commodity = commodityIndex.get(need.commodityId)!;
    const tier = tierOf(need, policy);
    const excludedHere = excluded.get(need.id);
    const pinsHere = pins.get(need.id);
    const shared = need.pointId !== undefined && !excludedHere && !pinsHere ? `${need.pointId}\u0000${commodity}\u0000${need.deadline ?? ''}` : undefined;
    let found = shared === undefined ? undefined : candidatesAt.get(shared);
    if (!found) {
      found = candidatesFor(need, depotsByCommodity[commodity]!, depots, problem, travel, policy.nearestWarehouses, excludedHere, pinsHere);
      if (shared !== undefined) candidatesAt.set(shared, found);
    }
    for (const arc of found.arcs) arcs.push({ ...arc, need: i });
    arcStart.push(arcs.length);
    const point = pointOf(need);
    if (point && !pointIndex.has(point)) pointIndex.set(point, points.push(point) - 1);
    needs.push({
      need,
      commodity,
      tier,
      weight: weightOf(need, tier, policy),
      asked: need.quantity,
      attainable: Math.min(need.quantity, found.attainable, point ? dispatchLimit(point, problem.commodities[commodity]!) : Infinity),
      blocked: found.blocked,
      ...(point ? { point: pointIndex.get(point)! } : {}),
    });
  });
  const tiers = [...new Set(needs.map((n) => n.tier))].sort((a, b) => a - b);
  const binding = bindingPoints(points, needs, problem.commodities);
  return {
    now: problem.now,
    policy,
    warehouses: problem.warehouses,
    commodities: problem.commodities,
    points: binding,
    needs,
    depots,
    arcs,
    arcStart,
    tiers,
    capacityMayBind: capacityMayBind(depots, problem) || binding.length > 0,
  };
}

/** A need's candidate arcs (nearest first, pinned ones added), what they could bring, and why others cannot serve it. */
interface Candidates {
  arcs: Arc[];
  attainable: number;
  blocked: Blocked;
}

function candidatesFor(
  need: Need,
  depotIndices: readonly number[],
  depots: readonly Depot[],
  problem: AllocationProblem,
  travel: NeedTravel,
  nearest: number,
  excludedHere: Set<string> | undefined,
  pinsHere: Map<string, { quantity: number; index: number }> | undefined,
): Candidates {
  const blocked: Blocked = { unreachable: 0, unreachableReasons: [], excluded: 0, lateForDeadline: 0, expiredBeforeArrival: 0, stockedWarehouses: 0 };
  const nearer = (a: Arc, b: Arc) => a.travelS - b.travelS || depots[a.depot]!.warehouse - depots[b.depot]!.warehouse;
  const pinnedArcs = new Map<string, Arc>();
  // The K nearest candidates so far, nearest first (insertion into a short sorted list).
  const chosen: Arc[] = [];
  for (const k of depotIndices) {
    const depot = depots[k]!;
    if (depot.usableFrom[0]! <= 0) continue;
    blocked.stockedWarehouses++;
    const warehouseId = problem.warehouses[depot.warehouse]!.id;
    if (excludedHere?.has(warehouseId)) {
      blocked.excluded++;
      continue;
    }
    const arc = arcFor(k, depot, need, travel(warehouseId, need), problem.now, blocked);
    if (!arc) continue;
    if (pinsHere?.has(warehouseId)) pinnedArcs.set(warehouseId, arc);
    if (chosen.length === nearest && nearer(arc, chosen[chosen.length - 1]!) >= 0) continue;
    let at = chosen.length;
    while (at > 0 && nearer(arc, chosen[at - 1]!) < 0) at--;
    chosen.splice(at, 0, arc);
    if (chosen.length > nearest) chosen.pop();
  }
  for (const [warehouseId, pin] of pinsHere ?? []) {
    const arc = pinnedArcs.get(warehouseId);
    if (!arc) throw new UnsolvableError(`warehouse "${warehouseId}" cannot serve need "${need.id}" (unreachable, excluded or no usable stock)`, `pins[${pin.index}]`);
    arc.pinned += pin.quantity;
    if (!chosen.includes(arc)) chosen.push(arc);
  }
  return { arcs: chosen, attainable: attainableOn(chosen, depots, problem), blocked };
}

function buildDepots(lots: readonly Lot[], warehouseIndex: Map<string, number>, commodityIndex: Map<string, number>): Depot[] {
  const byKey = new Map<string, Lot[]>();
  for (const lot of lots) {
    if (lot.quantity <= 0) continue;
    const key = `${lot.warehouseId}\u0000${lot.commodityId}`;
    const list = byKey.get(key) ?? [];
    list.push(lot);
    byKey.set(key, list);
  }
  const depots: Depot[] = [];
  for (const list of byKey.values()) {
    list.sort((a, b) => (a.expiresAt ?? Infinity) - (b.expiresAt ?? Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const usableFrom = new Array<number>(list.length + 1).fill(0);
    for (let k = list.length - 1; k >= 0; k--) usableFrom[k] = usableFrom[k + 1]! + list[k]!.quantity;
    depots.push({
      warehouse: warehouseIndex.get(list[0]!.warehouseId)!,
      commodity: commodityIndex.get(list[0]!.commodityId)!,
      lots: list,
      expiry: list.map((l) => l.expiresAt ?? Infinity),
      usableFrom,
    });
  }
  return depots.sort((a, b) => a.commodity - b.commodity || a.warehouse - b.warehouse);
}

/** An arc from a depot to the need, its need index left for the caller (candidates are shared by needs). */
function arcFor(depotIndex: number, depot: Depot, need: Need, travel: { seconds: number; reason?: string }, now: number, blocked: Blocked): Arc | undefined {
  if (!Number.isFinite(travel.seconds)) {
    blocked.unreachable++;
    const reason = travel.reason ?? 'no route';
    if (!blocked.unreachableReasons.includes(reason)) blocked.unreachableReasons.push(reason);
    return undefined;
  }
  const arrival = now + travel.seconds * 1000;
  if (need.deadline !== undefined && arrival > need.deadline) {
    blocked.lateForDeadline++;
    return undefined;
  }
  const firstLot = depot.expiry.findIndex((e) => e >= arrival);
  if (firstLot < 0) {
    blocked.expiredBeforeArrival++;
    return undefined;
  }
  return { need: -1, depot: depotIndex, firstLot, travelS: travel.seconds, pinned: 0 };
}

function attainableOn(arcs: readonly Arc[], depots: readonly Depot[], problem: AllocationProblem): number {
  let total = 0;
  for (const arc of arcs) {
    const depot = depots[arc.depot]!;
    total += Math.min(depot.usableFrom[arc.firstLot]!, dispatchLimit(problem.warehouses[depot.warehouse]!, problem.commodities[depot.commodity]!));
  }
  return total;
}

/** Units of a commodity a warehouse could dispatch (or a point take in) in one shift if nothing else went. */
export function dispatchLimit(capacity: Pick<Warehouse, 'capacityWeightKg' | 'capacityVolumeM3'>, commodity: Commodity): number {
  const byWeight = commodity.weightKg > 0 ? capacity.capacityWeightKg / commodity.weightKg : Infinity;
  const byVolume = commodity.volumeM3 > 0 ? capacity.capacityVolumeM3 / commodity.volumeM3 : Infinity;
  return Math.min(byWeight, byVolume);
}

/** The handover point a need shares, when the problem lists its capacity. */
function handoverPoints(problem: AllocationProblem): (need: Need) => HandoverPoint | undefined {
  const byId = new Map((problem.points ?? []).map((p) => [p.id, p]));
  return (need) => (need.pointId === undefined ? undefined : byId.get(need.pointId));
}

/**
 * The points whose needs could together ask more than they take in; the needs of any other point forget it
 * (a row that cannot bind would only keep its needs from sharing classes and columns with other points').
 * By what they ask, which the model lets them receive, not by what each could get alone (that is already capped
 * by the point: a gate taking 25 kg, asked for 50 kg by one household, is one that binds). Renumbers the needs'
 * `point` to the list returned.
 */
function bindingPoints(points: readonly HandoverPoint[], needs: NeedInfo[], commodities: readonly Commodity[]): HandoverPoint[] {
  const weight = new Array<number>(points.length).fill(0);
  const volume = new Array<number>(points.length).fill(0);
  for (const n of needs) {
    if (n.point === undefined) continue;
    weight[n.point]! += n.asked * commodities[n.commodity]!.weightKg;
    volume[n.point]! += n.asked * commodities[n.commodity]!.volumeM3;
  }
  const binding: HandoverPoint[] = [];
  const kept = new Map<number, number>();
  points.forEach((p, k) => {
    if (weight[k]! > p.capacityWeightKg || volume[k]! > p.capacityVolumeM3) kept.set(k, binding.push(p) - 1);
  });
  for (const n of needs) {
    if (n.point === undefined) continue;
    if (kept.has(n.point)) n.point = kept.get(n.point)!;
    else delete n.point;
  }
  return binding;
}

/**
 * The same instance with only these of its handover points (indices into `points`, ascending), renumbered; the
 * needs of the others forget theirs. Arcs are shared, so a plan of one is a plan of the other.
 */
export function withPoints(inst: Instance, keep: readonly number[]): Instance {
  const index = new Map(keep.map((p, k) => [p, k]));
  const needs = inst.needs.map((n) => {
    if (n.point === undefined) return n;
    const k = index.get(n.point);
    if (k !== undefined) return { ...n, point: k };
    const { point: _, ...rest } = n;
    return rest;
  });
  return { ...inst, points: keep.map((p) => inst.points[p]!), needs };
}

/**
 * The handover points at which a plan (quantity per arc) takes in more than `share` of their weight or volume
 * capacity: at share 1, those it overfills.
 */
export function pointsFilled(inst: Instance, x: Float64Array, share = 1): number[] {
  const kg = new Float64Array(inst.points.length);
  const m3 = new Float64Array(inst.points.length);
  inst.arcs.forEach((arc, a) => {
    const point = inst.needs[arc.need]!.point;
    if (point === undefined || x[a] === 0) return;
    const commodity = inst.commodities[inst.depots[arc.depot]!.commodity]!;
    kg[point]! += x[a]! * commodity.weightKg;
    m3[point]! += x[a]! * commodity.volumeM3;
  });
  // Within the solver's feasibility tolerance, as a row of the model would be.
  const over = (used: number, capacity: number) => used > share * capacity + 1e-6 * Math.max(1, capacity);
  return inst.points.flatMap((p, k) => (over(kg[k]!, p.capacityWeightKg) || over(m3[k]!, p.capacityVolumeM3) ? [k] : []));
}

function capacityMayBind(depots: readonly Depot[], problem: AllocationProblem): boolean {
  const weight = new Array<number>(problem.warehouses.length).fill(0);
  const volume = new Array<number>(problem.warehouses.length).fill(0);
  for (const depot of depots) {
    const commodity = problem.commodities[depot.commodity]!;
    weight[depot.warehouse]! += depot.usableFrom[0]! * commodity.weightKg;
    volume[depot.warehouse]! += depot.usableFrom[0]! * commodity.volumeM3;
  }
  return problem.warehouses.some((w, i) => weight[i]! > w.capacityWeightKg || volume[i]! > w.capacityVolumeM3);
}

/** Travel time from a warehouse to a need's delivery point. */
type NeedTravel = (warehouseId: string, need: Need) => Travel;

function travelOf(problem: AllocationProblem): NeedTravel {
  const travel = problem.travel;
  if (typeof travel === 'function') return (warehouseId, need) => travel(warehouseId, need.id);
  if (travel) {
    const byColumn = matrixTravel(travel);
    return (warehouseId, need) => byColumn(warehouseId, need.pointId ?? need.id);
  }
  const straight = straightLineTravel(problem.warehouses, problem.needs);
  return (warehouseId, need) => straight(warehouseId, need.id);
}

function exclusionsByNeed(problem: AllocationProblem): Map<string, Set<string>> {
  const byNeed = new Map<string, Set<string>>();
  for (const e of problem.exclusions ?? []) byNeed.set(e.needId, (byNeed.get(e.needId) ?? new Set()).add(e.warehouseId));
  return byNeed;
}

function pinsByNeed(problem: AllocationProblem): Map<string, Map<string, { quantity: number; index: number }>> {
  const byNeed = new Map<string, Map<string, { quantity: number; index: number }>>();
  (problem.pins ?? []).forEach((pin, index) => {
    const forNeed = byNeed.get(pin.needId) ?? new Map<string, { quantity: number; index: number }>();
    const previous = forNeed.get(pin.warehouseId)?.quantity ?? 0;
    forNeed.set(pin.warehouseId, { quantity: previous + pin.quantity, index });
    byNeed.set(pin.needId, forNeed);
  });
  return byNeed;
}
