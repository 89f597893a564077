// Customizable contraction hierarchy (Dibbelt, Strasser & Wagner): the shortcut structure is built once per
// layer from a metric-independent order; each metric (a mode's arc times with closures applied) is then
// "customized" onto it, so a closure change costs one customization, never a rebuild.
import { nestedDissection, undirectedGraph } from './dissection.ts';
import type { NetworkLayer, RoadNetwork } from './network.ts';
import { LAYER_OF_MODE, type Mode } from './profiles.ts';

/** The metric-independent part: nodes renumbered by rank; every arc joins a lower-ranked node to a higher one. */
export interface HierarchyTopology {
  /** rank[v] of each layer node; everything below is indexed by rank. */
  rank: Int32Array;
  /** Upward neighbours of rank r are upHead[upStart[r] .. upStart[r+1]-1], in increasing rank. */
  upStart: Int32Array;
  upHead: Int32Array;
  /** Hierarchy arc carrying each layer arc (-1 for loops), and 1 when the layer arc runs upward. */
  arcOfInput: Int32Array;
  inputUpward: Uint8Array;
}

/**
 * A customized metric, pruned to the arcs that some shortest path needs (perfect customization), as two
 * upward graphs indexed by rank: `forward` arcs r → higher in travel direction, `backward` arcs higher → r
 * stored at r. `parent` is the elimination tree: every node an upward search can reach is an ancestor.
 */
export interface CustomizedHierarchy {
  /** The layer and mode it serves: a newer customization of the same metric replaces it. */
  metric: string;
  /** The metric and its closure version, by which workers keep it between jobs. */
  key: string;
  rank: Int32Array;
  parent: Int32Array;
  forward: UpwardGraph;
  backward: UpwardGraph;
}

export interface UpwardGraph {
  start: Int32Array;
  head: Int32Array;
  timeS: Float64Array;
  lengthM: Float64Array;
}

interface LayerHierarchies {
  id: number;
  topology: HierarchyTopology;
  workspace: CustomizationWorkspace;
  byMode: Map<Mode, { version: number; hierarchy: CustomizedHierarchy }>;
}

const hierarchies = new WeakMap<NetworkLayer, LayerHierarchies>();
let layersSeen = 0;

/**
 * The mode's hierarchy as the layer stands now: the topology is built on first use, the metric customized
 * again only when a closure or sealed zone changed the layer's times since the last call.
 */
export function customizedHierarchy(network: RoadNetwork, mode: Mode): CustomizedHierarchy {
  const layer = network.layers[LAYER_OF_MODE[mode]];
  let cached = hierarchies.get(layer);
  if (!cached) {
    const topology = buildTopology(layer);
    hierarchies.set(layer, (cached = { id: ++layersSeen, topology, workspace: customizationWorkspace(topology), byMode: new Map() }));
  }
  const { version } = layer.state;
  const current = cached.byMode.get(mode);
  if (current?.version === version) return current.hierarchy;
  const hierarchy = customize(cached.topology, layer.state.timeS[mode]!, layer.arcs.lengthM, `${cached.id}:${mode}`, version, cached.workspace);
  cached.byMode.set(mode, { version, hierarchy });
  return hierarchy;
}

export function buildTopology(layer: NetworkLayer): HierarchyTopology {
  const { nodes, arcs } = layer;
  const graph = undirectedGraph(nodes.count, arcs.tail, arcs.head);
  // Local flat coordinates: longitude shrinks with latitude, so that cuts are straight on the ground.
  const x = Float64Array.from(nodes.lon, (lon, v) => lon * Math.cos((nodes.lat[v] * Math.PI) / 180));
  const rank = nestedDissection(graph, x, nodes.lat);
  const { upStart, upHead } = contractSymbolically(graph, rank);
  const arcOfInput = new Int32Array(arcs.count).fill(-1);
  const inputUpward = new Uint8Array(arcs.count);
  for (let a = 0; a < arcs.count; a++) {
    const t = rank[arcs.tail[a]];
    const h = rank[arcs.head[a]];
    if (t === h) continue;
    const low = Math.min(t, h);
    arcOfInput[a] = findArc(upStart, upHead, low, Math.max(t, h));
    inputUpward[a] = t < h ? 1 : 0;
  }
  return { rank, upStart, upHead, arcOfInput, inputUpward };
}

/**
 * Eliminates nodes in rank order: a node's upward neighbours become a clique. Fill-in reaches a node only
 * through its elimination-tree children, so each node merges its own edges with its children's lists.
 */
function contractSymbolically(graph: ReturnType<typeof undirectedGraph>, rank: Int32Array) {
  const n = rank.length;
  const byRank = new Int32Array(n);
  rank.forEach((r, v) => (byRank[r] = v));
  const firstChild = new Int32Array(n).fill(-1);
  const nextSibling = new Int32Array(n).fill(-1);
  const mark = new Int32Array(n).fill(-1);
  const scratch = new Int32Array(n);
  const upStart = new Int32Array(n + 1);
  let upHead = new Int32Array(4 * n);
  let count = 0;
  for (let r = 0; r < n; r++) {
    const v = byRank[r];
    let k = 0;
    const add = (u: number) => {
      if (u > r && mark[u] !== r) {
        mark[u] = r;
        scratch[k++] = u;
      }
    };
    for (let i = graph.offsets[v]; i < graph.offsets[v + 1]; i++) add(rank[graph.neighbours[i]]);
    for (let c = firstChild[r]; c >= 0; c = nextSibling[c]) {
      for (let i = upStart[c]; i < upStart[c + 1]; i++) add(upHead[i]);
    }
    const list = scratch.subarray(0, k).sort();
    if (count + k > upHead.length) {
      const grown = new Int32Array(Math.max(2 * upHead.length, count + k));
      grown.set(upHead);
      upHead = grown;
    }
    upHead.set(list, count);
    count += k;
    upStart[r + 1] = count;
    if (k > 0) {
      nextSibling[r] = firstChild[list[0]];
      firstChild[list[0]] = r;
    }
  }
  return { upStart, upHead: upHead.slice(0, count) };
}

function findArc(upStart: Int32Array, upHead: Int32Array, low: number, high: number): number {
  let lo = upStart[low];
  let hi = upStart[low + 1] - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (upHead[mid] < high) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Weights of every hierarchy arc in both directions with the length of the route each stands for, four
 * numbers per arc side by side (UP, DOWN, UP_LENGTH, DOWN_LENGTH): triangles reach arcs all over the array
 * and one cache line then brings all four.
 */
type Metric = Float64Array;
const UP = 0;
const DOWN = 1;
const UP_LENGTH = 2;
const DOWN_LENGTH = 3;

/** Arcs within this relative margin of a better route are kept: rounding must never drop a needed arc. */
const PRUNE_TOLERANCE = 1e-12;

/**
 * Scratch arrays of a customization (150 MB on the 100k-node grid city, 0.3 MB on Monaco), kept from one
 * customization of a layer to the next: allocating and touching fresh memory cost a tenth of the work.
 */
export interface CustomizationWorkspace {
  /** After basic customization: each arc's fastest route through lower nodes, four numbers per arc. */
  basic: Metric;
  /** After perfect customization: each arc's true shortest time, UP and DOWN per arc (no lengths needed). */
  exact: Float64Array;
}

export function customizationWorkspace(topology: HierarchyTopology): CustomizationWorkspace {
  return { basic: new Float64Array(4 * topology.upHead.length), exact: new Float64Array(2 * topology.upHead.length) };
}

/** Customizes a metric (arc times and lengths of the layer) onto the topology; `metric` and `version` name it. */
export function customize(
  topology: HierarchyTopology,
  arcTimeS: Float64Array,
  arcLengthM: Float64Array,
  metric: string,
  version: number,
  workspace = customizationWorkspace(topology),
): CustomizedHierarchy {
  const { basic, exact } = workspace;
  inputMetric(topology, arcTimeS, arcLengthM, basic);
  lowerTriangles(topology, basic);
  for (let a = 0; a < topology.upHead.length; a++) {
    exact[2 * a + UP] = basic[4 * a + UP];
    exact[2 * a + DOWN] = basic[4 * a + DOWN];
  }
  otherTriangles(topology, exact);
  const n = topology.rank.length;
  const parent = new Int32Array(n).fill(-1);
  for (let r = 0; r < n; r++) if (topology.upStart[r + 1] > topology.upStart[r]) parent[r] = topology.upHead[topology.upStart[r]];
  return {
    metric,
    key: `${metric}@${version}`,
    rank: topology.rank,
    parent,
    forward: neededArcs(topology, basic, exact, UP),
    backward: neededArcs(topology, basic, exact, DOWN),
  };
}

/** Each layer arc's time on its hierarchy arc (the fastest of parallel roads). */
function inputMetric(topology: HierarchyTopology, arcTimeS: Float64Array, arcLengthM: Float64Array, metric: Metric): void {
  metric.fill(Infinity);
  for (let a = 0; a < arcTimeS.length; a++) {
    const h = topology.arcOfInput[a];
    if (h < 0) continue;
    const side = 4 * h + (topology.inputUpward[a] ? UP : DOWN);
    if (arcTimeS[a] < metric[side]) {
      metric[side] = arcTimeS[a];
      metric[side + 2] = arcLengthM[a];
    }
  }
}

/**
 * Basic customization: in increasing rank, node x offers the route u → x → w to the arc between each pair of
 * its upward neighbours u < w (arc i = x–u, j = x–w, b = u–w). Afterwards each arc is the fastest route
 * through lower-ranked nodes only.
 */
function lowerTriangles(topology: HierarchyTopology, metric: Metric): void {
  const { upStart, upHead } = topology;
  const n = upStart.length - 1;
  for (let x = 0; x < n; x++) {
    const end = upStart[x + 1];
    for (let i = upStart[x]; i < end; i++) {
      const fromX = metric[4 * i + UP];
      const toX = metric[4 * i + DOWN];
      if (toX === Infinity && fromX === Infinity) continue;
      let b = upStart[upHead[i]];
      for (let j = i + 1; j < end; j++) {
        const w = upHead[j];
        while (upHead[b] !== w) b++;
        const there = toX + metric[4 * j + UP];
        if (there < metric[4 * b + UP]) {
          metric[4 * b + UP] = there;
          metric[4 * b + UP_LENGTH] = metric[4 * i + DOWN_LENGTH] + metric[4 * j + UP_LENGTH];
        }
        const back = metric[4 * j + DOWN] + fromX;
        if (back < metric[4 * b + DOWN]) {
          metric[4 * b + DOWN] = back;
          metric[4 * b + DOWN_LENGTH] = metric[4 * j + DOWN_LENGTH] + metric[4 * i + UP_LENGTH];
        }
      }
    }
  }
}

/**
 * Perfect customization: in decreasing rank, each arc of x takes the fastest route through any other upward
 * neighbour of x (intermediate and upper triangles), whose arc among higher nodes is already exact. Then
 * every arc weighs the true shortest time between its ends. Only times: these figures decide which arcs to
 * drop, and kept arcs keep their basic time and length. Arc i's times stay in locals while its triangles are
 * scanned.
 */
function otherTriangles(topology: HierarchyTopology, exact: Float64Array): void {
  const { upStart, upHead } = topology;
  for (let x = upStart.length - 2; x >= 0; x--) {
    const end = upStart[x + 1];
    for (let i = upStart[x]; i < end; i++) {
      let up = exact[2 * i + UP];
      let down = exact[2 * i + DOWN];
      let b = upStart[upHead[i]];
      for (let j = i + 1; j < end; j++) {
        const w = upHead[j];
        while (upHead[b] !== w) b++;
        const jUp = exact[2 * j + UP];
        const jDown = exact[2 * j + DOWN];
        const bUp = exact[2 * b + UP];
        const bDown = exact[2 * b + DOWN];
        // x → u via w (upper triangle) and back.
        if (jUp + bDown < up) up = jUp + bDown;
        if (bUp + jDown < down) down = bUp + jDown;
        // x → w via u (intermediate triangle) and back.
        if (up + bUp < jUp) exact[2 * j + UP] = up + bUp;
        if (bDown + down < jDown) exact[2 * j + DOWN] = bDown + down;
      }
      exact[2 * i + UP] = up;
      exact[2 * i + DOWN] = down;
    }
  }
}

/**
 * An arc is needed only where no route through higher nodes beats its lower-node route: every shortest path
 * has an up-down form made of such arcs, so the others can go and queries search far less.
 */
function neededArcs(topology: HierarchyTopology, basic: Metric, exact: Float64Array, side: typeof UP | typeof DOWN): UpwardGraph {
  const { upStart, upHead } = topology;
  const n = upStart.length - 1;
  const start = new Int32Array(n + 1);
  const length = side === UP ? UP_LENGTH : DOWN_LENGTH;
  const keep = new Uint8Array(upHead.length);
  let count = 0;
  for (let a = 0; a < upHead.length; a++) {
    const time = basic[4 * a + side];
    if (time < Infinity && exact[2 * a + side] >= time * (1 - PRUNE_TOLERANCE)) {
      keep[a] = 1;
      count++;
    }
  }
  const graph: UpwardGraph = { start, head: new Int32Array(count), timeS: new Float64Array(count), lengthM: new Float64Array(count) };
  let k = 0;
  for (let r = 0; r < n; r++) {
    for (let a = upStart[r]; a < upStart[r + 1]; a++) {
      if (!keep[a]) continue;
      graph.head[k] = upHead[a];
      graph.timeS[k] = basic[4 * a + side];
      graph.lengthM[k++] = basic[4 * a + length];
    }
    start[r + 1] = k;
  }
  return graph;
}
