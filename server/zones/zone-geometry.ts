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
