// Says why each need left short did not get more, with the numbers: unreachable, no stock within
// reach, warehouse capacity exhausted, the handover point (a gate's volunteers) full, or outranked by more
// vulnerable tiers.
import type { Allocation, UnmetNeed } from './problem.ts';
import type { Blocked, Instance, NeedInfo } from './instance.ts';
import { QUANTITY_EPS } from './fefo.ts';

/** Stock left below this share of a unit is solver round-off, not stock that could have been sent. */
const LEFTOVER_EPS = 1e-5;

/** What the plan used, indexed for the explanations. */
interface Usage {
  allocatedByNeed: Map<string, number>;
  /** Stock left per depot and lot index. */
  lotLeft: number[][];
  weightUsed: number[];
  volumeUsed: number[];
  /** Per handover point. */
  pointUsed: { kg: number; m3: number }[];
  /** Per depot: quantity sent to needs of each tier. */
  sentByTier: Map<number, number>[];
}

export function explainUnmet(inst: Instance, allocations: readonly Allocation[]): UnmetNeed[] {
  const usage = usageOf(inst, allocations);
  const unmet: UnmetNeed[] = [];
  // Needs that share their candidates (one gate's households asking for one commodity, the same `blocked`)
  // and their tier have the same reason: it is found once, and only the shortfall in its numbers differs.
  const known = new Map<Blocked, Map<number, Reason>>();
  inst.needs.forEach((info, i) => {
    const allocated = usage.allocatedByNeed.get(info.need.id) ?? 0;
    const shortfall = info.asked - allocated;
    if (shortfall <= QUANTITY_EPS * Math.max(1, info.asked)) return;
    const base = { needId: info.need.id, tier: info.tier, asked: info.asked, allocated, shortfall };
    let byTier = known.get(info.blocked);
    if (!byTier) known.set(info.blocked, (byTier = new Map()));
    let found = byTier.get(info.tier);
    if (!found) byTier.set(info.tier, (found = reasonFor(inst, i, info, usage, shortfall)));
    unmet.push({ ...base, ...found, details: 'shortfall' in found.details ? { ...found.details, shortfall } : { ...found.details } });
  });
  return unmet;
}

type Reason = Pick<UnmetNeed, 'reason' | 'explanation' | 'details'>;

function reasonFor(inst: Instance, i: number, info: NeedInfo, usage: Usage, shortfall: number): Reason {
  const { id, name } = inst.commodities[info.commodity]!;
  const commodity = name ?? id;
  const arcs = inst.arcs.slice(inst.arcStart[i]!, inst.arcStart[i + 1]!);
  const b = info.blocked;
  if (arcs.length === 0) {
    if (b.stockedWarehouses === 0) {
      return { reason: 'no_stock', explanation: `No warehouse holds any ${commodity}.`, details: { reachableStock: 0 } };
    }
    const blocked = b.unreachable + b.excluded + b.lateForDeadline;
    if (blocked === b.stockedWarehouses) {
      const reasons = [...b.unreachableReasons];
      if (b.excluded > 0) reasons.push('excluded by the coordinator');
      if (b.lateForDeadline > 0) reasons.push('cannot arrive before the deadline');
      return {
        reason: 'unreachable',
        explanation: `None of the ${b.stockedWarehouses} warehouses holding ${commodity} can reach this need: ${reasons.join('; ')}.`,
        details: { stockedWarehouses: b.stockedWarehouses, unreachable: b.unreachable, excluded: b.excluded, lateForDeadline: b.lateForDeadline, reasons },
      };
    }
    return {
      reason: 'no_stock',
      explanation: `The ${commodity} within reach expires before it can arrive.`,
      details: { reachableStock: 0, expiredBeforeArrival: b.expiredBeforeArrival },
    };
  }
  const reachableStock = arcs.reduce((sum, arc) => sum + inst.depots[arc.depot]!.usableFrom[arc.firstLot]!, 0);
  const leftOnArcs = arcs.map((arc) => usage.lotLeft[arc.depot]!.slice(arc.firstLot).reduce((s, q) => s + q, 0));
  if (info.point !== undefined && leftOnArcs.some((q) => q > LEFTOVER_EPS) && pointFull(inst, usage, info.point, info.commodity)) {
    const point = inst.points[info.point]!;
    const used = usage.pointUsed[info.point]!;
    return {
      reason: 'handover',
      explanation: `${point.name ?? point.id} can take in no more this shift: ${round(used.kg)} of ${round(point.capacityWeightKg)} kg is already planned there.`,
      details: { point: point.id, plannedKg: used.kg, capacityKg: point.capacityWeightKg, shortfall },
    };
  }
  const full = arcs.flatMap((arc, k) => (leftOnArcs[k]! > LEFTOVER_EPS && atCapacity(inst, usage, inst.depots[arc.depot]!.warehouse) ? [inst.depots[arc.depot]!.warehouse] : []));
  if (full.length > 0) {
    const names = full.map((w) => inst.warehouses[w]!.id);
    const called = full.map((w) => inst.warehouses[w]!.name ?? inst.warehouses[w]!.id);
    const stranded = arcs.reduce((s, arc, k) => (full.includes(inst.depots[arc.depot]!.warehouse) ? s + leftOnArcs[k]! : s), 0);
    return {
      reason: 'capacity',
      explanation: `${round(stranded)} ${commodity} is still in stock at ${called.join(', ')}, whose dispatch capacity for this shift is used up.`,
      details: { warehouses: names, strandedStock: stranded, shortfall },
    };
  }
  const depots = [...new Set(arcs.map((arc) => arc.depot))];
  const toHigherTiers = sumSent(usage, depots, (tier) => tier < info.tier);
  const toSameOrLower = sumSent(usage, depots, (tier) => tier >= info.tier);
  if (toHigherTiers > LEFTOVER_EPS) {
    return {
      reason: 'outranked',
      explanation: `${round(toHigherTiers)} of the ${round(reachableStock)} ${commodity} within reach went to more vulnerable tiers.`,
      details: { reachableStock, toHigherTiers, toSameOrLowerTiers: toSameOrLower, shortfall },
    };
  }
  return {
    reason: 'no_stock',
    explanation: `Only ${round(reachableStock)} ${commodity} is within reach of the ${arcs.length} nearest warehouses, shared with needs of the same or lower priority.`,
    details: { reachableStock, toSameOrLowerTiers: toSameOrLower, nearestWarehouses: arcs.length, shortfall },
  };
}

function usageOf(inst: Instance, allocations: readonly Allocation[]): Usage {
  const depotOf = new Map(inst.depots.map((d, k) => [`${inst.warehouses[d.warehouse]!.id}\u0000${inst.commodities[d.commodity]!.id}`, k]));
  const lotIndex = new Map(inst.depots.flatMap((d) => d.lots.map((lot, j) => [lot.id, j] as const)));
  const tierOf = new Map(inst.needs.map((n) => [n.need.id, n.tier]));
  const pointOf = new Map(inst.needs.flatMap((n) => (n.point !== undefined ? [[n.need.id, n.point] as const] : [])));
  const usage: Usage = {
    allocatedByNeed: new Map(),
    lotLeft: inst.depots.map((d) => d.lots.map((l) => l.quantity)),
    weightUsed: inst.warehouses.map(() => 0),
    volumeUsed: inst.warehouses.map(() => 0),
    pointUsed: inst.points.map(() => ({ kg: 0, m3: 0 })),
    sentByTier: inst.depots.map(() => new Map()),
  };
  for (const a of allocations) {
    const d = depotOf.get(`${a.warehouseId}\u0000${a.commodityId}`)!;
    const depot = inst.depots[d]!;
    const commodity = inst.commodities[depot.commodity]!;
    usage.allocatedByNeed.set(a.needId, (usage.allocatedByNeed.get(a.needId) ?? 0) + a.quantity);
    usage.lotLeft[d]![lotIndex.get(a.lotId)!]! -= a.quantity;
    usage.weightUsed[depot.warehouse]! += a.quantity * commodity.weightKg;
    usage.volumeUsed[depot.warehouse]! += a.quantity * commodity.volumeM3;
    const point = pointOf.get(a.needId);
    if (point !== undefined) {
      usage.pointUsed[point]!.kg += a.quantity * commodity.weightKg;
      usage.pointUsed[point]!.m3 += a.quantity * commodity.volumeM3;
    }
    const tier = tierOf.get(a.needId)!;
    usage.sentByTier[d]!.set(tier, (usage.sentByTier[d]!.get(tier) ?? 0) + a.quantity);
  }
  return usage;
}

function atCapacity(inst: Instance, usage: Usage, w: number): boolean {
  const warehouse = inst.warehouses[w]!;
  return reached(usage.weightUsed[w]!, warehouse.capacityWeightKg) || reached(usage.volumeUsed[w]!, warehouse.capacityVolumeM3);
}

/** Whether the point has no room left for one more unit of the commodity (plans are in whole units). */
function pointFull(inst: Instance, usage: Usage, p: number, commodity: number): boolean {
  const point = inst.points[p]!;
  const { weightKg, volumeM3 } = inst.commodities[commodity]!;
  const used = usage.pointUsed[p]!;
  const noRoom = (planned: number, unit: number, capacity: number) => unit > 0 && planned + unit > capacity + 1e-6 * Math.max(1, capacity);
  return noRoom(used.kg, weightKg, point.capacityWeightKg) || noRoom(used.m3, volumeM3, point.capacityVolumeM3);
}

const reached = (used: number, capacity: number) => used >= capacity - 1e-6 * Math.max(1, capacity);

function sumSent(usage: Usage, depots: readonly number[], tierMatches: (tier: number) => boolean): number {
  let total = 0;
  for (const d of depots) for (const [tier, q] of usage.sentByTier[d]!) if (tierMatches(tier)) total += q;
  return total;
}

function round(q: number): string {
  return String(Math.round(q * 100) / 100);
}
