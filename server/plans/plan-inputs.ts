// Reads what a plan is built from — available lots, open needs with what is still to deliver,
// warehouses, road travel times — and turns it into the optimizer's problem, with a snapshot that
// approval compares against to refuse a plan whose ground has moved.
import type { Queryable } from '../db/database.ts';
import type { RoadMap } from '../network/network.service.ts';
import type { AllocationProblem, TravelMatrix } from '../../solver/allocation/problem.ts';
import type { LatLon } from '../../solver/network/index.ts';
import type { NewPlan } from './plans.schema.ts';
import { flowRates } from '../stock/stock.service.ts';
import { columnName } from '../db/rows.ts';
import { vulnerabilityFlags } from '../../domain/values.ts';

export interface Snapshot {
  /** Available (on hand − reserved) quantity of each lot. */
  lots: Record<string, number>;
  /** Version of each need. */
  needs: Record<string, number>;
}

interface LotRow {
  id: number;
  warehouse_id: number;
  commodity_id: number;
  available: number;
  expires_on: string | null;
}

interface NeedRow {
  id: number;
  commodity_id: number;
  remaining: number;
  urgency: 'low' | 'normal' | 'high' | 'critical';
  deadline: string | null;
  version: number;
  days_waiting: number;
  lat: number;
  lon: number;
  zone_id: number | null;
  gate: LatLon | null;
  elderly_alone: boolean;
  chronic_illness: boolean;
  disabled: boolean;
  pregnant: boolean;
  infant: boolean;
}

/** The flags as the households table and the solver's tier policy spell them: elderly_alone. */
const FLAGS = vulnerabilityFlags.map(columnName);
const endOfDay = (date: string) => Date.parse(`${date}T23:59:59Z`);

/**
 * What is still to deliver for each open need: asked − fulfilled − committed, where committed is what
 * approved plans reserved for it and that is neither released, delivered nor returned yet.
 */
const OPEN_NEEDS = `
  SELECT n.id, n.commodity_id, n.urgency, n.deadline, n.version,
         floor(extract(epoch FROM now() - n.created_at) / 86400)::int AS days_waiting,
         n.quantity - n.fulfilled - coalesce(c.committed, 0) AS remaining,
         h.lat, h.lon, h.zone_id, h.elderly_alone, h.chronic_illness, h.disabled, h.pregnant, h.infant,
         CASE WHEN z.status = 'sealed' THEN (SELECT json_build_object('lat', g.lat, 'lon', g.lon) FROM gates g WHERE g.zone_id = z.id ORDER BY g.id LIMIT 1) END AS gate
  FROM needs n
  JOIN households h ON h.id = n.household_id
  LEFT JOIN zones z ON z.id = h.zone_id
  LEFT JOIN (
    SELECT need_id, sum(CASE kind WHEN 'reserved' THEN quantity WHEN 'released' THEN -quantity WHEN 'delivered' THEN -quantity WHEN 'returned' THEN -quantity ELSE 0 END) AS committed
    FROM stock_movements WHERE need_id IS NOT NULL GROUP BY need_id
  ) c ON c.need_id = n.id
  WHERE n.status = 'open' AND ($1::int[] IS NULL OR n.commodity_id = ANY($1::int[]))`;

export interface PlanInputs {
  problem: AllocationProblem;
  snapshot: Snapshot;
  /** Needs outside a sealed zone whose only roads run through it: served on foot from its gate (need id → zone id). */
  viaGate: Record<string, number>;
}

interface SealedGate {
  id: number;
  zoneId: number;
  lat: number;
  lon: number;
}

export async function readPlanInputs(db: Queryable, roads: RoadMap, request: NewPlan, now: number): Promise<PlanInputs> {
  const commodityFilter = request.commodityIds ?? null;
  const lots = await db.query<LotRow>(
    `SELECT id, warehouse_id, commodity_id, on_hand - reserved AS available, expires_on FROM lots
     WHERE on_hand - reserved > 0 AND ($1::int[] IS NULL OR commodity_id = ANY($1::int[])) ORDER BY id`,
    [commodityFilter],
  );
  const needs = (await db.query<NeedRow>(OPEN_NEEDS, [commodityFilter])).filter((n) => n.remaining > 0);
  const warehouses = await db.query<{ id: number; name: string; lat: number; lon: number; capacity_weight_kg: number; capacity_volume_m3: number }>('SELECT * FROM warehouses ORDER BY id');
  const commodities = await db.query<{ id: number; name: string; unit: string; weight_kg: number; volume_m3: number; perishable: boolean }>('SELECT * FROM commodities ORDER BY id');
  const flows = await flowRates(db);
  const gates = await db.query<SealedGate>(`SELECT g.id, g.zone_id AS "zoneId", g.lat, g.lon FROM gates g JOIN zones z ON z.id = g.zone_id WHERE z.status = 'sealed' ORDER BY g.id`);
  const { travel, viaGate } = await roadTravel(roads, warehouses, needs, gates);
  const problem: AllocationProblem = {
    now,
    lots: lots.map((l) => ({ id: String(l.id), warehouseId: String(l.warehouse_id), commodityId: String(l.commodity_id), quantity: l.available, expiresAt: l.expires_on ? endOfDay(l.expires_on) : undefined })),
    warehouses: warehouses.map((w) => ({ id: String(w.id), name: w.name, capacityWeightKg: w.capacity_weight_kg, capacityVolumeM3: w.capacity_volume_m3, location: { lat: w.lat, lon: w.lon } })),
    commodities: commodities.map((c) => ({ id: String(c.id), name: `${c.name} (${c.unit})`, weightKg: c.weight_kg, volumeM3: c.volume_m3, perishable: c.perishable })),
    needs: needs.map((n) => {
      const gate = viaGate.get(n.id);
      return {
        id: String(n.id),
        commodityId: String(n.commodity_id),
        quantity: n.remaining,
        flags: FLAGS.filter((f) => n[f as keyof NeedRow]),
        urgency: n.urgency,
        deadline: n.deadline ? endOfDay(n.deadline) : undefined,
        daysWaiting: n.days_waiting,
        zoneId: gate ? String(gate.zoneId) : n.zone_id === null ? undefined : String(n.zone_id),
        location: gate ? { lat: gate.lat, lon: gate.lon } : deliveryPoint(n),
      };
    }),
    pins: request.pins.map((p) => ({ needId: String(p.needId), warehouseId: String(p.warehouseId), quantity: p.quantity })),
    exclusions: request.exclusions.map((e) => ({ needId: String(e.needId), warehouseId: String(e.warehouseId) })),
    flows: flows.map((f) => ({ commodityId: String(f.commodityId), inflowPerDay: f.inflowPerDay, outflowPerDay: f.outflowPerDay })),
    travel,
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

/** Vehicles stop at a sealed zone's gate; the volunteers' walk from there is the routing's business. */
function deliveryPoint(need: NeedRow): LatLon {
  return need.gate ?? { lat: need.lat, lon: need.lon };
}

/**
 * Van travel times from each warehouse to each need's delivery point, on today's roads. A household
 * that no vehicle can reach only because a sealed zone closes its streets is served through that
 * zone's gate instead, like the households inside it.
 */
async function roadTravel(
  roads: RoadMap,
  warehouses: { id: number; lat: number; lon: number }[],
  needs: NeedRow[],
  gates: SealedGate[],
): Promise<{ travel: TravelMatrix; viaGate: Map<number, SealedGate> }> {
  const W = warehouses.length;
  const N = needs.length;
  const points = [...warehouses.map((w) => ({ lat: w.lat, lon: w.lon })), ...needs.map(deliveryPoint), ...gates.map((g) => ({ lat: g.lat, lon: g.lon }))];
  const matrix = await roads.travelMatrix(points, 'van');
  const time = (i: number, column: number) => matrix.timesS[i * matrix.size + column]!;
  const viaGate = new Map<number, SealedGate>();
  needs.forEach((need, j) => {
    if (need.gate) return;
    const zone = cutOffBy(W, (i) => (Number.isFinite(time(i, W + j)) ? undefined : matrix.why(i, W + j)));
    const gate = gates.find((g) => g.zoneId === zone);
    if (gate) viaGate.set(need.id, gate);
  });
  const column = (j: number) => {
    const gate = viaGate.get(needs[j]!.id);
    return gate ? W + N + gates.indexOf(gate) : W + j;
  };
  const seconds = warehouses.map((_, i) => needs.map((_, j) => finiteOrNull(time(i, column(j)))));
  const reasons = warehouses.map((_, i) => needs.map((_, j) => (Number.isFinite(time(i, column(j))) ? null : (matrix.why(i, column(j)) ?? 'unreachable'))));
  return { travel: { warehouseIds: warehouses.map((w) => String(w.id)), needIds: needs.map((n) => String(n.id)), seconds, reasons }, viaGate };
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
