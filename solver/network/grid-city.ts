// A synthetic city for benchmarks and tests: a jittered street grid as OSM data, with arterials every
// eighth street, a third of the side streets one-way (alternating directions) and some posted limits.
import { Random } from '../random.ts';
import type { OsmData, OsmWay } from './osm.ts';

export interface GridCityOptions {
  /** Block length in metres (default 100). */
  spacingM?: number;
  /** South-west corner (default: near Monaco). */
  origin?: { lat: number; lon: number };
}

const METRES_PER_DEGREE = 111_320;

export function gridCity(rows: number, cols: number, seed: number, options: GridCityOptions = {}): OsmData {
  const random = new Random(seed);
  const spacingM = options.spacingM ?? 100;
  const origin = options.origin ?? { lat: 43.7, lon: 7.4 };
  const dLat = spacingM / METRES_PER_DEGREE;
  const dLon = dLat / Math.cos((origin.lat * Math.PI) / 180);
  const id = (r: number, c: number) => r * cols + c + 1;
  const nodes = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      nodes.push({
        id: id(r, c),
        lat: origin.lat + (r + (random.next() - 0.5) * 0.2) * dLat,
        lon: origin.lon + (c + (random.next() - 0.5) * 0.2) * dLon,
      });
    }
  }
  const ways: OsmWay[] = [];
  const street = (index: number, refs: number[]) => {
    const tags: Record<string, string> = { highway: index % 8 === 0 ? 'secondary' : 'residential' };
    if (index % 8 === 0) tags.maxspeed = '50';
    else if (random.next() < 0.3) tags.maxspeed = '30';
    const oneway = index % 8 !== 0 && index % 3 === 1;
    if (oneway) tags.oneway = 'yes';
    ways.push({ id: ways.length + 1, tags, refs: oneway && index % 2 === 0 ? refs.reverse() : refs });
  };
  for (let r = 0; r < rows; r++) street(r, Array.from({ length: cols }, (_, c) => id(r, c)));
  for (let c = 0; c < cols; c++) street(c, Array.from({ length: rows }, (_, r) => id(r, c)));
  return { nodes, ways };
}
