// Travel-matrix benchmark (issue 3): our one-Dijkstra-per-source matrix, single-threaded and on the worker
// pool, against ngraph.path A* pair by pair and graphology's single-source Dijkstra, on the real Monaco
// extract and on a generated 100k-node city grid. Goal: 1000×1000 on 100k nodes in ≤ 2 s.
// The slow peers are timed on a sample (pairs or sources) and extrapolated to the full matrix; the printed
// line says so. Filters when run directly: `node --import tsx --expose-gc bench/network.bench.ts grid 1000`.
import { singleSource } from 'graphology-shortest-path/dijkstra.js';
import { MatrixPool } from '../server/network/matrix-pool.ts';
import { loadOsmFile } from '../server/network/osm-file.ts';
import { Random } from '../solver/random.ts';
import {
  buildRoadNetwork,
  findPath,
  gridCity,
  snap,
  travelMatrix,
  type LatLon,
  type RoadNetwork,
  type TravelMatrix,
} from '../solver/network/index.ts';
import { measure, printRow } from './measure.ts';

const SIZES = [100, 500, 1000];
const filters = process.argv.slice(2);
const wanted = (...words: string[]) => filters.length === 0 || words.some((word) => filters.includes(word));
const sizes = SIZES.filter((n) => filters.every((f) => !/^\d+$/.test(f)) || wanted(String(n)));

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

async function graphs(): Promise<Graph[]> {
  const list: Graph[] = [];
  if (wanted('monaco')) {
    const network = buildRoadNetwork(await loadOsmFile('../shared/data/osm/monaco.osm.pbf'));
    list.push({ name: `monaco(${network.stats.drive.nodes}n)`, network, points: pointsNear(network, 1), astarPairs: 400, graphologySources: 20 });
  }
  if (wanted('grid')) {
    const built = await measure(() => buildRoadNetwork(gridCity(316, 317, 1)));
    const network = built.value;
    printRow({ case: 'grid build', nodes: network.stats.drive.nodes, arcs: network.stats.drive.arcs, ms: built.ms, peakRssMb: built.peakRssMb });
    list.push({ name: `grid(${network.stats.drive.nodes}n)`, network, points: pointsNear(network, 2), astarPairs: 20, graphologySources: 2 });
  }
  return list;
}

/** Largest absolute difference (s) between two answers for the same cells. */
function maxDiff(pairs: [number, number][]): number {
  return pairs.reduce((worst, [a, b]) => (a === b ? worst : Math.max(worst, Math.abs(a - b))), 0);
}

async function main(): Promise<void> {
  const pool = new MatrixPool(2);
  for (const graph of await graphs()) {
    // Warm the pool (workers load and compile the solver on first use).
    await pool.travelMatrix(graph.network, graph.points(10), 'car');
    for (const n of sizes) {
      const points = graph.points(n);
      const size = `${n}x${n}`;
      const single = await measure(() => travelMatrix(graph.network, points, 'car'));
      const reference = single.value;
      const unreachable = reference.timesS.filter((t) => t === Infinity).length;
      printRow({ graph: graph.name, size, method: 'ours 1 thread', ms: single.ms, heapMb: single.heapDeltaMb, peakRssMb: single.peakRssMb, unreachable });
      const pooled = await measure(() => pool.travelMatrix(graph.network, points, 'car'));
      printRow({
        graph: graph.name, size, method: 'ours pool×2', ms: pooled.ms, heapMb: pooled.heapDeltaMb, peakRssMb: pooled.peakRssMb,
        maxDiffS: maxDiff([...reference.timesS].map((t, i) => [t, pooled.value.timesS[i]])),
      });
      printAstar(graph, points, reference, n, size);
      await printGraphology(graph, points, reference, n, size);
    }
  }
  await pool.close();
}

async function printAstar(graph: Graph, points: LatLon[], reference: TravelMatrix, n: number, size: string): Promise<void> {
  const random = new Random(7);
  const pairs = Array.from({ length: Math.min(graph.astarPairs, n * n) }, () => [random.int(n), random.int(n)] as const);
  const timed = await measure(() => pairs.map(([i, j]) => findPath(graph.network, points[i], points[j], 'car')));
  const diff = maxDiff(timed.value.map((path, k) => [path.reachable ? path.timeS : Infinity, reference.timesS[pairs[k][0] * n + pairs[k][1]]]));
  printRow({
    graph: graph.name, size, method: 'ngraph.path A* per pair', ms: (timed.ms * n * n) / pairs.length, heapMb: timed.heapDeltaMb,
    peakRssMb: timed.peakRssMb, maxDiffS: diff, note: `extrapolated from ${pairs.length} pairs`,
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
  const timed = await measure(() => {
    let reached = 0;
    for (let i = 0; i < sources; i++) {
      const paths = singleSource(layer.graph, nodeKey(i), (_edge, attributes) => times[attributes.arc]);
      for (const key of targets) if (paths[key]) reached++;
    }
    return reached;
  });
  printRow({
    graph: graph.name, size, method: 'graphology dijkstra singleSource', ms: (timed.ms * n) / sources, heapMb: timed.heapDeltaMb,
    peakRssMb: timed.peakRssMb, note: `extrapolated from ${sources} sources; node-to-node (paths, not times)`,
  });
}

await main();
