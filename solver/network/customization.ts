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
 * Scratch arrays of a customization (180 MB on the 100k-node grid city, 0.4 MB on Monaco), kept from one
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
  /** What partial customization needs beyond the topology: shared by the workspaces of one topology, whose
   * customizations run one at a time (its marks are all cleared again by the end of each). */
  lower: LowerNeighbours;
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
  /** Arcs whose basic weight, then whose exact time, is to be worked out again. */
  pendingBasic: Uint8Array;
  pendingExact: Uint8Array;
  /** Nodes with arcs pending: basic; exact (EXACT_SOME or EXACT_ALL, after a basic time changed); changed. */
  basicNode: Uint8Array;
  exactNode: Uint8Array;
  changedNode: Uint8Array;
  /** One node's arcs before they are redone (four and two numbers each), and which changed. */
  oldBasic: Float64Array;
  oldExact: Float64Array;
  changed: Uint8Array;
}

const EXACT_SOME = 1;
const EXACT_ALL = 2;
/** In `changed`: an arc whose length alone changed, or whose time did. */
const LENGTH_CHANGED = 1;
const TIME_CHANGED = 2;

/** A workspace for one metric; another metric's on the same topology lends it its lists of lower neighbours. */
export function customizationWorkspace(topology: HierarchyTopology, sibling?: CustomizationWorkspace): CustomizationWorkspace {
  return {
    basic: new Float64Array(4 * topology.upHead.length),
    exact: new Float64Array(2 * topology.upHead.length),
    lower: sibling?.lower ?? lowerNeighbours(topology),
  };
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
 * Partial customization, node by node. Basic weights, bottom up: a node's arcs carrying changed layer arcs
 * are worked out again, and so is every arc that one of its changed arcs forms a lower triangle with, where
 * that triangle gave the arc its weight (ties included) or may now. Exact times, top down: every arc of a node
 * whose basic time changed, and every arc one of whose triangles changed where it decided or may now decide.
 * Every redone arc goes through the same candidates, in the same order, as in the full customization, so the
 * result is the same to the bit.
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
  const { upStart, arcOfInput } = topology;
  const { basic, exact, lower } = workspace;
  const { pendingBasic, pendingExact, basicNode, exactNode, changedNode, oldExact, changed } = lower;
  const n = upStart.length - 1;
  for (let a = 0; a < arcTimeS.length; a++) {
    if (arcTimeS[a] === heldTimeS[a]) continue;
    heldTimeS[a] = arcTimeS[a];
    const h = arcOfInput[a];
    if (h < 0) continue;
    pendingBasic[h] = 1;
    basicNode[tailOf(upStart, h)] = 1;
  }
  let recomputedArcs = 0;
  for (let u = 0; u < n; u++) {
    if (!basicNode[u]) continue;
    basicNode[u] = 0;
    let pending = 0;
    for (let a = upStart[u]; a < upStart[u + 1]; a++) pending += pendingBasic[a];
    recomputedArcs += pending;
    const { count, times } = redoLowerRoutes(topology, lower, arcTimeS, arcLengthM, basic, u, pending);
    if (count === 0) continue;
    changedNode[u] = 1;
    if (times > 0) spreadFirstLegs(topology, lower, basic, exact, u, times);
    spreadBasic(topology, lower, basic, u, count);
  }
  for (let x = n - 1; x >= 0; x--) {
    if (!exactNode[x]) continue;
    const first = upStart[x];
    const end = upStart[x + 1];
    for (let a = first; a < end; a++) {
      oldExact[2 * (a - first) + UP] = exact[2 * a + UP];
      oldExact[2 * (a - first) + DOWN] = exact[2 * a + DOWN];
    }
    let pending = 0;
    for (let a = first; a < end; a++) pending += pendingExact[a];
    if (exactNode[x] === EXACT_ALL || pending * FEW_CHANGED >= end - first) {
      for (let a = first; a < end; a++) {
        pendingExact[a] = 0;
        exact[2 * a + UP] = basic[4 * a + UP];
        exact[2 * a + DOWN] = basic[4 * a + DOWN];
      }
      otherTriangles(topology, basic, exact, x);
    } else {
      for (let a = first; a < end; a++) {
        if (!pendingExact[a]) continue;
        pendingExact[a] = 0;
        exactArc(topology, basic, exact, a, x);
      }
    }
    exactNode[x] = 0;
    let count = 0;
    for (let a = first; a < end; a++) {
      changed[a - first] = exact[2 * a + UP] !== oldExact[2 * (a - first) + UP] || exact[2 * a + DOWN] !== oldExact[2 * (a - first) + DOWN] ? 1 : 0;
      count += changed[a - first];
    }
    if (count === 0) continue;
    changedNode[x] = 1;
    spreadExact(topology, lower, basic, exact, x, count);
  }
  const rebuilt: number[] = [];
  for (let r = 0; r < n; r++) {
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
 * Node u's `count` changed arcs (marked in `lower.changed`, former weights in `lower.oldBasic`) take part in
 * the lower triangles at u: arcs i = u–v and j = u–w (v < w) offer v → u → w and back to arc v–w. Marks the
 * arcs whose weight such a changed triangle decided or may now decide. A few changed arcs go through their
 * own triangles; many walk all pairs, as `lowerTriangles` does.
 */
function spreadBasic(topology: HierarchyTopology, lower: LowerNeighbours, basic: Metric, u: number, count: number): void {
  const { upStart, upHead } = topology;
  const { changed } = lower;
  const first = upStart[u];
  const end = upStart[u + 1];
  if (count * FEW_CHANGED < end - first) {
    for (let c = first; c < end; c++) {
      if (!changed[c - first]) continue;
      const v = upHead[c];
      // With z below v the triangle's third arc is z–v; above v it is v–z, met in order among v's arcs.
      for (let k = first; k < c; k++) {
        if (!changed[k - first]) offerChangedTriangle(upHead, lower, basic, first, k, c, arcIndex(upStart, upHead, upHead[k], v));
      }
      for (let k = c + 1, b = upStart[v]; k < end; k++) {
        while (upHead[b] !== upHead[k]) b++;
        offerChangedTriangle(upHead, lower, basic, first, c, k, b);
      }
    }
    return;
  }
  for (let i = first; i < end; i++) {
    let b = upStart[upHead[i]];
    for (let j = i + 1; j < end; j++) {
      const w = upHead[j];
      while (upHead[b] !== w) b++;
      if (changed[i - first] || changed[j - first]) offerChangedTriangle(upHead, lower, basic, first, i, j, b);
    }
  }
}

/** Marks arc b when the triangle of arcs i < j (of the node whose arcs start at `first`) decided or may decide it. */
function offerChangedTriangle(upHead: Int32Array, lower: LowerNeighbours, basic: Metric, first: number, i: number, j: number, b: number): void {
  const { oldBasic } = lower;
  const oi = 4 * (i - first);
  const oj = 4 * (j - first);
  if (
    decides(oldBasic[oi + DOWN] + oldBasic[oj + UP], basic[4 * i + DOWN] + basic[4 * j + UP], basic[4 * b + UP]) ||
    decides(oldBasic[oj + DOWN] + oldBasic[oi + UP], basic[4 * j + DOWN] + basic[4 * i + UP], basic[4 * b + DOWN])
  ) {
    lower.pendingBasic[b] = 1;
    lower.basicNode[upHead[i]] = 1;
  }
}

/**
 * Node x's arcs whose basic time changed (marked TIME_CHANGED) are the first leg of x → z → u (then arc z–u,
 * exact) for the node's other arcs x–u. With a few, marks those arcs (and themselves) whose exact time they
 * decided or may now decide; with many, the whole node is redone.
 */
function spreadFirstLegs(topology: HierarchyTopology, lower: LowerNeighbours, basic: Metric, exact: Float64Array, x: number, count: number): void {
  const { upStart, upHead } = topology;
  const { changed, oldBasic, pendingExact, exactNode } = lower;
  const first = upStart[x];
  const end = upStart[x + 1];
  if (count * FEW_CHANGED >= end - first) {
    exactNode[x] = EXACT_ALL;
    return;
  }
  exactNode[x] ||= EXACT_SOME;
  for (let k = first; k < end; k++) {
    if (changed[k - first] !== TIME_CHANGED) continue;
    pendingExact[k] = 1;
    const z = upHead[k];
    const oldUp = oldBasic[4 * (k - first) + UP];
    const oldDown = oldBasic[4 * (k - first) + DOWN];
    for (let i = first, e = upStart[z]; i < end; i++) {
      const u = upHead[i];
      if (u === z || pendingExact[i]) continue;
      let zu: number;
      let uz: number;
      if (u < z) {
        const below = arcIndex(upStart, upHead, u, z);
        zu = exact[2 * below + DOWN];
        uz = exact[2 * below + UP];
      } else {
        while (upHead[e] !== u) e++;
        zu = exact[2 * e + UP];
        uz = exact[2 * e + DOWN];
      }
      if (
        decides(oldUp + zu, basic[4 * k + UP] + zu, exact[2 * i + UP]) ||
        decides(uz + oldDown, uz + basic[4 * k + DOWN], exact[2 * i + DOWN])
      ) {
        pendingExact[i] = 1;
      }
    }
  }
}

/** Below this share of a node's arcs changed (one in FEW_CHANGED), their triangles are looked up one by one. */
const FEW_CHANGED = 16;

/**
 * Node x's `count` changed exact arcs (marked in `lower.changed`, former times in `lower.oldExact`) are upper
 * arcs of lower triangles: with p = x'–x and q = x'–u for a lower neighbour x' of x, arc e = x–u is the
 * second leg of x' → x → u (p.UP + e.UP, for q) and of x' → u → x (q.UP + e.DOWN, for p), and back. Marks the
 * arcs whose time such a changed route decided or may now decide. A few changed arcs look their triangles up
 * from the shorter list of lower neighbours; many walk each lower neighbour's arcs beside x's.
 */
function spreadExact(topology: HierarchyTopology, lower: LowerNeighbours, basic: Metric, exact: Float64Array, x: number, count: number): void {
  const { upStart, upHead } = topology;
  const { changed, downStart, downTail, downArc } = lower;
  const first = upStart[x];
  const end = upStart[x + 1];
  if (count * FEW_CHANGED < end - first) {
    for (let e = first; e < end; e++) {
      if (!changed[e - first]) continue;
      const u = upHead[e];
      const walked = shorterDownList(lower, x, u);
      for (let k = downStart[walked]; k < downStart[walked + 1]; k++) {
        const p = walked === x ? downArc[k] : otherLeg(topology, lower, k, x);
        const q = walked === x ? otherLeg(topology, lower, k, u) : downArc[k];
        if (p >= 0 && q >= 0) offerChangedLeg(lower, basic, exact, first, e, downTail[k], p, q);
      }
    }
    return;
  }
  for (let k = downStart[x]; k < downStart[x + 1]; k++) {
    const p = downArc[k];
    const qEnd = upStart[downTail[k] + 1];
    // x' 's arcs above x are among x's (its upward neighbours form a clique): walk both lists together.
    for (let q = p + 1, e = first; q < qEnd; q++) {
      while (upHead[e] !== upHead[q]) e++;
      if (changed[e - first]) offerChangedLeg(lower, basic, exact, first, e, downTail[k], p, q);
    }
  }
}

/** Marks arcs p = x'–x and q = x'–u when changed arc e = x–u, as second leg, decided or may decide them. */
function offerChangedLeg(lower: LowerNeighbours, basic: Metric, exact: Float64Array, first: number, e: number, below: number, p: number, q: number): void {
  const { oldExact, pendingExact, exactNode } = lower;
  const oldUp = oldExact[2 * (e - first) + UP];
  const oldDown = oldExact[2 * (e - first) + DOWN];
  const up = exact[2 * e + UP];
  const down = exact[2 * e + DOWN];
  if (
    decides(basic[4 * p + UP] + oldUp, basic[4 * p + UP] + up, exact[2 * q + UP]) ||
    decides(oldDown + basic[4 * p + DOWN], down + basic[4 * p + DOWN], exact[2 * q + DOWN])
  ) {
    pendingExact[q] = 1;
    exactNode[below] ||= EXACT_SOME;
  }
  if (
    decides(basic[4 * q + UP] + oldDown, basic[4 * q + UP] + down, exact[2 * p + UP]) ||
    decides(oldUp + basic[4 * q + DOWN], up + basic[4 * q + DOWN], exact[2 * p + DOWN])
  ) {
    pendingExact[p] = 1;
    exactNode[below] ||= EXACT_SOME;
  }
}

/**
 * Whether a triangle whose route was `before` and is now `after` must have the arc's weight worked out again:
 * it gave the arc its weight (or tied with the one that did), or it beats or ties it now. The arc still
 * holds its former weight; an arc that no route reaches keeps no length, so only a route now decides it.
 */
function decides(before: number, after: number, weight: number): boolean {
  return weight < Infinity ? before <= weight || after <= weight : after < Infinity;
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
  let maxDegree = 0;
  for (let x = 0; x < n; x++) {
    maxDegree = Math.max(maxDegree, upStart[x + 1] - upStart[x]);
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
    pendingBasic: new Uint8Array(upHead.length),
    pendingExact: new Uint8Array(upHead.length),
    basicNode: new Uint8Array(n),
    exactNode: new Uint8Array(n),
    changedNode: new Uint8Array(n),
    oldBasic: new Float64Array(4 * maxDegree),
    oldExact: new Float64Array(2 * maxDegree),
    changed: new Uint8Array(maxDegree),
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
      if (metric[4 * i + DOWN] === Infinity && metric[4 * i + UP] === Infinity) continue;
      let b = upStart[upHead[i]];
      for (let j = i + 1; j < end; j++) {
        const w = upHead[j];
        while (upHead[b] !== w) b++;
        offerTriangle(metric, i, j, b);
      }
    }
  }
}

/** Offers arc b = v–w the lower triangle at x (i = x–v, j = x–w, v < w): v → x → w and back. */
function offerTriangle(metric: Metric, i: number, j: number, b: number): void {
  const there = metric[4 * i + DOWN] + metric[4 * j + UP];
  if (there < metric[4 * b + UP]) {
    metric[4 * b + UP] = there;
    metric[4 * b + UP_LENGTH] = metric[4 * i + DOWN_LENGTH] + metric[4 * j + UP_LENGTH];
  }
  const back = metric[4 * j + DOWN] + metric[4 * i + UP];
  if (back < metric[4 * b + DOWN]) {
    metric[4 * b + DOWN] = back;
    metric[4 * b + DOWN_LENGTH] = metric[4 * j + DOWN_LENGTH] + metric[4 * i + UP_LENGTH];
  }
}

/**
 * Node u's `pending` marked arcs get their basic weights again: from the layer arcs each carries, then its
 * lower triangles in increasing rank of their lowest node, as `inputMetric` and `lowerTriangles` meet them
 * (ties go the same way). A few arcs walk the shorter list of lower neighbours of their two ends; many walk
 * the arcs of each lower neighbour of u beside u's, as `lowerTriangles` does. Marks which arcs changed in
 * `lower.changed`, with their former weights in `lower.oldBasic`; returns how many did, and how many times.
 */
function redoLowerRoutes(
  topology: HierarchyTopology,
  lower: LowerNeighbours,
  arcTimeS: Float64Array,
  arcLengthM: Float64Array,
  metric: Metric,
  u: number,
  pending: number,
): { count: number; times: number } {
  const { upStart, upHead, inputUpward } = topology;
  const { pendingBasic, oldBasic, changed, inputArc, inputCarrier, downStart, downTail, downArc } = lower;
  const first = upStart[u];
  const end = upStart[u + 1];
  for (let b = first; b < end; b++) {
    for (let k = 0; k < 4; k++) oldBasic[4 * (b - first) + k] = metric[4 * b + k];
    if (!pendingBasic[b]) continue;
    metric.fill(Infinity, 4 * b, 4 * b + 4);
    for (let k = lowerBound(inputCarrier, b); k < inputCarrier.length && inputCarrier[k] === b; k++) {
      const a = inputArc[k];
      const side = 4 * b + (inputUpward[a] ? UP : DOWN);
      if (arcTimeS[a] < metric[side]) {
        metric[side] = arcTimeS[a];
        metric[side + 2] = arcLengthM[a];
      }
    }
  }
  if (pending * FEW_CHANGED < end - first) {
    for (let b = first; b < end; b++) {
      if (!pendingBasic[b]) continue;
      const w = upHead[b];
      const walked = shorterDownList(lower, u, w);
      for (let k = downStart[walked]; k < downStart[walked + 1]; k++) {
        const i = walked === u ? downArc[k] : otherLeg(topology, lower, k, u);
        const j = walked === u ? otherLeg(topology, lower, k, w) : downArc[k];
        if (i >= 0 && j >= 0) offerTriangle(metric, i, j, b);
      }
    }
  } else {
    for (let k = downStart[u]; k < downStart[u + 1]; k++) {
      const i = downArc[k];
      const jEnd = upStart[downTail[k] + 1];
      // x's arcs above u are among u's (x's upward neighbours form a clique): walk both lists together.
      for (let j = i + 1, b = first; j < jEnd; j++) {
        while (upHead[b] !== upHead[j]) b++;
        if (pendingBasic[b]) offerTriangle(metric, i, j, b);
      }
    }
  }
  let count = 0;
  let times = 0;
  for (let b = first; b < end; b++) {
    changed[b - first] = 0;
    if (!pendingBasic[b]) continue;
    pendingBasic[b] = 0;
    const old = 4 * (b - first);
    if (metric[4 * b + UP] !== oldBasic[old + UP] || metric[4 * b + DOWN] !== oldBasic[old + DOWN]) changed[b - first] = TIME_CHANGED;
    else if (metric[4 * b + UP_LENGTH] !== oldBasic[old + UP_LENGTH] || metric[4 * b + DOWN_LENGTH] !== oldBasic[old + DOWN_LENGTH]) changed[b - first] = LENGTH_CHANGED;
    if (changed[b - first]) count++;
    if (changed[b - first] === TIME_CHANGED) times++;
  }
  return { count, times };
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
  for (let k = upStart[x]; k < i; k++) {
    const e = arcIndex(upStart, upHead, upHead[k], u);
    if (basic[4 * k + UP] + exact[2 * e + UP] < up) up = basic[4 * k + UP] + exact[2 * e + UP];
    if (exact[2 * e + DOWN] + basic[4 * k + DOWN] < down) down = exact[2 * e + DOWN] + basic[4 * k + DOWN];
  }
  // Upward neighbours of x above u are u's (x's form a clique), met in the same order.
  for (let k = i + 1, e = upStart[u]; k < upStart[x + 1]; k++) {
    while (upHead[e] !== upHead[k]) e++;
    if (basic[4 * k + UP] + exact[2 * e + DOWN] < up) up = basic[4 * k + UP] + exact[2 * e + DOWN];
    if (exact[2 * e + UP] + basic[4 * k + DOWN] < down) down = exact[2 * e + UP] + basic[4 * k + DOWN];
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
