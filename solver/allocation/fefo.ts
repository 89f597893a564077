// First-expiring-first-out as an exact post-pass: the solve decides how much each warehouse sends
// each need (its stock rows already guarantee enough unexpired stock per arrival time); this pass
// then hands out lots in expiry order, so the earliest-expiring stock always leaves first.
import type { Allocation } from './problem.ts';
import type { Instance } from './instance.ts';

/** Quantities below this are round-off, not deliveries. */
export const QUANTITY_EPS = 1e-7;

export function fefoAllocations(inst: Instance, x: Float64Array): Allocation[] {
  const arcsOfDepot = inst.depots.map(() => [] as number[]);
  inst.arcs.forEach((arc, a) => {
    if (x[a]! > QUANTITY_EPS) arcsOfDepot[arc.depot]!.push(a);
  });
  const allocations: Allocation[] = [];
  arcsOfDepot.forEach((arcs, d) => {
    if (arcs.length > 0) allocations.push(...assignLots(inst, d, arcs, x));
  });
  return allocations.sort((p, q) => (p.needId < q.needId ? -1 : p.needId > q.needId ? 1 : p.lotId < q.lotId ? -1 : p.lotId > q.lotId ? 1 : 0));
}

/**
 * Lots in expiry order; each goes to the arcs that may use it (their arrival is before its expiry).
 * An arc that may use lot j may use every later lot, so serving eligible arcs in any order never
 * strands one: the suffix-stock rows of the solve are exactly Hall's condition for this greedy.
 */
function assignLots(inst: Instance, d: number, arcs: number[], x: Float64Array): Allocation[] {
  const depot = inst.depots[d]!;
  const warehouseId = inst.warehouses[depot.warehouse]!.id;
  const commodityId = inst.commodities[depot.commodity]!.id;
  const order = arcs.slice().sort((p, q) => inst.arcs[p]!.firstLot - inst.arcs[q]!.firstLot || p - q);
  const remaining = new Map(order.map((a) => [a, x[a]!]));
  const allocations: Allocation[] = [];
  let eligible = 0;
  depot.lots.forEach((lot, j) => {
    while (eligible < order.length && inst.arcs[order[eligible]!]!.firstLot <= j) eligible++;
    let left = lot.quantity;
    for (let k = 0; k < eligible && left > QUANTITY_EPS; k++) {
      const a = order[k]!;
      const take = Math.min(left, remaining.get(a)!);
      if (take <= QUANTITY_EPS) continue;
      remaining.set(a, remaining.get(a)! - take);
      left -= take;
      const arc = inst.arcs[a]!;
      allocations.push({
        needId: inst.needs[arc.need]!.need.id,
        lotId: lot.id,
        warehouseId,
        commodityId,
        quantity: take,
        travelTimeS: arc.travelS,
      });
    }
  });
  return allocations;
}
