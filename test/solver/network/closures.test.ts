import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidProblemError } from '../../../solver/errors.ts';
import {
  addClosure,
  buildRoadNetwork,
  customizedHierarchy,
  findPath,
  liftClosure,
  liftSealedZone,
  sealZone,
  tryRestriction,
  type OsmData,
  type RoadNetwork,
} from '../../../solver/network/index.ts';
import { monacoNetwork } from './monaco.ts';

const STEP = 0.001; // degrees: about 111 m at the equator

/** A regular n×n grid of two-way residential streets near the equator; at(r, c) is a position in grid units. */
function squareCity(n: number): OsmData {
  const id = (r: number, c: number) => r * n + c + 1;
  const nodes = [];
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) nodes.push({ id: id(r, c), lat: r * STEP, lon: c * STEP });
  const ways = [];
  for (let i = 0; i < n; i++) {
    ways.push({ id: ways.length + 1, tags: { highway: 'residential' }, refs: [...Array(n).keys()].map((c) => id(i, c)) });
    ways.push({ id: ways.length + 1, tags: { highway: 'residential' }, refs: [...Array(n).keys()].map((r) => id(r, i)) });
  }
  return { nodes, ways };
}
const at = (r: number, c: number) => ({ lat: r * STEP, lon: c * STEP });
const units = (metres: number) => metres / 111.195;

describe('a sealed zone', () => {
  // The zone covers rows and columns 1.5 to 4.5 of a 7×7 grid: junctions 2..4 × 2..4 are inside.
  const square = (lo: number, hi: number) => ({
    type: 'Polygon' as const,
    coordinates: [[[lo, lo], [hi, lo], [hi, hi], [lo, hi], [lo, lo]].map(([c, r]) => [c * STEP, r * STEP])],
  });
  const zone = square(1.5, 4.5);
  const westGate = at(3, 1.5);
  let network: RoadNetwork;
  beforeAll(() => {
    network = buildRoadNetwork(squareCity(7));
    sealZone(network, { id: 3, polygon: zone, gates: [westGate] });
  });

  it('makes vehicles go round it', () => {
    const path = findPath(network, at(3, 0), at(3, 6), 'car');
    if (!path.reachable) throw new Error(path.reason);
    // West 1, north 2 to row 1, east 4, south 2, east 1.
    expect(units(path.lengthM)).toBeCloseTo(10, 2);
    for (const [lon, lat] of path.geometry.coordinates) {
      const inside = lon / STEP > 1.5 + 1e-6 && lon / STEP < 4.5 - 1e-6 && lat / STEP > 1.5 + 1e-6 && lat / STEP < 4.5 - 1e-6;
      expect(inside).toBe(false);
    }
  });

  it('lets a vehicle reach its gate and leave from it, but not go beyond', () => {
    const toGate = findPath(network, at(3, 0), westGate, 'van');
    expect(toGate.reachable && units(toGate.lengthM)).toBeCloseTo(1.5, 3);
    const fromGate = findPath(network, westGate, at(0, 0), 'van');
    expect(fromGate.reachable && units(fromGate.lengthM)).toBeCloseTo(4.5, 3);
    expect(findPath(network, westGate, at(3, 3), 'car')).toMatchObject({ reachable: false, reason: 'sealed zone #3' });
    expect(findPath(network, at(0, 0), at(3, 3), 'cargo_bike')).toMatchObject({ reachable: false, reason: 'sealed zone #3' });
  });

  it('lets vehicles drive up to the boundary on a road without a gate', () => {
    const path = findPath(network, at(0, 3), at(1.5, 3), 'car');
    expect(path.reachable && units(path.lengthM)).toBeCloseTo(1.5, 3);
  });

  it('lets volunteers walk inside from the gate', () => {
    const walk = findPath(network, westGate, at(3, 3), 'foot');
    expect(walk.reachable && units(walk.lengthM)).toBeCloseTo(1.5, 3);
  });

  it('reopens a gate placed a little inside the boundary', () => {
    const other = buildRoadNetwork(squareCity(7));
    sealZone(other, { polygon: zone, gates: [at(1.7, 3)] });
    const path = findPath(other, at(0, 3), at(1.7, 3), 'car');
    expect(path.reachable && units(path.lengthM)).toBeCloseTo(1.7, 3);
    expect(findPath(other, at(0, 3), at(1.9, 3), 'car').reachable).toBe(false);
  });

  it('refuses a gate on a road that lies wholly inside', () => {
    const other = buildRoadNetwork(squareCity(7));
    expect(() => sealZone(other, { polygon: zone, gates: [at(3, 2.5)] })).toThrow(InvalidProblemError);
  });

  it('is gone once lifted', () => {
    const other = buildRoadNetwork(squareCity(7));
    const { id } = sealZone(other, { polygon: zone, gates: [westGate] });
    expect(liftSealedZone(other, id)).toBe(true);
    const path = findPath(other, at(3, 0), at(3, 6), 'car');
    expect(path.reachable && units(path.lengthM)).toBeCloseTo(6, 3);
    expect(other.layers.drive.state.restrictedBy.size).toBe(0);
  });
});

describe('road closures on the real Monaco extract', () => {
  const from = { lat: 43.7384, lon: 7.4246 };
  const to = { lat: 43.731, lon: 7.419 };
  let network: RoadNetwork;
  beforeAll(async () => {
    network = await monacoNetwork('pbf');
  });

  it('change the path when a road on it closes, and lifting restores it exactly', () => {
    const before = findPath(network, from, to, 'car');
    if (!before.reachable) throw new Error(before.reason);
    const middle = before.geometry.coordinates[Math.floor(before.geometry.coordinates.length / 2)];
    const closure = addClosure(network, { where: { near: { lat: middle[1], lon: middle[0] }, radiusM: 5 } });
    const during = findPath(network, from, to, 'car');
    if (during.reachable) expect(during.timeS).toBeGreaterThan(before.timeS);
    else expect(during.reason).toBe(`closed: ${closure.label}`);
    expect(liftClosure(network, closure.id)).toBe(true);
    const after = findPath(network, from, to, 'car');
    expect(after.reachable && after.timeS).toBe(before.timeS);
  });

  it('make a place unreachable with the closure as the reason, for vehicles only', () => {
    const closure = addClosure(network, { id: 12, where: { near: to, radiusM: 150 } });
    try {
      expect(findPath(network, from, to, 'car')).toMatchObject({ reachable: false, reason: 'closed: closure #12' });
      expect(findPath(network, from, to, 'foot').reachable).toBe(true);
    } finally {
      liftClosure(network, closure.id);
    }
  });

  it('can be tried: what a closure or zone would act on, with the network, its times and its matrix index left as they were', () => {
    const kept = addClosure(network, { id: 30, where: { near: from, radiusM: 40 } });
    try {
      const hierarchy = customizedHierarchy(network, 'car');
      const drive = network.layers.drive.state;
      const [version, times, labels] = [drive.version, Float64Array.from(drive.timeS.car!), [...network.restrictions.keys()]];
      const tried = tryRestriction(network, (n) => addClosure(n, { id: 31, where: { near: to, radiusM: 60 } }));
      expect(tried.segments).toBeGreaterThan(0);
      expect(() => tryRestriction(network, (n) => addClosure(n, { where: { near: to, radiusM: 60 }, slowFactor: 0.5 }))).toThrow(InvalidProblemError);
      const zone = { type: 'Polygon' as const, coordinates: [[[7.418, 43.73], [7.42, 43.73], [7.42, 43.732], [7.418, 43.732], [7.418, 43.73]]] };
      expect(tryRestriction(network, (n) => sealZone(n, { polygon: zone, gates: [] })).segments).toBeGreaterThan(0);
      expect(drive.version).toBe(version);
      expect(drive.timeS.car).toEqual(times);
      expect([...network.restrictions.keys()]).toEqual(labels);
      expect(customizedHierarchy(network, 'car')).toBe(hierarchy);
    } finally {
      liftClosure(network, kept.id);
    }
  });

  it('slow a road without closing it, and overlapping closures lift one at a time', () => {
    const before = findPath(network, from, to, 'car');
    if (!before.reachable) throw new Error(before.reason);
    const slow = addClosure(network, { where: { near: to, radiusM: 400 }, slowFactor: 3 });
    const slowed = findPath(network, from, to, 'car');
    expect(slowed.reachable && slowed.timeS).toBeGreaterThan(before.timeS);
    const closed = addClosure(network, { where: { near: to, radiusM: 150 } });
    expect(findPath(network, from, to, 'car').reachable).toBe(false);
    liftClosure(network, closed.id);
    expect(findPath(network, from, to, 'car')).toMatchObject({ reachable: true, timeS: slowed.reachable && slowed.timeS });
    liftClosure(network, slow.id);
    expect(findPath(network, from, to, 'car')).toMatchObject({ reachable: true, timeS: before.timeS });
  });

  it('close every segment of a way, or the edges named, and refuse an unknown edge or duplicate id', () => {
    const layer = network.layers.drive;
    const edge = '0';
    const wayId = layer.graph.getEdgeAttribute(edge, 'wayId');
    const byWay = addClosure(network, { where: { wayId } });
    expect(byWay.segments).toBe(layer.segments.wayId.filter((w) => w === wayId).length);
    const byEdge = addClosure(network, { where: { edges: [edge] } });
    expect(byEdge.segments).toBe(1);
    expect(layer.state.timeS.car![0]).toBe(Infinity);
    expect(() => addClosure(network, { id: byEdge.id, where: { edges: [edge] } })).toThrow(/already in force/);
    expect(() => addClosure(network, { where: { edges: ['nope'] } })).toThrow(InvalidProblemError);
    liftClosure(network, byWay.id);
    expect(layer.state.timeS.car![0]).toBe(Infinity);
    liftClosure(network, byEdge.id);
    expect(layer.state.timeS.car![0]).toBe(layer.baseTimeS.car![0]);
  });
});
