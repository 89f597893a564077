import { describe, expect, it } from 'vitest';
import { sealedZone, warehouses } from '../../../seeds/places.ts';
import { Random } from '../../../solver/random.ts';
import { checkSolution } from '../../../solver/routing/check.ts';
import { beyondHandling, planGateDeliveries, type DeliveryStop, type GatePlan } from '../../../solver/routing/last-mile.ts';
import { solveRouting } from '../../../solver/routing/solve.ts';

/** Metres between two WGS84 points (equirectangular; fine at city scale). */
function metres(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const x = (b.lon - a.lon) * Math.cos(((a.lat + b.lat) / 2) * (Math.PI / 180)) * 111_320;
  const y = (b.lat - a.lat) * 110_540;
  return Math.hypot(x, y);
}

/**
 * The demo's sealed zone (the Rock) with its gates, 25 households inside it and 10 outside, one
 * warehouse. Roads wind: vehicle distances are 1.4× straight lines, walking 1.2×.
 */
function demoScenario() {
  const random = new Random(42);
  const [minLon, maxLon] = [7.4165, 7.4235];
  const [minLat, maxLat] = [43.729, 43.7315];
  const inside = Array.from({ length: 25 }, () => ({ lat: minLat + random.next() * (maxLat - minLat), lon: minLon + random.next() * (maxLon - minLon) }));
  const outside = Array.from({ length: 10 }, () => ({ lat: 43.734 + random.next() * 0.01, lon: 7.418 + random.next() * 0.012 }));
  const places = [warehouses[0]!, ...sealedZone.gates, ...inside, ...outside];
  const firstInside = 1 + sealedZone.gates.length;
  const firstOutside = firstInside + inside.length;
  const distances = places.map((a) => places.map((b) => 1.4 * metres(a, b)));
  const foot = places.map((a) => places.map((b) => 1.2 * metres(a, b)));
  const priority = (i: number) => (i % 5 === 0 ? 3 : i % 3 === 0 ? 2 : 1);
  const stops: DeliveryStop[] = [
    ...inside.map((_, i) => ({ id: `rock-${i}`, location: firstInside + i, footLocation: firstInside + i, zoneId: 'rock', demand: [4 + (i % 4) * 3, 1], priority: priority(i), serviceTime: 60 })),
    ...outside.map((_, i) => ({ id: `town-${i}`, location: firstOutside + i, demand: [6, 1], serviceTime: 60 })),
  ];
  const zones = [{ id: 'rock', gates: sealedZone.gates.map((g, j) => ({ id: g.name, location: 1 + j, footLocation: 1 + j, volunteers: 2 })) }];
  return { stops, zones, distances, foot };
}

describe('planGateDeliveries on the demo sealed zone', () => {
  const { stops, zones, distances, foot } = demoScenario();
  const vanCapacity = [150, 30];
  const plan = planGateDeliveries({ stops, zones, footDistances: foot, carryCapacity: [15, 3], maxStopLoad: vanCapacity });

  it('turns the zone into vehicle stops at its gates carrying the goods of its households, a van load at most each', () => {
    const gateStops = plan.vehicleStops.filter((s) => s.id.startsWith('gate:'));
    expect(gateStops.length).toBeGreaterThanOrEqual(1);
    for (const stop of gateStops) {
      expect(stop.demand[0]).toBeLessThanOrEqual(vanCapacity[0]!);
      expect(stop.demand[1]).toBeLessThanOrEqual(vanCapacity[1]!);
    }
    for (const trip of plan.walkingTours.flatMap((t) => t.trips)) expect(gateStops.map((s) => s.id)).toContain(trip.gateStopId);
    expect(plan.vehicleStops.filter((s) => s.id.startsWith('town-'))).toHaveLength(10);
    const rockWeight = stops.filter((s) => s.zoneId).reduce((sum, s) => sum + s.demand[0]!, 0);
    expect(gateStops.reduce((sum, s) => sum + s.demand[0]!, 0)).toBe(rockWeight);
    expect([...new Set(plan.gateStops.flatMap((g) => g.households))].sort()).toEqual(stops.filter((s) => s.zoneId).map((s) => s.id).sort());
  });

  it('walks every household its goods in trips one volunteer can carry, most vulnerable first', () => {
    for (const tour of plan.walkingTours) {
      const priorities = tour.trips.map((t) => t.priority);
      expect(priorities).toEqual(priorities.slice().sort((a, b) => b - a));
      for (const trip of tour.trips) {
        expect(trip.load[0]).toBeLessThanOrEqual(15);
        expect(trip.load[1]).toBeLessThanOrEqual(3);
        const visitPriorities = trip.visits.map((v) => stops.find((s) => s.id === v.id)!.priority!);
        expect(visitPriorities).toEqual(visitPriorities.slice().sort((a, b) => b - a));
      }
      expect(new Set(tour.trips.map((t) => t.volunteer)).size).toBeLessThanOrEqual(2);
    }
    const delivered = new Map<string, number>();
    for (const trip of plan.walkingTours.flatMap((t) => t.trips)) for (const v of trip.visits) delivered.set(v.id, (delivered.get(v.id) ?? 0) + v.load[0]!);
    for (const s of stops.filter((s) => s.zoneId)) expect(delivered.get(s.id)).toBeCloseTo(s.demand[0]!, 9);
  });

  it('gives a two-echelon plan: vans to the gates and the town, volunteers from the gates', async () => {
    const problem = {
      depots: [{ id: 'warehouse', location: 0 }],
      customers: plan.vehicleStops,
      vehicles: [{ id: 'van', count: 4, startDepot: 'warehouse', capacity: vanCapacity }],
      distances,
    };
    const solution = await solveRouting(problem, { seed: 1, maxIterations: 200 });
    expect(checkSolution(problem, solution).violations).toEqual([]);
    expect(solution.unassigned).toEqual([]);
  });

  it("walks each zone on a matrix of its own (gates and doors only), as it would on the shared one", () => {
    // Local indices: the zone's gates first, then its doors; nothing of the town in it.
    const inside = stops.filter((s) => s.zoneId);
    const global = [...zones[0]!.gates.map((g) => g.footLocation), ...inside.map((s) => s.footLocation!)];
    const own = global.map((a) => global.map((b) => foot[a]![b]!));
    const local = planGateDeliveries({
      stops: stops.map((s) => (s.zoneId ? { ...s, footLocation: zones[0]!.gates.length + inside.indexOf(s) } : s)),
      zones: [{ ...zones[0]!, footDistances: own, gates: zones[0]!.gates.map((g, j) => ({ ...g, footLocation: j })) }],
      carryCapacity: [15, 3],
      maxStopLoad: vanCapacity,
    });
    expect(local.walkingTours).toEqual(plan.walkingTours);
    expect(local.gateStops).toEqual(plan.gateStops);
    expect(() =>
      planGateDeliveries({ stops, zones: [{ ...zones[0]!, footDistances: own }], carryCapacity: [15, 3] }),
    ).toThrow(/footLocation/);
  });

  it('splits a household heavier than one load over several trips of its own', () => {
    const heavy = planGateDeliveries({
      stops: [{ ...stops[0]!, demand: [40, 1], priority: 1 }, { ...stops[1]!, priority: 2 }],
      zones,
      footDistances: foot,
      carryCapacity: [15, 3],
    });
    const trips = heavy.walkingTours.flatMap((t) => t.trips).filter((t) => t.visits.some((v) => v.id === stops[0]!.id));
    expect(trips).toHaveLength(3);
    expect(trips.reduce((sum, t) => sum + t.load[0]!, 0)).toBeCloseTo(40, 9);
  });

  it('reports a household no gate can reach on foot', () => {
    const cut = foot.map((row) => row.slice());
    for (const g of zones[0]!.gates) cut[g.footLocation]![stops[0]!.footLocation!] = Infinity;
    const result = planGateDeliveries({ stops, zones, footDistances: cut, carryCapacity: [15, 3] });
    expect(result.unassigned).toEqual([{ id: 'rock-0', reason: 'unreachable-on-foot' }]);
  });

  it('shares a zone\'s handling capacity between loads planned apart (two warehouses), as one plan of them all would', () => {
    const limited = zones.map((z) => ({ ...z, handlingCapacity: [60, Infinity] }));
    const unlimited = zones;
    const warehouseOf = (s: DeliveryStop) => Number(s.id.split('-')[1]) % 2;
    const carriedThrough = (plans: GatePlan[]) => {
      const carried = new Map<string, number>();
      for (const plan of plans) for (const g of plan.gateStops) for (const h of g.households) carried.set(g.zoneId, (carried.get(g.zoneId) ?? 0) + stops.find((s) => s.id === h)!.demand[0]!);
      return Math.max(...carried.values());
    };
    const apart = (zonesGiven: typeof zones, left: DeliveryStop[]) =>
      [0, 1].map((w) => planGateDeliveries({ stops: left.filter((s) => warehouseOf(s) === w), zones: zonesGiven, footDistances: foot, carryCapacity: [15, 3], maxStopLoad: vanCapacity }));
    // Each warehouse's plan given the whole capacity: together they bring a gate more than it takes in.
    expect(carriedThrough(apart(limited, stops))).toBeGreaterThan(60);
    const waiting = beyondHandling({ stops, zones: limited, footDistances: foot });
    expect(carriedThrough(apart(unlimited, stops.filter((s) => !waiting.has(s.id))))).toBeLessThanOrEqual(60);
    const together = planGateDeliveries({ stops, zones: limited, footDistances: foot, carryCapacity: [15, 3], maxStopLoad: vanCapacity });
    expect([...waiting].sort()).toEqual(together.unassigned.filter((u) => u.reason === 'gate-capacity').map((u) => u.id).sort());
  });

  it("brings no more to a zone's gates than its volunteers can carry in, the least vulnerable households waiting", () => {
    const limited = zones.map((z) => ({ ...z, handlingCapacity: [60, Infinity] }));
    const result = planGateDeliveries({ stops, zones: limited, footDistances: foot, carryCapacity: [15, 3], maxStopLoad: vanCapacity });
    const carried = new Map<string, number>();
    for (const g of result.gateStops) for (const h of g.households) carried.set(g.zoneId, (carried.get(g.zoneId) ?? 0) + stops.find((s) => s.id === h)!.demand[0]!);
    for (const kg of carried.values()) expect(kg).toBeLessThanOrEqual(60);
    const waiting = result.unassigned.filter((u) => u.reason === 'gate-capacity').map((u) => stops.find((s) => s.id === u.id)!);
    expect(waiting.length).toBeGreaterThan(0);
    // Capacity binds: what waits would not have fitted, and no waiting household outranks every carried one.
    const served = result.gateStops.flatMap((g) => g.households).map((id) => stops.find((s) => s.id === id)!);
    expect(served.length + waiting.length).toBe(stops.filter((s) => s.zoneId).length);
    expect(Math.max(...waiting.map((s) => s.priority ?? 0))).toBeLessThanOrEqual(Math.max(...served.map((s) => s.priority ?? 0)));
    expect(result.walkingTours.flatMap((t) => t.trips.flatMap((trip) => trip.visits.map((v) => v.id)))).not.toContain(waiting[0]!.id);
  });
});
