// The optimizer may split units (an LP optimum can be fractional); goods move in whole units. Round
// each allocation down, then hand out the freed units one at a time — largest fractions first — where
// the lot, the need, the warehouse's shift capacity and the need's handover point still allow.
import type { Allocation, AllocationProblem } from './problem.ts';

export function wholeUnits(problem: AllocationProblem, allocations: Allocation[]): Allocation[] {
  const lotLeft = new Map(problem.lots.map((l) => [l.id, l.quantity]));
  const needLeft = new Map(problem.needs.map((n) => [n.id, n.quantity]));
  const commodity = new Map(problem.commodities.map((c) => [c.id, c]));
  const capacity = new Map(problem.warehouses.map((w) => [w.id, { kg: w.capacityWeightKg, m3: w.capacityVolumeM3 }]));
  const pointLeft = new Map((problem.points ?? []).map((p) => [p.id, { kg: p.capacityWeightKg, m3: p.capacityVolumeM3 }]));
  const pointOfNeed = new Map(problem.needs.flatMap((n) => (n.pointId !== undefined && pointLeft.has(n.pointId) ? [[n.id, pointLeft.get(n.pointId)!] as const] : [])));
  const limitsOf = (a: Allocation) => {
    const point = pointOfNeed.get(a.needId);
    return point ? [capacity.get(a.warehouseId)!, point] : [capacity.get(a.warehouseId)!];
  };
  const take = (a: Allocation, units: number) => {
    const c = commodity.get(a.commodityId)!;
    lotLeft.set(a.lotId, lotLeft.get(a.lotId)! - units);
    needLeft.set(a.needId, needLeft.get(a.needId)! - units);
    for (const left of limitsOf(a)) {
      left.kg -= units * c.weightKg;
      left.m3 -= units * c.volumeM3;
    }
  };
  const whole = allocations.map((a) => ({ ...a, quantity: Math.floor(a.quantity + 1e-9) }));
  whole.forEach((a) => take(a, a.quantity));
  const byFraction = allocations.map((a, i) => ({ i, fraction: a.quantity - whole[i]!.quantity })).filter((f) => f.fraction > 1e-9).sort((x, y) => y.fraction - x.fraction);
  for (const { i } of byFraction) {
    const a = whole[i]!;
    const c = commodity.get(a.commodityId)!;
    const fits = limitsOf(a).every((left) => left.kg >= c.weightKg - 1e-9 && left.m3 >= c.volumeM3 - 1e-9);
    if (lotLeft.get(a.lotId)! >= 1 && needLeft.get(a.needId)! >= 1 && fits) {
      a.quantity += 1;
      take(a, 1);
    }
  }
  return whole.filter((a) => a.quantity > 0);
}
