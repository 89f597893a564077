// A residual flow network in flat typed arrays (edge e and its reverse e^1), for maximum flows.

export class FlowNetwork {
  readonly nodeCount: number;
  edgeCount = 0;
  /** First outgoing edge per node, -1 when none; edges chain through `next`. */
  readonly first: Int32Array;
  next: Int32Array;
  to: Int32Array;
  /** Residual capacity. */
  residual: Float64Array;
  /** Capacity as built, to reset between solves. */
  capacity: Float64Array;

  constructor(nodeCount: number, edgeHint = 16) {
    this.nodeCount = nodeCount;
    this.first = new Int32Array(nodeCount).fill(-1);
    this.next = new Int32Array(edgeHint * 2);
    this.to = new Int32Array(edgeHint * 2);
    this.residual = new Float64Array(edgeHint * 2);
    this.capacity = new Float64Array(edgeHint * 2);
  }

  /** Adds u → v with a capacity; returns the edge index (its reverse is index ^ 1). */
  addEdge(u: number, v: number, capacity: number): number {
    if (this.edgeCount + 2 > this.to.length) this.grow();
    const e = this.edgeCount;
    this.link(e, u, v, capacity);
    this.link(e + 1, v, u, 0);
    this.edgeCount += 2;
    return e;
  }

  setCapacity(e: number, capacity: number): void {
    this.capacity[e] = capacity;
  }

  /** Flow currently on forward edge e. */
  flow(e: number): number {
    return this.capacity[e]! - this.residual[e]!;
  }

  /** Empties the network of flow. */
  reset(): void {
    this.residual.set(this.capacity.subarray(0, this.edgeCount));
  }

  private link(e: number, u: number, v: number, capacity: number): void {
    this.to[e] = v;
    this.residual[e] = capacity;
    this.capacity[e] = capacity;
    this.next[e] = this.first[u]!;
    this.first[u] = e;
  }

  private grow(): void {
    const size = this.to.length * 2;
    const widen = <T extends Int32Array | Float64Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.next = widen(this.next, size);
    this.to = widen(this.to, size);
    this.residual = widen(this.residual, size);
    this.capacity = widen(this.capacity, size);
  }
}
