// Turns OpenStreetMap data into the two-layer road network: ways are cut into segments at junctions,
// each layer keeps its largest strongly connected component, and gets its graph, CSR arrays and snap index.
import { MultiDirectedGraph } from 'graphology';
import { InvalidProblemError } from '../errors.ts';
import { LocalProjection, haversineM } from './geo.ts';
import type { OsmData, OsmNode } from './osm.ts';
import { MODES_OF_LAYER, isDrivable, isWalkable, onewayOf, parseMaxspeed, speedMps, type LayerName } from './profiles.ts';
import { csrOrder, strongComponents } from './scc.ts';
import { buildSnapIndex } from './snap.ts';
import type { LayerStats, NetworkLayer, RoadArcs, RoadGraph, RoadNetwork, RoadNodes, RoadSegments } from './network.ts';

export interface BuildOptions {
  /** Spacing of the snap index's sample points along roads, in metres (default 25). */
  snapSpacingM?: number;
}

/** A run of a way between two junctions (or way ends), as OSM node ids in the direction of drawing. */
interface Piece {
  wayIndex: number;
  refs: number[];
  oneway: boolean;
}

export function buildRoadNetwork(osm: OsmData, options: BuildOptions = {}): RoadNetwork {
  const nodesById = new Map<number, OsmNode>();
  for (const node of osm.nodes) nodesById.set(node.id, node);
  const projection = centredProjection(osm.nodes);
  const spacingM = options.snapSpacingM ?? 25;
  const drive = buildLayer('drive', osm, nodesById, projection, spacingM);
  const walk = buildLayer('walk', osm, nodesById, projection, spacingM);
  return {
    layers: { drive: drive.layer, walk: walk.layer },
    projection,
    stats: { drive: drive.stats, walk: walk.stats },
    restrictions: new Map(),
  };
}

function centredProjection(nodes: OsmNode[]): LocalProjection {
  if (nodes.length === 0) throw new InvalidProblemError('osm.nodes', 'the extract has no nodes');
  let minLat = Infinity;
  let maxLat = -Infinity;
  let minLon = Infinity;
  let maxLon = -Infinity;
  for (const { lat, lon } of nodes) {
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
  }
  return new LocalProjection((minLat + maxLat) / 2, (minLon + maxLon) / 2);
}

function buildLayer(
  name: LayerName,
  osm: OsmData,
  nodesById: Map<number, OsmNode>,
  projection: LocalProjection,
  spacingM: number,
): { layer: NetworkLayer; stats: LayerStats } {
  const pieces = cutIntoPieces(name, osm, nodesById);
  if (pieces.length === 0) throw new InvalidProblemError('osm.ways', `the extract has no ${name} roads`);
  const { kept, stats } = keepLargestComponent(pieces, nodesById);
  const { nodes, segments } = collectSegments(kept, osm, nodesById);
  const arcs = arcsOf(nodes.count, segments);
  const baseTimeS: NetworkLayer['baseTimeS'] = {};
  const maxSpeedMps: NetworkLayer['maxSpeedMps'] = {};
  for (const mode of MODES_OF_LAYER[name]) {
    const times = new Float64Array(arcs.count);
    let fastest = 0;
    for (let a = 0; a < arcs.count; a++) {
      const s = arcs.segment[a];
      const speed = speedMps(mode, segments.highway[s], segments.maxspeedKmh[s]);
      times[a] = speed > 0 ? arcs.lengthM[a] / speed : Infinity;
      fastest = Math.max(fastest, speed);
    }
    baseTimeS[mode] = times;
    maxSpeedMps[mode] = fastest;
  }
  let graph: RoadGraph | undefined;
  const layer: NetworkLayer = {
    name,
    // Built on first use: searches, snapping and closures run on the typed arrays alone, and a
    // 100k-node city's graphology graph costs seconds and hundreds of MB.
    get graph() {
      return (graph ??= graphOf(nodes, segments, arcs));
    },
    nodes,
    segments,
    arcs,
    baseTimeS,
    maxSpeedMps,
    state: {
      factor: new Float64Array(segments.count).fill(1),
      openTo: new Float64Array(segments.count).fill(1),
      openFrom: new Float64Array(segments.count),
      restrictedBy: new Map(),
      timeS: Object.fromEntries(Object.entries(baseTimeS).map(([mode, times]) => [mode, times.slice()])),
      version: 0,
      lastVersion: 0,
    },
    index: buildSnapIndex(segments, projection, spacingM),
  };
  stats.nodes = nodes.count;
  stats.segments = segments.count;
  stats.arcs = arcs.count;
  stats.lengthKm = segments.lengthM.reduce((sum, m) => sum + m, 0) / 1000;
  return { layer, stats };
}

/** Cuts the layer's ways at junctions, at missing nodes and in the middle of closed loops. */
function cutIntoPieces(name: LayerName, osm: OsmData, nodesById: Map<number, OsmNode>): Piece[] {
  const accepts = name === 'drive' ? isDrivable : isWalkable;
  const runs: Piece[] = [];
  osm.ways.forEach((way, wayIndex) => {
    if (!accepts(way.tags)) return;
    const direction = name === 'drive' ? onewayOf(way.tags) : 0;
    const refs = direction === -1 ? [...way.refs].reverse() : way.refs;
    let run: number[] = [];
    for (const ref of [...refs, NaN]) {
      if (nodesById.has(ref)) {
        if (run.at(-1) !== ref) run.push(ref);
        continue;
      }
      if (run.length >= 2) runs.push({ wayIndex, refs: run, oneway: direction !== 0 });
      run = [];
    }
  });
  const uses = new Map<number, number>();
  for (const { refs } of runs) {
    refs.forEach((ref, i) => {
      const isEnd = i === 0 || i === refs.length - 1;
      uses.set(ref, (uses.get(ref) ?? 0) + (isEnd ? 2 : 1));
    });
  }
  const pieces: Piece[] = [];
  for (const run of runs) {
    let start = 0;
    for (let i = 1; i < run.refs.length; i++) {
      if (i < run.refs.length - 1 && uses.get(run.refs[i])! < 2) continue;
      pushWithoutLoops({ ...run, refs: run.refs.slice(start, i + 1) }, pieces);
      start = i;
    }
  }
  return pieces;
}

/** A piece that returns to its start would be a self-loop; its middle vertex becomes a node instead. */
function pushWithoutLoops(piece: Piece, out: Piece[]): void {
  const { refs } = piece;
  if (refs[0] !== refs.at(-1)) {
    out.push(piece);
  } else if (refs.length >= 3) {
    const mid = refs.length >> 1;
    out.push({ ...piece, refs: refs.slice(0, mid + 1) }, { ...piece, refs: refs.slice(mid) });
  }
}

function pieceLengthM(refs: number[], nodesById: Map<number, OsmNode>): number {
  let total = 0;
  for (let i = 1; i < refs.length; i++) {
    const a = nodesById.get(refs[i - 1])!;
    const b = nodesById.get(refs[i])!;
    total += haversineM(a.lat, a.lon, b.lat, b.lon);
  }
  return total;
}

function keepLargestComponent(pieces: Piece[], nodesById: Map<number, OsmNode>): { kept: Piece[]; stats: LayerStats } {
  const indexOf = new Map<number, number>();
  const endpoint = (ref: number) => {
    let index = indexOf.get(ref);
    if (index === undefined) indexOf.set(ref, (index = indexOf.size));
    return index;
  };
  const tails: number[] = [];
  const heads: number[] = [];
  for (const piece of pieces) {
    const from = endpoint(piece.refs[0]);
    const to = endpoint(piece.refs.at(-1)!);
    tails.push(from);
    heads.push(to);
    if (!piece.oneway) {
      tails.push(to);
      heads.push(from);
    }
  }
  const { offsets, order } = csrOrder(indexOf.size, tails);
  const { component, count } = strongComponents(indexOf.size, offsets, Int32Array.from(order, (i) => heads[i]));
  const sizes = new Int32Array(count);
  for (const c of component) sizes[c]++;
  const largest = sizes.indexOf(Math.max(...sizes));
  const kept: Piece[] = [];
  let droppedSegments = 0;
  let droppedM = 0;
  for (const piece of pieces) {
    const inside =
      component[indexOf.get(piece.refs[0])!] === largest && component[indexOf.get(piece.refs.at(-1)!)!] === largest;
    if (inside) kept.push(piece);
    else {
      droppedSegments++;
      droppedM += pieceLengthM(piece.refs, nodesById);
    }
  }
  const stats: LayerStats = {
    nodes: 0,
    segments: 0,
    arcs: 0,
    lengthKm: 0,
    dropped: {
      nodes: indexOf.size - sizes[largest],
      segments: droppedSegments,
      lengthKm: droppedM / 1000,
      components: count - 1,
    },
  };
  return { kept, stats };
}

function collectSegments(
  pieces: Piece[],
  osm: OsmData,
  nodesById: Map<number, OsmNode>,
): { nodes: RoadNodes; segments: RoadSegments } {
  const indexOf = new Map<number, number>();
  const endpoint = (ref: number) => {
    let index = indexOf.get(ref);
    if (index === undefined) indexOf.set(ref, (index = indexOf.size));
    return index;
  };
  const count = pieces.length;
  const vertexCount = pieces.reduce((sum, p) => sum + p.refs.length, 0);
  const segments: RoadSegments = {
    count,
    from: new Int32Array(count),
    to: new Int32Array(count),
    wayId: new Float64Array(count),
    highway: new Array<string>(count),
    maxspeedKmh: new Float64Array(count),
    oneway: new Uint8Array(count),
    lengthM: new Float64Array(count),
    vertexStart: new Int32Array(count + 1),
    lat: new Float64Array(vertexCount),
    lon: new Float64Array(vertexCount),
    cumulativeM: new Float64Array(vertexCount),
    forwardArc: new Int32Array(count),
    backwardArc: new Int32Array(count),
  };
  let v = 0;
  pieces.forEach((piece, s) => {
    const way = osm.ways[piece.wayIndex];
    segments.from[s] = endpoint(piece.refs[0]);
    segments.to[s] = endpoint(piece.refs.at(-1)!);
    segments.wayId[s] = way.id;
    segments.highway[s] = way.tags.highway!;
    segments.maxspeedKmh[s] = parseMaxspeed(way.tags.maxspeed);
    segments.oneway[s] = piece.oneway ? 1 : 0;
    segments.vertexStart[s] = v;
    let length = 0;
    piece.refs.forEach((ref, i) => {
      const node = nodesById.get(ref)!;
      if (i > 0) length += haversineM(segments.lat[v - 1], segments.lon[v - 1], node.lat, node.lon);
      segments.lat[v] = node.lat;
      segments.lon[v] = node.lon;
      segments.cumulativeM[v] = length;
      v++;
    });
    segments.lengthM[s] = length;
  });
  segments.vertexStart[count] = v;
  const nodes: RoadNodes = {
    count: indexOf.size,
    lat: new Float64Array(indexOf.size),
    lon: new Float64Array(indexOf.size),
    osmId: new Float64Array(indexOf.size),
  };
  for (const [ref, index] of indexOf) {
    const node = nodesById.get(ref)!;
    nodes.lat[index] = node.lat;
    nodes.lon[index] = node.lon;
    nodes.osmId[index] = ref;
  }
  return { nodes, segments };
}

/** One arc per direction of travel, sorted by tail (CSR). */
function arcsOf(nodeCount: number, segments: RoadSegments): RoadArcs {
  const tails: number[] = [];
  const source: number[] = [];
  for (let s = 0; s < segments.count; s++) {
    tails.push(segments.from[s]);
    source.push(s + 1);
    if (!segments.oneway[s]) {
      tails.push(segments.to[s]);
      source.push(-(s + 1));
    }
  }
  const { offsets, order } = csrOrder(nodeCount, tails);
  const count = order.length;
  const arcs: RoadArcs = {
    count,
    offsets,
    tail: new Int32Array(count),
    head: new Int32Array(count),
    segment: new Int32Array(count),
    forward: new Uint8Array(count),
    lengthM: new Float64Array(count),
  };
  segments.backwardArc.fill(-1);
  order.forEach((original, a) => {
    const s = Math.abs(source[original]) - 1;
    const forward = source[original] > 0;
    arcs.tail[a] = forward ? segments.from[s] : segments.to[s];
    arcs.head[a] = forward ? segments.to[s] : segments.from[s];
    arcs.segment[a] = s;
    arcs.forward[a] = forward ? 1 : 0;
    arcs.lengthM[a] = segments.lengthM[s];
    if (forward) segments.forwardArc[s] = a;
    else segments.backwardArc[s] = a;
  });
  return arcs;
}

function graphOf(nodes: RoadNodes, segments: RoadSegments, arcs: RoadArcs): RoadGraph {
  const graph: RoadGraph = new MultiDirectedGraph();
  for (let v = 0; v < nodes.count; v++) {
    graph.addNode(String(nodes.osmId[v]), { lat: nodes.lat[v], lon: nodes.lon[v], index: v });
  }
  for (let a = 0; a < arcs.count; a++) {
    const s = arcs.segment[a];
    const geometry: [number, number][] = [];
    for (let i = segments.vertexStart[s]; i < segments.vertexStart[s + 1]; i++) {
      geometry.push([segments.lon[i], segments.lat[i]]);
    }
    if (!arcs.forward[a]) geometry.reverse();
    const maxspeed = segments.maxspeedKmh[s];
    graph.addDirectedEdgeWithKey(String(a), String(nodes.osmId[arcs.tail[a]]), String(nodes.osmId[arcs.head[a]]), {
      arc: a,
      segment: s,
      wayId: segments.wayId[s],
      lengthM: arcs.lengthM[a],
      highway: segments.highway[s],
      maxspeed: Number.isNaN(maxspeed) ? null : maxspeed,
      oneway: segments.oneway[s] === 1,
      geometry,
    });
  }
  return graph;
}
