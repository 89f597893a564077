// A feasible plan without any solve, for when the time limit ends before the first stage does: pinned
// quantities first, then needs by tier (most vulnerable first) and weight, each from its nearest
// candidates as far as stock (FEFO suffixes) and the warehouses' dispatch capacity allow.
import type { Instance } from './instance.ts';

export function greedyPlan(inst: Instance): Float64Array {
  const x = new Float64Array(inst.arcs.length);
  // Stock drawn per depot from lots k.. (suffix rows), and capacity left per warehouse.
  const drawn = inst.depots.map((d) => new Float64Array(d.lots.length));
  const kgLeft = inst.warehouses.map((w) => w.capacityWeightKg);
  const m3Left = inst.warehouses.map((w) => w.capacityVolumeM3);
  const room = (a: number) => {
    const arc = inst.arcs[a]!;
    const depot = inst.depots[arc.depot]!;
    const { weightKg, volumeM3 } = inst.commodities[depot.commodity]!;
    let q = Math.min(weightKg > 0 ? kgLeft[depot.warehouse]! / weightKg : Infinity, volumeM3 > 0 ? m3Left[depot.warehouse]! / volumeM3 : Infinity);
    for (let k = 0; k <= arc.firstLot; k++) q = Math.min(q, depot.usableFrom[k]! - drawn[arc.depot]![k]!);
    return Math.max(0, q);
  };
  const send = (a: number, q: number) => {
    const arc = inst.arcs[a]!;
    const depot = inst.depots[arc.depot]!;
    const commodity = inst.commodities[depot.commodity]!;
    x[a]! += q;
    for (let k = 0; k <= arc.firstLot; k++) drawn[arc.depot]![k]! += q;
    kgLeft[depot.warehouse]! -= q * commodity.weightKg;
    m3Left[depot.warehouse]! -= q * commodity.volumeM3;
  };
  inst.arcs.forEach((arc, a) => {
    if (arc.pinned > 0) send(a, arc.pinned);
  });
  const order = inst.needs.map((_, i) => i).sort((p, q) => inst.needs[p]!.tier - inst.needs[q]!.tier || inst.needs[q]!.weight - inst.needs[p]!.weight || p - q);
  for (const i of order) {
    let wanted = inst.needs[i]!.asked;
    for (let a = inst.arcStart[i]!; a < inst.arcStart[i + 1]!; a++) wanted -= x[a]!;
    for (let a = inst.arcStart[i]!; a < inst.arcStart[i + 1]! && wanted > 0; a++) {
      const q = Math.min(wanted, room(a));
      if (q <= 0) continue;
      send(a, q);
      wanted -= q;
    }
  }
  return x;
}
