// A feasible plan without any solve, for when the time limit ends before the first stage does: pinned
// quantities first, then needs by tier (most vulnerable first) and weight, each from its nearest
// candidates as far as stock (FEFO suffixes), the warehouses' dispatch capacity and the handover points'
// capacity allow.
import type { Arc, Instance } from './instance.ts';

export function greedyPlan(inst: Instance): Float64Array {
  const x = new Float64Array(inst.arcs.length);
  // Stock drawn per depot from lots k.. (suffix rows), and capacity left per warehouse and handover point.
  const drawn = inst.depots.map((d) => new Float64Array(d.lots.length));
  const warehouseLeft = inst.warehouses.map((w) => ({ kg: w.capacityWeightKg, m3: w.capacityVolumeM3 }));
  const pointLeft = inst.points.map((p) => ({ kg: p.capacityWeightKg, m3: p.capacityVolumeM3 }));
  const limitsOf = (arc: Arc) => {
    const point = inst.needs[arc.need]!.point;
    return point === undefined ? [warehouseLeft[inst.depots[arc.depot]!.warehouse]!] : [warehouseLeft[inst.depots[arc.depot]!.warehouse]!, pointLeft[point]!];
  };
  const room = (a: number) => {
    const arc = inst.arcs[a]!;
    const depot = inst.depots[arc.depot]!;
    const { weightKg, volumeM3 } = inst.commodities[depot.commodity]!;
    let q = Infinity;
    for (const left of limitsOf(arc)) q = Math.min(q, weightKg > 0 ? left.kg / weightKg : Infinity, volumeM3 > 0 ? left.m3 / volumeM3 : Infinity);
    for (let k = 0; k <= arc.firstLot; k++) q = Math.min(q, depot.usableFrom[k]! - drawn[arc.depot]![k]!);
    return Math.max(0, q);
  };
  const send = (a: number, q: number) => {
    const arc = inst.arcs[a]!;
    const depot = inst.depots[arc.depot]!;
    const commodity = inst.commodities[depot.commodity]!;
    x[a]! += q;
    for (let k = 0; k <= arc.firstLot; k++) drawn[arc.depot]![k]! += q;
    for (const left of limitsOf(arc)) {
      left.kg -= q * commodity.weightKg;
      left.m3 -= q * commodity.volumeM3;
    }
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
