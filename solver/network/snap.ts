// Snapping a latitude/longitude to the nearest point on a road of a layer (anywhere along an edge, not only
// at junctions), with a kdbush index of points sampled along every road segment.
import KDBush from 'kdbush';
import { InvalidProblemError, UnsolvableError } from '../errors.ts';
import { closestParam, haversineM, type LatLon, type LocalProjection } from './geo.ts';
import type { LayerName } from './profiles.ts';
import type { RoadNetwork, RoadSegments, SnapIndex } from './network.ts';

export const DEFAULT_MAX_SNAP_M = 300;

export interface SnappedPoint {
  layer: LayerName;
  segment: number;
  /** Position along the segment in its drawing direction, 0 at its start and 1 at its end. */
  fraction: number;
  /** The point on the road. */
  point: LatLon;
  /** From the given point to the road, in metres. */
  distanceM: number;
}

export interface SnapOptions {
  /** Refuse points farther than this from any road of the layer (default 300 m). */
  maxDistanceM?: number;
}

export function buildSnapIndex(segments: RoadSegments, projection: LocalProjection, spacingM: number): SnapIndex {
  const xs: number[] = [];
  const ys: number[] = [];
  const owners: number[] = [];
  for (let s = 0; s < segments.count; s++) {
    for (let i = segments.vertexStart[s]; i < segments.vertexStart[s + 1]; i++) {
      const x = projection.x(segments.lon[i]);
      const y = projection.y(segments.lat[i]);
      xs.push(x);
      ys.push(y);
      owners.push(s);
      if (i + 1 === segments.vertexStart[s + 1]) continue;
      // Extra samples along long stretches so that every point of a road is within spacing/2 of a sample.
      const nx = projection.x(segments.lon[i + 1]);
      const ny = projection.y(segments.lat[i + 1]);
      const steps = Math.ceil(Math.hypot(nx - x, ny - y) / spacingM);
      for (let k = 1; k < steps; k++) {
        xs.push(x + ((nx - x) * k) / steps);
        ys.push(y + ((ny - y) * k) / steps);
        owners.push(s);
      }
    }
  }
  const tree = new KDBush(xs.length);
  for (let i = 0; i < xs.length; i++) tree.add(xs[i], ys[i]);
  tree.finish();
  return { tree, sampleSegment: Int32Array.from(owners), spacingM };
}

export function checkLatLon(point: LatLon, field: string): void {
  const { lat, lon } = point ?? {};
  if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90) {
    throw new InvalidProblemError(`${field}.lat`, 'latitude must be a number between -90 and 90');
  }
  if (typeof lon !== 'number' || !Number.isFinite(lon) || lon < -180 || lon > 180) {
    throw new InvalidProblemError(`${field}.lon`, 'longitude must be a number between -180 and 180');
  }
}

/** The closest point of one segment to a projected point: its vertex, the parameter on the next stretch, squared distance. */
interface Closest {
  segment: number;
  vertex: number;
  t: number;
  d2: number;
}

function closestOnSegment(network: RoadNetwork, layer: LayerName, s: number, px: number, py: number): Closest {
  const { segments } = network.layers[layer];
  const { projection } = network;
  let best: Closest = { segment: s, vertex: segments.vertexStart[s], t: 0, d2: Infinity };
  for (let i = segments.vertexStart[s]; i + 1 < segments.vertexStart[s + 1]; i++) {
    const ax = projection.x(segments.lon[i]);
    const ay = projection.y(segments.lat[i]);
    const bx = projection.x(segments.lon[i + 1]);
    const by = projection.y(segments.lat[i + 1]);
    const t = closestParam(px, py, ax, ay, bx, by);
    const d2 = (ax + t * (bx - ax) - px) ** 2 + (ay + t * (by - ay) - py) ** 2;
    if (d2 < best.d2) best = { segment: s, vertex: i, t, d2 };
  }
  return best;
}

/** Every segment of the layer passing within `radiusM` of a point, with its closest point. */
export function segmentsNear(network: RoadNetwork, layer: LayerName, at: LatLon, radiusM: number): Closest[] {
  const { index } = network.layers[layer];
  const px = network.projection.x(at.lon);
  const py = network.projection.y(at.lat);
  const candidates = new Set<number>();
  // Every point of a road is within spacing/2 of a sample; 1% covers the projection's error.
  for (const sample of index.tree.within(px, py, radiusM * 1.01 + index.spacingM / 2)) {
    candidates.add(index.sampleSegment[sample]);
  }
  return [...candidates]
    .map((s) => closestOnSegment(network, layer, s, px, py))
    .filter((c) => c.d2 <= (radiusM * 1.01) ** 2);
}

/**
 * The roads of `layer` that may have a point within the box (projected metres): a superset, the caller judges
 * each; found through the sample index rather than by reading every road of a district.
 */
export function segmentsInBox(network: RoadNetwork, layer: LayerName, box: { minX: number; minY: number; maxX: number; maxY: number }): number[] {
  const { index } = network.layers[layer];
  // A road's point in the box is within spacing/2 of one of its samples (in the same projected metres).
  const margin = index.spacingM / 2 + 1;
  const candidates = new Set<number>();
  for (const sample of index.tree.range(box.minX - margin, box.minY - margin, box.maxX + margin, box.maxY + margin)) {
    candidates.add(index.sampleSegment[sample]);
  }
  return [...candidates].sort((a, b) => a - b);
}

/** The nearest point on a road of `layer`; throws UnsolvableError when none is within the maximum distance. */
export function snap(network: RoadNetwork, at: LatLon, layer: LayerName, options: SnapOptions = {}): SnappedPoint {
  checkLatLon(at, 'point');
  const maxDistanceM = options.maxDistanceM ?? DEFAULT_MAX_SNAP_M;
  const { segments } = network.layers[layer];
  // Look close first and widen: any road found within the radius searched means the nearest is among them.
  let best: Closest | undefined;
  let radius = Math.min(maxDistanceM, 2 * network.layers[layer].index.spacingM);
  for (;;) {
    for (const candidate of segmentsNear(network, layer, at, radius)) {
      if (!best || candidate.d2 < best.d2) best = candidate;
    }
    if (best || radius >= maxDistanceM) break;
    radius = Math.min(maxDistanceM, radius * 4);
  }
  const where = `(${at.lat}, ${at.lon})`;
  if (!best) throw new UnsolvableError(`no ${layer} road within ${maxDistanceM} m of ${where}`, 'point');
  const { segment, vertex, t } = best;
  const point = {
    lat: segments.lat[vertex] + t * (segments.lat[vertex + 1] - segments.lat[vertex]),
    lon: segments.lon[vertex] + t * (segments.lon[vertex + 1] - segments.lon[vertex]),
  };
  const distanceM = haversineM(at.lat, at.lon, point.lat, point.lon);
  if (distanceM > maxDistanceM) throw new UnsolvableError(`no ${layer} road within ${maxDistanceM} m of ${where}`, 'point');
  const alongM = segments.cumulativeM[vertex] + t * (segments.cumulativeM[vertex + 1] - segments.cumulativeM[vertex]);
  const length = segments.lengthM[segment];
  return { layer, segment, fraction: length > 0 ? alongM / length : 0, point, distanceM };
}
