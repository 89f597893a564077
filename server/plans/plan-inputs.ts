// Reads what a plan is built from — available lots, open needs with what is still to deliver,
// warehouses, road travel times — and turns it into the optimizer's problem, with a snapshot that
// approval compares against to refuse a plan whose ground has moved.
import type { Queryable } from '../db/database.ts';
import type { RoadMap } from '../network/network.service.ts';
import type { AllocationProblem, HandoverPoint, TravelMatrix } from '../../solver/allocation/problem.ts';
import type { LatLon } from '../../solver/network/index.ts';
import type { NewPlan } from './plans.schema.ts';
import { availableLots, flowRates } from '../stock/stock.service.ts';
import { flagsOf, openNeedsToDeliver, type OpenNeedRow } from '../needs/needs.repo.ts';
import { allWarehouses } from '../warehouses/warehouses.service.ts';
import { allCommodities } from '../commodities/commodities.service.ts';
import { sealedGates, type Gate } from '../zones/zones.service.ts';
import { activeDrivers, carryInKg, fleetLoads, gateTeams } from '../drivers/drivers.service.ts';
import type { Driver } from '../drivers/drivers.schema.ts';

export interface Snapshot {
  /** Available (on hand − reserved) quantity of each lot. */
  lots: Record<string, number>;
  /** Version of each need. */
  needs: Record<string, number>;
}

const endOfDay = (date: string) => Date.parse(`${date}T23:59:59Z`);

export interface PlanInputs {
  problem: AllocationProblem;
  snapshot: Snapshot;
  /** Needs outside a sealed zone whose only roads run through it: served on foot from its gate (need id → zone id). */
  viaGate: Record<string, number>;
}

type SealedGate = Pick<Gate, 'id' | 'zoneId' | 'name' | 'lat' | 'lon'>;

export async function readPlanInputs(db: Queryable, roads: RoadMap, request: NewPlan, now: number): Promise<PlanInputs> {
  const commodityFilter = request.commodityIds ?? null;
  const lots = await availableLots(db, commodityFilter);
  const needs = (await openNeedsToDeliver(db, commodityFilter)).filter((n) => n.remaining > 0);
  const warehouses = await allWarehouses(db);
  const commodities = await allCommodities(db);
  const flows = await flowRates(db);
  const gates = await sealedGates(db);
  const drivers = await activeDrivers(db);
  const teams = gateTeams(drivers);
  // A warehouse sends no more than its own vehicles carry; one without any keeps its set capacity (its drivers
  // may not be registered yet, and dispatch says so).
  const fleet = fleetLoads(drivers);
  const { travel, viaGate, pointOf } = await roadTravel(roads, warehouses, needs, gates);
  const problem: AllocationProblem = {
    now,
    lots: lots.map((l) => ({ id: String(l.id), warehouseId: String(l.warehouseId), commodityId: String(l.commodityId), quantity: l.available, expiresAt: l.expiresOn ? endOfDay(l.expiresOn) : undefined })),
    warehouses: warehouses.map((w) => ({
      id: String(w.id),
      name: w.name,
      capacityWeightKg: Math.min(w.capacityWeightKg, fleet.get(w.id)?.kg ?? Infinity),
      capacityVolumeM3: Math.min(w.capacityVolumeM3, fleet.get(w.id)?.m3 ?? Infinity),
      location: { lat: w.lat, lon: w.lon },
    })),
    commodities: commodities.map((c) => ({ id: String(c.id), name: `${c.name} (${c.unit})`, weightKg: c.weightKg, volumeM3: c.volumeM3, perishable: c.perishable })),
    needs: needs.map((n) => {
      const gate = viaGate.get(n.id);
      return {
        id: String(n.id),
        commodityId: String(n.commodity_id),
        quantity: n.remaining,
        flags: flagsOf(n),
        urgency: n.urgency,
        deadline: n.deadline ? endOfDay(n.deadline) : undefined,
        daysWaiting: n.days_waiting,
        zoneId: gate ? String(gate.zoneId) : n.zone_id === null ? undefined : String(n.zone_id),
        location: gate ? { lat: gate.lat, lon: gate.lon } : deliveryPoint(n),
        pointId: pointOf(n),
      };
    }),
    pins: request.pins.map((p) => ({ needId: String(p.needId), warehouseId: String(p.warehouseId), quantity: p.quantity })),
    exclusions: request.exclusions.map((e) => ({ needId: String(e.needId), warehouseId: String(e.warehouseId) })),
    flows: flows.map((f) => ({ commodityId: String(f.commodityId), inflowPerDay: f.inflowPerDay, outflowPerDay: f.outflowPerDay })),
    travel,
    points: handoverPoints(gates, teams),
  };
  return {
    problem,
    snapshot: {
      lots: Object.fromEntries(lots.map((l) => [l.id, l.available])),
      needs: Object.fromEntries(needs.map((n) => [n.id, n.version])),
    },
    viaGate: Object.fromEntries([...viaGate].map(([needId, gate]) => [needId, gate.zoneId])),
  };
}

/**
 * What each sealed zone's volunteers can carry in this shift, as the handover capacity of the point its needs
 * share (its first gate, see deliveryPoint and roadTravel): dispatch sends the zone no more than that, so a
 * plan that allocated more would leave households waiting at the gate. A zone without volunteers of its own
 * has no limit (goods are left at the gate), as in dispatch.
 */
function handoverPoints(gates: SealedGate[], teams: Map<number, Driver[]>): HandoverPoint[] {
  const points: HandoverPoint[] = [];
  const seen = new Set<number>();
  for (const gate of gates) {
    const team = teams.get(gate.zoneId);
    if (!team || seen.has(gate.zoneId)) continue;
    seen.add(gate.zoneId);
    points.push({ id: keyOf(gate), name: gate.name, capacityWeightKg: carryInKg(team), capacityVolumeM3: Infinity });
  }
  return points;
}

const keyOf = (p: LatLon) => `${p.lat},${p.lon}`;

/** Vehicles stop at a sealed zone's gate; the volunteers' walk from there is the routing's business. */
function deliveryPoint(need: OpenNeedRow): LatLon {
  return need.gate_lat === null ? { lat: need.lat, lon: need.lon } : { lat: need.gate_lat, lon: need.gate_lon! };
}

/**
 * Van travel times from each warehouse to each delivery point, on today's roads: one column per distinct
 * point (all the households of a sealed compound share its gate), rows for the warehouses only, computed
 * on the matrix pool. A household that no vehicle can reach only because a sealed zone closes its streets
 * is served through that zone's gate instead, like the households inside it.
 */
async function roadTravel(
  roads: RoadMap,
  warehouses: { id: number; lat: number; lon: number }[],
  needs: OpenNeedRow[],
  gates: SealedGate[],
): Promise<{ travel: TravelMatrix; viaGate: Map<number, SealedGate>; pointOf: (need: OpenNeedRow) => string }> {
  const W = warehouses.length;
  const columnOf = new Map<string, number>();
  const points: LatLon[] = [...warehouses.map((w) => ({ lat: w.lat, lon: w.lon }))];
  for (const g of gates) columnOf.set(keyOf(g), points.push({ lat: g.lat, lon: g.lon }) - 1);
  for (const need of needs) {
    const at = deliveryPoint(need);
    if (!columnOf.has(keyOf(at))) columnOf.set(keyOf(at), points.push(at) - 1);
  }
  const matrix = await roads.travelMatrix(points, 'van', { sources: W });
  const time = (i: number, column: number) => matrix.timesS[i * matrix.size + column]!;
  // Points no warehouse reaches because one sealed zone alone cuts them off go through that zone's gate.
  const throughGate = new Map<number, SealedGate>();
  for (const column of new Set(needs.filter((n) => n.gate_lat === null).map((n) => columnOf.get(keyOf(deliveryPoint(n)))!))) {
    const zone = cutOffBy(W, (i) => (Number.isFinite(time(i, column)) ? undefined : matrix.why(i, column)));
    const gate = gates.find((g) => g.zoneId === zone);
    if (gate) throughGate.set(column, gate);
  }
  const viaGate = new Map<number, SealedGate>();
  for (const need of needs) {
    const gate = need.gate_lat !== null ? undefined : throughGate.get(columnOf.get(keyOf(deliveryPoint(need)))!);
    if (gate) viaGate.set(need.id, gate);
  }
  const pointOf = (need: OpenNeedRow) => keyOf(viaGate.get(need.id) ?? deliveryPoint(need));
  const columns = [...new Set(needs.map(pointOf))];
  const seconds = warehouses.map((_, i) => columns.map((key) => finiteOrNull(time(i, columnOf.get(key)!))));
  const reasons = warehouses.map((_, i) => columns.map((key) => (Number.isFinite(time(i, columnOf.get(key)!)) ? null : (matrix.why(i, columnOf.get(key)!) ?? 'unreachable'))));
  return { travel: { warehouseIds: warehouses.map((w) => String(w.id)), needIds: columns, seconds, reasons }, viaGate, pointOf };
}

/** The sealed zone that cuts a point off from every warehouse, if one zone alone does. */
function cutOffBy(warehouses: number, reasonFrom: (warehouse: number) => string | undefined): number | undefined {
  let zone: number | undefined;
  for (let i = 0; i < warehouses; i++) {
    const match = /^sealed zone #(\d+)/.exec(reasonFrom(i) ?? '');
    if (!match || (zone !== undefined && zone !== Number(match[1]))) return undefined;
    zone = Number(match[1]);
  }
  return zone;
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);
