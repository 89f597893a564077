// Seeded random relief scenarios of any size (for property tests and benchmarks): warehouses and
// households scattered over a city, scarce stock in lots with expiries, mixed vulnerability.
import { Random } from '../random.ts';
import type { AllocationProblem, Commodity, HandoverPoint, Lot, Need, Urgency, Warehouse } from './problem.ts';

export interface RandomProblemShape {
  needs: number;
  warehouses: number;
  commodities: number;
  /** Lots per warehouse × commodity held (1 or more, with different expiries). */
  lotsPerStock?: number;
  /** Total stock / total asked, per commodity. */
  scarcity?: number;
  /** 'loose': capacity can never bind (flow path); 'tight': dispatch capacity ≈ a share of the stock. */
  capacity?: 'loose' | 'tight';
  nearestWarehouses?: number;
  /**
   * Needs are handed over at this many delivery points (a district's compound gates), whose households share
   * their travel times; absent: every need at a location of its own.
   */
  points?: number;
  /** With `points`: each point takes in about this share of the weight its needs ask (absent: unlimited). */
  handover?: number;
}

const FLAGS = ['medical', 'infant', 'pregnant', 'elderly_alone', 'disabled', 'chronic_illness'];
const URGENCIES: Urgency[] = ['critical', 'high', 'normal', 'normal', 'normal', 'low'];
const NOW = Date.UTC(2026, 0, 15, 8);
const HOUR = 3_600_000;

export function randomProblem(seed: number, shape: RandomProblemShape): AllocationProblem {
  const random = new Random(seed);
  const around = () => ({ lat: 43.70 + random.next() * 0.08, lon: 7.38 + random.next() * 0.1 });
  const commodities: Commodity[] = Array.from({ length: shape.commodities }, (_, c) => ({
    id: `c${c}`,
    weightKg: 0.2 + random.int(50) / 5,
    volumeM3: 0.001 + random.int(20) / 1000,
    perishable: random.next() < 0.4,
  }));
  const points = shape.points === undefined ? undefined : Array.from({ length: shape.points }, around);
  const needs: Need[] = Array.from({ length: shape.needs }, (_, i) => {
    const need: Need = {
      id: `n${i}`,
      commodityId: `c${random.int(shape.commodities)}`,
      quantity: 1 + random.int(20),
      flags: random.next() < 0.4 ? [FLAGS[random.int(FLAGS.length)]!] : [],
      urgency: URGENCIES[random.int(URGENCIES.length)]!,
      daysWaiting: random.int(4),
    };
    if (points) {
      const p = random.int(points.length);
      need.pointId = `p${p}`;
      need.location = points[p]!;
    } else {
      need.location = around();
    }
    if (random.next() < 0.1) need.deadline = NOW + (0.3 + random.next()) * HOUR;
    return need;
  });
  const askedPer = commodities.map((c) => needs.filter((n) => n.commodityId === c.id).reduce((s, n) => s + n.quantity, 0));
  const lots: Lot[] = [];
  const holders = commodities.map(() => [] as number[]);
  for (let w = 0; w < shape.warehouses; w++) {
    commodities.forEach((_, c) => {
      if (random.next() < 0.7) holders[c]!.push(w);
    });
  }
  commodities.forEach((commodity, c) => {
    const perHolder = ((shape.scarcity ?? 0.7) * askedPer[c]!) / Math.max(1, holders[c]!.length);
    for (const w of holders[c]!) {
      const lotCount = 1 + random.int(shape.lotsPerStock ?? 2);
      for (let k = 0; k < lotCount; k++) {
        const lot: Lot = {
          id: `l${lots.length}`,
          warehouseId: `w${w}`,
          commodityId: commodity.id,
          quantity: Math.max(1, Math.round((perHolder * (0.5 + random.next())) / lotCount)),
        };
        if (commodity.perishable) lot.expiresAt = NOW + random.next() * 2 * HOUR;
        lots.push(lot);
      }
    }
  });
  const warehouses: Warehouse[] = Array.from({ length: shape.warehouses }, (_, w) => ({
    id: `w${w}`,
    capacityWeightKg: Infinity,
    capacityVolumeM3: Infinity,
    location: around(),
  }));
  if (shape.capacity === 'tight') {
    for (const w of warehouses) {
      const held = lots.filter((l) => l.warehouseId === w.id);
      const weight = held.reduce((s, l) => s + l.quantity * commodities[Number(l.commodityId.slice(1))]!.weightKg, 0);
      const volume = held.reduce((s, l) => s + l.quantity * commodities[Number(l.commodityId.slice(1))]!.volumeM3, 0);
      w.capacityWeightKg = Math.round(weight * (0.3 + 0.6 * random.next()));
      w.capacityVolumeM3 = Math.round(volume * (0.4 + 0.8 * random.next()) * 1000) / 1000;
    }
  }
  // Drawn last, so that a shape without handover limits gives the same problem as before they existed.
  const handover: HandoverPoint[] | undefined =
    points && shape.handover !== undefined
      ? points.map((_, p) => {
          const asked = needs.filter((n) => n.pointId === `p${p}`).reduce((s, n) => s + n.quantity * commodities[Number(n.commodityId.slice(1))]!.weightKg, 0);
          return { id: `p${p}`, capacityWeightKg: Math.round(asked * shape.handover! * (0.5 + random.next())), capacityVolumeM3: Infinity };
        })
      : undefined;
  return {
    lots,
    warehouses,
    commodities,
    needs,
    ...(handover ? { points: handover } : {}),
    now: NOW,
    policy: { nearestWarehouses: shape.nearestWarehouses ?? 5 },
    flows: commodities.map((c, k) => ({ commodityId: c.id, inflowPerDay: 10 * k, outflowPerDay: 5 + 20 * k })),
  };
}
