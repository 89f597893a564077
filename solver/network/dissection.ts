// A metric-independent node order for the customizable contraction hierarchy: nested dissection by
// geometric bisection (nodes have coordinates), so that contraction adds few shortcuts whatever the metric.

/** The undirected simple graph underneath a layer's arcs, as CSR (no loops, no parallel edges). */
export interface UndirectedGraph {
  offsets: Int32Array;
  neighbours: Int32Array;
}

export function undirectedGraph(nodeCount: number, tail: Int32Array, head: Int32Array): UndirectedGraph {
  const degree = new Int32Array(nodeCount + 1);
  for (let a = 0; a < tail.length; a++) {
    if (tail[a] === head[a]) continue;
    degree[tail[a] + 1]++;
    degree[head[a] + 1]++;
  }
  for (let v = 0; v < nodeCount; v++) degree[v + 1] += degree[v];
  const fill = degree.slice(0, nodeCount);
  const all = new Int32Array(degree[nodeCount]);
  for (let a = 0; a < tail.length; a++) {
    if (tail[a] === head[a]) continue;
    all[fill[tail[a]]++] = head[a];
    all[fill[head[a]]++] = tail[a];
  }
  // Drop parallel edges (two-way roads appear twice, some junction pairs have several roads).
  const offsets = new Int32Array(nodeCount + 1);
  const neighbours = new Int32Array(all.length);
  const seen = new Int32Array(nodeCount).fill(-1);
  let k = 0;
  for (let v = 0; v < nodeCount; v++) {
    for (let i = degree[v]; i < degree[v + 1]; i++) {
      const u = all[i];
      if (seen[u] === v) continue;
      seen[u] = v;
      neighbours[k++] = u;
    }
    offsets[v + 1] = k;
  }
  return { offsets, neighbours: neighbours.slice(0, k) };
}

/** Parts this small are ordered as they come: their fill-in is at most a small clique. */
const LEAF_SIZE = 4;
/** Cut directions tried at each bisection: along x, along y and both diagonals. */
const DIRECTIONS: readonly [number, number][] = [
  [1, 0],
  [0, 1],
  [Math.SQRT1_2, Math.SQRT1_2],
  [Math.SQRT1_2, -Math.SQRT1_2],
];

/**
 * rank[v] of every node: each part is split at the median of the direction whose boundary (the nodes of one
 * half with a neighbour in the other) is smallest; that boundary is the separator and ranks above both halves.
 */
export function nestedDissection(graph: UndirectedGraph, x: Float64Array, y: Float64Array): Int32Array {
  const n = x.length;
  const rank = new Int32Array(n);
  const side = new Int8Array(n);
  const stack: { nodes: Int32Array; low: number }[] = [{ nodes: Int32Array.from({ length: n }, (_, v) => v), low: 0 }];
  for (let part = stack.pop(); part; part = stack.pop()) {
    const { nodes, low } = part;
    if (nodes.length <= LEAF_SIZE) {
      nodes.forEach((v, i) => (rank[v] = low + i));
      continue;
    }
    const cut = bestCut(graph, nodes, x, y, side);
    const top = low + nodes.length - cut.separator.length;
    separatorOrder(cut, x, y).forEach((v, i) => (rank[v] = top + i));
    stack.push({ nodes: cut.first, low }, { nodes: cut.second, low: low + cut.first.length });
  }
  return rank;
}

interface Cut {
  dx: number;
  dy: number;
  first: Int32Array;
  second: Int32Array;
  separator: Int32Array;
}

function bestCut(graph: UndirectedGraph, nodes: Int32Array, x: Float64Array, y: Float64Array, side: Int8Array): Cut {
  let best: Cut | undefined;
  for (const [dx, dy] of DIRECTIONS) {
    const cut = medianCut(graph, nodes, x, y, dx, dy, side);
    if (!best || cut.separator.length < best.separator.length) best = cut;
  }
  for (const v of nodes) side[v] = 0;
  return best!;
}

/** Halves at the median along (dx, dy); the separator is the smaller of the two halves' boundaries. */
function medianCut(
  graph: UndirectedGraph,
  nodes: Int32Array,
  x: Float64Array,
  y: Float64Array,
  dx: number,
  dy: number,
  side: Int8Array,
): Cut {
  const key = new Float64Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) key[i] = x[nodes[i]] * dx + y[nodes[i]] * dy;
  const half = nodes.length >> 1;
  const median = nthSmallest(key.slice(), half);
  // Nodes on the median go to the first half until it holds `half` nodes, so that both halves are balanced.
  let belowMedian = 0;
  for (const k of key) if (k < median) belowMedian++;
  let tiesToFirst = half - belowMedian;
  nodes.forEach((v, i) => {
    const first = key[i] < median || (key[i] === median && tiesToFirst-- > 0);
    side[v] = first ? 1 : 2;
  });
  const boundary = (which: number) => nodes.filter((v) => side[v] === which && touchesOther(graph, v, side, which));
  const firstBoundary = boundary(1);
  const secondBoundary = boundary(2);
  const separatorSide = firstBoundary.length <= secondBoundary.length ? 1 : 2;
  const separator = separatorSide === 1 ? firstBoundary : secondBoundary;
  for (const v of separator) side[v] = 3;
  return { dx, dy, first: nodes.filter((v) => side[v] === 1), second: nodes.filter((v) => side[v] === 2), separator };
}

/** The k-th smallest value (0-based) by quickselect, reordering `values`: a full sort per cut would dominate. */
function nthSmallest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const swap = values[i];
        values[i++] = values[j];
        values[j--] = swap;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k];
}

function touchesOther(graph: UndirectedGraph, v: number, side: Int8Array, which: number): boolean {
  const other = 3 - which;
  for (let i = graph.offsets[v]; i < graph.offsets[v + 1]; i++) if (side[graph.neighbours[i]] === other) return true;
  return false;
}

/**
 * The separator from its lowest rank to its highest: sorted along its own line, then bisected like the graph
 * (its middle node highest, then the middles of both halves, ...). Ranked this way, a route along the
 * separator climbs through higher nodes, so fewer arcs survive perfect customization and searches meet
 * fewer targets' entries than with the separator ranked end to end.
 */
function separatorOrder(cut: Cut, x: Float64Array, y: Float64Array): number[] {
  const key = (v: number) => -cut.dy * x[v] + cut.dx * y[v];
  const along = [...cut.separator].sort((a, b) => key(a) - key(b));
  const highestFirst: number[] = [];
  const ranges: [number, number][] = [[0, along.length]];
  for (let next = 0; next < ranges.length; next++) {
    const [lo, hi] = ranges[next];
    if (lo >= hi) continue;
    const middle = (lo + hi) >> 1;
    highestFirst.push(along[middle]);
    ranges.push([lo, middle], [middle + 1, hi]);
  }
  return highestFirst.reverse();
}
