// Primal network simplex for min-cost circulations with costs in three lexicographic levels: one
// run reaches the lexicographic optimum exactly (an arc enters only if its reduced-cost vector is
// lexicographically improving), with no big-M mixing of the levels. Spanning tree with parent
// pointers and child lists; strongly feasible leaving-arc rule (as in LEMON) against cycling.

const LEVELS = 3;
const LOWER = 1;
const TREE = 0;
const UPPER = -1;

export interface SimplexTolerances {
  /** Reduced-cost differences at or below these (per level) count as zero. */
  levels: [number, number, number];
}

/** The pivot limit was reached (a round-off loop); callers fall back to a general LP solver. */
export class SimplexStalled extends Error {
  constructor(readonly pivots: number) {
    super(`network simplex stalled after ${pivots} pivots`);
  }
}

export class NetworkSimplex {
  private readonly n: number;
  private readonly source: number[] = [];
  private readonly target: number[] = [];
  private readonly cap: number[] = [];
  private readonly cost: number[] = [];
  private flows: Float64Array = new Float64Array(0);
  /** The last solve's basis, kept for warm re-solves. */
  private basis: SimplexRun | undefined;

  /** `nodeCount` real nodes; every node's supply is zero (a circulation). */
  constructor(nodeCount: number) {
    this.n = nodeCount;
  }

  /** Arc u → v with capacity (finite) and one cost per level; returns its index. */
  addArc(u: number, v: number, capacity: number, c0 = 0, c1 = 0, c2 = 0): number {
    this.source.push(u);
    this.target.push(v);
    this.cap.push(capacity);
    this.cost.push(c0, c1, c2);
    return this.source.length - 1;
  }

  flow(arc: number): number {
    return this.flows[arc]!;
  }

  /**
   * Finds a minimum-cost circulation; returns the number of pivots. `startArcs` optionally lists
   * real arcs u → v to start the basis with (v then being u's parent, at flow 0): a warm start
   * that must form a forest whose roots hang from the artificial root.
   */
  solve(tol: SimplexTolerances, startArcs: readonly number[] = []): number {
    this.basis = new SimplexRun(this.n, this.source, this.target, this.cap, this.cost, tol, (flows) => {
      this.flows = flows;
    });
    this.basis.startWith(startArcs);
    return this.basis.run();
  }

  /**
   * Changes some arcs' costs after a solve and re-optimises from the optimal basis found (it stays
   * feasible: capacities are unchanged), which takes few pivots when the change is small.
   */
  resolveWithCosts(changes: readonly { arc: number; cost: [number, number, number] }[]): number {
    if (!this.basis) throw new Error('resolveWithCosts needs a solve first');
    for (const { arc, cost } of changes) this.basis.setCost(arc, cost);
    this.basis.refreshAll();
    return this.basis.run();
  }
}

/** One solve: the arrays of the basis (spanning tree rooted at an artificial node). */
class SimplexRun {
  private readonly m: number;
  /** Real arcs come first; artificial ones (after) only form the starting basis and never re-enter. */
  private readonly realArcs: number;
  private readonly root: number;
  private readonly source: Int32Array;
  private readonly target: Int32Array;
  private readonly cap: Float64Array;
  private readonly cost: Float64Array;
  private readonly flow: Float64Array;
  private readonly state: Int8Array;
  private readonly pi: Float64Array;
  private readonly parent: Int32Array;
  private readonly pred: Int32Array;
  private readonly depth: Int32Array;
  private readonly firstChild: Int32Array;
  private readonly nextSibling: Int32Array;
  private readonly prevSibling: Int32Array;
  private readonly blockSize: number;
  private nextArc = 0;
  /** Scratch buffers reused by every pivot. */
  private readonly pathNodes: Int32Array;
  private readonly pathArcs: Int32Array;
  private readonly stack: Int32Array;
  private readonly rc = new Float64Array(LEVELS);
  private readonly best = new Float64Array(LEVELS);

  constructor(
    n: number,
    source: number[],
    target: number[],
    cap: number[],
    cost: number[],
    private readonly tol: SimplexTolerances,
    private readonly done: (flows: Float64Array) => void,
  ) {
    const real = source.length;
    this.m = real + n;
    this.realArcs = real;
    this.root = n;
    const nodes = n + 1;
    this.source = new Int32Array(this.m);
    this.target = new Int32Array(this.m);
    this.cap = new Float64Array(this.m);
    this.cost = new Float64Array(this.m * LEVELS);
    this.source.set(source);
    this.target.set(target);
    this.cap.set(cap);
    this.cost.set(cost);
    this.flow = new Float64Array(this.m);
    this.state = new Int8Array(this.m).fill(LOWER);
    this.pi = new Float64Array(nodes * LEVELS);
    this.parent = new Int32Array(nodes).fill(-1);
    this.pred = new Int32Array(nodes).fill(-1);
    this.depth = new Int32Array(nodes);
    this.firstChild = new Int32Array(nodes).fill(-1);
    this.nextSibling = new Int32Array(nodes).fill(-1);
    this.prevSibling = new Int32Array(nodes).fill(-1);
    this.blockSize = Math.max(10, Math.ceil(Math.sqrt(real)));
    this.pathNodes = new Int32Array(nodes);
    this.pathArcs = new Int32Array(nodes);
    this.stack = new Int32Array(nodes);
    // Initial basis: every node hangs from the root by an artificial arc u → root at flow 0, whose
    // level-0 cost outweighs anything a real cycle can gain (real level-0 costs are −1, 0 or 1).
    let totalCap = 0;
    for (const c of cap) totalCap += c;
    for (let u = 0; u < n; u++) {
      const e = real + u;
      this.source[e] = u;
      this.target[e] = this.root;
      this.cap[e] = totalCap + 1;
      this.cost[e * LEVELS] = 4 * (n + 1);
      this.state[e] = TREE;
      this.attach(u, this.root, e);
      this.depth[u] = 1;
      for (let l = 0; l < LEVELS; l++) this.pi[u * LEVELS + l] = -this.cost[e * LEVELS + l]!;
    }
  }

  /** Potentials go stale until refreshAll(). */
  setCost(arc: number, cost: readonly number[]): void {
    for (let l = 0; l < LEVELS; l++) this.cost[arc * LEVELS + l] = cost[l]!;
  }

  /** Depth and potentials of the whole tree from the root down. */
  refreshAll(): void {
    for (let c = this.firstChild[this.root]!; c >= 0; c = this.nextSibling[c]!) this.refreshSubtree(c);
  }

  /** Hangs each start arc's source from its target instead of the root; flows stay 0. */
  startWith(arcs: readonly number[]): void {
    if (arcs.length === 0) return;
    for (const e of arcs) {
      const u = this.source[e]!;
      this.state[this.pred[u]!] = LOWER;
      this.detach(u);
      this.attach(u, this.target[e]!, e);
      this.state[e] = TREE;
    }
    this.refreshAll();
  }

  run(): number {
    // Strongly feasible trees do not cycle in exact arithmetic; this bounds what round-off could do.
    const pivotLimit = 200 * this.m + 100_000;
    let pivots = 0;
    for (let entering = this.findEntering(); entering >= 0; entering = this.findEntering()) {
      this.pivot(entering);
      if (++pivots > pivotLimit) throw new SimplexStalled(pivots);
    }
    this.done(this.flow.slice(0, this.m - this.root));
    return pivots;
  }

  /**
   * Block pricing over the real arcs: the lexicographically most improving arc of the first block
   * that has one. (An artificial arc that left the basis has flow 0 and a cost no cycle can repay.)
   */
  private findEntering(): number {
    const { realArcs: m, state, source, target, cost, pi, rc, best, blockSize } = this;
    const [t0, t1, t2] = this.tol.levels;
    let found = -1;
    let inBlock = 0;
    let e = this.nextArc;
    for (let k = 0; k < m; k++, e = e + 1 === m ? 0 : e + 1) {
      const s = state[e]!;
      if (s !== TREE) {
        // state × reduced cost, level by level; most arcs are decided at level 0.
        const u = source[e]! * LEVELS;
        const v = target[e]! * LEVELS;
        const c = e * LEVELS;
        const r0 = s * (cost[c]! + pi[u]! - pi[v]!);
        if (r0 <= t0) {
          const r1 = s * (cost[c + 1]! + pi[u + 1]! - pi[v + 1]!);
          const r2 = s * (cost[c + 2]! + pi[u + 2]! - pi[v + 2]!);
          const negative = r0 < -t0 || (r1 < -t1 || (r1 <= t1 && r2 < -t2));
          if (negative) {
            rc[0] = r0;
            rc[1] = r1;
            rc[2] = r2;
            if (found < 0 || this.lexLessThanBest()) {
              found = e;
              best.set(rc);
            }
          }
        }
      }
      if (++inBlock === blockSize) {
        if (found >= 0) {
          this.nextArc = e + 1 === m ? 0 : e + 1;
          return found;
        }
        inBlock = 0;
      }
    }
    this.nextArc = e;
    return found;
  }

  private lexLessThanBest(): boolean {
    for (let l = 0; l < LEVELS; l++) {
      if (this.rc[l]! < this.best[l]! - this.tol.levels[l]!) return true;
      if (this.rc[l]! > this.best[l]! + this.tol.levels[l]!) return false;
    }
    return false;
  }

  private pivot(entering: number): void {
    // Push flow around the cycle entering arc + tree path, in the direction that lowers the cost.
    const forward = this.state[entering] === LOWER;
    const first = forward ? this.source[entering]! : this.target[entering]!;
    const second = forward ? this.target[entering]! : this.source[entering]!;
    const join = this.findJoin(first, second);
    let delta = this.cap[entering]!;
    let leavingNode = -1;
    let leavingSide = 0;
    let leavingToUpper = false;
    // Flow runs first → second on the entering arc, up the tree from second to the join, and down
    // from the join to first. On first's side an arc pointing down (parent → u) gains flow.
    for (let u = first; u !== join; u = this.parent[u]!) {
      const e = this.pred[u]!;
      const gains = this.source[e] !== u;
      const room = gains ? this.cap[e]! - this.flow[e]! : this.flow[e]!;
      if (room < delta) {
        delta = room;
        leavingNode = u;
        leavingSide = 1;
        leavingToUpper = gains;
      }
    }
    // On second's side an arc pointing up (u → parent) gains; ties go here (strongly feasible tree).
    for (let u = second; u !== join; u = this.parent[u]!) {
      const e = this.pred[u]!;
      const gains = this.source[e] === u;
      const room = gains ? this.cap[e]! - this.flow[e]! : this.flow[e]!;
      if (room <= delta) {
        delta = room;
        leavingNode = u;
        leavingSide = 2;
        leavingToUpper = gains;
      }
    }
    if (delta > 0) {
      this.flow[entering]! += forward ? delta : -delta;
      for (let u = first; u !== join; u = this.parent[u]!) {
        const e = this.pred[u]!;
        this.flow[e]! += this.source[e] === u ? -delta : delta;
      }
      for (let u = second; u !== join; u = this.parent[u]!) {
        const e = this.pred[u]!;
        this.flow[e]! += this.source[e] === u ? delta : -delta;
      }
    }
    if (leavingSide === 0) {
      // The entering arc itself is the bottleneck: it moves to its other bound.
      this.state[entering] = forward ? UPPER : LOWER;
      return;
    }
    const leavingArc = this.pred[leavingNode]!;
    // Snap to the bound it reached, so round-off never leaves a non-tree arc strictly inside.
    this.flow[leavingArc] = leavingToUpper ? this.cap[leavingArc]! : 0;
    this.state[leavingArc] = leavingToUpper ? UPPER : LOWER;
    this.state[entering] = TREE;
    // Re-hang the subtree cut off at leavingNode from the entering arc's end on that side.
    const hangFrom = leavingSide === 1 ? first : second;
    const newParent = leavingSide === 1 ? second : first;
    this.rehang(hangFrom, leavingNode, newParent, entering);
  }

  private findJoin(u: number, v: number): number {
    while (this.depth[u]! > this.depth[v]!) u = this.parent[u]!;
    while (this.depth[v]! > this.depth[u]!) v = this.parent[v]!;
    while (u !== v) {
      u = this.parent[u]!;
      v = this.parent[v]!;
    }
    return u;
  }

  /** Reverses the tree path start → … → stop, then hangs start from newParent by `arc`. */
  private rehang(start: number, stop: number, newParent: number, arc: number): void {
    const path = this.pathNodes;
    const arcs = this.pathArcs;
    let length = 0;
    for (let u = start; ; u = this.parent[u]!) {
      path[length] = u;
      arcs[length++] = this.pred[u]!;
      if (u === stop) break;
    }
    for (let k = 0; k < length; k++) this.detach(path[k]!);
    this.attach(start, newParent, arc);
    for (let k = 1; k < length; k++) this.attach(path[k]!, path[k - 1]!, arcs[k - 1]!);
    this.refreshSubtree(start);
  }

  /** Depth and potentials below a re-hung node, from its parent down (tree arcs have zero reduced cost). */
  private refreshSubtree(top: number): void {
    const stack = this.stack;
    let size = 0;
    stack[size++] = top;
    while (size > 0) {
      const u = stack[--size]!;
      const p = this.parent[u]!;
      const e = this.pred[u]!;
      this.depth[u] = this.depth[p]! + 1;
      const sign = this.source[e] === u ? -1 : 1;
      for (let l = 0; l < LEVELS; l++) this.pi[u * LEVELS + l] = this.pi[p * LEVELS + l]! + sign * this.cost[e * LEVELS + l]!;
      for (let c = this.firstChild[u]!; c >= 0; c = this.nextSibling[c]!) stack[size++] = c;
    }
  }

  private attach(u: number, p: number, arc: number): void {
    this.parent[u] = p;
    this.pred[u] = arc;
    this.prevSibling[u] = -1;
    this.nextSibling[u] = this.firstChild[p]!;
    if (this.firstChild[p]! >= 0) this.prevSibling[this.firstChild[p]!] = u;
    this.firstChild[p] = u;
  }

  private detach(u: number): void {
    const p = this.parent[u]!;
    const prev = this.prevSibling[u]!;
    const next = this.nextSibling[u]!;
    if (prev >= 0) this.nextSibling[prev] = next;
    else this.firstChild[p] = next;
    if (next >= 0) this.prevSibling[next] = prev;
    this.parent[u] = -1;
    this.prevSibling[u] = -1;
    this.nextSibling[u] = -1;
  }
}
