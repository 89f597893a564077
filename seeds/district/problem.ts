// A generated district as the optimizer's allocation problem, without a database: for the allocation
// benchmark at district scale and the tests that compare the grouped solve with the full model. Households
// of a sealed compound are served at its first gate (as the server's plan inputs do), with straight-line
// travel times from the warehouses.
import type { AllocationProblem, Lot, Need } from '../../solver/allocation/problem.ts';
import { households, type District } from './generate.ts';

const DAY = 86_400_000;

export function districtProblem(district: District, now = Date.UTC(2026, 3, 1, 8)): AllocationProblem {
  const needs: Need[] = [];
  for (const h of households(district)) {
    const gate = district.compounds[h.compound]!.gates[0]!;
    const flags = (['elderlyAlone', 'chronicIllness', 'disabled', 'pregnant', 'infant'] as const).filter((f) => h[f]).map((f) => f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
    h.needs.forEach((n, k) => {
      needs.push({
        id: `h${h.index}-${k}`,
        commodityId: n.commodity,
        quantity: n.quantity,
        flags,
        urgency: n.urgency,
        ...(n.deadlineInDays === null ? {} : { deadline: now + n.deadlineInDays * DAY }),
        pointId: `compound ${h.compound}`,
        location: { lat: gate.lat, lon: gate.lon },
      });
    });
  }
  const lots: Lot[] = district.lots.map((l) => ({
    id: l.lotCode,
    warehouseId: `w${l.warehouse}`,
    commodityId: l.commodity,
    quantity: l.quantity,
    ...(l.expiresInDays === null ? {} : { expiresAt: now + l.expiresInDays * DAY }),
  }));
  return {
    now,
    lots,
    warehouses: district.warehouses.map((w, i) => ({ id: `w${i}`, name: w.name, capacityWeightKg: w.capacityWeightKg, capacityVolumeM3: w.capacityVolumeM3, location: { lat: w.lat, lon: w.lon } })),
    commodities: district.commodities.map((c) => ({ id: c.code, name: c.name, weightKg: c.weightKg, volumeM3: c.volumeM3, perishable: c.perishable })),
    needs,
  };
}
