import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../../solver/random.ts';
import {
  addClosure,
  buildRoadNetwork,
  customizedHierarchy,
  dijkstraTravelMatrix,
  gridCity,
  liftClosure,
  liftSealedZone,
  sealZone,
  snap,
  travelMatrix,
  type LatLon,
  type Mode,
  type RoadNetwork,
  type TravelMatrix,
} from '../../../solver/network/index.ts';
import { monacoNetwork } from './monaco.ts';

function randomPoints(count: number, seed: number, box: { lat: number; lon: number; dLat: number; dLon: number }): LatLon[] {
  const random = new Random(seed);
  return Array.from({ length: count }, () => ({ lat: box.lat + random.next() * box.dLat, lon: box.lon + random.next() * box.dLon }));
}

const MONACO = { lat: 43.728, lon: 7.412, dLat: 0.014, dLon: 0.016 };

/** Times equal to 1e-6 relative; lengths equal too (no exact time ties on these maps). */
function expectSameMatrix(actual: TravelMatrix, expected: TravelMatrix): void {
  expect(actual.size).toBe(expected.size);
  for (let cell = 0; cell < expected.timesS.length; cell++) {
    const t = expected.timesS[cell];
    if (t === Infinity) {
      expect(actual.timesS[cell], `cell ${cell}`).toBe(Infinity);
      expect(actual.distancesM[cell], `cell ${cell}`).toBe(expected.distancesM[cell]);
      continue;
    }
    expect(Math.abs(actual.timesS[cell] - t), `cell ${cell}`).toBeLessThanOrEqual(1e-6 * Math.max(1, t));
    expect(Math.abs(actual.distancesM[cell] - expected.distancesM[cell]), `cell ${cell}`).toBeLessThanOrEqual(1e-6 * Math.max(1, expected.distancesM[cell]));
  }
}

function gridBox(network: RoadNetwork) {
  const { lat, lon } = network.layers.drive.nodes;
  const [minLat, maxLat] = [Math.min(...lat), Math.max(...lat)];
  const [minLon, maxLon] = [Math.min(...lon), Math.max(...lon)];
  return { lat: minLat, lon: minLon, dLat: maxLat - minLat, dLon: maxLon - minLon };
}

describe('the customizable contraction hierarchy behind travel matrices', () => {
  let monaco: RoadNetwork;
  beforeAll(async () => {
    monaco = await monacoNetwork('pbf');
  });

  for (const mode of ['car', 'van', 'cargo_bike', 'foot'] as const) {
    it(`gives the same matrix as one Dijkstra per source on the Monaco extract (${mode})`, () => {
      const points = randomPoints(120, 21, MONACO);
      expectSameMatrix(travelMatrix(monaco, points, mode), dijkstraTravelMatrix(monaco, points, mode));
    });
  }

  it('gives the same matrix as Dijkstra on a grid city, one-way streets and several points per segment included', () => {
    const network = buildRoadNetwork(gridCity(25, 30, 3));
    const box = gridBox(network);
    const points = randomPoints(150, 5, box);
    points.push(points[0], { lat: points[1].lat + 1e-5, lon: points[1].lon });
    expectSameMatrix(travelMatrix(network, points, 'car'), dijkstraTravelMatrix(network, points, 'car'));
  });

  it('is customized again after a closure or sealed zone is applied or lifted, and only then', () => {
    const network = buildRoadNetwork(gridCity(20, 20, 8));
    const box = gridBox(network);
    const at = (y: number, x: number) => ({ lat: box.lat + y * box.dLat, lon: box.lon + x * box.dLon });
    const points = randomPoints(60, 17, box);
    const check = (mode: Mode) => {
      const matrix = travelMatrix(network, points, mode);
      expectSameMatrix(matrix, dijkstraTravelMatrix(network, points, mode));
      return matrix;
    };
    const open = check('car');
    const first = customizedHierarchy(network, 'car');
    expect(customizedHierarchy(network, 'car')).toBe(first);

    const closure = addClosure(network, { where: { near: at(0.5, 0.5), radiusM: 150 } });
    const slowed = addClosure(network, { where: { near: at(0.2, 0.8), radiusM: 120 }, slowFactor: 5 });
    const corners = [at(0.6, 0.1), at(0.6, 0.4), at(0.9, 0.4), at(0.9, 0.1)];
    const gate = snap(network, at(0.75, 0.4), 'drive').point;
    const zone = sealZone(network, { polygon: { type: 'Polygon', coordinates: [[...corners, corners[0]].map((p) => [p.lon, p.lat])] }, gates: [gate] });
    const restricted = check('car');
    expect(customizedHierarchy(network, 'car')).not.toBe(first);
    expect(restricted.timesS.some((t, cell) => t > open.timesS[cell] + 1e-6)).toBe(true);
    expect(restricted.timesS.some((t) => t === Infinity)).toBe(true);
    check('cargo_bike');

    liftClosure(network, closure.id);
    check('car');
    liftSealedZone(network, zone.id);
    liftClosure(network, slowed.id);
    const lifted = check('car');
    expectSameMatrix(lifted, open);
  });
});
