// Single-source shortest travel times on the CSR arrays, reusing its buffers from one search to the next:
// the engine of the travel matrix (one search per source) and of the unreachable-trip explanations.
//
// The queue is a ring of time buckets of width Δ (Dial's buckets, processed as in Δ-stepping): once a bucket
// is empty its nodes are final, because any later improvement would come across an arc from a later bucket.
// Arcs shorter than Δ can improve a node within the current bucket; it is then queued and processed again.
// Δ is half the mean arc time (at least 1/4096 of the longest arc, which bounds the ring): few empty buckets
// to step over and few repeats. Exact, like Dijkstra, without a heap's log factor.

export interface Seed {
  node: number;
  timeS: number;
  lengthM: number;
}

const MAX_BUCKETS = 4096;
const BUCKET_WIDTH_IN_MEAN_ARCS = 0.5;

export class ShortestPathSearch {
  /** Travel time from the seeds to each node (Infinity when not reached). */
  readonly timeS: Float64Array;
  /** Length of the fastest route to each node. */
  readonly lengthM: Float64Array;
  /** Arc by which each node was reached, -1 for seeds and unreached nodes. */
  readonly viaArc: Int32Array;
  private readonly width: number;
  private readonly bucketHead: Int32Array;
  private entryNode: Int32Array;
  private entryTime: Float64Array;
  private entryNext: Int32Array;
  private readonly targetMark: Int32Array;
  private round = 0;

  constructor(
    private readonly offsets: Int32Array,
    private readonly head: Int32Array,
    private readonly arcLengthM: Float64Array,
    private readonly arcTimeS: Float64Array,
  ) {
    const n = offsets.length - 1;
    this.timeS = new Float64Array(n);
    this.lengthM = new Float64Array(n);
    this.viaArc = new Int32Array(n);
    this.targetMark = new Int32Array(n);
    let total = 0;
    let finite = 0;
    let longest = 0;
    for (const t of arcTimeS) {
      if (t === Infinity) continue;
      total += t;
      finite++;
      longest = Math.max(longest, t);
    }
    this.width = Math.max(finite > 0 ? (BUCKET_WIDTH_IN_MEAN_ARCS * total) / finite : 1, longest / MAX_BUCKETS) || 1;
    this.bucketHead = new Int32Array(Math.ceil(longest / this.width) + 2);
    const capacity = head.length + n + 16;
    this.entryNode = new Int32Array(capacity);
    this.entryTime = new Float64Array(capacity);
    this.entryNext = new Int32Array(capacity);
  }

  /**
   * Labels nodes in order of travel time from the seeds; stops early once every node of `targets` has its
   * final time (all nodes when omitted).
   */
  run(seeds: readonly Seed[], targets?: ArrayLike<number>): void {
    const { timeS, lengthM, viaArc, offsets, head, arcLengthM, arcTimeS, targetMark, bucketHead, width } = this;
    timeS.fill(Infinity);
    viaArc.fill(-1);
    bucketHead.fill(-1);
    const buckets = bucketHead.length;
    const round = ++this.round;
    let pendingTargets = Infinity;
    if (targets) {
      pendingTargets = 0;
      for (let i = 0; i < targets.length; i++) {
        if (targetMark[targets[i]] !== round) {
          targetMark[targets[i]] = round;
          pendingTargets++;
        }
      }
    }
    // Seeds join the queue when their bucket comes up, so that every queued time stays within the ring.
    const pendingSeeds = seeds.filter((seed) => seed.timeS < Infinity).sort((a, b) => a.timeS - b.timeS);
    let nextSeed = 0;
    let queued = 0;
    const perWidth = 1 / width;
    let current = pendingSeeds.length > 0 ? (pendingSeeds[0].timeS * perWidth) | 0 : 0;
    let slot = current % buckets;
    let entries = 0;
    let { entryNode, entryTime, entryNext } = this;
    while (queued > 0 || nextSeed < pendingSeeds.length) {
      while (nextSeed < pendingSeeds.length && ((pendingSeeds[nextSeed].timeS * perWidth) | 0) <= current) {
        const seed = pendingSeeds[nextSeed++];
        if (seed.timeS < timeS[seed.node]) {
          timeS[seed.node] = seed.timeS;
          lengthM[seed.node] = seed.lengthM;
          viaArc[seed.node] = -1;
          entryNode[entries] = seed.node;
          entryTime[entries] = seed.timeS;
          entryNext[entries] = bucketHead[slot];
          bucketHead[slot] = entries++;
          queued++;
        }
      }
      // Process the bucket until empty: improvements across arcs shorter than Δ come back into it.
      while (bucketHead[slot] >= 0) {
        const entry = bucketHead[slot];
        bucketHead[slot] = entryNext[entry];
        queued--;
        const u = entryNode[entry];
        const tu = entryTime[entry];
        if (tu !== timeS[u]) continue;
        if (targetMark[u] === round) {
          targetMark[u] = -round;
          pendingTargets--;
        }
        const lu = lengthM[u];
        const end = offsets[u + 1];
        if (entries + end - offsets[u] > entryNode.length) {
          this.grow();
          ({ entryNode, entryTime, entryNext } = this);
        }
        for (let a = offsets[u]; a < end; a++) {
          const t = tu + arcTimeS[a];
          const v = head[a];
          if (t < timeS[v]) {
            timeS[v] = t;
            lengthM[v] = lu + arcLengthM[a];
            viaArc[v] = a;
            const target = ((t * perWidth) | 0) % buckets;
            entryNode[entries] = v;
            entryTime[entries] = t;
            entryNext[entries] = bucketHead[target];
            bucketHead[target] = entries++;
            queued++;
          }
        }
      }
      if (pendingTargets <= 0) return;
      current++;
      slot = slot + 1 === buckets ? 0 : slot + 1;
    }
  }

  private grow(): void {
    const grown = (array: Int32Array | Float64Array) => {
      const bigger = new (array.constructor as Int32ArrayConstructor | Float64ArrayConstructor)(array.length * 2);
      bigger.set(array);
      return bigger;
    };
    this.entryNode = grown(this.entryNode) as Int32Array;
    this.entryTime = grown(this.entryTime) as Float64Array;
    this.entryNext = grown(this.entryNext) as Int32Array;
  }
}
