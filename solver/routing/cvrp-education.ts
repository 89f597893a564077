// HGS-CVRP's local search (Vidal 2022) specialised to plain CVRP: one depot, one capacity, symmetric
// distances, overload priced per unit. Routes are linked lists over flat typed arrays holding each node's
// route, position and cumulative load, so every move on granular neighbours is priced in O(1), and SWAP*
// reads cached best insertions. The general LocalSearch (any constraint) serves every other problem.
import type { Random } from '../random.ts';

const EPSILON = 1e-6;
/** Insertion places SWAP* keeps per customer and route. */
const TOP = 3;
/**
 * Without positions, the nearest neighbours through which two routes count as nearby for SWAP*. The
 * nearest 5 made children about 1.4 times cheaper on CMT5 but did not help the band at 5 s.
 */
const NEARBY = 20;
/** A full turn in the units of polar angles (HGS-CVRP's CircleSector). */
const TURN = 65536;

export interface CvrpProblem {
  /** Flat distances over nodes, `nodeCount` wide; symmetric. */
  dist: Float64Array;
  nodeCount: number;
  depot: number;
  /** Customers are nodes 0..customers-1. */
  customers: number;
  /** Per customer. */
  demand: ArrayLike<number>;
  capacity: number;
  /** Routes available, empty ones included. */
  routes: number;
  /**
   * Per customer, its polar angle around the depot (see polarAngles), when positions are known: SWAP*
   * then tries only the pairs of routes whose sectors overlap, as HGS-CVRP does, and not every pair that
   * near neighbours link (on CMT5 that made children about 1.5 times cheaper).
   */
  angles?: Int32Array;
}

/** Each customer's polar angle around the depot in 1/TURN of a turn, from positions laid out as Instance.position. */
export function polarAngles(position: Float64Array, customers: number, depot: number): Int32Array {
  const x0 = position[2 * depot]!;
  const y0 = position[2 * depot + 1]!;
  return Int32Array.from({ length: customers }, (_, c) => turns(Math.round((TURN / 2) * (Math.atan2(position[2 * c + 1]! - y0, position[2 * c]! - x0) / Math.PI))));
}

/** An angle brought into [0, TURN). */
function turns(angle: number): number {
  return ((angle % TURN) + TURN) % TURN;
}

/** Whether two sectors (each from its start counter-clockwise to its end) share an angle. */
export function sectorsOverlap(startA: number, endA: number, startB: number, endB: number): boolean {
  return turns(startB - startA) <= turns(endA - startA) || turns(startA - startB) <= turns(endB - startB);
}

export type CvrpMove = 'relocate' | 'relocate-pair' | 'relocate-pair-reversed' | 'swap' | 'swap-pair-one' | 'swap-pairs' | '2-opt' | '2-opt*-reversed' | '2-opt*' | 'swap*';

/**
 * Node ids: customers 0..n-1, then per route r a start sentinel n+2r and an end sentinel n+2r+1 (both the
 * depot), so that a route's ends need no special case.
 */
export class CvrpEducation {
  /** Cost of each unit of load above capacity. */
  penalty = 1;
  private readonly n: number;
  private readonly R: number;
  /** Distances over places: customers, then the depot at n. */
  private readonly D: Float64Array;
  private readonly place: Int32Array;
  private readonly demand: Float64Array;
  private readonly capacity: number;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly routeOf: Int32Array;
  private readonly pos: Int32Array;
  /** Load from the route's start up to the node, inclusive. */
  private readonly cumLoad: Float64Array;
  private readonly routeLoad: Float64Array;
  private readonly routeLength: Float64Array;
  private readonly routeSize: Int32Array;
  /** Move counter: never reset, so that every stamp below stays comparable across loads. */
  private clock = 0;
  private readonly modifiedAt: Int32Array;
  private readonly testedAt: Int32Array;
  private readonly swapTestedAt: Int32Array;
  /** SWAP*: per route and customer, its TOP cheapest insertions (cost, node after which) and when they were found. */
  private readonly insCost: Float64Array;
  private readonly insAt: Int32Array;
  private readonly insStamp: Int32Array;
  private readonly removal: Float64Array;
  private readonly nearby: Uint8Array;
  private readonly angles: Int32Array | null;
  /** Per route, a sector around the depot that holds its customers' angles (see updateSector; with angles only). */
  private readonly sectorStart: Int32Array;
  private readonly sectorEnd: Int32Array;
  private readonly bufA: Int32Array;
  private readonly bufB: Int32Array;
  // The pair under evaluation: u, its predecessor, successor and the one after; likewise v.
  private u = 0;
  private pu = 0;
  private x = 0;
  private xx = 0;
  private ru = 0;
  private v = 0;
  private pv = 0;
  private y = 0;
  private yy = 0;
  private rv = 0;
  /** Where insertInstead puts its customer. */
  private insertAt = -1;
  /** Cost change of the move just accepted. */
  private delta = 0;

  constructor(
    p: CvrpProblem,
    /** Per customer, the customers it is tried next to, nearest first. */
    private readonly neighbours: Int32Array[],
    private readonly random: Random,
    /** Sees every applied move with the change in penalised cost it was priced at (for tests). */
    private readonly onMove?: (move: CvrpMove, delta: number) => void,
  ) {
    const n = (this.n = p.customers);
    const R = (this.R = p.routes);
    const M = n + 2 * R;
    this.D = new Float64Array((n + 1) * (n + 1));
    for (let a = 0; a <= n; a++) {
      const pa = a === n ? p.depot : a;
      for (let b = 0; b <= n; b++) this.D[a * (n + 1) + b] = p.dist[pa * p.nodeCount + (b === n ? p.depot : b)]!;
    }
    this.place = new Int32Array(M).fill(n);
    for (let c = 0; c < n; c++) this.place[c] = c;
    this.demand = new Float64Array(M);
    for (let c = 0; c < n; c++) this.demand[c] = p.demand[c]!;
    this.capacity = p.capacity;
    this.next = new Int32Array(M).fill(-1);
    this.prev = new Int32Array(M).fill(-1);
    this.routeOf = new Int32Array(M).fill(-1);
    this.pos = new Int32Array(M);
    this.cumLoad = new Float64Array(M);
    this.routeLoad = new Float64Array(R);
    this.routeLength = new Float64Array(R);
    this.routeSize = new Int32Array(R);
    this.modifiedAt = new Int32Array(R);
    this.testedAt = new Int32Array(n);
    this.swapTestedAt = new Int32Array(R);
    this.insCost = new Float64Array(R * n * TOP);
    this.insAt = new Int32Array(R * n * TOP);
    this.insStamp = new Int32Array(R * n).fill(-1);
    this.removal = new Float64Array(n);
    this.nearby = new Uint8Array(R * R);
    this.angles = p.angles ?? null;
    this.sectorStart = new Int32Array(R);
    this.sectorEnd = new Int32Array(R);
    this.bufA = new Int32Array(n);
    this.bufB = new Int32Array(n);
  }

  /** Takes routes (at most one per available route; customers listed nowhere stay out). */
  load(routes: number[][]): void {
    this.routeOf.fill(-1, 0, this.n);
    const stamp = ++this.clock;
    for (let r = 0; r < this.R; r++) {
      const nodes = routes[r] ?? [];
      for (let k = 0; k < nodes.length; k++) this.bufA[k] = nodes[k]!;
      this.relink(r, this.bufA, nodes.length);
      this.modifiedAt[r] = stamp;
    }
  }

  /**
   * Applies improving moves until none is left. With `start`, the first pass tries only those customers
   * (a child's new edges) and later passes what changed since; without, every customer.
   */
  improve(start?: number[]): void {
    const { routeOf, testedAt } = this;
    const order: number[] = [];
    for (let c = 0; c < this.n; c++) if (routeOf[c]! >= 0) order.push(c);
    this.random.shuffle(order);
    // Everyone counts as tried against the routes as loaded: later passes try only what changes from here on.
    testedAt.fill(this.clock);
    this.swapTestedAt.fill(-1);
    for (let loop = 0; ; loop++) {
      let improved = false;
      const first = loop === 0 ? (start ? this.random.shuffle(start.slice()) : order) : order;
      for (const u of first) {
        if (routeOf[u]! < 0) continue;
        const lastTested = loop === 0 ? -1 : testedAt[u]!;
        testedAt[u] = this.clock;
        if (this.improveAround(u, lastTested, loop > 0)) improved = true;
      }
      if (this.swapStarPass()) improved = true;
      if (!improved) return;
    }
  }

  /** Whole penalised cost: distance plus the overload priced. */
  cost(): number {
    let total = 0;
    for (let r = 0; r < this.R; r++) total += this.routeLength[r]! + this.overload(this.routeLoad[r]!);
    return total;
  }

  /** Load above capacity, summed over routes. */
  excess(): number {
    let total = 0;
    for (let r = 0; r < this.R; r++) total += Math.max(0, this.routeLoad[r]! - this.capacity);
    return total;
  }

  /** The routes as customer lists (one per available route, empty ones included) and their distances. */
  routes(): { nodes: number[]; distance: number }[] {
    const out: { nodes: number[]; distance: number }[] = [];
    for (let r = 0; r < this.R; r++) {
      const nodes: number[] = [];
      for (let c = this.next[this.n + 2 * r]!; c < this.n; c = this.next[c]!) nodes.push(c);
      out.push({ nodes, distance: this.routeLength[r]! });
    }
    return out;
  }

  /** The customers of the routes over capacity. */
  overloadedCustomers(): number[] {
    const out: number[] = [];
    for (let r = 0; r < this.R; r++) {
      if (this.routeLoad[r]! <= this.capacity) continue;
      for (let c = this.next[this.n + 2 * r]!; c < this.n; c = this.next[c]!) out.push(c);
    }
    return out;
  }

  /** Every move of u with each of its neighbours (and with the depot before one); true if any applied. */
  private improveAround(u: number, lastTested: number, tryEmpty: boolean): boolean {
    const { routeOf, modifiedAt, prev, n } = this;
    let improved = false;
    for (const v of this.neighbours[u]!) {
      if (routeOf[v]! < 0) continue;
      if (Math.max(modifiedAt[routeOf[u]!]!, modifiedAt[routeOf[v]!]!) <= lastTested) continue;
      this.setU(u);
      this.setV(v);
      const intra = this.ru === this.rv;
      if (this.relocate() || this.relocatePair() || this.relocatePairReversed()) {
        improved = true;
        continue;
      }
      if ((u <= v && this.swap()) || this.swapPairOne() || (u <= v && this.swapPairs())) {
        improved = true;
        continue;
      }
      if (intra ? this.twoOpt() : this.twoOptStarReversed() || this.twoOptStar()) {
        improved = true;
        continue;
      }
      // v first on its route: u may also go right after the depot.
      if (prev[v]! >= n && this.moveAfterDepot(u, routeOf[v]!)) improved = true;
    }
    if (tryEmpty) {
      const empty = this.routeSize.indexOf(0);
      if (empty >= 0 && this.moveAfterDepot(u, empty)) improved = true;
    }
    return improved;
  }

  /** The moves of u to just after the start of route r. */
  private moveAfterDepot(u: number, r: number): boolean {
    this.setU(u);
    this.setV(this.n + 2 * r);
    if (this.relocate() || this.relocatePair() || this.relocatePairReversed()) return true;
    return this.ru !== this.rv && (this.twoOptStarReversed() || this.twoOptStar());
  }

  private setU(u: number): void {
    const { next, n } = this;
    this.u = u;
    this.pu = this.prev[u]!;
    this.x = next[u]!;
    this.xx = this.x < n ? next[this.x]! : this.x;
    this.ru = this.routeOf[u]!;
  }

  private setV(v: number): void {
    const { next, n } = this;
    this.v = v;
    this.pv = this.prev[v]!;
    this.y = next[v]!;
    this.yy = this.y < n ? next[this.y]! : this.y;
    this.rv = this.routeOf[v]!;
  }

  private d(a: number, b: number): number {
    return this.D[this.place[a]! * (this.n + 1) + this.place[b]!]!;
  }

  private overload(load: number): number {
    return load > this.capacity ? (load - this.capacity) * this.penalty : 0;
  }

  /** Change in the overload cost of routes u and v when load `moved` goes from u's to v's. */
  private loadChange(moved: number): number {
    if (this.ru === this.rv) return 0;
    const lu = this.routeLoad[this.ru]!;
    const lv = this.routeLoad[this.rv]!;
    return this.overload(lu - moved) - this.overload(lu) + this.overload(lv + moved) - this.overload(lv);
  }

  /** Applies when cheaper: `delta` is the distance change, the load moving from route u to v is `moved`. */
  private accept(delta: number, moved: number): boolean {
    if (this.ru !== this.rv) {
      // Screen by distance first: overload can lower the cost by at most the routes' current overload.
      if (delta >= this.overload(this.routeLoad[this.ru]!) + this.overload(this.routeLoad[this.rv]!)) return false;
      delta += this.loadChange(moved);
    }
    if (delta > -EPSILON) return false;
    this.delta = delta;
    return true;
  }

  // Moves 1 to 9 of HGS-CVRP's LocalSearch, with x = next(u) and y = next(v).

  /** u after v. */
  private relocate(): boolean {
    const { u, pu, x, v, y } = this;
    if (u === y) return false;
    const delta = this.d(pu, x) - this.d(pu, u) - this.d(u, x) + this.d(v, u) + this.d(u, y) - this.d(v, y);
    if (!this.accept(delta, this.demand[u]!)) return false;
    this.insertAfter(u, v);
    this.changed('relocate');
    return true;
  }

  /** u, x after v. */
  private relocatePair(): boolean {
    const { u, pu, x, xx, v, y, n } = this;
    if (u === y || v === x || x >= n) return false;
    const delta = this.d(pu, xx) - this.d(pu, u) - this.d(x, xx) + this.d(v, u) + this.d(x, y) - this.d(v, y);
    if (!this.accept(delta, this.demand[u]! + this.demand[x]!)) return false;
    this.insertAfter(u, v);
    this.insertAfter(x, u);
    this.changed('relocate-pair');
    return true;
  }

  /** x, u after v. */
  private relocatePairReversed(): boolean {
    const { u, pu, x, xx, v, y, n } = this;
    if (u === y || v === x || x >= n) return false;
    const delta = this.d(pu, xx) - this.d(pu, u) - this.d(u, x) - this.d(x, xx) + this.d(v, x) + this.d(x, u) + this.d(u, y) - this.d(v, y);
    if (!this.accept(delta, this.demand[u]! + this.demand[x]!)) return false;
    this.insertAfter(x, v);
    this.insertAfter(u, x);
    this.changed('relocate-pair-reversed');
    return true;
  }

  /** u and v trade places. */
  private swap(): boolean {
    const { u, pu, x, v, pv, y, n } = this;
    if (v >= n || u === pv || u === y) return false;
    const delta = this.d(pu, v) + this.d(v, x) - this.d(pu, u) - this.d(u, x) + this.d(pv, u) + this.d(u, y) - this.d(pv, v) - this.d(v, y);
    if (!this.accept(delta, this.demand[u]! - this.demand[v]!)) return false;
    this.swapNodes(u, v);
    this.changed('swap');
    return true;
  }

  /** u, x trade places with v. */
  private swapPairOne(): boolean {
    const { u, pu, x, xx, v, pv, y, n } = this;
    if (v >= n || x >= n || u === pv || x === pv || u === y) return false;
    const delta = this.d(pu, v) + this.d(v, xx) - this.d(pu, u) - this.d(x, xx) + this.d(pv, u) + this.d(x, y) - this.d(pv, v) - this.d(v, y);
    if (!this.accept(delta, this.demand[u]! + this.demand[x]! - this.demand[v]!)) return false;
    this.swapNodes(u, v);
    this.insertAfter(x, u);
    this.changed('swap-pair-one');
    return true;
  }

  /** u, x trade places with v, y. */
  private swapPairs(): boolean {
    const { u, pu, x, xx, v, pv, y, yy, n } = this;
    if (v >= n || x >= n || y >= n || y === pu || u === y || x === v || v === xx) return false;
    const delta = this.d(pu, v) + this.d(y, xx) - this.d(pu, u) - this.d(x, xx) + this.d(pv, u) + this.d(x, yy) - this.d(pv, v) - this.d(y, yy);
    if (!this.accept(delta, this.demand[u]! + this.demand[x]! - this.demand[v]! - this.demand[y]!)) return false;
    this.swapNodes(u, v);
    this.swapNodes(x, y);
    this.changed('swap-pairs');
    return true;
  }

  /** Within a route, u before v: (u,x),(v,y) become (u,v),(x,y), reversing x..v. */
  private twoOpt(): boolean {
    const { u, x, v, y, pos, next, prev } = this;
    if (pos[u]! > pos[v]! || x === v) return false;
    const delta = this.d(u, v) + this.d(x, y) - this.d(u, x) - this.d(v, y);
    if (!this.accept(delta, 0)) return false;
    let node = v;
    let before = u;
    for (;;) {
      const back = prev[node]!;
      next[before] = node;
      prev[node] = before;
      before = node;
      if (node === x) break;
      node = back;
    }
    next[x] = y;
    prev[y] = x;
    this.changed('2-opt');
    return true;
  }

  /** Between routes: (u,x),(v,y) become (u,v),(x,y): u's head then v's head reversed; x's tail reversed then y's. */
  private twoOptStarReversed(): boolean {
    const { u, x, v, y, ru, rv, cumLoad, routeLoad } = this;
    const delta = this.d(u, v) + this.d(x, y) - this.d(u, x) - this.d(v, y);
    const before = this.overload(routeLoad[ru]!) + this.overload(routeLoad[rv]!);
    if (delta >= before) return false;
    const head = cumLoad[u]! + cumLoad[v]!;
    const total = delta + this.overload(head) + this.overload(routeLoad[ru]! + routeLoad[rv]! - head) - before;
    if (total > -EPSILON) return false;
    const a = this.collect(this.bufA, 0, u, false, true);
    const lenA = this.collect(this.bufA, a, v, false, false);
    const b = this.collect(this.bufB, 0, x, true, false);
    const lenB = this.collect(this.bufB, b, y, true, true);
    this.relink(ru, this.bufA, lenA);
    this.relink(rv, this.bufB, lenB);
    this.onMove?.('2-opt*-reversed', total);
    return true;
  }

  /** Between routes: (u,x),(v,y) become (u,y),(v,x): the tails trade routes. */
  private twoOptStar(): boolean {
    const { u, x, v, y, ru, rv, cumLoad, routeLoad } = this;
    const delta = this.d(u, y) + this.d(v, x) - this.d(u, x) - this.d(v, y);
    const before = this.overload(routeLoad[ru]!) + this.overload(routeLoad[rv]!);
    if (delta >= before) return false;
    const total = delta + this.overload(cumLoad[u]! + routeLoad[rv]! - cumLoad[v]!) + this.overload(cumLoad[v]! + routeLoad[ru]! - cumLoad[u]!) - before;
    if (total > -EPSILON) return false;
    const a = this.collect(this.bufA, 0, u, false, true);
    const lenA = this.collect(this.bufA, a, y, true, true);
    const b = this.collect(this.bufB, 0, v, false, true);
    const lenB = this.collect(this.bufB, b, x, true, true);
    this.relink(ru, this.bufA, lenA);
    this.relink(rv, this.bufB, lenB);
    this.onMove?.('2-opt*', total);
    return true;
  }

  /**
   * Appends to buf from `at` the customers of node's route up to node (`tail` false) or from node on
   * (`tail` true), in route order or reversed; returns the new length. Sentinels are skipped.
   */
  private collect(buf: Int32Array, at: number, node: number, tail: boolean, forward: boolean): number {
    const { next, prev, n } = this;
    const r = this.routeOf[node]!;
    const first = tail ? node : next[n + 2 * r]!;
    const last = tail ? prev[n + 2 * r + 1]! : node;
    if (first >= n || last >= n) return at;
    if (forward) for (let c = first; ; c = next[c]!) {
      buf[at++] = c;
      if (c === last) break;
    }
    else for (let c = last; ; c = prev[c]!) {
      buf[at++] = c;
      if (c === first) break;
    }
    return at;
  }

  /** SWAP* over every pair of nearby routes with a change since it was last tried; true if any applied. */
  private swapStarPass(): boolean {
    const { R, nearby, routeSize, modifiedAt, swapTestedAt } = this;
    // Most slots stay empty (as many as customers): pairs are taken among the routes in use.
    const used: number[] = [];
    for (let r = 0; r < R; r++) if (routeSize[r]! > 0) used.push(r);
    if (!this.angles) this.linkNearbyRoutes();
    let improved = false;
    for (let i = 0; i < used.length; i++) {
      const a = used[i]!;
      const lastTested = swapTestedAt[a]!;
      swapTestedAt[a] = this.clock;
      for (let j = i + 1; j < used.length; j++) {
        const b = used[j]!;
        if (routeSize[a] === 0 || routeSize[b] === 0) continue;
        if (this.angles ? !this.sectorsOverlap(a, b) : nearby[a * R + b] === 0) continue;
        if (Math.max(modifiedAt[a]!, modifiedAt[b]!) <= lastTested) continue;
        if (this.swapStar(a, b)) improved = true;
      }
    }
    return improved;
  }

  /** Marks the pairs of routes (lower index first) where a customer has one of its NEARBY nearest neighbours. */
  private linkNearbyRoutes(): void {
    const { R, nearby, routeOf, n } = this;
    nearby.fill(0);
    for (let u = 0; u < n; u++) {
      const a = routeOf[u]!;
      if (a < 0) continue;
      const list = this.neighbours[u]!;
      for (let k = 0; k < Math.min(NEARBY, list.length); k++) {
        const b = routeOf[list[k]!]!;
        if (b >= 0 && b !== a) nearby[Math.min(a, b) * R + Math.max(a, b)] = 1;
      }
    }
  }

  private sectorsOverlap(a: number, b: number): boolean {
    const { sectorStart, sectorEnd } = this;
    return sectorsOverlap(sectorStart[a]!, sectorEnd[a]!, sectorStart[b]!, sectorEnd[b]!);
  }

  /**
   * The best exchange of one customer of route a with one of route b, each put at its best place in the
   * other route (or one customer moved alone); applied when it lowers the cost.
   */
  private swapStar(a: number, b: number): boolean {
    const { next, n, demand, routeLoad } = this;
    this.preprocess(a, b);
    this.preprocess(b, a);
    const la = routeLoad[a]!;
    const lb = routeLoad[b]!;
    const overA = this.overload(la);
    const overB = this.overload(lb);
    let best = -EPSILON;
    let bu = -1;
    let bv = -1;
    let atU = -1;
    let atV = -1;
    for (let u = next[n + 2 * a]!; u < n; u = next[u]!) {
      for (let v = next[n + 2 * b]!; v < n; v = next[v]!) {
        const penA = this.overload(la + demand[v]! - demand[u]!) - overA;
        const penB = this.overload(lb + demand[u]! - demand[v]!) - overB;
        if (penA + this.removal[u]! + penB + this.removal[v]! > 0) continue;
        const intoB = this.insertInstead(u, v);
        const uAt = this.insertAt;
        const cost = penA + this.removal[u]! + penB + this.removal[v]! + intoB + this.insertInstead(v, u);
        if (cost < best) {
          best = cost;
          bu = u;
          bv = v;
          atU = uAt;
          atV = this.insertAt;
        }
      }
    }
    // One customer moved alone to its best place in the other route.
    for (const [from, to, lf, lt] of [
      [a, b, la, lb],
      [b, a, lb, la],
    ] as const) {
      for (let u = next[n + 2 * from]!; u < n; u = next[u]!) {
        const k = (to * n + u) * TOP;
        const cost = this.removal[u]! + this.insCost[k]! + this.overload(lf - demand[u]!) - this.overload(lf) + this.overload(lt + demand[u]!) - this.overload(lt);
        if (cost < best) {
          best = cost;
          bu = from === a ? u : -1;
          bv = from === a ? -1 : u;
          atU = from === a ? this.insAt[k]! : -1;
          atV = from === a ? -1 : this.insAt[k]!;
        }
      }
    }
    if (bu < 0 && bv < 0) return false;
    if (bu >= 0) this.insertAfter(bu, atU);
    if (bv >= 0) this.insertAfter(bv, atV);
    this.refresh(a);
    this.refresh(b);
    this.onMove?.('swap*', best);
    return true;
  }

  /** For each customer of route a: what removing it saves, and its TOP cheapest insertions into b (if b changed since). */
  private preprocess(a: number, b: number): void {
    const { next, prev, n, insCost, insAt, insStamp, modifiedAt } = this;
    for (let u = next[n + 2 * a]!; u < n; u = next[u]!) {
      this.removal[u] = this.d(prev[u]!, next[u]!) - this.d(prev[u]!, u) - this.d(u, next[u]!);
      if (insStamp[b * n + u]! >= modifiedAt[b]!) continue;
      insStamp[b * n + u] = this.clock;
      const k = (b * n + u) * TOP;
      for (let t = 0; t < TOP; t++) {
        insCost[k + t] = Infinity;
        insAt[k + t] = -1;
      }
      for (let p = n + 2 * b; p !== n + 2 * b + 1; p = next[p]!) {
        const q = next[p]!;
        const cost = this.d(p, u) + this.d(u, q) - this.d(p, q);
        if (cost >= insCost[k + TOP - 1]!) continue;
        let t = TOP - 1;
        for (; t > 0 && insCost[k + t - 1]! > cost; t--) {
          insCost[k + t] = insCost[k + t - 1]!;
          insAt[k + t] = insAt[k + t - 1]!;
        }
        insCost[k + t] = cost;
        insAt[k + t] = p;
      }
    }
  }

  /**
   * Cost of the cheapest place for u in v's route once v has left it, a cached one clear of v or v's own
   * place; the node it goes after is left in insertAt.
   */
  private insertInstead(u: number, v: number): number {
    const { next, prev, insCost, insAt, n } = this;
    const k = (this.routeOf[v]! * n + u) * TOP;
    let cost = Infinity;
    let at = -1;
    for (let t = 0; t < TOP; t++) {
      const p = insAt[k + t]!;
      if (p >= 0 && p !== v && next[p] !== v) {
        cost = insCost[k + t]!;
        at = p;
        break;
      }
    }
    const instead = this.d(prev[v]!, u) + this.d(u, next[v]!) - this.d(prev[v]!, next[v]!);
    if (instead < cost) {
      this.insertAt = prev[v]!;
      return instead;
    }
    this.insertAt = at;
    return cost;
  }

  private insertAfter(u: number, v: number): void {
    const { next, prev } = this;
    next[prev[u]!] = next[u]!;
    prev[next[u]!] = prev[u]!;
    const w = next[v]!;
    next[v] = u;
    prev[u] = v;
    next[u] = w;
    prev[w] = u;
  }

  /** Exchanges two nodes that are not next to each other. */
  private swapNodes(u: number, v: number): void {
    const { next, prev } = this;
    const pu = prev[u]!;
    const nu = next[u]!;
    const pv = prev[v]!;
    const nv = next[v]!;
    next[pu] = v;
    prev[v] = pu;
    next[v] = nu;
    prev[nu] = v;
    next[pv] = u;
    prev[u] = pv;
    next[u] = nv;
    prev[nv] = u;
  }

  /** Re-reads the routes of u and v after a move. */
  private changed(move: CvrpMove): void {
    this.refresh(this.ru);
    if (this.rv !== this.ru) this.refresh(this.rv);
    this.onMove?.(move, this.delta);
  }

  /** Sets route r to buf[0..len) and recomputes its summaries. */
  private relink(r: number, buf: Int32Array, len: number): void {
    const { next, prev, n } = this;
    let last = n + 2 * r;
    for (let k = 0; k < len; k++) {
      next[last] = buf[k]!;
      prev[buf[k]!] = last;
      last = buf[k]!;
    }
    next[last] = n + 2 * r + 1;
    prev[n + 2 * r + 1] = last;
    this.refresh(r);
  }

  /** Route r's sector: from its first customer's angle, widened on the nearer side to take in each next one. */
  private updateSector(r: number): void {
    const { next, n, angles } = this;
    const first = next[n + 2 * r]!;
    if (first >= n) return;
    let start = angles![first]!;
    let end = start;
    for (let c = next[first]!; c < n; c = next[c]!) {
      const angle = angles![c]!;
      if (turns(angle - start) <= turns(end - start)) continue;
      if (turns(angle - end) <= turns(start - angle)) end = angle;
      else start = angle;
    }
    this.sectorStart[r] = start;
    this.sectorEnd[r] = end;
  }

  /** Recomputes route r's positions, cumulative loads, length and size from its links, and stamps it changed. */
  private refresh(r: number): void {
    const { next, n, routeOf, pos, cumLoad, demand } = this;
    const end = n + 2 * r + 1;
    let node = n + 2 * r;
    routeOf[node] = r;
    routeOf[end] = r;
    let p = 0;
    let load = 0;
    let length = 0;
    for (;;) {
      const w = next[node]!;
      length += this.d(node, w);
      node = w;
      pos[node] = ++p;
      routeOf[node] = r;
      if (node === end) break;
      load += demand[node]!;
      cumLoad[node] = load;
    }
    cumLoad[end] = load;
    if (this.angles) this.updateSector(r);
    this.routeLoad[r] = load;
    this.routeLength[r] = length;
    this.routeSize[r] = p - 1;
    this.modifiedAt[r] = ++this.clock;
  }
}
