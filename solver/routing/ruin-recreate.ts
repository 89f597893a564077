// Ruin and recreate after SISR (Christiaens & Vanden Berghe 2020): remove a few strings of nearby
// customers from several routes, then put every removed customer back at its cheapest feasible place,
// skipping places now and then ("blinks") so that the search does not always rebuild the same thing.
import type { Random } from '../random.ts';
import type { SearchState } from './search-state.ts';

const AVERAGE_REMOVED = 10;
const MAX_STRING = 10;
const BLINK_RATE = 0.01;
const SPLIT_RATE = 0.5;
const SPLIT_DEPTH = 0.01;

export class RuinRecreate {
  private readonly ruined: Uint8Array;
  private readonly candidate: Uint8Array;
  /** Distance from each customer to its nearest depot: far customers are reinserted first sometimes. */
  private readonly depotDistance: Float64Array;
  private readonly totalDemand: Float64Array;

  constructor(
    private readonly s: SearchState,
    private readonly neighbours: Int32Array[],
    private readonly random: Random,
  ) {
    const { inst } = s;
    const n = inst.customerCount;
    this.ruined = new Uint8Array(inst.slots.length);
    this.candidate = new Uint8Array(inst.slots.length);
    this.depotDistance = new Float64Array(n).fill(Infinity);
    this.totalDemand = new Float64Array(n);
    for (let c = 0; c < n; c++) {
      for (let d = n; d < inst.nodeCount; d++) {
        this.depotDistance[c] = Math.min(this.depotDistance[c]!, inst.dist[d * inst.nodeCount + c]!);
      }
      for (let k = 0; k < inst.dims; k++) this.totalDemand[c] += inst.demand[c * inst.dims + k]! + (inst.pickup?.[c * inst.dims + k] ?? 0);
    }
  }

  /** Removes strings of customers around a random seed customer; returns the removed customers. */
  ruin(): number[] {
    const { s, random } = this;
    const assigned: number[] = [];
    for (let c = 0; c < s.inst.realCount; c++) if (s.routeOf[c] !== -1) assigned.push(c);
    if (assigned.length === 0) return [];
    let used = 0;
    for (const r of s.routes) if (r.tasks > 0) used++;
    const maxString = Math.min(MAX_STRING, assigned.length / used);
    const maxStrings = (4 * AVERAGE_REMOVED) / (1 + maxString) - 1;
    const strings = Math.floor(random.next() * maxStrings) + 1;
    this.ruined.fill(0);
    const removed: number[] = [];
    const seed = assigned[random.int(assigned.length)]!;
    const around = [seed, ...this.neighbours[seed]!];
    let done = 0;
    for (const c of around) {
      if (done >= strings) break;
      const r = s.routeOf[c]!;
      if (r === -1 || this.ruined[r]) continue;
      this.ruined[r] = 1;
      done++;
      const route = s.routes[r]!;
      const length = Math.floor(random.next() * Math.min(route.size, maxString)) + 1;
      const kept = this.preservedCount(route.size, length);
      const window = length + kept;
      const p = s.posOf[c]!;
      const start = Math.max(1, Math.min(p - random.int(window), route.size - window + 1));
      const nodes = route.nodes.slice();
      const cut = nodes.splice(start - 1, window);
      // Split string: a run of `kept` customers inside the window stays in the route.
      const keepAt = random.int(length + 1);
      nodes.splice(start - 1, 0, ...cut.splice(keepAt, kept));
      for (const x of cut) s.routeOf[x] = -1;
      removed.push(...cut);
      s.setRoute(r, nodes);
    }
    return removed;
  }

  /** Customers kept inside a removed string: none half of the time, else a run that grows until a 1% stop. */
  private preservedCount(routeSize: number, length: number): number {
    const { random } = this;
    if (length >= routeSize || random.next() < 1 - SPLIT_RATE) return 0;
    let kept = 1;
    while (length + kept < routeSize && random.next() > SPLIT_DEPTH) kept++;
    return kept;
  }

  /**
   * Inserts each customer at its cheapest feasible position (in a randomly chosen order), looking in
   * the routes of its neighbours and one unused vehicle of each kind (every route if none fits there).
   * Returns those left out.
   */
  recreate(customers: number[]): number[] {
    this.sortForInsertion(customers);
    // Breaks go back first: a route that serves anyone is infeasible without them.
    const pause = this.s.inst.isBreak;
    if (pause) customers.sort((a, b) => pause[b]! - pause[a]!);
    const left: number[] = [];
    for (const c of customers) if (!this.insert(c)) left.push(c);
    return left;
  }

  private sortForInsertion(customers: number[]): void {
    const { random } = this;
    const pick = random.int(11);
    random.shuffle(customers);
    if (pick >= 4 && pick < 8) customers.sort((a, b) => this.totalDemand[b]! - this.totalDemand[a]!);
    else if (pick >= 8 && pick < 10) customers.sort((a, b) => this.depotDistance[b]! - this.depotDistance[a]!);
    else if (pick === 10) customers.sort((a, b) => this.depotDistance[a]! - this.depotDistance[b]!);
    // When not everyone fits, the higher priorities claim the room first.
    const priority = this.s.inst.priority;
    if (priority) customers.sort((a, b) => priority[b]! - priority[a]!);
  }

  /** Best insertion among routes near c and one unused vehicle of each kind; all routes if none fits. */
  private insert(c: number): boolean {
    const { s } = this;
    if (s.inst.isBreak?.[c] === 1) return this.insertBest(c, [s.inst.slots.findIndex((slot) => slot.breaks.includes(c))]);
    this.candidate.fill(0);
    const routes: number[] = [];
    const consider = (r: number) => {
      if (r === -1 || this.candidate[r]) return;
      this.candidate[r] = 1;
      routes.push(r);
    };
    for (const v of this.neighbours[c]!) consider(s.routeOf[v]!);
    for (const members of s.inst.classSlots) {
      const empty = members.find((r) => s.routes[r]!.tasks === 0);
      if (empty !== undefined) consider(empty);
    }
    if (this.insertBest(c, routes)) return true;
    for (const r of s.routes) if (r.tasks > 0) consider(r.index);
    return this.insertBest(c, routes);
  }

  private insertBest(c: number, routes: number[]): boolean {
    const { s, random } = this;
    let best = Infinity;
    let bestRoute = -1;
    let bestAfter = 0;
    for (const r of routes) {
      const route = s.routes[r]!;
      const penalty = s.penalty(c, r);
      if (penalty === Infinity) continue;
      for (let p = 0; p <= route.size; p++) {
        if (random.next() < BLINK_RATE) continue;
        // Distance plus penalty never exceeds the true cost change: check limits only if it could win.
        const prev = route.at(p);
        const next = route.at(p + 1);
        if (s.inst.isBreak === null && s.d(prev, c) + s.d(c, next) - s.d(prev, next) + penalty >= best) continue;
        // A route missing a break is infeasible until it is back: compare what the routes would cost.
        const delta = s.chainA.fromPrefix(route, p).add(c).finish(route, p + 1).cost() - (route.cost < Infinity ? route.cost : 0);
        if (delta < best) {
          best = delta;
          bestRoute = r;
          bestAfter = p;
        }
      }
    }
    if (bestRoute === -1) return false;
    const nodes = s.routes[bestRoute]!.nodes.slice();
    nodes.splice(bestAfter, 0, c);
    s.setRoute(bestRoute, nodes);
    return true;
  }
}
