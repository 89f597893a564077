// Point-to-point paths with ngraph.path's A* over the layer as it stands (closures applied), with an
// admissible heuristic: great-circle distance over the mode's fastest speed on the layer.
import createGraph, { type Graph } from 'ngraph.graph';
import { aStar } from 'ngraph.path';
import { explainUnreachable } from './explain.ts';
import { haversineM, type LatLon } from './geo.ts';
import type { NetworkLayer, RoadNetwork } from './network.ts';
import { LAYER_OF_MODE, checkMode, type Mode } from './profiles.ts';
import { checkLatLon, snap, type SnappedPoint, type SnapOptions } from './snap.ts';
import { Traversal, legCoordinates, type Leg } from './traversal.ts';

export interface LineString {
  type: 'LineString';
  coordinates: [number, number][];
}

export type PathResult =
  | { reachable: true; timeS: number; lengthM: number; geometry: LineString; from: SnappedPoint; to: SnappedPoint }
  | { reachable: false; reason: string; from: SnappedPoint; to: SnappedPoint };

export interface PathOptions {
  /** How far from a road the end points may be (default 300 m). */
  maxSnapDistanceM?: number;
}

/**
 * ngraph link data: an arc index (≥ 0) or, for the links that join the two end points to the graph for one
 * search, -1 - (index of their leg).
 */
type RoadGraphForSearch = Graph<LatLon, number>;

const SOURCE = -1;
const TARGET = -2;
const searchGraphs = new WeakMap<NetworkLayer, RoadGraphForSearch>();

function searchGraph(layer: NetworkLayer): RoadGraphForSearch {
  let graph = searchGraphs.get(layer);
  if (graph) return graph;
  graph = createGraph<LatLon, number>({ multigraph: true });
  for (let v = 0; v < layer.nodes.count; v++) graph.addNode(v, { lat: layer.nodes.lat[v], lon: layer.nodes.lon[v] });
  for (let a = 0; a < layer.arcs.count; a++) graph.addLink(layer.arcs.tail[a], layer.arcs.head[a], a);
  searchGraphs.set(layer, graph);
  return graph;
}

/**
 * The fastest trip for `mode` between two points, each snapped to its layer. Unreachable trips come back
 * with the reason; an end too far from any road throws UnsolvableError (like snap), bad input InvalidProblemError.
 */
export function findPath(network: RoadNetwork, from: LatLon, to: LatLon, mode: Mode, options: PathOptions = {}): PathResult {
  checkLatLon(from, 'from');
  checkLatLon(to, 'to');
  checkMode(mode);
  const layerName = LAYER_OF_MODE[mode];
  const snapOptions: SnapOptions = { maxDistanceM: options.maxSnapDistanceM };
  const start = snap(network, from, layerName, snapOptions);
  const end = snap(network, to, layerName, snapOptions);
  const layer = network.layers[layerName];
  const legs = fastestLegs(layer, new Traversal(layer, mode), start, end);
  if (!legs) return { reachable: false, reason: explainUnreachable(network, start, end, mode), from: start, to: end };
  const coordinates: [number, number][] = [];
  for (const leg of legs) {
    for (const position of legCoordinates(layer.segments, leg)) {
      const last = coordinates.at(-1);
      if (!last || last[0] !== position[0] || last[1] !== position[1]) coordinates.push(position);
    }
  }
  if (coordinates.length === 1) coordinates.push(coordinates[0]);
  return {
    reachable: true,
    timeS: legs.reduce((sum, leg) => sum + leg.timeS, 0),
    lengthM: legs.reduce((sum, leg) => sum + leg.lengthM, 0),
    geometry: { type: 'LineString', coordinates },
    from: start,
    to: end,
  };
}

/** The legs of the fastest trip, or undefined when there is none. */
function fastestLegs(layer: NetworkLayer, traversal: Traversal, start: SnappedPoint, end: SnappedPoint): Leg[] | undefined {
  const graph = searchGraph(layer);
  const virtual: Leg[] = [];
  const link = (fromId: number, toId: number, leg: Leg) => {
    const index = virtual.push(leg) - 1;
    graph.addLink(fromId, toId, -1 - index);
  };
  graph.addNode(SOURCE, start.point);
  graph.addNode(TARGET, end.point);
  try {
    for (const leg of traversal.departures(start)) link(SOURCE, leg.node, leg);
    for (const leg of traversal.arrivals(end)) link(leg.node, TARGET, leg);
    const direct = traversal.direct(start, end);
    if (direct) link(SOURCE, TARGET, direct);
    // A mode with no usable road at all gets no heuristic (and no path).
    const fastest = traversal.layer.maxSpeedMps[traversal.mode] || Infinity;
    const legTime = (data: number) => (data >= 0 ? traversal.arcTimeS[data] : virtual[-1 - data].timeS);
    const finder = aStar<LatLon, number>(graph, {
      oriented: true,
      distance: (_from, _to, l) => legTime(l.data),
      heuristic: (a, b) => haversineM(a.data.lat, a.data.lon, b.data.lat, b.data.lon) / fastest,
    });
    const nodes = finder.find(SOURCE, TARGET).reverse();
    // ngraph.path answers [target] alone when the target was seen only across closed links.
    if (nodes.length < 2 || nodes[0].id !== SOURCE) return undefined;
    const legs: Leg[] = [];
    for (let i = 1; i < nodes.length; i++) {
      let best: Leg | undefined;
      graph.forEachLinkedNode(
        nodes[i - 1].id,
        (other, l) => {
          if (other.id !== nodes[i].id) return;
          const leg = l.data >= 0 ? traversal.wholeArc(l.data) : virtual[-1 - l.data];
          if (!best || leg.timeS < best.timeS) best = leg;
        },
        true,
      );
      legs.push(best!);
    }
    return legs.every((leg) => Number.isFinite(leg.timeS)) ? legs : undefined;
  } finally {
    graph.removeNode(SOURCE);
    graph.removeNode(TARGET);
  }
}
