// Ruin and recreate after SISR (Christiaens & Vanden Berghe 2020): remove a few strings of nearby
// customers from several routes, then put every removed customer back at its cheapest feasible place,
// skipping places now and then ("blinks") so that the search does not always rebuild the same thing.
// A shipment leaves and comes back as a pair; a reload goes in only with a stop that needs it.
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
  /**
   * Recreate puts customers on a vehicle that serves nobody yet only while fewer routes than this serve
   * anyone. While the fleet is cut down (see fleet-minimisation.ts) it is the routes left, so that a route
   * a ruin emptied can be used again; after, 0, so that the search never opens a route it saved.
   */
  routeLimit = Infinity;

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

  /**
   * Removes strings of customers around a seed customer (random unless given: an unserved customer makes
   * room near itself); returns the removed customers.
   */
  ruin(seed?: number): number[] {
    const { s, random } = this;
    const assigned: number[] = [];
    for (let c = 0; c < s.inst.realCount; c++) if (s.routeOf[c] !== -1) assigned.push(c);
    if (assigned.length === 0) return [];
    const maxString = Math.min(MAX_STRING, assigned.length / s.routesUsed());
    const maxStrings = (4 * AVERAGE_REMOVED) / (1 + maxString) - 1;
    const strings = Math.floor(random.next() * maxStrings) + 1;
    this.ruined.fill(0);
    const removed: number[] = [];
    const centre = seed ?? assigned[random.int(assigned.length)]!;
    const around = [centre, ...this.neighbours[centre]!];
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
    if (s.pairs) this.removePartners(removed);
    return removed;
  }

  /** A shipment never stays half in a route: the other stop of each removed one leaves too. */
  private removePartners(removed: number[]): void {
    const { s } = this;
    const pairOf = s.inst.pairOf!;
    const gone = new Set(removed);
    const partners = removed.map((c) => pairOf[c]!).filter((x) => x >= 0 && !gone.has(x) && s.routeOf[x] !== -1);
    for (const x of partners) {
      const r = s.routeOf[x]!;
      const nodes = s.routes[r]!.nodes.filter((y) => y !== x);
      s.routeOf[x] = -1;
      s.setRoute(r, nodes);
      removed.push(x);
    }
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
    const { isReload, pairOf, pairRole } = this.s.inst;
    for (const c of customers) {
      // Reloads are spare: they go in with a stop that needs them, and are never waiting to be served.
      if (isReload?.[c] === 1) continue;
      // A shipment goes in with its pickup (its delivery is then placed already).
      if (pairRole !== null && pairRole[c] !== 0) {
        const pickup = pairRole[c] === 1 ? c : pairOf![c]!;
        if (this.s.routeOf[pickup] !== -1) continue;
        if (!this.insertPair(pickup, pairOf![pickup]!)) left.push(c);
        continue;
      }
      if (!this.insert(c)) left.push(c);
    }
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

  /**
   * Best insertion among routes near c and one unused vehicle of each kind; all routes if none fits;
   * then, where vehicles may reload, with a reload just before or after it.
   */
  private insert(c: number): boolean {
    const { s } = this;
    if (s.inst.isBreak?.[c] === 1) return this.insertBest(c, [s.inst.slots.findIndex((slot) => slot.breaks.includes(c))]);
    const routes = this.nearbyRoutes([c]);
    if (this.insertBest(c, routes)) return true;
    this.addUsedRoutes(routes);
    if (this.insertBest(c, routes)) return true;
    return s.reloads && this.insertWithReload(c, routes);
  }

  /** Routes of the customers' neighbours, and one unused vehicle of each kind. */
  private nearbyRoutes(customers: number[]): number[] {
    const { s } = this;
    this.candidate.fill(0);
    const routes: number[] = [];
    const open = this.routeLimit === Infinity || s.routesUsed() < this.routeLimit;
    for (const c of customers) {
      for (const v of this.neighbours[c]!) {
        const r = s.routeOf[v]!;
        if (open || (r !== -1 && s.routes[r]!.tasks > 0)) this.consider(routes, r);
      }
    }
    if (!open) return routes;
    for (const members of s.inst.classSlots) {
      const empty = members.find((r) => s.routes[r]!.tasks === 0);
      if (empty !== undefined) this.consider(routes, empty);
    }
    return routes;
  }

  private addUsedRoutes(routes: number[]): void {
    for (const r of this.s.routes) if (r.tasks > 0) this.consider(routes, r.index);
  }

  private consider(routes: number[], r: number): void {
    if (r === -1 || this.candidate[r]) return;
    this.candidate[r] = 1;
    routes.push(r);
  }

  /** Cheapest place for c with one of the route's spare reloads next to it (a new trip), in any of the routes. */
  private insertWithReload(c: number, routes: number[]): boolean {
    const { s } = this;
    let best = Infinity;
    let bestRoute = -1;
    let bestNodes: number[] = [];
    let bestAfter = 0;
    for (const r of routes) {
      const route = s.routes[r]!;
      const reload = route.slot.reloads.find((x) => s.routeOf[x] === -1);
      if (reload === undefined || s.penalty(c, r) === Infinity) continue;
      for (let p = 0; p <= route.size; p++) {
        for (const pair of [[reload, c], [c, reload]]) {
          const chain = s.chainA.fromPrefix(route, p);
          for (const x of pair) chain.add(x);
          const delta = chain.finish(route, p + 1).cost() - route.cost;
          if (delta < best) [best, bestRoute, bestNodes, bestAfter] = [delta, r, pair, p];
        }
      }
    }
    if (bestRoute === -1) return false;
    const nodes = s.routes[bestRoute]!.nodes.slice();
    nodes.splice(bestAfter, 0, ...bestNodes);
    s.setRoute(bestRoute, nodes);
    return true;
  }

  /** Cheapest places for a shipment's pickup and, later on the same route, its delivery. */
  private insertPair(pickup: number, delivery: number): boolean {
    const routes = this.nearbyRoutes([pickup, delivery]);
    if (this.insertPairIn(pickup, delivery, routes)) return true;
    this.addUsedRoutes(routes);
    return this.insertPairIn(pickup, delivery, routes);
  }

  private insertPairIn(pickup: number, delivery: number, routes: number[]): boolean {
    const { s, random } = this;
    let best = Infinity;
    let bestRoute = -1;
    let bestA = 0;
    let bestB = 0;
    const base = s.chainA;
    const trial = s.chainB;
    for (const r of routes) {
      const route = s.routes[r]!;
      if (s.penalty(pickup, r) === Infinity) continue;
      const before = route.cost < Infinity ? route.cost : 0;
      for (let a = 0; a <= route.size; a++) {
        if (random.next() < BLINK_RATE) continue;
        // The pickup after position a, the delivery after position b ≥ a (both of the route as it is).
        base.fromPrefix(route, a).add(pickup);
        for (let b = a; b <= route.size; b++) {
          if (b > a) base.add(route.nodes[b - 1]!);
          if (base.warp > 1e-7) break;
          const delta = trial.copyFrom(base).add(delivery).finish(route, b + 1).cost() - before;
          if (delta < best) [best, bestRoute, bestA, bestB] = [delta, r, a, b];
        }
      }
    }
    if (bestRoute === -1) return false;
    const nodes = s.routes[bestRoute]!.nodes.slice();
    nodes.splice(bestB, 0, delivery);
    nodes.splice(bestA, 0, pickup);
    s.setRoute(bestRoute, nodes);
    return true;
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
        // Nor a place whose trip c would overfill (most places of a full route).
        if (s.overfillsTrip(route, p, route, p + 1, c)) continue;
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
