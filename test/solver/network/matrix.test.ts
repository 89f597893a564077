import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../../solver/random.ts';
import {
  addClosure,
  buildRoadNetwork,
  findPath,
  gridCity,
  liftClosure,
  sealZone,
  snap,
  travelMatrix,
  type LatLon,
  type RoadNetwork,
} from '../../../solver/network/index.ts';
import { monacoNetwork } from './monaco.ts';

function randomPoints(count: number, seed: number): LatLon[] {
  const random = new Random(seed);
  return Array.from({ length: count }, () => ({ lat: 43.728 + random.next() * 0.014, lon: 7.412 + random.next() * 0.016 }));
}

describe('travel matrices on the real Monaco extract', () => {
  let network: RoadNetwork;
  beforeAll(async () => {
    network = await monacoNetwork('pbf');
  });

  for (const mode of ['car', 'foot'] as const) {
    it(`equal the pairwise paths, partial edges at both ends included (${mode})`, () => {
      const points = randomPoints(25, 7);
      const matrix = travelMatrix(network, points, mode);
      for (let i = 0; i < points.length; i++) {
        for (let j = 0; j < points.length; j++) {
          const path = findPath(network, points[i], points[j], mode);
          const cell = i * points.length + j;
          expect(path.reachable).toBe(true);
          if (!path.reachable) continue;
          expect(matrix.timesS[cell]).toBeCloseTo(path.timeS, 6);
          expect(matrix.distancesM[cell]).toBeCloseTo(path.lengthM, 0);
        }
      }
    });
  }

  it('handles several points on one segment, one-way or not', () => {
    const { segments } = network.layers.drive;
    const s = segments.oneway.findIndex((oneway, k) => oneway === 1 && segments.lengthM[k] > 100);
    const along = (f: number) => {
      const i = segments.vertexStart[s];
      return { lat: segments.lat[i] + f * (segments.lat[i + 1] - segments.lat[i]), lon: segments.lon[i] + f * (segments.lon[i + 1] - segments.lon[i]) };
    };
    const points = [along(0.2), along(0.6), ...randomPoints(3, 9)];
    const matrix = travelMatrix(network, points, 'car');
    for (let i = 0; i < points.length; i++) {
      for (let j = 0; j < points.length; j++) {
        const path = findPath(network, points[i], points[j], 'car');
        expect(matrix.timesS[i * points.length + j]).toBeCloseTo(path.reachable ? path.timeS : Infinity, 6);
      }
    }
  });

  it('marks unreachable pairs with Infinity and tells why', () => {
    const points = [...randomPoints(4, 11), { lat: 43.7, lon: 7.45 }];
    const closure = addClosure(network, { id: 40, where: { near: points[0], radiusM: 60 } });
    try {
      const matrix = travelMatrix(network, points, 'car');
      const n = points.length;
      expect(matrix.timesS[0 * n + 1]).toBe(Infinity);
      expect(matrix.why(0, 1)).toBe('closed: closure #40');
      expect(matrix.why(1, 0)).toBe('closed: closure #40');
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) expect(matrix.why(i, j) === undefined).toBe(Number.isFinite(matrix.timesS[i * n + j]));
      }
      expect(matrix.timesS[1 * n + 2]).toBeLessThan(Infinity);
      expect(matrix.timesS[1 * n + 4]).toBe(Infinity);
      expect(matrix.why(1, 4)).toMatch(/no drive road within 300 m/);
      expect(matrix.timesS[0]).toBe(0);
      expect(matrix.timesS[4 * n + 4]).toBe(Infinity);
    } finally {
      liftClosure(network, closure.id);
    }
  });
});

describe('travel matrices with a sealed zone and closures in force', () => {
  it('equal the pairwise paths, gates and partial roads at the boundary included', () => {
    const network = buildRoadNetwork(gridCity(12, 12, 5));
    const { lat, lon } = network.layers.drive.nodes;
    const [minLat, maxLat] = [Math.min(...lat), Math.max(...lat)];
    const [minLon, maxLon] = [Math.min(...lon), Math.max(...lon)];
    const at = (y: number, x: number) => ({ lat: minLat + y * (maxLat - minLat), lon: minLon + x * (maxLon - minLon) });
    const corners = [at(0.3, 0.3), at(0.3, 0.65), at(0.7, 0.65), at(0.7, 0.3)];
    const ring = [...corners, corners[0]].map((p) => [p.lon, p.lat]);
    const gate = snap(network, at(0.5, 0.3), 'drive').point;
    sealZone(network, { polygon: { type: 'Polygon', coordinates: [ring] }, gates: [gate] });
    addClosure(network, { where: { near: at(0.15, 0.5), radiusM: 60 } });
    addClosure(network, { where: { near: at(0.85, 0.5), radiusM: 60 }, slowFactor: 4 });
    const random = new Random(13);
    const points = [gate, ...Array.from({ length: 30 }, () => at(random.next(), random.next()))];
    for (const mode of ['car', 'foot'] as const) {
      const matrix = travelMatrix(network, points, mode);
      for (let i = 0; i < points.length; i++) {
        for (let j = 0; j < points.length; j++) {
          const path = findPath(network, points[i], points[j], mode);
          const cell = i * points.length + j;
          if (!path.reachable) {
            expect(matrix.timesS[cell]).toBe(Infinity);
            expect(matrix.why(i, j)).toBe(path.reason);
            continue;
          }
          expect(matrix.timesS[cell]).toBeCloseTo(path.timeS, 6);
          expect(matrix.distancesM[cell]).toBeCloseTo(path.lengthM, 3);
        }
      }
      const unreachable = matrix.timesS.filter((t) => t === Infinity).length;
      if (mode === 'car') expect(unreachable).toBeGreaterThan(0);
      else expect(unreachable).toBe(0);
    }
  });
});
