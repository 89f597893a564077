// A solution under search: one route per vehicle slot, with prefix and suffix summaries (distance, load,
// time-window segments after Vidal et al. 2013) so that moves are evaluated in O(1) by concatenation.
// With pickups the load of a segment is summarised by what it delivers, what it collects and its peak
// on board counting only its own goods: joining A then B peaks at max(peak_A + delivered_B, peak_B + collected_A).
// A break is a node reached without travel: the vehicle pauses where it is, and drives on from there.
// A reload is a node at a depot where a new trip starts: loads are then summarised per trip (the trips a
// segment closes keep only their peak; its open ends combine as above). Shipments (pickup-and-delivery
// pairs) are checked by walking the candidate route once, and only in problems that have them.
import type { Instance, VehicleSlot } from './problem.ts';

const EPS = 1e-7;
/** Load above capacity that overfillsTrip calls certain: the exact check's tolerance and room for rounding. */
const OVERFILL = 1e-6;

/** The customers of one vehicle slot, plus the summaries of every prefix (fw) and suffix (bw). */
export class Route {
  nodes: number[] = [];
  /** The search state's change count when the route last changed (SWAP* recomputes only what changed). */
  changedAt = 0;
  /** Distance plus reassignment penalties of the whole route (and its overload's, while capacity is relaxed). */
  cost = 0;
  /** Load above capacity, summed over the dimensions (only while capacity is relaxed can it be above 0). */
  excess = 0;
  fwDist = new Float64Array(2);
  fwDur = new Float64Array(2);
  fwWarp = new Float64Array(2);
  fwE = new Float64Array(2);
  fwL = new Float64Array(2);
  fwLoad: Float64Array;
  fwPen = new Float64Array(2);
  fwTravel = new Float64Array(2);
  fwLen = new Float64Array(2);
  fwPick: Float64Array;
  fwPeak: Float64Array;
  /** With reloads: the highest load of the trips closed so far, and their number. */
  fwTripPeak: Float64Array;
  fwTrips = new Int32Array(2);
  /** With `servedEarlier`: driving and service time so far, and the priority-weighted sum of those clocks. */
  fwClock = new Float64Array(2);
  fwWC = new Float64Array(2);
  bwDist = new Float64Array(2);
  bwDur = new Float64Array(2);
  bwWarp = new Float64Array(2);
  bwE = new Float64Array(2);
  bwL = new Float64Array(2);
  bwLoad: Float64Array;
  bwPen = new Float64Array(2);
  bwTravel = new Float64Array(2);
  bwLen = new Float64Array(2);
  bwPick: Float64Array;
  bwPeak: Float64Array;
  /** With reloads, bwLoad/bwPick/bwPeak cover the suffix up to its first reload; the trips after it keep their peak here. */
  bwTripPeak: Float64Array;
  bwTrips = new Int32Array(2);
  /** Time from reaching the suffix's first node to the end, the priorities in it, and their weighted clocks from that arrival. */
  bwClock = new Float64Array(2);
  bwW = new Float64Array(2);
  bwWC = new Float64Array(2);
  /** Per prefix: the last node the vehicle stood at (breaks skipped), customers served and breaks taken. */
  fwLast = new Int32Array(2);
  fwCount = new Int32Array(2);
  fwBreaks = new Int32Array(2);
  bwCount = new Int32Array(2);
  bwBreaks = new Int32Array(2);

  constructor(
    readonly index: number,
    readonly slot: VehicleSlot,
    dims: number,
  ) {
    this.fwLoad = new Float64Array(2 * dims);
    this.bwLoad = new Float64Array(2 * dims);
    this.fwPick = new Float64Array(2 * dims);
    this.fwPeak = new Float64Array(2 * dims);
    this.bwPick = new Float64Array(2 * dims);
    this.bwPeak = new Float64Array(2 * dims);
    this.fwTripPeak = new Float64Array(2 * dims);
    this.bwTripPeak = new Float64Array(2 * dims);
  }

  /** Number of nodes (customers and breaks). */
  get size(): number {
    return this.nodes.length;
  }

  /** Number of customers served (breaks not counted): 0 for a vehicle that stays home. */
  get tasks(): number {
    return this.bwCount[0]!;
  }

  /** Node at position p: 0 is the start depot, size+1 the end depot. */
  at(p: number): number {
    return p === 0 ? this.slot.startNode : p > this.nodes.length ? this.slot.endNode : this.nodes[p - 1]!;
  }
}

/**
 * Incremental evaluation of a route under construction: start from a prefix, append nodes or a suffix,
 * then read its cost and feasibility for the slot it will run on.
 */
export class Chain {
  last = 0;
  dist = 0;
  dur = 0;
  warp = 0;
  e = 0;
  l = 0;
  pen = 0;
  /** Driving time and length (for the route limits), customers served and breaks taken. */
  travel = 0;
  len = 0;
  count = 0;
  breaks = 0;
  /** Delivered so far; with pickups also collected so far and the peak on board (of the trip under way). */
  readonly load: Float64Array;
  readonly picked: Float64Array;
  readonly peak: Float64Array;
  /** Reloads taken, and the highest load of the trips they closed. */
  trips = 0;
  readonly tripPeak: Float64Array;
  /** Driving and service time so far (no waiting), and Σ priority × that clock at each task. */
  clock = 0;
  wc = 0;
  /** With shipments: the route as pieces (route index or -1 for one node, first, last) to walk for the pair rule. */
  private readonly pieces: number[] = [];
  private slot!: VehicleSlot;
  private slotIndex = 0;
  private time!: Float64Array;

  constructor(private readonly s: SearchState) {
    this.load = new Float64Array(s.inst.dims);
    this.picked = new Float64Array(s.inst.dims);
    this.peak = new Float64Array(s.inst.dims);
    this.tripPeak = new Float64Array(s.inst.dims);
  }

  /** Becomes a copy of `other` (to try several endings of one prefix). */
  copyFrom(other: Chain): this {
    this.slot = other.slot;
    this.slotIndex = other.slotIndex;
    this.time = other.time;
    this.last = other.last;
    this.dist = other.dist;
    this.dur = other.dur;
    this.warp = other.warp;
    this.e = other.e;
    this.l = other.l;
    this.pen = other.pen;
    this.travel = other.travel;
    this.len = other.len;
    this.count = other.count;
    this.breaks = other.breaks;
    this.trips = other.trips;
    this.clock = other.clock;
    this.wc = other.wc;
    this.load.set(other.load);
    this.picked.set(other.picked);
    this.peak.set(other.peak);
    this.tripPeak.set(other.tripPeak);
    this.pieces.length = 0;
    for (const x of other.pieces) this.pieces.push(x);
    return this;
  }

  /** Starts with the prefix of `route` up to position p, on that route's own slot. */
  fromPrefix(route: Route, p: number): this {
    this.bind(route);
    const d = this.s.inst.dims;
    this.last = route.fwLast[p]!;
    this.dist = route.fwDist[p]!;
    this.dur = route.fwDur[p]!;
    this.warp = route.fwWarp[p]!;
    this.e = route.fwE[p]!;
    this.l = route.fwL[p]!;
    this.pen = route.fwPen[p]!;
    this.travel = route.fwTravel[p]!;
    this.len = route.fwLen[p]!;
    this.count = route.fwCount[p]!;
    this.breaks = route.fwBreaks[p]!;
    for (let k = 0; k < d; k++) this.load[k] = route.fwLoad[p * d + k]!;
    const s = this.s;
    if (s.mixed) {
      for (let k = 0; k < d; k++) {
        this.picked[k] = route.fwPick[p * d + k]!;
        this.peak[k] = route.fwPeak[p * d + k]!;
      }
    }
    if (s.reloads) {
      this.trips = route.fwTrips[p]!;
      for (let k = 0; k < d; k++) this.tripPeak[k] = route.fwTripPeak[p * d + k]!;
    }
    if (s.timed) {
      this.clock = route.fwClock[p]!;
      this.wc = route.fwWC[p]!;
    }
    if (s.pairs) {
      this.pieces.length = 0;
      if (p > 0) this.pieces.push(route.index, 1, p);
    }
    return this;
  }

  /** Appends customer c. */
  add(c: number): this {
    const s = this.s;
    const inst = s.inst;
    const pause = inst.isBreak !== null && inst.isBreak[c] === 1;
    if (s.pairs) this.pieces.push(-1, c, c);
    this.join(c, inst.service[c]!, 0, inst.ready[c]!, inst.due[c]!, pause);
    if (s.timed) {
      this.wc += inst.priority![c]! * this.clock;
      this.clock += inst.service[c]!;
    }
    if (s.reloads && inst.isReload![c] === 1) {
      // The trip so far is closed: its peak is final; the next one starts empty of what it collects.
      for (let k = 0; k < inst.dims; k++) {
        this.tripPeak[k] = Math.max(this.tripPeak[k]!, this.peak[k]!);
        this.load[k] = this.picked[k] = this.peak[k] = 0;
      }
      this.trips++;
      this.pen += s.penalty(c, this.slotIndex);
      return this;
    }
    if (pause) {
      this.breaks++;
      this.pen += this.s.penalty(c, this.slotIndex);
      return this;
    }
    const d = inst.dims;
    const pickup = inst.pickup;
    if (pickup) {
      for (let k = 0; k < d; k++) {
        const drop = inst.demand[c * d + k]!;
        const take = pickup[c * d + k]!;
        this.peak[k] = Math.max(this.peak[k]! + drop, Math.max(drop, take) + this.picked[k]!);
        this.load[k] += drop;
        this.picked[k] += take;
      }
    } else {
      for (let k = 0; k < d; k++) this.load[k] += inst.demand[c * d + k]!;
    }
    this.count++;
    this.pen += this.s.penalty(c, this.slotIndex);
    return this;
  }

  /** Appends the customers of `route` at positions from..to (inclusive; from > to walks backwards). */
  addRange(route: Route, from: number, to: number): this {
    if (from <= to) for (let p = from; p <= to; p++) this.add(route.nodes[p - 1]!);
    else for (let p = from; p >= to; p--) this.add(route.nodes[p - 1]!);
    return this;
  }

  /** Appends the suffix of `route` from position p (through its end depot) and closes the route. */
  finish(route: Route, p: number): this {
    const own = this.slot;
    const other = route.slot;
    const first = route.at(p);
    const pause = this.s.inst.isBreak !== null && this.s.inst.isBreak[first] === 1;
    // A suffix that starts with a break drives on from where the break was taken: valid only after the same stop.
    if ((route.index !== this.slotIndex && (other.endNode !== own.endNode || other.profile !== own.profile || this.s.hasRules)) || (pause && route.fwLast[p - 1] !== this.last)) {
      // The stored suffix was computed for another vehicle: rebuild it for this one (only the end depot: nothing to add).
      if (p <= route.size) this.addRange(route, p, route.size);
      return this.close();
    }
    this.join(first, route.bwDur[p]!, route.bwWarp[p]!, route.bwE[p]!, route.bwL[p]!, pause);
    const s = this.s;
    if (s.timed) {
      this.wc += route.bwWC[p]! + route.bwW[p]! * this.clock;
      this.clock += route.bwClock[p]!;
    }
    if (s.pairs && p <= route.size) this.pieces.push(route.index, p, route.size);
    this.dist += route.bwDist[p]!;
    this.pen += route.bwPen[p]!;
    this.travel += route.bwTravel[p]!;
    this.len += route.bwLen[p]!;
    this.count += route.bwCount[p]!;
    this.breaks += route.bwBreaks[p]!;
    const d = s.inst.dims;
    if (s.mixed) {
      const closes = s.reloads && route.bwTrips[p]! > 0;
      for (let k = 0; k < d; k++) {
        const peak = Math.max(this.peak[k]! + route.bwLoad[p * d + k]!, route.bwPeak[p * d + k]! + this.picked[k]!);
        if (closes) {
          // The trip under way ends at the suffix's first reload; the suffix's later trips are closed too.
          this.tripPeak[k] = Math.max(this.tripPeak[k]!, peak, route.bwTripPeak[p * d + k]!);
          this.peak[k] = 0;
        } else {
          this.peak[k] = peak;
          this.picked[k] += route.bwPick[p * d + k]!;
        }
      }
      if (closes) this.trips += route.bwTrips[p]!;
    }
    for (let k = 0; k < d; k++) this.load[k] += route.bwLoad[p * d + k]!;
    return this;
  }

  /** Appends this slot's end depot. */
  close(): this {
    const slot = this.slot;
    this.join(slot.endNode, 0, 0, -Infinity, slot.returnLatest, false);
    return this;
  }

  /** Distance plus penalties, or Infinity when the route breaks a capacity, window, duration, stop, driving or length limit. */
  cost(): number {
    const slot = this.slot;
    // A vehicle that serves nobody stays home: its breaks do not matter.
    if (this.count === 0) return 0;
    if (this.breaks < slot.breaks.length) return Infinity;
    if (this.warp > EPS || this.dur > slot.maxDuration + EPS || this.count > slot.maxStops) return Infinity;
    if (this.travel > slot.maxTravelTime + EPS || this.len > slot.maxDistance + EPS) return Infinity;
    const s = this.s;
    const excess = overCapacity(s.mixed ? this.peak : this.load, 0, slot.capacity);
    // Infinity unless capacity is relaxed (Infinity × 0 would be NaN: an exact fit costs nothing).
    const overload = excess > 0 ? s.capacityPenalty * excess : 0;
    if (overload === Infinity) return Infinity;
    if (s.reloads && overCapacity(this.tripPeak, 0, slot.capacity) > 0) return Infinity;
    if (s.pairs && !this.pairsHold()) return Infinity;
    if (s.objective) return this.dist + this.pen + s.inst.evenWorkload * this.dur * this.dur + s.inst.servedEarlier * this.wc;
    return this.dist + this.pen + overload;
  }

  /** Each shipment has both stops or neither, its pickup first, and no reload in between. */
  private pairsHold(): boolean {
    const { inst, routes } = this.s;
    const pairOf = inst.pairOf!;
    const role = inst.pairRole!;
    const reload = inst.isReload;
    const seen = this.s.pairSeen;
    const mark = this.s.nextPairMark();
    const pieces = this.pieces;
    let open = 0;
    for (let i = 0; i < pieces.length; i += 3) {
      const r = pieces[i]!;
      const nodes = r < 0 ? null : routes[r]!.nodes;
      for (let p = pieces[i + 1]!; p <= pieces[i + 2]!; p++) {
        const x = nodes === null ? p : nodes[p - 1]!;
        const kind = role[x]!;
        if (kind === 1) {
          seen[x] = mark;
          open++;
        } else if (kind === -1) {
          if (seen[pairOf[x]!] !== mark) return false;
          open--;
        } else if (open > 0 && reload !== null && reload[x] === 1) return false;
      }
    }
    return open === 0;
  }

  private bind(route: Route): void {
    this.slot = route.slot;
    this.slotIndex = route.index;
    this.time = this.s.inst.time[route.slot.profile]!;
  }

  /** Concatenates a segment (first node `first`) to the chain (Vidal et al. 2013, eq. 5–9). */
  private join(first: number, dur: number, warp: number, e: number, l: number, pause: boolean): void {
    const N = this.s.inst.nodeCount;
    let t = 0;
    if (!pause) {
      const inst = this.s.inst;
      const edge = this.last * N + first;
      t = this.time[edge]!;
      const d = inst.dist[edge]!;
      this.dist += d;
      this.len += inst.length === inst.dist ? d : inst.length[edge]!;
      this.travel += t;
      this.clock += t;
      this.last = first;
    }
    if (t === Infinity) {
      this.warp = Infinity;
      return;
    }
    const delta = this.dur - this.warp + t;
    const wait = Math.max(e - delta - this.l, 0);
    const extraWarp = Math.max(this.e + delta - l, 0);
    this.dur += dur + t + wait;
    this.warp += warp + extraWarp;
    this.e = Math.max(e - delta, this.e) - wait;
    this.l = Math.min(l - delta, this.l) + extraWarp;
  }
}

/** All routes of one solution plus where each customer sits; unserved customers carry a large penalty. */
export class SearchState {
  readonly routes: Route[];
  readonly routeOf: Int32Array;
  readonly posOf: Int32Array;
  readonly hasRules: boolean;
  /** Some customer hands in goods (or vehicles reload): loads are checked at their peak along the route. */
  readonly mixed: boolean;
  /** Some vehicle may reload: loads are summarised per trip. */
  readonly reloads: boolean;
  /** There are shipments: routes are walked for the pair rule. */
  readonly pairs: boolean;
  /** `servedEarlier` is on: the clocks of the tasks are summed. */
  readonly timed: boolean;
  /** Route costs have terms beyond distance and penalties. */
  readonly objective: boolean;
  /** Marks of the pickups met while walking a route for the pair rule (see Chain.pairsHold). */
  readonly pairSeen: Uint32Array;
  private pairMark = 0;
  /**
   * Moves may screen candidates by distance alone (the exact check follows only for gains): true unless
   * reassignment rules add costs that distance does not see.
   */
  readonly screen: boolean;
  /** Whether reversing a stretch keeps its internal distance (symmetric matrix). */
  readonly symmetric: boolean;
  /** Some task has a time window. */
  readonly windows: boolean;
  /**
   * Loads simply add up and only distance and capacity bind (no windows, breaks, reloads, pickups,
   * shipments or rules): the search may then relax capacity (see capacityPenalty).
   */
  readonly relaxable: boolean;
  /**
   * Cost of each unit of load above capacity: Infinity (a hard limit) except while the search runs with
   * capacity relaxed, as HGS-CVRP does (solve.ts adapts it); only where `relaxable`.
   */
  capacityPenalty = Infinity;
  readonly unassignedPenalty: number;
  /** Per customer, what leaving it unserved costs: the base penalty scaled up by its priority. */
  readonly unservedCost: Float64Array;
  /** Scratch chains for the moves (two routes change at most at once). */
  readonly chainA: Chain;
  readonly chainB: Chain;
  /** Routes set so far: each change stamps its route with the new count. */
  changes = 0;
  private readonly saved = new Map<number, number[]>();
  private recording = false;

  constructor(readonly inst: Instance) {
    this.routes = inst.slots.map((slot, i) => new Route(i, slot, inst.dims));
    this.routeOf = new Int32Array(inst.customerCount).fill(-1);
    this.posOf = new Int32Array(inst.customerCount);
    this.hasRules = inst.allowed !== null || inst.currentSlot !== null;
    this.mixed = inst.pickup !== null;
    this.reloads = inst.isReload !== null;
    this.pairs = inst.pairOf !== null;
    this.timed = inst.servedEarlier > 0;
    this.objective = inst.evenWorkload > 0 || inst.servedEarlier > 0;
    this.pairSeen = new Uint32Array(this.pairs ? inst.customerCount : 0);
    // Distance alone cannot screen moves when other terms enter the cost.
    this.screen = !this.hasRules && !this.objective;
    this.symmetric = isSymmetric(inst.dist, inst.nodeCount);
    this.windows = hasWindows(inst);
    this.relaxable = this.screen && !this.mixed && !this.reloads && !this.pairs && inst.isBreak === null && !this.windows;
    let longest = 0;
    for (const d of inst.dist) if (d < Infinity && d > longest) longest = d;
    this.unassignedPenalty = 4 * longest + 2 * inst.reassignmentCost + 1;
    // One unit of priority outweighs serving every other customer: priorities first, then the count.
    const n = inst.customerCount;
    this.unservedCost = new Float64Array(n).fill(this.unassignedPenalty);
    if (inst.priority) for (let c = 0; c < inst.realCount; c++) this.unservedCost[c] = this.unassignedPenalty * (1 + inst.priority[c]! * (n + 1));
    // A break left out costs nothing by itself: a route that serves anyone without it is infeasible.
    this.unservedCost.fill(0, inst.realCount);
    this.chainA = new Chain(this);
    this.chainB = new Chain(this);
    for (const r of this.routes) this.setRoute(r.index, []);
  }

  /** Distance from node a to node b. */
  d(a: number, b: number): number {
    return this.inst.dist[a * this.inst.nodeCount + b]!;
  }

  /** Cost of serving customer c with slot k beyond the distance: 0, the reassignment cost, or Infinity if not allowed. */
  penalty(c: number, k: number): number {
    if (!this.hasRules) return 0;
    const { allowed, currentSlot, slots } = this.inst;
    if (allowed && allowed[c * slots.length + k] === 0) return Infinity;
    const current = currentSlot ? currentSlot[c]! : -1;
    return current >= 0 && slots[current]!.vehicleId !== slots[k]!.vehicleId ? this.inst.reassignmentCost : 0;
  }

  /**
   * Change in the overload cost of routes a and b when a gives up its positions aFrom..aTo and takes b's
   * bFrom..bTo, and b the reverse (an empty range when from > to). Lets moves screen by distance plus
   * this: exact where loads simply add up (`relaxable`), else 0; Infinity for going over a hard capacity.
   */
  overloadChange(a: Route, aFrom: number, aTo: number, b: Route, bFrom: number, bTo: number): number {
    if (!this.relaxable || a === b) return 0;
    const d = this.inst.dims;
    let excessA = 0;
    let excessB = 0;
    for (let k = 0; k < d; k++) {
      const outOfA = aFrom <= aTo ? a.fwLoad[aTo * d + k]! - a.fwLoad[(aFrom - 1) * d + k]! : 0;
      const outOfB = bFrom <= bTo ? b.fwLoad[bTo * d + k]! - b.fwLoad[(bFrom - 1) * d + k]! : 0;
      const overA = a.fwLoad[(a.size + 1) * d + k]! - outOfA + outOfB - a.slot.capacity[k]!;
      const overB = b.fwLoad[(b.size + 1) * d + k]! - outOfB + outOfA - b.slot.capacity[k]!;
      if (overA > EPS) excessA += overA;
      if (overB > EPS) excessB += overB;
    }
    const change = excessA - a.excess + excessB - b.excess;
    return change === 0 ? 0 : this.capacityPenalty * change;
  }

  /**
   * Whether a route built as `head`'s prefix up to position p, then customer c (-1: none) and the customers of
   * `stretch` at positions from..to (either order; none when not given), then `tail`'s suffix from position q,
   * loads the trip under way there beyond head's vehicle, so that the exact check (Chain, on head's slot) would
   * cost it Infinity: what a trip delivers is all on board as it leaves (the prefix's load since its last reload,
   * the middle's, and the suffix's up to its next reload). Lets a move skip such places before building the
   * chain. A stretch comes from another route than head's: a reload in it makes the route infeasible anyway.
   * Never while capacity is relaxed, and not within rounding of the limit (the exact check decides those).
   */
  overfillsTrip(head: Route, p: number, tail: Route, q: number, c = -1, stretch?: Route, from = 1, to = 0): boolean {
    if (this.capacityPenalty !== Infinity) return false;
    const d = this.inst.dims;
    const demand = this.inst.demand;
    const capacity = head.slot.capacity;
    const [first, last] = from <= to ? [from, to] : [to, from];
    for (let k = 0; k < d; k++) {
      let load = head.fwLoad[p * d + k]! + tail.bwLoad[q * d + k]!;
      if (c >= 0) load += demand[c * d + k]!;
      if (stretch) for (let x = first; x <= last; x++) load += demand[stretch.nodes[x - 1]! * d + k]!;
      if (load - capacity[k]! > OVERFILL) return true;
    }
    return false;
  }

  /** Sets the cost of overload, re-costing the routes over capacity (the others' cost does not change). */
  setCapacityPenalty(penalty: number): void {
    this.capacityPenalty = penalty;
    for (const r of this.routes) if (r.excess > 0) this.setRoute(r.index, r.nodes.slice());
  }

  /** Whether every route is within its capacity. */
  withinCapacity(): boolean {
    return this.routes.every((r) => r.excess === 0);
  }

  /** A fresh mark for one walk of the pair rule. */
  nextPairMark(): number {
    if (++this.pairMark === 0xffffffff) {
      this.pairSeen.fill(0);
      this.pairMark = 1;
    }
    return this.pairMark;
  }

  /** Starts recording changes so that they can be undone by `rollback` or kept by `commit`. */
  beginTrial(): void {
    this.saved.clear();
    this.recording = true;
  }

  /** Routes changed since `beginTrial`; stops recording. */
  commit(): number[] {
    this.recording = false;
    const changed = [...this.saved.keys()];
    this.saved.clear();
    return changed;
  }

  /** Puts every route changed since `beginTrial` back as it was. */
  rollback(): void {
    this.recording = false;
    for (const r of this.saved.keys()) for (const c of this.routes[r]!.nodes) this.routeOf[c] = -1;
    for (const [r, nodes] of this.saved) this.setRoute(r, nodes);
    this.saved.clear();
  }

  /** Replaces the customers of route r (with a fresh array: the old one may be kept for a rollback). */
  setRoute(r: number, nodes: number[]): void {
    const route = this.routes[r]!;
    if (this.recording && !this.saved.has(r)) this.saved.set(r, route.nodes);
    const { inst } = this;
    const k = nodes.length;
    const d = inst.dims;
    if (route.fwDist.length < k + 2) grow(route, k + 2, d);
    route.nodes = nodes;
    route.changedAt = ++this.changes;
    for (let p = 1; p <= k; p++) {
      this.routeOf[nodes[p - 1]!] = r;
      this.posOf[nodes[p - 1]!] = p;
    }
    const chain = this.chainA;
    // Forward: position 0 is the start depot segment.
    const slot = route.slot;
    route.fwDist[0] = 0;
    route.fwDur[0] = 0;
    route.fwWarp[0] = 0;
    route.fwE[0] = slot.departEarliest;
    route.fwL[0] = slot.departLatest;
    route.fwPen[0] = 0;
    route.fwTravel[0] = 0;
    route.fwLen[0] = 0;
    route.fwLast[0] = slot.startNode;
    route.fwCount[0] = 0;
    route.fwBreaks[0] = 0;
    route.fwLoad.fill(0, 0, d);
    route.fwPick.fill(0, 0, d);
    route.fwPeak.fill(0, 0, d);
    route.fwTripPeak.fill(0, 0, d);
    route.fwTrips[0] = 0;
    route.fwClock[0] = 0;
    route.fwWC[0] = 0;
    chain.fromPrefix(route, 0);
    for (let p = 1; p <= k + 1; p++) {
      if (p <= k) chain.add(nodes[p - 1]!);
      else chain.close();
      route.fwDist[p] = chain.dist;
      route.fwDur[p] = chain.dur;
      route.fwWarp[p] = chain.warp;
      route.fwE[p] = chain.e;
      route.fwL[p] = chain.l;
      route.fwPen[p] = chain.pen;
      route.fwTravel[p] = chain.travel;
      route.fwLen[p] = chain.len;
      route.fwLast[p] = chain.last;
      route.fwCount[p] = chain.count;
      route.fwBreaks[p] = chain.breaks;
      for (let q = 0; q < d; q++) route.fwLoad[p * d + q] = chain.load[q]!;
      if (this.mixed) {
        for (let q = 0; q < d; q++) {
          route.fwPick[p * d + q] = chain.picked[q]!;
          route.fwPeak[p * d + q] = chain.peak[q]!;
        }
      }
      if (this.reloads) {
        route.fwTrips[p] = chain.trips;
        for (let q = 0; q < d; q++) route.fwTripPeak[p * d + q] = chain.tripPeak[q]!;
      }
      if (this.timed) {
        route.fwClock[p] = chain.clock;
        route.fwWC[p] = chain.wc;
      }
    }
    route.cost = chain.cost();
    route.excess = this.mixed ? 0 : overCapacity(route.fwLoad, (k + 1) * d, slot.capacity);
    // Backward: built by prepending one node at a time to the suffix.
    let bDist = 0;
    let bDur = 0;
    let bWarp = 0;
    let bE = -Infinity;
    let bL = slot.returnLatest;
    let bPen = 0;
    let bTravel = 0;
    let bLen = 0;
    const N = inst.nodeCount;
    const time = inst.time[slot.profile]!;
    route.bwDist[k + 1] = 0;
    route.bwDur[k + 1] = 0;
    route.bwWarp[k + 1] = 0;
    route.bwE[k + 1] = bE;
    route.bwL[k + 1] = bL;
    route.bwPen[k + 1] = 0;
    route.bwTravel[k + 1] = 0;
    route.bwLen[k + 1] = 0;
    route.bwCount[k + 1] = 0;
    route.bwBreaks[k + 1] = 0;
    route.bwLoad.fill(0, (k + 1) * d, (k + 2) * d);
    route.bwPick.fill(0, (k + 1) * d, (k + 2) * d);
    route.bwPeak.fill(0, (k + 1) * d, (k + 2) * d);
    route.bwTripPeak.fill(0, (k + 1) * d, (k + 2) * d);
    route.bwTrips[k + 1] = 0;
    route.bwClock[k + 1] = 0;
    route.bwW[k + 1] = 0;
    route.bwWC[k + 1] = 0;
    const pauses = inst.isBreak;
    const reloads = inst.isReload;
    for (let p = k; p >= 0; p--) {
      const node = route.at(p);
      const next = route.at(p + 1);
      // The drive out of a break starts where the vehicle stood; nothing is driven into one.
      const into = pauses !== null && p < k && pauses[next] === 1;
      const from = route.fwLast[p]!;
      const t = into ? 0 : time[from * N + next]!;
      const isDepot = p === 0;
      const pause = !isDepot && pauses !== null && pauses[node] === 1;
      const dur = isDepot ? 0 : inst.service[node]!;
      const e = isDepot ? slot.departEarliest : inst.ready[node]!;
      const l = isDepot ? slot.departLatest : inst.due[node]!;
      // Concatenate (node) ⊕ (suffix): same formulas with the node as the first segment.
      const delta = dur + t;
      const wait = Math.max(bE - delta - l, 0);
      const extraWarp = Math.max(e + delta - bL, 0);
      if (!into) {
        bDist += inst.dist[from * N + next]!;
        bTravel += t;
        bLen += inst.length[from * N + next]!;
      }
      const newE = Math.max(bE - delta, e) - wait;
      const newL = Math.min(bL - delta, l) + extraWarp;
      bDur = dur + bDur + t + wait;
      bWarp = bWarp + extraWarp + (t === Infinity ? Infinity : 0);
      bE = newE;
      bL = newL;
      if (!isDepot) bPen += this.penalty(node, r);
      route.bwDist[p] = bDist;
      route.bwDur[p] = bDur;
      route.bwWarp[p] = bWarp;
      route.bwE[p] = bE;
      route.bwL[p] = bL;
      route.bwPen[p] = bPen;
      route.bwTravel[p] = bTravel;
      route.bwLen[p] = bLen;
      route.bwCount[p] = route.bwCount[p + 1]! + (isDepot || pause ? 0 : 1);
      route.bwBreaks[p] = route.bwBreaks[p + 1]! + (pause ? 1 : 0);
      if (this.timed) {
        route.bwWC[p] = route.bwWC[p + 1]! + route.bwW[p + 1]! * (dur + t);
        route.bwW[p] = (isDepot ? 0 : inst.priority![node]!) + route.bwW[p + 1]!;
        route.bwClock[p] = dur + t + route.bwClock[p + 1]!;
      }
      if (this.reloads) {
        const reload = !isDepot && reloads![node] === 1;
        route.bwTrips[p] = route.bwTrips[p + 1]! + (reload ? 1 : 0);
        for (let q = 0; q < d; q++) {
          const after = (p + 1) * d + q;
          route.bwTripPeak[p * d + q] = reload ? Math.max(route.bwTripPeak[after]!, route.bwPeak[after]!) : route.bwTripPeak[after]!;
        }
        if (reload) {
          // The suffix's first trip is empty: it ends right here.
          route.bwLoad.fill(0, p * d, (p + 1) * d);
          route.bwPick.fill(0, p * d, (p + 1) * d);
          route.bwPeak.fill(0, p * d, (p + 1) * d);
          continue;
        }
      }
      for (let q = 0; q < d; q++) {
        const drop = isDepot ? 0 : inst.demand[node * d + q]!;
        route.bwLoad[p * d + q] = route.bwLoad[(p + 1) * d + q]! + drop;
        if (!this.mixed) continue;
        const take = isDepot ? 0 : inst.pickup![node * d + q]!;
        route.bwPeak[p * d + q] = Math.max(Math.max(drop, take) + route.bwLoad[(p + 1) * d + q]!, route.bwPeak[(p + 1) * d + q]! + take);
        route.bwPick[p * d + q] = route.bwPick[(p + 1) * d + q]! + take;
      }
    }
  }

  /** Routes that serve anyone. */
  routesUsed(): number {
    let used = 0;
    for (const r of this.routes) if (r.tasks > 0) used++;
    return used;
  }

  /** Sum of route costs plus the penalty of every unserved customer. */
  totalCost(): number {
    let total = 0;
    for (const r of this.routes) total += r.cost;
    for (let c = 0; c < this.routeOf.length; c++) if (this.routeOf[c] === -1) total += this.unservedCost[c]!;
    return total;
  }

  unassignedCount(): number {
    let count = 0;
    for (let c = 0; c < this.routeOf.length; c++) if (this.routeOf[c] === -1) count++;
    return count;
  }

  /** The routes as plain customer lists, one per slot. */
  snapshot(): number[][] {
    return this.routes.map((r) => r.nodes.slice());
  }

  restore(routes: number[][]): void {
    this.routeOf.fill(-1);
    routes.forEach((nodes, r) => this.setRoute(r, nodes.slice()));
  }
}

function grow(route: Route, size: number, dims: number): void {
  const cap = Math.max(size, route.fwDist.length * 2);
  for (const key of ['fwDist', 'fwDur', 'fwWarp', 'fwE', 'fwL', 'fwPen', 'fwTravel', 'fwLen', 'fwClock', 'fwWC', 'bwDist', 'bwDur', 'bwWarp', 'bwE', 'bwL', 'bwPen', 'bwTravel', 'bwLen', 'bwClock', 'bwW', 'bwWC'] as const) {
    route[key] = new Float64Array(cap);
  }
  for (const key of ['fwLoad', 'fwPick', 'fwPeak', 'fwTripPeak', 'bwLoad', 'bwPick', 'bwPeak', 'bwTripPeak'] as const) route[key] = new Float64Array(cap * dims);
  for (const key of ['fwLast', 'fwCount', 'fwBreaks', 'fwTrips', 'bwCount', 'bwBreaks', 'bwTrips'] as const) route[key] = new Int32Array(cap);
}

/** Load above capacity at `offset` of `load` (summed over the dimensions; within the tolerance counts as none). */
function overCapacity(load: Float64Array, offset: number, capacity: ArrayLike<number>): number {
  let excess = 0;
  for (let k = 0; k < capacity.length; k++) {
    const over = load[offset + k]! - capacity[k]!;
    if (over > EPS) excess += over;
  }
  return excess;
}

function hasWindows(inst: Instance): boolean {
  for (let c = 0; c < inst.customerCount; c++) if (inst.ready[c]! > 0 || inst.due[c]! < Infinity) return true;
  return false;
}

function isSymmetric(dist: Float64Array, size: number): boolean {
  for (let i = 0; i < size; i++) for (let j = i + 1; j < size; j++) if (dist[i * size + j] !== dist[j * size + i]) return false;
  return true;
}
