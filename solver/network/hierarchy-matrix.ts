// Many-to-many travel times over a customized hierarchy, bucket-based (Knopp et al.): each target's backward
// upward search leaves (target, time) entries at the nodes it reaches; each source's forward upward search
// then meets them there. Every shortest route is up then down, so its highest node holds the answer.
import type { CustomizedHierarchy, UpwardGraph } from './hierarchy.ts';

/** The partial edges that join each point to the graph, as typed arrays. */
export interface MatrixLegs {
  size: number;
  /** Legs leaving point i are departureStart[i] .. departureStart[i+1]-1 of the departure arrays. */
  departureStart: Int32Array;
  departureNode: Int32Array;
  departureTimeS: Float64Array;
  departureLengthM: Float64Array;
  arrivalStart: Int32Array;
  arrivalNode: Int32Array;
  arrivalTimeS: Float64Array;
  arrivalLengthM: Float64Array;
}

/** Entries left by the targets' backward searches, grouped by node: those at rank r are start[r] .. start[r+1]-1. */
export interface TargetBuckets {
  start: Int32Array;
  target: Int32Array;
  timeS: Float64Array;
  lengthM: Float64Array;
}

/**
 * Upward search from a set of seeds (node, time, length). In a chordal hierarchy every node it reaches is an
 * elimination-tree ancestor of a seed, so scanning the ancestors in increasing rank replaces a priority queue.
 */
class UpwardSearch {
  readonly timeS: Float64Array;
  readonly lengthM: Float64Array;
  /** The reached nodes that may lie on a shortest route (see run), `count` of them. */
  readonly settled: Int32Array;
  private readonly visitedAt: Int32Array;
  private readonly ancestors: Int32Array;
  private round = 0;

  constructor(
    private readonly hierarchy: CustomizedHierarchy,
    private readonly graph: UpwardGraph,
    /** The opposite direction's arcs, to stall nodes reached late. */
    private readonly stall: UpwardGraph,
  ) {
    const n = hierarchy.rank.length;
    this.timeS = new Float64Array(n);
    this.lengthM = new Float64Array(n);
    this.visitedAt = new Int32Array(n);
    this.ancestors = new Int32Array(n);
    this.settled = new Int32Array(n);
  }

  /**
   * Searches from seeds first .. end-1 and returns how many nodes it settled. A node is left out (stalled)
   * when a higher node plus one arc down to it beats its time: then its time is not its true distance and no
   * shortest route meets there.
   */
  run(first: number, end: number, node: Int32Array, seedTimeS: Float64Array, seedLengthM: Float64Array): number {
    const { timeS, lengthM, visitedAt, ancestors, graph, stall, settled } = this;
    const { rank, parent } = this.hierarchy;
    const round = ++this.round;
    let count = 0;
    for (let k = first; k < end; k++) {
      for (let r = rank[node[k]]; r >= 0 && visitedAt[r] !== round; r = parent[r]) {
        visitedAt[r] = round;
        timeS[r] = Infinity;
        ancestors[count++] = r;
      }
    }
    for (let k = first; k < end; k++) {
      const seed = rank[node[k]];
      if (seedTimeS[k] < timeS[seed]) {
        timeS[seed] = seedTimeS[k];
        lengthM[seed] = seedLengthM[k];
      }
    }
    const reached = ancestors.subarray(0, count).sort();
    for (const r of reached) {
      const t = timeS[r];
      if (t === Infinity) continue;
      const l = lengthM[r];
      const last = graph.start[r + 1];
      for (let a = graph.start[r]; a < last; a++) {
        const u = graph.head[a];
        const via = t + graph.timeS[a];
        if (via < timeS[u]) {
          timeS[u] = via;
          lengthM[u] = l + graph.lengthM[a];
        }
      }
    }
    let kept = 0;
    for (const r of reached) {
      const t = timeS[r];
      if (t === Infinity) continue;
      let stalled = false;
      for (let a = stall.start[r]; a < stall.start[r + 1] && !stalled; a++) stalled = timeS[stall.head[a]] + stall.timeS[a] < t;
      if (!stalled) settled[kept++] = r;
    }
    return kept;
  }
}

/** What the backward searches of targets fromTarget .. fromTarget+count-1 settled, target after target. */
export interface TargetSpaces {
  fromTarget: number;
  /** Entries of target fromTarget + j are start[j] .. start[j+1]-1. */
  start: Int32Array;
  node: Int32Array;
  timeS: Float64Array;
  lengthM: Float64Array;
}

export function targetSpaces(hierarchy: CustomizedHierarchy, legs: MatrixLegs, fromTarget: number, toTarget: number): TargetSpaces {
  const search = new UpwardSearch(hierarchy, hierarchy.backward, hierarchy.forward);
  const start = new Int32Array(toTarget - fromTarget + 1);
  let node = new Int32Array(1024);
  let timeS = new Float64Array(1024);
  let lengthM = new Float64Array(1024);
  let total = 0;
  for (let j = fromTarget; j < toTarget; j++) {
    const count = search.run(legs.arrivalStart[j], legs.arrivalStart[j + 1], legs.arrivalNode, legs.arrivalTimeS, legs.arrivalLengthM);
    if (total + count > node.length) {
      const capacity = 2 * (total + count);
      [node, timeS, lengthM] = [grown(node, new Int32Array(capacity)), grown(timeS, new Float64Array(capacity)), grown(lengthM, new Float64Array(capacity))];
    }
    for (let k = 0; k < count; k++) {
      const r = search.settled[k];
      node[total] = r;
      timeS[total] = search.timeS[r];
      lengthM[total++] = search.lengthM[r];
    }
    start[j - fromTarget + 1] = total;
  }
  return { fromTarget, start, node: node.slice(0, total), timeS: timeS.slice(0, total), lengthM: lengthM.slice(0, total) };
}

function grown<T extends Int32Array | Float64Array>(array: T, bigger: T): T {
  bigger.set(array);
  return bigger;
}

/** Regroups the targets' search spaces (computed in parts, possibly in parallel) by node. */
export function targetBuckets(hierarchy: CustomizedHierarchy, parts: TargetSpaces[]): TargetBuckets {
  const start = new Int32Array(hierarchy.rank.length + 1);
  for (const part of parts) for (const r of part.node) start[r + 1]++;
  for (let r = 0; r + 1 < start.length; r++) start[r + 1] += start[r];
  const total = start[start.length - 1];
  const buckets: TargetBuckets = { start, target: new Int32Array(total), timeS: new Float64Array(total), lengthM: new Float64Array(total) };
  const fill = start.slice(0, -1);
  for (const part of parts) {
    for (let j = 0; j + 1 < part.start.length; j++) {
      for (let k = part.start[j]; k < part.start[j + 1]; k++) {
        const at = fill[part.node[k]]++;
        buckets.target[at] = part.fromTarget + j;
        buckets.timeS[at] = part.timeS[k];
        buckets.lengthM[at] = part.lengthM[k];
      }
    }
  }
  return buckets;
}

/** Rows of the matrix: per source one forward search, then a scan of the buckets at each node it settled. */
export class HierarchyMatrix {
  private readonly search: UpwardSearch;

  constructor(
    hierarchy: CustomizedHierarchy,
    private readonly legs: MatrixLegs,
    private readonly buckets: TargetBuckets,
  ) {
    this.search = new UpwardSearch(hierarchy, hierarchy.forward, hierarchy.backward);
  }

  /** Writes rows fromRow .. toRow-1 (times and lengths, `size` columns each) into the given arrays. */
  rows(fromRow: number, toRow: number, timesS: Float64Array, distancesM: Float64Array): void {
    const { legs, search } = this;
    const { start, target, timeS: bucketTimeS, lengthM: bucketLengthM } = this.buckets;
    const { settled, timeS: reachedTimeS, lengthM: reachedLengthM } = search;
    timesS.fill(Infinity);
    distancesM.fill(Infinity);
    for (let i = fromRow; i < toRow; i++) {
      const row = (i - fromRow) * legs.size;
      const count = search.run(legs.departureStart[i], legs.departureStart[i + 1], legs.departureNode, legs.departureTimeS, legs.departureLengthM);
      for (let k = 0; k < count; k++) {
        const r = settled[k];
        const t = reachedTimeS[r];
        const end = start[r + 1];
        for (let e = start[r]; e < end; e++) {
          const cell = row + target[e];
          const via = t + bucketTimeS[e];
          if (via < timesS[cell]) {
            timesS[cell] = via;
            distancesM[cell] = reachedLengthM[r] + bucketLengthM[e];
          }
        }
      }
    }
  }
}
