// Customizable contraction hierarchy (Dibbelt, Strasser & Wagner): the shortcut structure is built once per
// layer from a metric-independent order; each metric (a mode's arc times with closures applied) is then
// "customized" onto it (customization.ts), so a closure change costs a partial customization, never a rebuild.
import { arcIndex, customizationWorkspace, customize, type CustomizationWorkspace } from './customization.ts';
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
  /** Hierarchy arcs whose lower-node route was worked out again: all after a first customization, few after a closure. */
  recomputedArcs: number;
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
  byMode: Map<Mode, { version: number; hierarchy: CustomizedHierarchy; workspace: CustomizationWorkspace }>;
}

const hierarchies = new WeakMap<NetworkLayer, LayerHierarchies>();
let layersSeen = 0;

/**
 * The mode's hierarchy as the layer stands now: the topology is built on first use, the metric customized
 * again only when a closure or sealed zone changed the layer's times since the last call, and then only
 * partially. Each mode in use keeps its own workspace (150 MB on the 100k-node grid city), so that a mixed
 * fleet's modes each redo only what a closure changed.
 */
export function customizedHierarchy(network: RoadNetwork, mode: Mode): CustomizedHierarchy {
  const layer = network.layers[LAYER_OF_MODE[mode]];
  let cached = hierarchies.get(layer);
  if (!cached) hierarchies.set(layer, (cached = { id: ++layersSeen, topology: buildTopology(layer), byMode: new Map() }));
  const { version } = layer.state;
  const current = cached.byMode.get(mode);
  if (current?.version === version) return current.hierarchy;
  const workspace = current?.workspace ?? customizationWorkspace(cached.topology, cached.byMode.values().next().value?.workspace);
  const hierarchy = customize(cached.topology, layer.state.timeS[mode]!, layer.arcs.lengthM, `${cached.id}:${mode}`, version, workspace);
  cached.byMode.set(mode, { version, hierarchy, workspace });
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
    arcOfInput[a] = arcIndex(upStart, upHead, low, Math.max(t, h));
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
