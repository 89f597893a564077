import { beforeAll, describe, expect, it } from 'vitest';
import { bidirectional } from 'graphology-shortest-path/dijkstra.js';
import { InvalidProblemError, UnsolvableError } from '../../../solver/errors.ts';
import { Random } from '../../../solver/random.ts';
import {
  buildRoadNetwork,
  findPath,
  gridCity,
  type Mode,
  type NetworkLayer,
  type RoadNetwork,
} from '../../../solver/network/index.ts';
import { haversineM } from '../../../solver/network/geo.ts';
import { monacoNetwork } from './monaco.ts';

/** Travel time of the reference Dijkstra (graphology-shortest-path) between two graph nodes, with our arc times. */
function referenceTimeS(layer: NetworkLayer, mode: Mode, from: string, to: string): number {
  const times = layer.state.timeS[mode]!;
  const path = bidirectional(layer.graph, from, to, (_edge, attributes) => times[attributes.arc]);
  if (!path) return Infinity;
  let total = 0;
  for (let i = 1; i < path.length; i++) {
    total += Math.min(...layer.graph.outEdges(path[i - 1], path[i]).map((edge) => times[Number(edge)]));
  }
  return total;
}

function nodePoint(layer: NetworkLayer, v: number) {
  return { lat: layer.nodes.lat[v], lon: layer.nodes.lon[v] };
}

describe('paths on the real Monaco extract', () => {
  let network: RoadNetwork;
  beforeAll(async () => {
    network = await monacoNetwork('pbf');
  });

  for (const mode of ['car', 'foot'] as const) {
    it(`take as long as the reference Dijkstra on 200 random pairs of junctions (${mode})`, () => {
      const layer = network.layers[mode === 'car' ? 'drive' : 'walk'];
      const random = new Random(3);
      for (let k = 0; k < 200; k++) {
        const a = random.int(layer.nodes.count);
        const b = random.int(layer.nodes.count);
        const path = findPath(network, nodePoint(layer, a), nodePoint(layer, b), mode);
        const expected = referenceTimeS(layer, mode, String(layer.nodes.osmId[a]), String(layer.nodes.osmId[b]));
        expect(path.reachable, `pair ${k}`).toBe(true);
        if (!path.reachable) continue;
        expect(path.timeS).toBeCloseTo(expected, 6);
      }
    });
  }

  it('returns a geometry from the start point to the end point, as long as the length it reports', () => {
    const from = { lat: 43.7384, lon: 7.4246 };
    const to = { lat: 43.731, lon: 7.419 };
    const path = findPath(network, from, to, 'van');
    if (!path.reachable) throw new Error(path.reason);
    const line = path.geometry.coordinates;
    expect(line[0]).toEqual([path.from.point.lon, path.from.point.lat]);
    expect(line.at(-1)).toEqual([path.to.point.lon, path.to.point.lat]);
    let length = 0;
    for (let i = 1; i < line.length; i++) length += haversineM(line[i - 1][1], line[i - 1][0], line[i][1], line[i][0]);
    expect(length).toBeCloseTo(path.lengthM, 0);
    const car = findPath(network, from, to, 'car');
    expect(car.reachable && car.timeS).toBeLessThan(path.timeS);
  });

  it('answers a 400-style error for coordinates that are not coordinates', () => {
    expect(() => findPath(network, { lat: 123, lon: 7.42 }, { lat: 43.73, lon: 7.42 }, 'car')).toThrow(InvalidProblemError);
    expect(() => findPath(network, { lat: 43.73, lon: Number.NaN }, { lat: 43.73, lon: 7.42 }, 'car')).toThrow(/from\.lon/);
  });

  it('refuses an end far from any road with the reason', () => {
    const far = () => findPath(network, { lat: 43.7, lon: 7.45 }, { lat: 43.731, lon: 7.419 }, 'car');
    expect(far).toThrow(UnsolvableError);
    expect(far).toThrow(/no drive road within 300 m/);
  });
});

describe('one-way streets', () => {
  // A 3×3 grid whose middle row (row 1, drawn west to east) is one-way; the rest is two-way.
  const network = buildRoadNetwork({
    nodes: [0, 1, 2].flatMap((r) => [0, 1, 2].map((c) => ({ id: r * 3 + c + 1, lat: r * 0.001, lon: c * 0.001 }))),
    ways: [
      { id: 1, tags: { highway: 'residential' }, refs: [1, 2, 3] },
      { id: 2, tags: { highway: 'residential', oneway: 'yes' }, refs: [4, 5, 6] },
      { id: 3, tags: { highway: 'residential' }, refs: [7, 8, 9] },
      { id: 4, tags: { highway: 'residential' }, refs: [1, 4, 7] },
      { id: 5, tags: { highway: 'residential' }, refs: [3, 6, 9] },
    ],
  });
  const west = { lat: 0.001, lon: 0 };
  const east = { lat: 0.001, lon: 0.002 };

  it('are driven along their direction', () => {
    const path = findPath(network, west, east, 'car');
    expect(path.reachable && path.lengthM).toBeCloseTo(222.4, 0);
  });

  it('force a detour against their direction, but not on foot', () => {
    const path = findPath(network, east, west, 'car');
    // Back round the block: up or down 111 m, across 222 m, back 111 m.
    expect(path.reachable && path.lengthM).toBeCloseTo(444.8, 0);
    const walk = findPath(network, east, west, 'foot');
    expect(walk.reachable && walk.lengthM).toBeCloseTo(222.4, 0);
  });

  it('let a trip between two points on the same street go straight along it', () => {
    const path = findPath(network, { lat: 0.001, lon: 0.0002 }, { lat: 0.001, lon: 0.0008 }, 'car');
    expect(path.reachable && path.lengthM).toBeCloseTo(66.7, 0);
    const back = findPath(network, { lat: 0.001, lon: 0.0008 }, { lat: 0.001, lon: 0.0002 }, 'car');
    expect(back.reachable && back.lengthM).toBeGreaterThan(400);
  });
});

describe('a generated city', () => {
  it('is the same for the same seed and routable from corner to corner', () => {
    expect(gridCity(6, 7, 42)).toEqual(gridCity(6, 7, 42));
    const network = buildRoadNetwork(gridCity(6, 7, 42));
    expect(network.stats.drive).toMatchObject({ nodes: 42, dropped: { nodes: 0 } });
    const [sw, ne] = [0, 41].map((v) => nodePoint(network.layers.drive, v));
    const path = findPath(network, sw, ne, 'car');
    expect(path.reachable && path.lengthM).toBeGreaterThan(haversineM(sw.lat, sw.lon, ne.lat, ne.lon));
  });
});
