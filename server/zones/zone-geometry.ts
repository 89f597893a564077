// Which zone a point lies in: ray casting on the GeoJSON rings (outer ring minus holes). At the scale
// of a city district, treating lon/lat as planar is exact enough for inside/outside.

type Ring = [number, number][];

function insideRing(ring: Ring, lon: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function polygonContains(polygon: { coordinates: Ring[] }, lat: number, lon: number): boolean {
  const [outer, ...holes] = polygon.coordinates;
  return !!outer && insideRing(outer, lon, lat) && !holes.some((hole) => insideRing(hole, lon, lat));
}

/** The first zone whose polygon contains the point (zones do not overlap in practice). */
export function zoneAt<Z extends { polygon: { coordinates: Ring[] } }>(zones: Z[], lat: number, lon: number): Z | undefined {
  return zones.find((zone) => polygonContains(zone.polygon, lat, lon));
}

/**
 * `zoneAt` for many points: the zones bucketed by their bounding boxes on a grid of about 1 km, so a point
 * is tested only against the few zones near it (an import of a district tests 10^5 points against 10^3 zones).
 * Same answer as zoneAt: the first zone, in the given order, that contains the point.
 */
export function zoneLocator<Z extends { polygon: { coordinates: Ring[] } }>(zones: Z[]): (lat: number, lon: number) => Z | undefined {
  const CELL = 0.01;
  const buckets = new Map<string, number[]>();
  zones.forEach((zone, index) => {
    const outer = zone.polygon.coordinates[0] ?? [];
    const lons = outer.map(([lon]) => lon);
    const lats = outer.map(([, lat]) => lat);
    for (let x = Math.floor(Math.min(...lons) / CELL); x <= Math.floor(Math.max(...lons) / CELL); x++) {
      for (let y = Math.floor(Math.min(...lats) / CELL); y <= Math.floor(Math.max(...lats) / CELL); y++) {
        const key = `${x},${y}`;
        buckets.set(key, [...(buckets.get(key) ?? []), index]);
      }
    }
  });
  return (lat, lon) => {
    const candidates = buckets.get(`${Math.floor(lon / CELL)},${Math.floor(lat / CELL)}`) ?? [];
    const index = candidates.find((i) => polygonContains(zones[i]!.polygon, lat, lon));
    return index === undefined ? undefined : zones[index];
  };
}
