// The last hundred metres: households inside a sealed zone become one vehicle stop at the zone's nearest
// gate (their goods summed), and gate volunteers walk the goods in, trip by trip within what one person
// can carry, the most vulnerable households first.
import { InvalidProblemError } from '../errors.ts';
import type { Customer } from './problem.ts';

export interface Gate {
  id: string;
  /** Index in the vehicle matrices. */
  location: number;
  /** Index in the foot matrix (its zone's own, when the zone has one). */
  footLocation: number;
  /** Volunteers working from this gate (default 1). */
  volunteers?: number;
}

export interface SealedZone {
  id: string;
  gates: Gate[];
  /**
   * Walking distances between this zone's gates and doors alone. A district has thousands of compounds and
   * nobody walks from one to another, so one small matrix per zone replaces an all-pairs one that would not
   * fit in memory; without it, the input's shared matrix is used.
   */
  footDistances?: ArrayLike<number>[];
  /**
   * What the zone's gate volunteers can carry in over the day, from whichever of its gates, per capacity
   * dimension (their hours × a carry rate; default unlimited): households beyond it, the least vulnerable
   * first, wait.
   */
  handlingCapacity?: number[];
}

export interface DeliveryStop extends Customer {
  /** The sealed zone it lies in, if any. */
  zoneId?: string;
  /** Index in its zone's foot matrix (needed inside a zone). */
  footLocation?: number;
  /** Higher is more vulnerable (e.g. elderly alone, medicine, infants) and is served first. */
  priority?: number;
}

export interface GateDeliveryInput {
  stops: DeliveryStop[];
  zones: SealedZone[];
  /** Walking distances (or times) between foot locations, for zones without a matrix of their own. */
  footDistances?: ArrayLike<number>[];
  /** What one volunteer carries per trip, per capacity dimension. */
  carryCapacity: number[];
  /** Handover time of a gate stop for the vehicle (default: the largest service time of its households). */
  gateServiceTime?: number;
  /**
   * Most goods one vehicle stop may bring to a gate (e.g. the largest vehicle's capacity): a gate with
   * more is served by several stops, each carrying whole walking trips, the most vulnerable first.
   */
  maxStopLoad?: number[];
}

export interface WalkingTrip {
  /** The vehicle stop that brings this trip's goods to the gate. */
  gateStopId: string;
  /** Volunteer of the gate (0-based) who walks it, the one free earliest. */
  volunteer: number;
  visits: { id: string; load: number[] }[];
  load: number[];
  /** Gate → doors → gate on foot. */
  distance: number;
  /** Highest priority on the trip (trips are listed by it). */
  priority: number;
}

export interface GatePlan {
  /** What the vehicles serve: stops outside sealed zones unchanged, one stop per used gate. */
  vehicleStops: Customer[];
  gateStops: { stopId: string; zoneId: string; gateId: string; households: string[] }[];
  walkingTours: { zoneId: string; gateId: string; trips: WalkingTrip[] }[];
  unassigned: { id: string; reason: 'unreachable-on-foot' | 'zone-without-gate' | 'gate-capacity' }[];
}

export function planGateDeliveries(input: GateDeliveryInput): GatePlan {
  const zones = new Map(input.zones.map((z) => [z.id, z]));
  const capacity = input.carryCapacity;
  capacity.forEach((q, k) => {
    if (!(q > 0)) throw new InvalidProblemError(`carryCapacity[${k}]`, 'must be positive');
  });
  const maxStopLoad = input.maxStopLoad ?? capacity.map(() => Infinity);
  maxStopLoad.forEach((q, k) => {
    if (!(q >= capacity[k]!)) throw new InvalidProblemError(`maxStopLoad[${k}]`, 'must hold at least one walking trip');
  });
  const plan: GatePlan = { vehicleStops: [], gateStops: [], walkingTours: [], unassigned: [] };
  const byGate: GateGroups = new Map();
  input.stops.forEach((stop, i) => {
    if (stop.zoneId === undefined) {
      plan.vehicleStops.push(withoutFootFields(stop));
      return;
    }
    const zone = zones.get(stop.zoneId);
    if (!zone) throw new InvalidProblemError(`stops[${i}].zoneId`, `no sealed zone "${stop.zoneId}"`);
    if (stop.demand.length !== capacity.length) throw new InvalidProblemError(`stops[${i}].demand`, `needs ${capacity.length} quantities`);
    const walk = zone.footDistances ?? input.footDistances ?? [];
    const foot = stop.footLocation;
    if (foot === undefined || !walk[foot]) throw new InvalidProblemError(`stops[${i}].footLocation`, 'must be an index in its zone\'s foot matrix');
    if (zone.gates.length === 0) {
      plan.unassigned.push({ id: stop.id, reason: 'zone-without-gate' });
      return;
    }
    const gate = nearestGate(zone.gates, foot, walk);
    if (!gate) {
      plan.unassigned.push({ id: stop.id, reason: 'unreachable-on-foot' });
      return;
    }
    const group = byGate.get(gate) ?? { zoneId: zone.id, walk, stops: [] };
    group.stops.push(stop);
    byGate.set(gate, group);
  });
  withinHandling(byGate, zones, plan.unassigned);
  for (const [gate, { zoneId, walk, stops }] of byGate) {
    if (stops.length === 0) continue;
    const trips = walkingTrips(gate, stops, walk, capacity);
    const deliveries = splitByLoad(trips, maxStopLoad);
    deliveries.forEach((group, k) => {
      const stopId = `gate:${zoneId}:${gate.id}` + (deliveries.length > 1 ? `#${k + 1}` : '');
      const households = [...new Set(group.flatMap((t) => t.visits.map((v) => v.stop)))];
      for (const trip of group) trip.gateStopId = stopId;
      plan.vehicleStops.push(gateStop(stopId, gate, households, group, input.gateServiceTime));
      plan.gateStops.push({ stopId, zoneId, gateId: gate.id, households: households.map((h) => h.id) });
    });
    plan.walkingTours.push({
      zoneId,
      gateId: gate.id,
      trips: trips.map(({ visits, ...trip }) => ({ ...trip, visits: visits.map((v) => ({ id: v.stop.id, load: v.load })) })),
    });
  }
  return plan;
}

/**
 * The stops that their zone's volunteers cannot carry in today when the goods come in several loads planned
 * apart (a district's warehouses, each planned on its own): each zone's handling capacity is shared by all
 * the stops it serves, the least vulnerable waiting first, as within one planGateDeliveries. Stops that
 * planGateDeliveries would refuse or report otherwise are left to it.
 */
export function beyondHandling(input: Pick<GateDeliveryInput, 'stops' | 'zones' | 'footDistances'>): Set<string> {
  const zones = new Map(input.zones.map((z) => [z.id, z]));
  const byGate: GateGroups = new Map();
  for (const stop of input.stops) {
    const zone = stop.zoneId === undefined ? undefined : zones.get(stop.zoneId);
    const walk = zone?.footDistances ?? input.footDistances ?? [];
    if (!zone?.handlingCapacity || stop.footLocation === undefined || !walk[stop.footLocation]) continue;
    const gate = nearestGate(zone.gates, stop.footLocation, walk);
    if (!gate) continue;
    const group = byGate.get(gate) ?? { zoneId: zone.id, walk, stops: [] };
    group.stops.push(stop);
    byGate.set(gate, group);
  }
  const waiting: GatePlan['unassigned'] = [];
  withinHandling(byGate, zones, waiting);
  return new Set(waiting.map((u) => u.id));
}

/** The stops each gate serves, with its zone and that zone's walking distances. */
type GateGroups = Map<Gate, { zoneId: string; walk: ArrayLike<number>[]; stops: DeliveryStop[] }>;

/**
 * Leaves at each gate the households its zone's volunteers can carry in today, taken across the zone's gates
 * in the order trips take them (most vulnerable first, then nearest their gate); one that no longer fits
 * waits, and a smaller one after it may still go.
 */
function withinHandling(byGate: GateGroups, zones: Map<string, SealedZone>, unassigned: GatePlan['unassigned']): void {
  const ofZone = new Map<string, { gate: Gate; walk: ArrayLike<number>[]; stop: DeliveryStop }[]>();
  for (const [gate, { zoneId, walk, stops }] of byGate) {
    if (!zones.get(zoneId)?.handlingCapacity) continue;
    const list = ofZone.get(zoneId) ?? ofZone.set(zoneId, []).get(zoneId)!;
    for (const stop of stops) list.push({ gate, walk, stop });
  }
  for (const [zoneId, entries] of ofZone) {
    const left = zones.get(zoneId)!.handlingCapacity!.slice();
    const fromGate = (e: (typeof entries)[number]) => e.walk[e.gate.footLocation]![e.stop.footLocation!]!;
    entries.sort((a, b) => (b.stop.priority ?? 0) - (a.stop.priority ?? 0) || fromGate(a) - fromGate(b) || a.stop.id.localeCompare(b.stop.id));
    const waiting = new Set<DeliveryStop>();
    for (const { stop } of entries) {
      if (stop.demand.some((q, k) => q > left[k]! + 1e-9)) {
        waiting.add(stop);
        unassigned.push({ id: stop.id, reason: 'gate-capacity' });
        continue;
      }
      stop.demand.forEach((q, k) => (left[k]! -= q));
    }
    if (waiting.size === 0) continue;
    for (const gate of new Set(entries.map((e) => e.gate))) byGate.get(gate)!.stops = byGate.get(gate)!.stops.filter((s) => !waiting.has(s));
  }
}

/** Higher priority first, then nearer the gate, then by id. */
function byVulnerability(gate: Gate, stops: DeliveryStop[], walk: ArrayLike<number>[]): DeliveryStop[] {
  const fromGate = (s: DeliveryStop) => walk[gate.footLocation]![s.footLocation!]!;
  return stops.slice().sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || fromGate(a) - fromGate(b) || a.id.localeCompare(b.id));
}

/** A trip while planning: its visits still point at the stops. */
type PlannedTrip = Omit<WalkingTrip, 'visits'> & { visits: { stop: DeliveryStop; load: number[] }[] };

/** Consecutive trips (in priority order) grouped so that no group carries more than `limit`. */
function splitByLoad(trips: PlannedTrip[], limit: number[]): PlannedTrip[][] {
  const groups: PlannedTrip[][] = [];
  let group: PlannedTrip[] = [];
  let load = limit.map(() => 0);
  for (const trip of trips) {
    if (group.length > 0 && trip.load.some((q, k) => load[k]! + q > limit[k]! + 1e-9)) {
      groups.push(group);
      group = [];
      load = limit.map(() => 0);
    }
    group.push(trip);
    load = load.map((q, k) => q + trip.load[k]!);
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

function withoutFootFields(stop: DeliveryStop): Customer {
  const { zoneId: _zone, footLocation: _foot, priority: _priority, ...customer } = stop;
  return customer;
}

function nearestGate(gates: Gate[], foot: number, walk: ArrayLike<number>[]): Gate | undefined {
  let best: Gate | undefined;
  for (const gate of gates) {
    const d = walk[gate.footLocation]![foot]!;
    if (d < Infinity && (!best || d < walk[best.footLocation]![foot]!)) best = gate;
  }
  return best;
}

/** One vehicle stop carrying the goods of some walking trips to the gate, due by their earliest deadline. */
function gateStop(id: string, gate: Gate, stops: DeliveryStop[], trips: PlannedTrip[], serviceTime: number | undefined): Customer {
  const demand = trips[0]!.load.map((_, k) => trips.reduce((sum, t) => sum + t.load[k]!, 0));
  const windows = stops.flatMap((s) => (s.timeWindow ? [s.timeWindow] : []));
  return {
    id,
    location: gate.location,
    demand,
    serviceTime: serviceTime ?? Math.max(...stops.map((s) => s.serviceTime ?? 0)),
    ...(windows.length > 0 ? { timeWindow: [Math.min(...windows.map((w) => w[0])), Math.min(...windows.map((w) => w[1]))] as [number, number] } : {}),
  };
}

/**
 * Trips in order of vulnerability: households sorted by priority (then nearness to the gate) fill a
 * trip until the next one does not fit; a household heavier than one load gets several trips of its own.
 */
function walkingTrips(gate: Gate, stops: DeliveryStop[], walk: ArrayLike<number>[], capacity: number[]): PlannedTrip[] {
  const order = byVulnerability(gate, stops, walk);
  const loads: { stop: DeliveryStop; load: number[] }[][] = [];
  let trip: { stop: DeliveryStop; load: number[] }[] = [];
  let carried = capacity.map(() => 0);
  for (const stop of order) {
    const parts = Math.max(1, ...stop.demand.map((q, k) => Math.ceil(q / capacity[k]! - 1e-9)));
    const part = stop.demand.map((q) => q / parts);
    if (parts > 1) {
      if (trip.length > 0) loads.push(trip);
      for (let i = 0; i < parts; i++) loads.push([{ stop, load: part }]);
      trip = [];
      carried = capacity.map(() => 0);
      continue;
    }
    if (stop.demand.some((q, k) => carried[k]! + q > capacity[k]! + 1e-9)) {
      loads.push(trip);
      trip = [];
      carried = capacity.map(() => 0);
    }
    trip.push({ stop, load: stop.demand });
    carried = carried.map((c, k) => c + stop.demand[k]!);
  }
  if (trip.length > 0) loads.push(trip);
  const freeAt = new Array<number>(Math.max(1, gate.volunteers ?? 1)).fill(0);
  return loads.map((visits) => {
    const ordered = visitOrder(gate, visits, walk);
    const distance = tourLength(gate, ordered.map((v) => v.stop), walk);
    const volunteer = freeAt.indexOf(Math.min(...freeAt));
    freeAt[volunteer]! += distance;
    return {
      gateStopId: '',
      volunteer,
      visits: ordered,
      load: capacity.map((_, k) => visits.reduce((sum, v) => sum + v.load[k]!, 0)),
      distance,
      priority: Math.max(...visits.map((v) => v.stop.priority ?? 0)),
    };
  });
}

/** Higher priority first; among equals, the nearest next door. */
function visitOrder<T extends { stop: DeliveryStop }>(gate: Gate, visits: T[], walk: ArrayLike<number>[]): T[] {
  const left = visits.slice();
  const out: T[] = [];
  let at = gate.footLocation;
  while (left.length > 0) {
    const top = Math.max(...left.map((v) => v.stop.priority ?? 0));
    let pick = -1;
    left.forEach((v, i) => {
      if ((v.stop.priority ?? 0) !== top) return;
      if (pick < 0 || walk[at]![v.stop.footLocation!]! < walk[at]![left[pick]!.stop.footLocation!]!) pick = i;
    });
    const [next] = left.splice(pick, 1);
    out.push(next!);
    at = next!.stop.footLocation!;
  }
  return out;
}

function tourLength(gate: Gate, stops: DeliveryStop[], walk: ArrayLike<number>[]): number {
  let at = gate.footLocation;
  let total = 0;
  for (const s of stops) {
    total += walk[at]![s.footLocation!]!;
    at = s.footLocation!;
  }
  return total + walk[at]![gate.footLocation]!;
}
