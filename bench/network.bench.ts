// Travel-matrix benchmark (issue 3): our matrix over the customizable contraction hierarchy, single-threaded
// and on the worker pool, beside our former one-Dijkstra-per-source matrix, ngraph.path A* pair by pair and
// graphology's single-source Dijkstra, on the real Monaco extract and on a generated 100k-node city grid.
// Goal: 1000×1000 on 100k nodes in ≤ 2 s. The hierarchy's one-off costs get lines of their own: order and
// symbolic contraction (once per layer) and customization (again after each closure change).
// The slow peers are timed on a sample (pairs or sources) and extrapolated to the full matrix; the printed
// line says so. Filters when run directly: `node --import tsx --expose-gc bench/network.bench.ts grid 1000`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { singleSource } from 'graphology-shortest-path/dijkstra.js';
import { MatrixPool } from '../server/network/matrix-pool.ts';
import { loadOsmFile } from '../server/network/osm-file.ts';
import { Random } from '../solver/random.ts';
import {
  addClosure,
  buildRoadNetwork,
  buildTopology,
  customizedHierarchy,
  dijkstraTravelMatrix,
  findPath,
  gridCity,
  liftClosure,
  snap,
  travelMatrix,
  type CustomizedHierarchy,
  type HierarchyTopology,
  type LatLon,
  type RoadNetwork,
  type TravelMatrix,
} from '../solver/network/index.ts';
import { measure, printRow, type Measured } from './measure.ts';

const SIZES = [100, 500, 1000];
const filters = process.argv.slice(2);
const wanted = (word: string) => !filters.some((f) => /^[a-z]+$/.test(f)) || filters.includes(word);
const sizes = SIZES.filter((n) => !filters.some((f) => /^\d+$/.test(f)) || filters.includes(String(n)));

interface Graph {
  name: string;
  network: RoadNetwork;
  points: (n: number) => LatLon[];
  /** How many pairs A* and how many sources graphology get timed on, per matrix. */
  astarPairs: number;
  graphologySources: number;
}

/** Random points near the roads (within the box of the drive layer's nodes, kept only if they snap). */
function pointsNear(network: RoadNetwork, seed: number) {
  return (n: number): LatLon[] => {
    const random = new Random(seed);
    const { lat, lon } = network.layers.drive.nodes;
    const points: LatLon[] = [];
    while (points.length < n) {
      const v = random.int(lat.length);
      const point = { lat: lat[v] + (random.next() - 0.5) * 0.001, lon: lon[v] + (random.next() - 0.5) * 0.001 };
      try {
        snap(network, point, 'drive', { maxDistanceM: 100 });
        points.push(point);
      } catch {
        // too far from a road: draw again
      }
    }
    return points;
  };
}

/** Each graph runs in its own process, so that its peak memory is its own. */
async function loadGraph(name: string): Promise<Graph> {
  if (name === 'monaco') {
    const network = buildRoadNetwork(await loadOsmFile(join(import.meta.dirname, '..', 'seeds', 'osm', 'monaco.osm.pbf')));
    return { name: `monaco(${network.stats.drive.nodes}n)`, network, points: pointsNear(network, 1), astarPairs: 400, graphologySources: 20 };
  }
  const built = await timed(() => buildRoadNetwork(gridCity(316, 317, 1)));
  const network = built.value;
  printRow({ graph: 'grid build', nodes: network.stats.drive.nodes, arcs: network.stats.drive.arcs, ms: built.ms, peakRssMb: built.peakRssMb });
  return { name: `grid(${network.stats.drive.nodes}n)`, network, points: pointsNear(network, 2), astarPairs: 20, graphologySources: 2 };
}

/** Wall time and, because this machine is shared, the CPU time of this process and its worker threads. */
async function timed<T>(fn: () => T | Promise<T>): Promise<Measured<T> & { cpuMs: number }> {
  let cpuMs = 0;
  const result = await measure(async () => {
    const before = process.cpuUsage();
    const value = await fn();
    const used = process.cpuUsage(before);
    cpuMs = (used.user + used.system) / 1000;
    return value;
  });
  return { ...result, cpuMs };
}

/**
 * A customization's workspace: basic times and lengths both ways, and exact times both ways (float64 each);
 * for partial customization, each arc's lower end and arc in the lists of lower neighbours (int32 each) and
 * two to-do marks (a byte each).
 */
const CUSTOMIZATION_BYTES_PER_ARC = 6 * 8 + 2 * 4 + 2;

/** Size of the typed arrays of an index, in MiB. */
function arraysMb(index: HierarchyTopology | CustomizedHierarchy): number {
  const bytes = (value: unknown): number =>
    ArrayBuffer.isView(value) ? value.byteLength : typeof value === 'object' && value ? Object.values(value).reduce((sum: number, v) => sum + bytes(v), 0) : 0;
  return bytes(index) / 2 ** 20;
}

/** The index's one-off costs: order + symbolic contraction, first customization, and a closure applied and lifted. */
async function printIndexCosts(graph: Graph): Promise<void> {
  const layer = graph.network.layers.drive;
  const topology = await timed(() => buildTopology(layer));
  printRow({
    graph: graph.name, method: 'hierarchy order+symbolic', ms: topology.ms, cpuMs: topology.cpuMs, indexMb: arraysMb(topology.value),
    scratchMb: (topology.value.upHead.length * CUSTOMIZATION_BYTES_PER_ARC) / 2 ** 20, arcs: topology.value.upHead.length, peakRssMb: topology.peakRssMb,
    note: 'once per layer (done again below, inside first use); scratch: kept for customizations',
  });
  const first = await timed(() => customizedHierarchy(graph.network, 'car'));
  printRow({
    graph: graph.name, method: 'hierarchy first use', ms: first.ms, cpuMs: first.cpuMs, indexMb: arraysMb(first.value),
    arcs: first.value.forward.head.length + first.value.backward.head.length, peakRssMb: first.peakRssMb, note: 'order+symbolic+customization; arcs kept after perfect customization',
  });
  const near = graph.points(1)[0];
  const closure = addClosure(graph.network, { where: { near, radiusM: 200 } });
  const closed = await timed(() => customizedHierarchy(graph.network, 'car'));
  liftClosure(graph.network, closure.id);
  const lifted = await timed(() => customizedHierarchy(graph.network, 'car'));
  printRow({
    graph: graph.name, method: 'hierarchy customization', ms: (closed.ms + lifted.ms) / 2, cpuMs: (closed.cpuMs + lifted.cpuMs) / 2,
    peakRssMb: lifted.peakRssMb, arcs: (closed.value.recomputedArcs + lifted.value.recomputedArcs) / 2,
    note: `what a closure change costs: mean of applying and lifting one (${closure.segments} segments); arcs: worked out again`,
  });
}

/** Largest absolute difference (s) between two answers for the same cells. */
function maxDiff(pairs: [number, number][]): number {
  return pairs.reduce((worst, [a, b]) => (a === b ? worst : Math.max(worst, Math.abs(a - b))), 0);
}

async function main(): Promise<void> {
  const graphNames = ['monaco', 'grid'].filter((name) => wanted(name));
  if (graphNames.length > 1) {
    for (const name of graphNames) {
      spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), name, ...filters], { stdio: 'inherit' });
    }
    return;
  }
  const graph = await loadGraph(graphNames[0]);
  await printIndexCosts(graph);
  const pool = new MatrixPool(2);
  // Warm up: the workers load the solver and receive the index, findPath builds its ngraph graph on first use.
  const warmUp = graph.points(10);
  const sent = await timed(() => pool.travelMatrix(graph.network, warmUp, 'car'));
  printRow({ graph: graph.name, size: '10x10', method: 'pool first call', ms: sent.ms, cpuMs: sent.cpuMs, note: 'starts the workers and sends them the index' });
  const again = await timed(() => pool.travelMatrix(graph.network, warmUp, 'car'));
  printRow({ graph: graph.name, size: '10x10', method: 'pool next call', ms: again.ms, cpuMs: again.cpuMs, note: 'index already in the workers' });
  findPath(graph.network, warmUp[0], warmUp[1], 'car');
  // Our method at every size first: graphology's graph is built on the peers' first use and its heap
  // (hundreds of MB on the grid) would otherwise weigh on our figures.
  const references = new Map<number, TravelMatrix>();
  for (const n of sizes) {
    const points = graph.points(n);
    const size = `${n}x${n}`;
    const dijkstra = await timed(() => dijkstraTravelMatrix(graph.network, points, 'car'));
    const exact = dijkstra.value;
    printRow({ graph: graph.name, size, method: 'dijkstra per source', ms: dijkstra.ms, cpuMs: dijkstra.cpuMs, heapMb: dijkstra.heapDeltaMb, peakRssMb: dijkstra.peakRssMb });
    const single = await timed(() => travelMatrix(graph.network, points, 'car'));
    const reference = single.value;
    references.set(n, reference);
    const unreachable = reference.timesS.filter((t) => t === Infinity).length;
    printRow({
      graph: graph.name, size, method: 'hierarchy 1 thread', ms: single.ms, cpuMs: single.cpuMs, heapMb: single.heapDeltaMb, peakRssMb: single.peakRssMb, unreachable,
      maxDiffS: maxDiff([...exact.timesS].map((t, i) => [t, reference.timesS[i]])),
    });
    const pooled = await timed(() => pool.travelMatrix(graph.network, points, 'car'));
    printRow({
      graph: graph.name, size, method: 'hierarchy pool×2', ms: pooled.ms, cpuMs: pooled.cpuMs, heapMb: pooled.heapDeltaMb, peakRssMb: pooled.peakRssMb,
      maxDiffS: maxDiff([...exact.timesS].map((t, i) => [t, pooled.value.timesS[i]])),
    });
  }
  for (const n of sizes) {
    const points = graph.points(n);
    await printAstar(graph, points, references.get(n)!, n, `${n}x${n}`);
    await printGraphology(graph, points, references.get(n)!, n, `${n}x${n}`);
  }
  await pool.close();
}

async function printAstar(graph: Graph, points: LatLon[], reference: TravelMatrix, n: number, size: string): Promise<void> {
  const random = new Random(7);
  const pairs = Array.from({ length: Math.min(graph.astarPairs, n * n) }, () => [random.int(n), random.int(n)] as const);
  const sample = await measure(() => pairs.map(([i, j]) => findPath(graph.network, points[i], points[j], 'car')));
  const diff = maxDiff(sample.value.map((path, k) => [path.reachable ? path.timeS : Infinity, reference.timesS[pairs[k][0] * n + pairs[k][1]]]));
  printRow({
    graph: graph.name, size, method: 'ngraph.path A* per pair', ms: (sample.ms * n * n) / pairs.length, heapMb: sample.heapDeltaMb,
    peakRssMb: sample.peakRssMb, maxDiffS: diff, note: `extrapolated from ${pairs.length} pairs`,
  });
}

/** graphology offers single-source Dijkstra (node to node): points go to their snapped segment's start node. */
async function printGraphology(graph: Graph, points: LatLon[], reference: TravelMatrix, n: number, size: string): Promise<void> {
  const layer = graph.network.layers.drive;
  const times = layer.state.timeS.car!;
  const sources = Math.min(graph.graphologySources, n);
  const nodeKey = (i: number) => {
    const snapped = reference.snapped[i];
    if (snapped instanceof Error) throw snapped;
    return String(layer.nodes.osmId[layer.segments.from[snapped.segment]]);
  };
  const targets = points.map((_, j) => nodeKey(j));
  const sample = await measure(() => {
    let reached = 0;
    for (let i = 0; i < sources; i++) {
      const paths = singleSource(layer.graph, nodeKey(i), (_edge, attributes) => times[attributes.arc]);
      for (const key of targets) if (paths[key]) reached++;
    }
    return reached;
  });
  printRow({
    graph: graph.name, size, method: 'graphology dijkstra singleSource', ms: (sample.ms * n) / sources, heapMb: sample.heapDeltaMb,
    peakRssMb: sample.peakRssMb, note: `extrapolated from ${sources} sources; node-to-node (paths, not times)`,
  });
}

await main();
