// Geometry on the Earth's surface at city scale: great-circle distances, a local metric projection,
// point-to-segment projection, point-in-polygon and line simplification.

export interface LatLon {
  lat: number;
  lon: number;
}

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres (haversine). */
export function haversineM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Equirectangular projection around a reference latitude: metres east (x) and north (y).
 * Accurate to well under 1% across a city, which is all the spatial index and the polygon tests need.
 */
export class LocalProjection {
  private readonly ky = EARTH_RADIUS_M * RAD;
  private readonly kx: number;

  constructor(
    readonly lat0: number,
    readonly lon0: number,
  ) {
    this.kx = this.ky * Math.cos(lat0 * RAD);
  }

  x(lon: number): number {
    return (lon - this.lon0) * this.kx;
  }

  y(lat: number): number {
    return (lat - this.lat0) * this.ky;
  }

  lon(x: number): number {
    return x / this.kx + this.lon0;
  }

  lat(y: number): number {
    return y / this.ky + this.lat0;
  }
}

/** Parameter in [0, 1] of the point of segment (ax,ay)–(bx,by) closest to (px,py). */
export function closestParam(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return 0;
  return Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
}

/** Parameters along segment p→q where it crosses segment a→b (none when parallel or apart). */
export function crossingParam(
  px: number, py: number, qx: number, qy: number,
  ax: number, ay: number, bx: number, by: number,
): number | undefined {
  const rx = qx - px;
  const ry = qy - py;
  const sx = bx - ax;
  const sy = by - ay;
  const denom = rx * sy - ry * sx;
  if (denom === 0) return undefined;
  const t = ((ax - px) * sy - (ay - py) * sx) / denom;
  const u = ((ax - px) * ry - (ay - py) * rx) / denom;
  return t >= 0 && t <= 1 && u >= 0 && u <= 1 ? t : undefined;
}

/** A polygon as projected rings (flat x,y pairs), holes and several parts alike, tested by the even-odd rule. */
export type ProjectedRings = Float64Array[];

export function insideRings(rings: ProjectedRings, x: number, y: number): boolean {
  let inside = false;
  for (const ring of rings) {
    const n = ring.length / 2;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const xi = ring[2 * i]!;
      const yi = ring[2 * i + 1]!;
      const xj = ring[2 * j]!;
      const yj = ring[2 * j + 1]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** Douglas–Peucker on projected points (flat x,y pairs): the indices of the points to keep, in order. */
export function simplifyIndices(xy: ArrayLike<number>, toleranceM: number): number[] {
  const n = xy.length / 2;
  if (n <= 2 || toleranceM <= 0) return Array.from({ length: n }, (_, i) => i);
  const keep = new Uint8Array(n);
  keep[0] = keep[n - 1] = 1;
  const stack: [number, number][] = [[0, n - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop()!;
    let worst = -1;
    let worstDist = toleranceM;
    for (let i = first + 1; i < last; i++) {
      const d = distanceToSegment(xy, i, first, last);
      if (d > worstDist) {
        worst = i;
        worstDist = d;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push([first, worst], [worst, last]);
    }
  }
  const kept: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) kept.push(i);
  return kept;
}

function distanceToSegment(xy: ArrayLike<number>, p: number, a: number, b: number): number {
  const px = xy[2 * p]!;
  const py = xy[2 * p + 1]!;
  const ax = xy[2 * a]!;
  const ay = xy[2 * a + 1]!;
  const bx = xy[2 * b]!;
  const by = xy[2 * b + 1]!;
  const t = closestParam(px, py, ax, ay, bx, by);
  return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
}
