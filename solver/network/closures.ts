// Closures, slowdowns, checkpoints and sealed zones as edge state: applying or lifting one updates only the
// segments it touches (no rebuild), and every segment remembers which restrictions act on it, for reasons.
import { InvalidProblemError } from '../errors.ts';
import { crossingParam, insideRings, type LatLon, type ProjectedRings } from './geo.ts';
import type { LayerName } from './profiles.ts';
import type { NetworkLayer, Restriction, RestrictionEffect, RoadNetwork } from './network.ts';
import { segmentsInBox, segmentsNear, snap } from './snap.ts';
import { pointAlong } from './traversal.ts';

/**
 * Which road a closure acts on: graph edge keys of its layer (both directions of their segments are closed),
 * every segment of an OSM way, or every road within a radius of a point (a checkpoint).
 */
export type ClosurePlace = { edges: string[] } | { wayId: number } | { near: LatLon; radiusM: number };

export interface ClosureInput {
  /** Defaults to one more than the largest closure id in use. */
  id?: number;
  /** Defaults to 'drive': closures stop vehicles; a checkpoint for walkers is a closure on 'walk'. */
  layer?: LayerName;
  where: ClosurePlace;
  /** Slow the road down by this factor (> 1) instead of closing it. */
  slowFactor?: number;
}

export interface SealedZoneInput {
  id?: number;
  polygon: GeoJsonPolygon;
  /** Where vehicles stop; each gate's road stays open from outside up to the gate. */
  gates: LatLon[];
}

export type GeoJsonPolygon =
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

export interface AppliedRestriction {
  id: number;
  label: string;
  /** Number of road segments it acts on. */
  segments: number;
}

const closureLabel = (id: number) => `closure #${id}`;
const zoneLabel = (id: number) => `sealed zone #${id}`;

export function addClosure(network: RoadNetwork, input: ClosureInput): AppliedRestriction {
  const layerName = input.layer ?? 'drive';
  const layer = network.layers[layerName];
  if (input.slowFactor !== undefined && !(input.slowFactor >= 1 && Number.isFinite(input.slowFactor))) {
    throw new InvalidProblemError('slowFactor', 'must be a finite number ≥ 1');
  }
  const effect: RestrictionEffect =
    input.slowFactor === undefined ? { kind: 'closed' } : { kind: 'slowed', factor: input.slowFactor };
  const segments = closureSegments(network, layer, input.where);
  if (segments.length === 0) throw new InvalidProblemError('where', `no ${layerName} road matches this closure`);
  const id = input.id ?? nextId(network, 'closure #');
  const label = closureLabel(id);
  const reason = input.slowFactor === undefined ? `closed: ${label}` : `slowed: ${label}`;
  apply(network, { label, reason, effects: new Map([[layerName, new Map(segments.map((s) => [s, effect]))]]) });
  return { id, label, segments: segments.length };
}

export function liftClosure(network: RoadNetwork, id: number): boolean {
  return lift(network, closureLabel(id));
}

/**
 * Forbids vehicles (drive layer) on every stretch of road inside the polygon; roads crossing the boundary stay
 * open up to it, and each gate's road stays open from outside up to the gate. Walking is not affected.
 */
export function sealZone(network: RoadNetwork, input: SealedZoneInput): AppliedRestriction {
  const layer = network.layers.drive;
  const rings = projectPolygon(network, input.polygon);
  const effects = new Map<number, RestrictionEffect>();
  // Only the roads near the zone: reading every road of a district for each of its thousand zones took 15 s.
  for (const s of segmentsInBox(network, 'drive', boxOf(rings))) {
    const cut = insideStretch(network, layer, rings, s);
    if (cut) effects.set(s, { kind: 'partial', ...cut });
  }
  input.gates.forEach((gate, i) => openUpToGate(network, effects, gate, `gates[${i}]`));
  const id = input.id ?? nextId(network, 'sealed zone #');
  const label = zoneLabel(id);
  apply(network, { label, reason: label, effects: new Map([['drive', effects]]) });
  return { id, label, segments: effects.size };
}

export function liftSealedZone(network: RoadNetwork, id: number): boolean {
  return lift(network, zoneLabel(id));
}

/**
 * Tries a closure or sealed zone (`apply`, e.g. `(n) => addClosure(n, input)`) and lifts it again: what it
 * would act on, or its InvalidProblemError, with the network left as it was. The layers' versions are put
 * back too, since their times are back, so that nothing derived from them (the matrix index) is redone.
 */
export function tryRestriction(network: RoadNetwork, apply: (network: RoadNetwork) => AppliedRestriction): AppliedRestriction {
  const versions = Object.values(network.layers).map((layer) => [layer, layer.state.version] as const);
  const labels = new Set(network.restrictions.keys());
  try {
    return apply(network);
  } finally {
    for (const label of [...network.restrictions.keys()].filter((l) => !labels.has(l))) lift(network, label);
    for (const [layer, version] of versions) layer.state.version = version;
  }
}

function nextId(network: RoadNetwork, prefix: string): number {
  let max = 0;
  for (const label of network.restrictions.keys()) {
    if (label.startsWith(prefix)) max = Math.max(max, Number(label.slice(prefix.length)));
  }
  return max + 1;
}

function closureSegments(network: RoadNetwork, layer: NetworkLayer, where: ClosurePlace): number[] {
  if ('edges' in where) {
    return [
      ...new Set(
        where.edges.map((key) => {
          if (!layer.graph.hasEdge(key)) throw new InvalidProblemError('where.edges', `no ${layer.name} edge ${key}`);
          return layer.graph.getEdgeAttribute(key, 'segment');
        }),
      ),
    ];
  }
  if ('wayId' in where) {
    const found: number[] = [];
    layer.segments.wayId.forEach((wayId, s) => wayId === where.wayId && found.push(s));
    return found;
  }
  if (!(where.radiusM > 0)) throw new InvalidProblemError('where.radiusM', 'must be a positive number of metres');
  return segmentsNear(network, layer.name, where.near, where.radiusM).map((c) => c.segment);
}

function apply(network: RoadNetwork, restriction: Restriction): void {
  if (network.restrictions.has(restriction.label)) {
    throw new InvalidProblemError('id', `${restriction.label} is already in force`);
  }
  network.restrictions.set(restriction.label, restriction);
  for (const [layerName, effects] of restriction.effects) {
    const layer = network.layers[layerName];
    for (const s of effects.keys()) {
      let labels = layer.state.restrictedBy.get(s);
      if (!labels) layer.state.restrictedBy.set(s, (labels = new Set()));
      labels.add(restriction.label);
      refreshSegment(network, layer, s);
    }
  }
}

function lift(network: RoadNetwork, label: string): boolean {
  const restriction = network.restrictions.get(label);
  if (!restriction) return false;
  network.restrictions.delete(label);
  for (const [layerName, effects] of restriction.effects) {
    const layer = network.layers[layerName];
    for (const s of effects.keys()) {
      const labels = layer.state.restrictedBy.get(s)!;
      labels.delete(label);
      if (labels.size === 0) layer.state.restrictedBy.delete(s);
      refreshSegment(network, layer, s);
    }
  }
  return true;
}

/** Recomputes a segment's state from the restrictions still acting on it, then its arcs' travel times. */
function refreshSegment(network: RoadNetwork, layer: NetworkLayer, s: number): void {
  let factor = 1;
  let openTo = 1;
  let openFrom = 0;
  for (const label of layer.state.restrictedBy.get(s) ?? []) {
    const effect = network.restrictions.get(label)!.effects.get(layer.name)!.get(s)!;
    if (effect.kind === 'slowed') factor = Math.max(factor, effect.factor);
    else if (effect.kind === 'closed') [openTo, openFrom] = [0, 1];
    else [openTo, openFrom] = [Math.min(openTo, effect.openTo), Math.max(openFrom, effect.openFrom)];
  }
  const { state, segments } = layer;
  state.version = ++state.lastVersion;
  state.factor[s] = factor;
  state.openTo[s] = openTo;
  state.openFrom[s] = openFrom;
  for (const arc of [segments.forwardArc[s], segments.backwardArc[s]]) {
    if (arc < 0) continue;
    for (const [mode, times] of Object.entries(state.timeS)) {
      times[arc] = openTo >= 1 ? layer.baseTimeS[mode as keyof typeof state.timeS]![arc] * factor : Infinity;
    }
  }
}

/** Blocking restrictions of a segment (closed or cut by a zone), as reasons. */
export function blockingReasons(network: RoadNetwork, layer: NetworkLayer, s: number): string[] {
  const reasons: string[] = [];
  for (const label of layer.state.restrictedBy.get(s) ?? []) {
    const restriction = network.restrictions.get(label)!;
    if (restriction.effects.get(layer.name)!.get(s)!.kind !== 'slowed') reasons.push(restriction.reason);
  }
  return reasons;
}

function projectPolygon(network: RoadNetwork, polygon: GeoJsonPolygon): ProjectedRings {
  const parts = polygon?.type === 'Polygon' ? [polygon.coordinates] : polygon?.type === 'MultiPolygon' ? polygon.coordinates : undefined;
  if (!parts) throw new InvalidProblemError('polygon', 'must be a GeoJSON Polygon or MultiPolygon');
  const rings = parts.flat().map((ring) => {
    if (!Array.isArray(ring) || ring.length < 4) throw new InvalidProblemError('polygon', 'every ring needs at least 4 positions');
    return Float64Array.from(ring.flatMap(([lon, lat]) => [network.projection.x(lon!), network.projection.y(lat!)]));
  });
  if (rings.some((ring) => ring.some((v) => !Number.isFinite(v)))) {
    throw new InvalidProblemError('polygon', 'positions must be [longitude, latitude] numbers');
  }
  return rings;
}

function boxOf(rings: ProjectedRings): { minX: number; minY: number; maxX: number; maxY: number } {
  const box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const ring of rings) {
    for (let k = 0; k < ring.length; k += 2) {
      box.minX = Math.min(box.minX, ring[k]!);
      box.maxX = Math.max(box.maxX, ring[k]!);
      box.minY = Math.min(box.minY, ring[k + 1]!);
      box.maxY = Math.max(box.maxY, ring[k + 1]!);
    }
  }
  return box;
}

/**
 * The stretch of a segment inside the polygon as the segment's open ends: open from its start up to `openTo`
 * and from `openFrom` to its end; undefined when no part of it is inside.
 */
function insideStretch(
  network: RoadNetwork,
  layer: NetworkLayer,
  rings: ProjectedRings,
  s: number,
): { openTo: number; openFrom: number } | undefined {
  const { segments } = layer;
  const { projection } = network;
  const length = segments.lengthM[s] || 1;
  const cuts = [0, 1];
  for (let i = segments.vertexStart[s]; i + 1 < segments.vertexStart[s + 1]; i++) {
    const px = projection.x(segments.lon[i]);
    const py = projection.y(segments.lat[i]);
    const qx = projection.x(segments.lon[i + 1]);
    const qy = projection.y(segments.lat[i + 1]);
    for (const ring of rings) {
      for (let k = 0, j = ring.length / 2 - 1; k < ring.length / 2; j = k++) {
        const t = crossingParam(px, py, qx, qy, ring[2 * j], ring[2 * j + 1], ring[2 * k], ring[2 * k + 1]);
        if (t === undefined) continue;
        cuts.push((segments.cumulativeM[i] + t * (segments.cumulativeM[i + 1] - segments.cumulativeM[i])) / length);
      }
    }
  }
  cuts.sort((a, b) => a - b);
  let openTo = 1;
  let openFrom = 0;
  for (let k = 0; k + 1 < cuts.length; k++) {
    if (cuts[k + 1] - cuts[k] <= 0) continue;
    const middle = pointAlong(segments, s, (cuts[k] + cuts[k + 1]) / 2);
    if (!insideRings(rings, projection.x(middle.lon), projection.y(middle.lat))) continue;
    openTo = Math.min(openTo, cuts[k]);
    openFrom = Math.max(openFrom, cuts[k + 1]);
  }
  return openTo < 1 ? { openTo, openFrom } : undefined;
}

/** Re-opens a gate's road from its outside end up to the gate; refuses a gate that no vehicle could reach. */
function openUpToGate(network: RoadNetwork, effects: Map<number, RestrictionEffect>, gate: LatLon, field: string): void {
  const at = snap(network, gate, 'drive');
  const effect = effects.get(at.segment);
  if (!effect || effect.kind !== 'partial') return;
  const f = at.fraction;
  if (f <= effect.openTo || f >= effect.openFrom) return;
  const fromStart = effect.openTo > 0 ? f - effect.openTo : Infinity;
  const fromEnd = effect.openFrom < 1 ? effect.openFrom - f : Infinity;
  if (fromStart === Infinity && fromEnd === Infinity) {
    throw new InvalidProblemError(field, 'the gate is on a road entirely inside the zone; put it where a road crosses the boundary');
  }
  if (fromStart <= fromEnd) effect.openTo = f;
  else effect.openFrom = f;
}
