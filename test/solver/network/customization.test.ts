// Partial customization after closures: what it answers must be the full customization's, to the bit.
import { describe, expect, it } from 'vitest';
import { Random } from '../../../solver/random.ts';
import {
  addClosure,
  buildRoadNetwork,
  buildTopology,
  customizationWorkspace,
  customize,
  customizedHierarchy,
  dijkstraTravelMatrix,
  gridCity,
  liftClosure,
  liftSealedZone,
  sealZone,
  travelMatrix,
  tryRestriction,
  type CustomizedHierarchy,
  type LatLon,
  type Mode,
  type RoadNetwork,
  type UpwardGraph,
} from '../../../solver/network/index.ts';
import { monacoNetwork } from './monaco.ts';

/** Index of the first element where two arrays differ (-1: none), comparing as Object.is does. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function expectSameGraph(actual: UpwardGraph, expected: UpwardGraph, what: string): void {
  for (const field of ['start', 'head', 'timeS', 'lengthM'] as const) {
    expect(firstDifference(actual[field], expected[field]), `${what}.${field}`).toBe(-1);
  }
}

function expectSameHierarchy(actual: CustomizedHierarchy, expected: CustomizedHierarchy, step: string): void {
  expect(firstDifference(actual.parent, expected.parent), `${step}: parent`).toBe(-1);
  expectSameGraph(actual.forward, expected.forward, `${step}: forward`);
  expectSameGraph(actual.backward, expected.backward, `${step}: backward`);
}

/** The matrix equals one Dijkstra per source: times to 1e-9 relative (summation order differs), same reachability. */
function expectDijkstraMatrix(network: RoadNetwork, points: LatLon[], mode: Mode, step: string): void {
  const matrix = travelMatrix(network, points, mode);
  const reference = dijkstraTravelMatrix(network, points, mode);
  for (let cell = 0; cell < reference.timesS.length; cell++) {
    const t = reference.timesS[cell];
    if (t === Infinity) expect(matrix.timesS[cell], `${step}: cell ${cell}`).toBe(Infinity);
    else expect(Math.abs(matrix.timesS[cell] - t), `${step}: cell ${cell}`).toBeLessThanOrEqual(1e-9 * Math.max(1, t));
  }
}

function box(network: RoadNetwork) {
  const { lat, lon } = network.layers.drive.nodes;
  const [minLat, maxLat] = [Math.min(...lat), Math.max(...lat)];
  const [minLon, maxLon] = [Math.min(...lon), Math.max(...lon)];
  return (random: Random): LatLon => ({ lat: minLat + random.next() * (maxLat - minLat), lon: minLon + random.next() * (maxLon - minLon) });
}

/**
 * Applies and lifts random closures, slowdowns and sealed zones, one change at a time; after each, customizes
 * the drive layer partially (one workspace kept throughout, as the layer's cache does) and fully (a fresh
 * workspace), alternating car with cargo_bike now and then, and compares the two arc by arc.
 */
function closuresAndLifts(network: RoadNetwork, seed: number, steps: number, radiusM: number) {
  const random = new Random(seed);
  const somewhere = box(network);
  const layer = network.layers.drive;
  const topology = buildTopology(layer);
  const workspace = customizationWorkspace(topology);
  const applied: ({ kind: 'closure' | 'zone'; id: number })[] = [];
  const partial = (mode: Mode, step: string) => {
    const hierarchy = customize(topology, layer.state.timeS[mode]!, layer.arcs.lengthM, mode, layer.state.version, workspace);
    const full = customize(topology, layer.state.timeS[mode]!, layer.arcs.lengthM, mode, layer.state.version);
    expectSameHierarchy(hierarchy, full, step);
    return hierarchy;
  };
  let mode: Mode = 'car';
  partial(mode, 'first');
  const recomputed: number[] = [];
  for (let step = 0; step < steps; step++) {
    const choice = random.next();
    try {
      if (applied.length > 0 && choice < 0.35) {
        const [lifted] = applied.splice(random.int(applied.length), 1);
        if (lifted.kind === 'closure') liftClosure(network, lifted.id);
        else liftSealedZone(network, lifted.id);
      } else if (choice < 0.45) {
        // Tried and taken back: the times come back as they were.
        tryRestriction(network, (n) => addClosure(n, { where: { near: somewhere(random), radiusM } }));
      } else if (choice < 0.55) {
        const c = somewhere(random);
        const d = radiusM / 111_320;
        const ring = [[c.lon - d, c.lat - d], [c.lon + d, c.lat - d], [c.lon + d, c.lat + d], [c.lon - d, c.lat + d], [c.lon - d, c.lat - d]];
        applied.push({ kind: 'zone', id: sealZone(network, { polygon: { type: 'Polygon', coordinates: [ring] }, gates: [] }).id });
      } else {
        const slowFactor = choice < 0.75 ? 1 + 4 * random.next() : undefined;
        applied.push({ kind: 'closure', id: addClosure(network, { where: { near: somewhere(random), radiusM }, slowFactor }).id });
      }
    } catch {
      continue; // nothing near that point: draw again
    }
    if (random.next() < 0.15) mode = mode === 'car' ? 'cargo_bike' : 'car';
    recomputed.push(partial(mode, `step ${step} (${mode})`).recomputedArcs / topology.upHead.length);
  }
  return { recomputed, somewhere, random };
}

describe('partial customization after a closure change', () => {
  it('answers as the full customization does, to the bit, on a grid city, and as Dijkstra', () => {
    const network = buildRoadNetwork(gridCity(30, 34, 4));
    const { recomputed, somewhere, random } = closuresAndLifts(network, 11, 60, 120);
    // Most changes redo a small part of the hierarchy (a mode switch redoes all of it).
    expect(recomputed.filter((share) => share < 0.2).length).toBeGreaterThan(recomputed.length / 2);
    const points = Array.from({ length: 80 }, () => somewhere(random));
    expectDijkstraMatrix(network, points, 'car', 'after the changes');
    expectDijkstraMatrix(network, points, 'cargo_bike', 'after the changes');
  });

  it('answers as the full customization does, to the bit, on the Monaco extract, and as Dijkstra', async () => {
    const network = await monacoNetwork('pbf');
    const { recomputed, somewhere, random } = closuresAndLifts(network, 5, 40, 80);
    expect(recomputed.filter((share) => share < 0.2).length).toBeGreaterThan(recomputed.length / 2);
    const points = Array.from({ length: 80 }, () => somewhere(random));
    expectDijkstraMatrix(network, points, 'car', 'after the changes');
    expectDijkstraMatrix(network, points, 'van', 'after the changes');
  });

  it('breaks ties between equally fast routes as the full customization does, so lengths match too', () => {
    // Whole seconds: many routes tie, and a closure then changes which one an arc stands for, not its time.
    const network = buildRoadNetwork(gridCity(20, 20, 6));
    const layer = network.layers.drive;
    const topology = buildTopology(layer);
    const workspace = customizationWorkspace(topology);
    const base = layer.baseTimeS.car!.map((t) => Math.max(1, Math.round(t / 10)));
    const times = base.slice();
    const random = new Random(8);
    customize(topology, times, layer.arcs.lengthM, 'car', 0, workspace);
    for (let step = 1; step <= 40; step++) {
      for (let k = 0; k < 3; k++) {
        const a = random.int(times.length);
        times[a] = times[a] === base[a] ? (random.next() < 0.5 ? Infinity : 2 * base[a]) : base[a];
      }
      const hierarchy = customize(topology, times, layer.arcs.lengthM, 'car', step, workspace);
      expect(hierarchy.recomputedArcs).toBeLessThan(topology.upHead.length);
      expectSameHierarchy(hierarchy, customize(topology, times, layer.arcs.lengthM, 'car', step), `step ${step}`);
    }
  });

  it('never takes a hierarchy customized during a tried closure for a later closure’s', () => {
    const network = buildRoadNetwork(gridCity(16, 16, 5));
    const random = new Random(11);
    const somewhere = box(network);
    const points = Array.from({ length: 30 }, () => somewhere(random));
    travelMatrix(network, points, 'car');
    // One road segment each: the tried closure and the real one change the times as many times.
    const [tried, real] = [7, 300].map((arc) => network.layers.drive.graph.edges()[arc]!);
    tryRestriction(network, (n) => {
      const closure = addClosure(n, { where: { edges: [tried] } });
      travelMatrix(n, points, 'car');
      return closure;
    });
    addClosure(network, { where: { edges: [real] } });
    expectDijkstraMatrix(network, points, 'car', 'after a tried closure and a real one');
  });

  it('keeps serving matrices equal to Dijkstra through closures applied and lifted one by one, each mode redoing only what changed', () => {
    const network = buildRoadNetwork(gridCity(24, 24, 9));
    const random = new Random(3);
    const somewhere = box(network);
    const points = Array.from({ length: 40 }, () => somewhere(random));
    const open = travelMatrix(network, points, 'car');
    const allArcs = customizedHierarchy(network, 'car').recomputedArcs;
    travelMatrix(network, points, 'van');
    const check = (step: string) => {
      for (const mode of ['car', 'van'] as const) {
        expectDijkstraMatrix(network, points, mode, `${step} (${mode})`);
        expect(customizedHierarchy(network, mode).recomputedArcs, `${step} (${mode})`).toBeLessThan(allArcs / 2);
      }
    };
    const ids: number[] = [];
    for (let k = 0; k < 6; k++) {
      ids.push(addClosure(network, { where: { near: somewhere(random), radiusM: 150 } }).id);
      check(`closure ${k}`);
    }
    for (const id of ids) {
      liftClosure(network, id);
      check(`lifted ${id}`);
    }
    expect(firstDifference(travelMatrix(network, points, 'car').timesS, open.timesS)).toBe(-1);
  });
});
