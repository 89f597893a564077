// Customization of a contraction hierarchy's metric (Dibbelt, Strasser & Wagner): the full one, and the partial
// one after a closure change, which redoes only the triangles that the changed roads feed, with the same result.
import type { CustomizedHierarchy, HierarchyTopology, UpwardGraph } from './hierarchy.ts';

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
 * customization of a layer to the next: allocating and touching fresh memory cost a tenth of the work, and
 * what they hold lets the next customization of the same metric redo only what changed.
 */
export interface CustomizationWorkspace {
  /** After basic customization: each arc's fastest route through lower nodes, four numbers per arc. */
  basic: Metric;
  /** After perfect customization: each arc's true shortest time, UP and DOWN per arc (no lengths needed). */
  exact: Float64Array;
  /** The customization the arrays hold, and a copy of the layer arc times it was made from. */
  held?: { metric: string; arcTimeS: Float64Array; hierarchy: CustomizedHierarchy };
  /** What partial customization needs beyond the topology, built on its first use. */
  lower?: LowerNeighbours;
}

/** Lower neighbours of each node, layer arcs by hierarchy arc, and the partial customization's to-do marks. */
interface LowerNeighbours {
  /** Lower neighbours of rank r are downTail[downStart[r] .. downStart[r+1]-1], increasing; downArc is the arc. */
  downStart: Int32Array;
  downTail: Int32Array;
  downArc: Int32Array;
  /** Layer arcs sorted by the hierarchy arc carrying them (then by arc), beside that hierarchy arc. */
  inputArc: Int32Array;
  inputCarrier: Int32Array;
  /** Arcs whose basic weight, then whose exact time, is to be worked out again; nodes whose arcs changed. */
  pendingArc: Uint8Array;
  pendingExact: Uint8Array;
  changedNode: Uint8Array;
}

export function customizationWorkspace(topology: HierarchyTopology): CustomizationWorkspace {
  return { basic: new Float64Array(4 * topology.upHead.length), exact: new Float64Array(2 * topology.upHead.length) };
}

/**
 * Customizes a metric (arc times and lengths of the layer) onto the topology; `metric` and `version` name it.
 * When the workspace holds an earlier customization of the same metric, only what the changed arc times
 * reach is redone (lengths are the layer's and never change).
 */
export function customize(
  topology: HierarchyTopology,
  arcTimeS: Float64Array,
  arcLengthM: Float64Array,
  metric: string,
  version: number,
  workspace = customizationWorkspace(topology),
): CustomizedHierarchy {
  const { held } = workspace;
  const hierarchy =
    held?.metric === metric
      ? customizePartially(topology, arcTimeS, arcLengthM, `${metric}@${version}`, workspace, held.hierarchy, held.arcTimeS)
      : customizeFully(topology, arcTimeS, arcLengthM, metric, `${metric}@${version}`, workspace);
  if (held?.metric === metric) held.hierarchy = hierarchy;
  else workspace.held = { metric, arcTimeS: arcTimeS.slice(), hierarchy };
  return hierarchy;
}

function customizeFully(
  topology: HierarchyTopology,
  arcTimeS: Float64Array,
  arcLengthM: Float64Array,
  metric: string,
  key: string,
  { basic, exact }: CustomizationWorkspace,
): CustomizedHierarchy {
  inputMetric(topology, arcTimeS, arcLengthM, basic);
  lowerTriangles(topology, basic);
  for (let a = 0; a < topology.upHead.length; a++) {
    exact[2 * a + UP] = basic[4 * a + UP];
    exact[2 * a + DOWN] = basic[4 * a + DOWN];
  }
  const n = topology.rank.length;
  for (let x = n - 1; x >= 0; x--) otherTriangles(topology, basic, exact, x);
  const parent = new Int32Array(n).fill(-1);
  for (let r = 0; r < n; r++) if (topology.upStart[r + 1] > topology.upStart[r]) parent[r] = topology.upHead[topology.upStart[r]];
  const everyNode = Int32Array.from({ length: n }, (_, r) => r);
  return {
    metric,
    key,
    rank: topology.rank,
    parent,
    forward: neededArcs(topology, basic, exact, UP, everyNode),
    backward: neededArcs(topology, basic, exact, DOWN, everyNode),
    recomputedArcs: topology.upHead.length,
  };
}

/**
 * Partial customization. Basic weights: the hierarchy arcs carrying changed layer arcs are worked out again,
 * in increasing order, and so is every arc a changed arc forms a lower triangle with, where that triangle
 * decided the arc's weight before (ties included) or may now; changes spread while values change. Exact
 * times: then, top down, every arc whose basic time changed, or one of whose triangles (the arc's basic
 * first leg, an exact arc above) changed where it decided or may now decide. Every redone arc goes through
 * the same candidates, in the same order, as in the full customization, so the result is the same to the bit.
 */
function customizePartially(
  topology: HierarchyTopology,
  arcTimeS: Float64Array,
  arcLengthM: Float64Array,
  key: string,
  workspace: CustomizationWorkspace,
  previous: CustomizedHierarchy,
  heldTimeS: Float64Array,
): CustomizedHierarchy {
  const { upStart, upHead, arcOfInput } = topology;
  const { basic, exact } = workspace;
  const lower = (workspace.lower ??= lowerNeighbours(topology));
  const { pendingArc, pendingExact, changedNode } = lower;
  let firstArc = upHead.length;
  for (let a = 0; a < arcTimeS.length; a++) {
    if (arcTimeS[a] === heldTimeS[a]) continue;
    heldTimeS[a] = arcTimeS[a];
    const h = arcOfInput[a];
    if (h < 0) continue;
    pendingArc[h] = 1;
    firstArc = Math.min(firstArc, h);
  }
  let recomputedArcs = 0;
  let lastExact = -1;
  const old = new Float64Array(4);
  for (let b = firstArc, u = tailOf(upStart, b); b < upHead.length; b++) {
    if (!pendingArc[b]) continue;
    pendingArc[b] = 0;
    recomputedArcs++;
    while (upStart[u + 1] <= b) u++;
    for (let k = 0; k < 4; k++) old[k] = basic[4 * b + k];
    if (!lowerRoute(topology, lower, arcTimeS, arcLengthM, basic, b, u)) continue;
    changedNode[u] = 1;
    if (basic[4 * b + UP] !== old[UP] || basic[4 * b + DOWN] !== old[DOWN]) {
      pendingExact[b] = 1;
      lastExact = Math.max(lastExact, b);
      lastExact = Math.max(lastExact, firstLegChanged(topology, basic, exact, pendingExact, u, b, old[UP], old[DOWN]));
    }
    // b is arc u–w of the triangle u, w, z at every other upward neighbour z of u: it feeds arc w–z, whose
    // route w → u → z is b.DOWN + k.UP and z → u → w is k.DOWN + b.UP (k = u–z).
    const w = upHead[b];
    for (let k = upStart[u]; k < upStart[u + 1]; k++) {
      const z = upHead[k];
      if (z === w) continue;
      const t = z < w ? arcIndex(upStart, upHead, z, w) : arcIndex(upStart, upHead, w, z);
      const [wz, zw] = w < z ? [4 * t + UP, 4 * t + DOWN] : [4 * t + DOWN, 4 * t + UP];
      if (
        decides(old[DOWN] + basic[4 * k + UP], basic[4 * b + DOWN] + basic[4 * k + UP], basic[wz]) ||
        decides(basic[4 * k + DOWN] + old[UP], basic[4 * k + DOWN] + basic[4 * b + UP], basic[zw])
      ) {
        pendingArc[t] = 1;
      }
    }
  }
  for (let i = lastExact, x = tailOf(upStart, Math.max(i, 0)); i >= 0; i--) {
    if (!pendingExact[i]) continue;
    pendingExact[i] = 0;
    while (upStart[x] > i) x--;
    const [oldUp, oldDown] = [exact[2 * i + UP], exact[2 * i + DOWN]];
    exactArc(topology, basic, exact, i, x);
    const [up, down] = [exact[2 * i + UP], exact[2 * i + DOWN]];
    if (up === oldUp && down === oldDown) continue;
    changedNode[x] = 1;
    // Arc i = x–u is the upper arc of each lower triangle x', x, u: it is the second leg of x' → x → u (after
    // p = x'–x) and of x' → u → x (after q = x'–u).
    const u = upHead[i];
    const walked = shorterDownList(lower, x, u);
    for (let k = lower.downStart[walked]; k < lower.downStart[walked + 1]; k++) {
      const [p, q] = walked === x ? [lower.downArc[k], otherLeg(topology, lower, k, u)] : [otherLeg(topology, lower, k, x), lower.downArc[k]];
      if (p < 0 || q < 0) continue;
      if (
        decides(basic[4 * p + UP] + oldUp, basic[4 * p + UP] + up, exact[2 * q + UP]) ||
        decides(oldDown + basic[4 * p + DOWN], down + basic[4 * p + DOWN], exact[2 * q + DOWN])
      ) {
        pendingExact[q] = 1;
      }
      if (
        decides(basic[4 * q + UP] + oldDown, basic[4 * q + UP] + down, exact[2 * p + UP]) ||
        decides(oldUp + basic[4 * q + DOWN], up + basic[4 * q + DOWN], exact[2 * p + DOWN])
      ) {
        pendingExact[p] = 1;
      }
    }
  }
  const rebuilt: number[] = [];
  for (let r = 0; r < changedNode.length; r++) {
    if (!changedNode[r]) continue;
    changedNode[r] = 0;
    rebuilt.push(r);
  }
  return {
    ...previous,
    key,
    forward: neededArcs(topology, basic, exact, UP, rebuilt, previous.forward),
    backward: neededArcs(topology, basic, exact, DOWN, rebuilt, previous.backward),
    recomputedArcs,
  };
}

/**
 * Whether a triangle whose route was `before` and is now `after` must have the arc's weight worked out again:
 * it gave the arc its weight (or tied with the one that did), or it beats or ties it now. The arc still
 * holds its former weight.
 */
function decides(before: number, after: number, weight: number): boolean {
  return weight < Infinity ? before <= weight || after <= weight : after < Infinity;
}

/**
 * Arc k = x–z's basic time changed from (oldUp, oldDown): it is the first leg of x → z → u (then z–u, exact)
 * for every other arc i = x–u of x. Marks those arcs whose exact time it decided or may now decide; returns
 * the last one marked (-1: none).
 */
function firstLegChanged(
  topology: HierarchyTopology,
  basic: Metric,
  exact: Float64Array,
  pendingExact: Uint8Array,
  x: number,
  k: number,
  oldUp: number,
  oldDown: number,
): number {
  const { upStart, upHead } = topology;
  const z = upHead[k];
  let last = -1;
  for (let i = upStart[x]; i < upStart[x + 1]; i++) {
    const u = upHead[i];
    if (u === z) continue;
    const e = u < z ? arcIndex(upStart, upHead, u, z) : arcIndex(upStart, upHead, z, u);
    const [zu, uz] = z < u ? [exact[2 * e + UP], exact[2 * e + DOWN]] : [exact[2 * e + DOWN], exact[2 * e + UP]];
    if (
      decides(oldUp + zu, basic[4 * k + UP] + zu, exact[2 * i + UP]) ||
      decides(uz + oldDown, uz + basic[4 * k + DOWN], exact[2 * i + DOWN])
    ) {
      pendingExact[i] = 1;
      last = i;
    }
  }
  return last;
}

function lowerNeighbours(topology: HierarchyTopology): LowerNeighbours {
  const { upStart, upHead, arcOfInput } = topology;
  const n = upStart.length - 1;
  const downStart = new Int32Array(n + 1);
  for (const u of upHead) downStart[u + 1]++;
  for (let r = 0; r < n; r++) downStart[r + 1] += downStart[r];
  const downTail = new Int32Array(upHead.length);
  const downArc = new Int32Array(upHead.length);
  const next = downStart.slice(0, n);
  for (let x = 0; x < n; x++) {
    for (let a = upStart[x]; a < upStart[x + 1]; a++) {
      const k = next[upHead[a]]++;
      downTail[k] = x;
      downArc[k] = a;
    }
  }
  const inputArc = Int32Array.from({ length: arcOfInput.length }, (_, a) => a)
    .filter((a) => arcOfInput[a] >= 0)
    .sort((a, b) => arcOfInput[a] - arcOfInput[b] || a - b);
  const inputCarrier = inputArc.map((a) => arcOfInput[a]);
  return {
    downStart,
    downTail,
    downArc,
    inputArc,
    inputCarrier,
    pendingArc: new Uint8Array(upHead.length),
    pendingExact: new Uint8Array(upHead.length),
    changedNode: new Uint8Array(n),
  };
}

/**
 * The lower triangles of arc low–high are its two ends' common lower neighbours, in increasing rank along
 * either end's list of lower neighbours: the shorter one is walked.
 */
function shorterDownList({ downStart }: LowerNeighbours, low: number, high: number): number {
  return downStart[high + 1] - downStart[high] < downStart[low + 1] - downStart[low] ? high : low;
}

/** For entry k of a list of lower neighbours (node x, arc x–end), the arc from x to `other`, or -1. */
function otherLeg({ upStart, upHead }: HierarchyTopology, { downTail, downArc }: LowerNeighbours, k: number, other: number): number {
  const x = downTail[k];
  const end = upHead[downArc[k]];
  return other > end ? arcIndex(upStart, upHead, x, other, downArc[k] + 1) : arcIndex(upStart, upHead, x, other);
}

/** The node whose upward arcs include arc b. */
function tailOf(upStart: Int32Array, b: number): number {
  let lo = 0;
  let hi = upStart.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (upStart[mid] <= b) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The arc from `low` up to `high` (searched from arc `from` of `low` on), or -1 when there is none. */
export function arcIndex(upStart: Int32Array, upHead: Int32Array, low: number, high: number, from = upStart[low]): number {
  let lo = from;
  let hi = upStart[low + 1] - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (upHead[mid] < high) lo = mid + 1;
    else hi = mid;
  }
  return lo <= hi && upHead[lo] === high ? lo : -1;
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
 * Arc b = u–w's basic weights again, from the layer arcs it carries and then its lower triangles in increasing
 * rank of their lowest node, as `inputMetric` and `lowerTriangles` meet them (ties go the same way). Says
 * whether any of its four numbers changed.
 */
function lowerRoute(
  topology: HierarchyTopology,
  lower: LowerNeighbours,
  arcTimeS: Float64Array,
  arcLengthM: Float64Array,
  metric: Metric,
  b: number,
  u: number,
): boolean {
  const { upHead, inputUpward } = topology;
  let up = Infinity;
  let down = Infinity;
  let upLength = Infinity;
  let downLength = Infinity;
  for (let k = lowerBound(lower.inputCarrier, b); k < lower.inputCarrier.length && lower.inputCarrier[k] === b; k++) {
    const a = lower.inputArc[k];
    if (inputUpward[a] && arcTimeS[a] < up) {
      up = arcTimeS[a];
      upLength = arcLengthM[a];
    } else if (!inputUpward[a] && arcTimeS[a] < down) {
      down = arcTimeS[a];
      downLength = arcLengthM[a];
    }
  }
  const w = upHead[b];
  const walked = shorterDownList(lower, u, w);
  for (let k = lower.downStart[walked]; k < lower.downStart[walked + 1]; k++) {
    const i = walked === u ? lower.downArc[k] : otherLeg(topology, lower, k, u);
    const j = walked === u ? otherLeg(topology, lower, k, w) : lower.downArc[k];
    if (i < 0 || j < 0) continue;
    const there = metric[4 * i + DOWN] + metric[4 * j + UP];
    if (there < up) {
      up = there;
      upLength = metric[4 * i + DOWN_LENGTH] + metric[4 * j + UP_LENGTH];
    }
    const back = metric[4 * j + DOWN] + metric[4 * i + UP];
    if (back < down) {
      down = back;
      downLength = metric[4 * j + DOWN_LENGTH] + metric[4 * i + UP_LENGTH];
    }
  }
  const at = 4 * b;
  if (metric[at + UP] === up && metric[at + DOWN] === down && metric[at + UP_LENGTH] === upLength && metric[at + DOWN_LENGTH] === downLength) {
    return false;
  }
  metric[at + UP] = up;
  metric[at + DOWN] = down;
  metric[at + UP_LENGTH] = upLength;
  metric[at + DOWN_LENGTH] = downLength;
  return true;
}

function lowerBound(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Perfect customization of node x's arcs, done in decreasing rank: arc x–u takes the fastest route x → z → u
 * through any other upward neighbour z of x (intermediate and upper triangles) when it beats its own: first
 * leg x–z at its basic time, then arc z–u among higher nodes, already exact. The first arc of a shortest
 * path's up-down form is a lower-node route, so this gives every arc the true shortest time between its ends;
 * and each arc's time is the minimum of candidates fixed by these inputs, whatever the order. Only times: these
 * figures decide which arcs to drop, and kept arcs keep their basic time and length.
 */
function otherTriangles(topology: HierarchyTopology, basic: Metric, exact: Float64Array, x: number): void {
  const { upStart, upHead } = topology;
  const end = upStart[x + 1];
  for (let i = upStart[x]; i < end; i++) {
    const iUp = basic[4 * i + UP];
    const iDown = basic[4 * i + DOWN];
    let up = exact[2 * i + UP];
    let down = exact[2 * i + DOWN];
    let b = upStart[upHead[i]];
    for (let j = i + 1; j < end; j++) {
      const w = upHead[j];
      while (upHead[b] !== w) b++;
      const jUp = basic[4 * j + UP];
      const jDown = basic[4 * j + DOWN];
      const bUp = exact[2 * b + UP];
      const bDown = exact[2 * b + DOWN];
      // x → u via w (upper triangle) and back.
      if (jUp + bDown < up) up = jUp + bDown;
      if (bUp + jDown < down) down = bUp + jDown;
      // x → w via u (intermediate triangle) and back.
      if (iUp + bUp < exact[2 * j + UP]) exact[2 * j + UP] = iUp + bUp;
      if (bDown + iDown < exact[2 * j + DOWN]) exact[2 * j + DOWN] = bDown + iDown;
    }
    exact[2 * i + UP] = up;
    exact[2 * i + DOWN] = down;
  }
}

/** Arc i = x–u's exact times again, from the same candidates as `otherTriangles`. */
function exactArc(topology: HierarchyTopology, basic: Metric, exact: Float64Array, i: number, x: number): void {
  const { upStart, upHead } = topology;
  const u = upHead[i];
  let up = basic[4 * i + UP];
  let down = basic[4 * i + DOWN];
  for (let k = upStart[x]; k < upStart[x + 1]; k++) {
    const z = upHead[k];
    if (z === u) continue;
    const e = z < u ? arcIndex(upStart, upHead, z, u) : arcIndex(upStart, upHead, u, z);
    const [zu, uz] = z < u ? [exact[2 * e + UP], exact[2 * e + DOWN]] : [exact[2 * e + DOWN], exact[2 * e + UP]];
    if (basic[4 * k + UP] + zu < up) up = basic[4 * k + UP] + zu;
    if (uz + basic[4 * k + DOWN] < down) down = uz + basic[4 * k + DOWN];
  }
  exact[2 * i + UP] = up;
  exact[2 * i + DOWN] = down;
}

/**
 * An arc is needed only where no route through higher nodes beats its lower-node route: every shortest path
 * has an up-down form made of such arcs, so the others can go and queries search far less. The arcs of the
 * `rebuilt` nodes (increasing) are chosen again; every other node's arcs are copied from `previous`.
 */
function neededArcs(
  topology: HierarchyTopology,
  basic: Metric,
  exact: Float64Array,
  side: typeof UP | typeof DOWN,
  rebuilt: ArrayLike<number>,
  previous?: UpwardGraph,
): UpwardGraph {
  const { upStart, upHead } = topology;
  const n = upStart.length - 1;
  const length = side === UP ? UP_LENGTH : DOWN_LENGTH;
  const needed = (a: number) => {
    const time = basic[4 * a + side];
    return time < Infinity && exact[2 * a + side] >= time * (1 - PRUNE_TOLERANCE);
  };
  const old = previous ?? { start: new Int32Array(n + 1), head: new Int32Array(0), timeS: new Float64Array(0), lengthM: new Float64Array(0) };
  let count = old.head.length;
  for (let k = 0; k < rebuilt.length; k++) {
    const r = rebuilt[k];
    count -= old.start[r + 1] - old.start[r];
    for (let a = upStart[r]; a < upStart[r + 1]; a++) if (needed(a)) count++;
  }
  const graph: UpwardGraph = { start: new Int32Array(n + 1), head: new Int32Array(count), timeS: new Float64Array(count), lengthM: new Float64Array(count) };
  let written = 0;
  let copiedFrom = 0;
  // Nodes copiedFrom .. to-1 keep their arcs: one block copy, their starts shifted.
  const copyUpTo = (to: number) => {
    const [first, end] = [old.start[copiedFrom], old.start[to]];
    graph.head.set(old.head.subarray(first, end), written);
    graph.timeS.set(old.timeS.subarray(first, end), written);
    graph.lengthM.set(old.lengthM.subarray(first, end), written);
    for (let r = copiedFrom; r < to; r++) graph.start[r + 1] = old.start[r + 1] - first + written;
    written += end - first;
  };
  for (let k = 0; k < rebuilt.length; k++) {
    const r = rebuilt[k];
    if (r > copiedFrom) copyUpTo(r);
    for (let a = upStart[r]; a < upStart[r + 1]; a++) {
      if (!needed(a)) continue;
      graph.head[written] = upHead[a];
      graph.timeS[written] = basic[4 * a + side];
      graph.lengthM[written++] = basic[4 * a + length];
    }
    graph.start[r + 1] = written;
    copiedFrom = r + 1;
  }
  if (n > copiedFrom) copyUpTo(n);
  return graph;
}
