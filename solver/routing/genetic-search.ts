// HGS-CVRP's genetic search (Vidal 2022) for plain CVRP: parents chosen by biased fitness are recombined
// by order crossover of their giant tours, Split cuts the child into routes, and local search with
// overload priced (repaired half the time when it ends overloaded) educates it into the population: the
// plain-CVRP one of cvrp-education.ts for one capacity and symmetric distances, else the general one.
// The population starts from randomised nearest-neighbour tours, and again when the best stalls.
// Routes are kept in polar order around the depot, as HGS-CVRP exports them, so a giant tour runs round it.
import type { Random } from '../random.ts';
import { CapacityPenalty, REPAIR_FACTOR, repairOverload } from './capacity-penalty.ts';
import { orderCrossover } from './crossover.ts';
import { CvrpEducation, polarAngles } from './cvrp-education.ts';
import { LocalSearch } from './local-search.ts';
import type { MoveFactory } from './moves/move.ts';
import { relocate } from './moves/relocate.ts';
import { swap } from './moves/swap.ts';
import { twoOptStar } from './moves/two-opt-star.ts';
import { twoOpt } from './moves/two-opt.ts';
import { giantTour, POPULATION, individual, Population, type Individual, type PopulationOptions } from './population.ts';
import type { Instance } from './problem.ts';
import type { RoutePool } from './route-pool.ts';
import type { SearchState } from './search-state.ts';
import { splitTour, type SplitProblem } from './split.ts';

/**
 * The moves that educate: HGS-CVRP's single-customer ones (SWAP* comes with the local search). Or-opt
 * and cross-exchange made each child about twice as dear, for fewer children than the search needs.
 */
const GENETIC_MOVES: MoveFactory[] = [relocate, swap, twoOpt, twoOptStar];
/** HGS-CVRP's share of educated children within capacity, and how often an overloaded one is repaired. */
const FEASIBLE_TARGET = 0.2;
const REPAIR_RATE = 0.5;
/**
 * Children between two adaptations of the cost of overload (HGS-CVRP: 100, over tens of thousands of
 * children). 5 s make two or three thousand here, and at 100 the cost was still on its way down from its
 * start after a thousand of them (CMT5: 2.24 at first, 0.72 at the thousandth child). On CMT5 the 16-route
 * solutions, which fit only at a low cost of overload, then filled the population before the 17-route ones
 * had got good (the best known has 17 routes) and the run ended in their basin. At 2 500 children, seeds 1–16,
 * 0.46 % on average and 9 seeds at 0.5 % or more; at 50, 0.28 % and 4. X-n256-k16 lost a little (1 800
 * children, seeds 1–8: 0.28 % to 0.34 %, one seed at 0.61 %).
 */
const PENALTY_PERIOD = 50;
/** Nearest unvisited customers a starting tour picks its next stop among. */
const WANDER_CHOICES = 3;
/**
 * Children without a better solution within capacity than the population's since it last started, after
 * which it starts over (HGS-CVRP: 20 000 of its cheaper children).
 */
const RESTART_AFTER = 1_000;

/** What turns a child into a local optimum: one solution held, improved, and read back. */
interface Education {
  /** Takes routes, one per slot. */
  load(routes: number[][]): void;
  /** Local search at the current cost of overload, around `start` (default: everyone). */
  improve(start?: number[]): void;
  /** Local search around the overloaded routes with overload made dearer. */
  repair(): void;
  excess(): number;
  /** Per slot, the route and its distance. */
  routes(): { nodes: number[]; distance: number }[];
}

export class GeneticSearch {
  private readonly education: Education;
  private readonly population: Population;
  private readonly penalty: CapacityPenalty;
  private readonly split: SplitProblem;
  /** Starting individuals still to make before crossover (μ, again after a restart; HGS-CVRP makes 4μ of its cheaper ones). */
  private toSeed: number;
  private sinceImproved = 0;
  /**
   * The least distance within capacity since the population last started (HGS-CVRP's best of the
   * restart): measured against the best ever, a new population was stopped after RESTART_AFTER children
   * however well it was doing.
   */
  private restartBest = Infinity;
  /** Times the population has started over. */
  restarts = 0;
  /** Per customer, its position relative to the depot (x at 2c, y at 2c + 1); null without positions. */
  private readonly offsets: Float64Array | null;

  /**
   * Only for problems Split can cut: one kind of vehicle, leaving from and returning to one depot, with
   * no limit on its routes but capacity, which the state must be able to relax.
   */
  static applies(s: SearchState): boolean {
    const { slots, classSlots } = s.inst;
    const slot = slots[0];
    if (!s.relaxable || classSlots.length !== 1 || slot === undefined || slot.startNode !== slot.endNode) return false;
    return [slot.returnLatest, slot.maxDuration, slot.maxStops, slot.maxTravelTime, slot.maxDistance].every((limit) => limit === Infinity);
  }

  constructor(
    private readonly s: SearchState,
    private readonly random: Random,
    /** The customers to serve (all of them fit in the fleet). */
    private readonly customers: number[],
    /** Gets the routes of every educated solution within capacity (for set partitioning). */
    private readonly pool: RoutePool,
    /** Per customer, the customers local search tries it next to, nearest first. */
    private readonly neighbours: Int32Array[],
    private readonly options: PopulationOptions = POPULATION,
  ) {
    // One capacity and symmetric distances: the specialised search (reversals keep their length).
    this.education = s.inst.dims === 1 && s.symmetric ? cvrpEducation(s, neighbours, random) : generalEducation(s, neighbours, random);
    this.penalty = new CapacityPenalty(s, FEASIBLE_TARGET, PENALTY_PERIOD);
    this.population = new Population(customers, options, s.capacityPenalty);
    this.toSeed = options.minimum;
    this.split = splitProblem(s.inst, s.capacityPenalty);
    this.offsets = depotOffsets(s.inst);
  }

  /** The best solution within capacity so far, routes per slot, and its distance. */
  best(): { routes: number[][]; cost: number } | null {
    const best = this.population.best;
    return best ? { routes: this.perSlot(best.routes), cost: best.distance } : null;
  }

  /** Takes a solution found elsewhere (routes per slot) into the population, once educated; true for a new best. */
  adopt(routes: number[][]): boolean {
    this.education.load(routes);
    this.education.improve();
    return this.add(this.capture());
  }

  /** Makes and educates one individual (a random one while the population is seeded, else a child); true for a new best. */
  step(): boolean {
    const before = this.restartBest;
    let improved: boolean;
    if (this.toSeed > 0) {
      this.toSeed--;
      improved = this.educate(this.wanderingTour(), null);
    } else {
      const first = this.population.select(this.random);
      const second = this.population.select(this.random);
      improved = this.educate(orderCrossover(giantTour(first), giantTour(second), this.random), [first, second]);
    }
    this.sinceImproved = this.restartBest < before ? 0 : this.sinceImproved + 1;
    if (this.sinceImproved >= RESTART_AFTER) {
      this.population.clear();
      this.toSeed = this.options.minimum;
      this.sinceImproved = 0;
      this.restartBest = Infinity;
      this.restarts++;
    }
    return improved;
  }

  /**
   * Split, local search, and the outcome (and its repair) into the population; true for a new best. A
   * child's search starts only at the customers with an edge neither parent has: the parents' own edges
   * were already locally optimal (a full search per child cost too many children).
   */
  private educate(tour: number[], parents: Individual[] | null): boolean {
    const { s, education } = this;
    this.split.capacityPenalty = s.capacityPenalty;
    const routes = splitTour(this.split, tour);
    education.load(this.perSlot(routes));
    education.improve(parents ? newEdgeEnds(routes, parents) : undefined);
    const within = education.excess() === 0;
    let improved = this.keep();
    if (this.penalty.record(within)) this.population.setPenalty(s.capacityPenalty);
    if (!within && this.random.next() < REPAIR_RATE) {
      education.repair();
      if (education.excess() === 0) improved = this.keep() || improved;
    }
    return improved;
  }

  /** Adds the education's solution to the population (and its routes to the pool when within capacity). */
  private keep(): boolean {
    const ind = this.capture();
    const vehicleClass = this.s.inst.slots[0]!.vehicleClass;
    if (ind.excess === 0) for (const r of this.education.routes()) if (r.nodes.length > 0) this.pool.add(vehicleClass, r.nodes, r.distance);
    return this.add(ind);
  }

  /** Into the population; true for a new best ever. */
  private add(ind: Individual): boolean {
    if (ind.excess === 0 && ind.distance < this.restartBest - 1e-9) this.restartBest = ind.distance;
    return this.population.add(ind);
  }

  /**
   * A tour for a starting individual: from a random customer, each step to one of the few nearest not
   * yet visited (at random), or to the nearest of all when those are visited. Cheaper to educate than a
   * shuffle, and still diverse.
   */
  private wanderingTour(): number[] {
    const { customers, random, neighbours } = this;
    const left = new Set(customers);
    let at = customers[random.int(customers.length)]!;
    const tour: number[] = [];
    for (;;) {
      tour.push(at);
      left.delete(at);
      if (left.size === 0) return tour;
      const near = neighbours[at]!.filter((c) => left.has(c)).slice(0, WANDER_CHOICES);
      at = near.length > 0 ? near[random.int(near.length)]! : this.nearest(at, left);
    }
  }

  private nearest(from: number, among: Set<number>): number {
    const { dist, nodeCount } = this.s.inst;
    let best = -1;
    for (const c of among) if (best < 0 || dist[from * nodeCount + c]! < dist[from * nodeCount + best]!) best = c;
    return best;
  }

  private capture(): Individual {
    let distance = 0;
    const routes: number[][] = [];
    for (const r of this.education.routes()) {
      if (r.nodes.length === 0) continue;
      routes.push(r.nodes);
      distance += r.distance;
    }
    if (this.offsets) inPolarOrder(routes, this.offsets);
    return individual(routes, this.s.inst.customerCount, distance, this.education.excess());
  }

  /** Routes laid out on the slots (all alike), the rest left empty. */
  private perSlot(routes: number[][]): number[][] {
    return this.s.routes.map((_, k) => routes[k]?.slice() ?? []);
  }
}

/** The customers at either end of an edge of `routes` that no parent has (depot edges included). */
function newEdgeEnds(routes: number[][], parents: Individual[]): number[] {
  const inherited = (a: number, b: number) => parents.some((p) => p.next[a] === b || p.prev[a] === b);
  const ends = new Set<number>();
  for (const route of routes) {
    for (let k = 0; k <= route.length; k++) {
      const a = k > 0 ? route[k - 1]! : -1;
      const b = k < route.length ? route[k]! : -1;
      const known = a >= 0 ? inherited(a, b) : inherited(b, a);
      if (known) continue;
      if (a >= 0) ends.add(a);
      if (b >= 0) ends.add(b);
    }
  }
  return [...ends];
}

/** Each customer's position relative to the depot, or null when positions are not known. */
function depotOffsets(inst: Instance): Float64Array | null {
  const { position, customerCount } = inst;
  if (!position) return null;
  const depot = inst.slots[0]!.startNode;
  const offsets = new Float64Array(2 * customerCount);
  for (let c = 0; c < customerCount; c++) {
    offsets[2 * c] = position[2 * c]! - position[2 * depot]!;
    offsets[2 * c + 1] = position[2 * c + 1]! - position[2 * depot + 1]!;
  }
  return offsets;
}

/**
 * Sorts routes by the polar angle of their barycentre around the depot (HGS-CVRP's exportIndividual).
 * Order crossover then keeps a sector of one parent and fills the rest in the other's order round the
 * depot. With the routes in the order they happened to hold their slots, a child cost about twice the
 * CPU to educate (CMT5, 2 000 children, seeds 1-9: 4.6 s against 2.5 s).
 */
function inPolarOrder(routes: number[][], offsets: Float64Array): void {
  const angle = (route: number[]) => {
    let x = 0;
    let y = 0;
    for (const c of route) {
      x += offsets[2 * c]!;
      y += offsets[2 * c + 1]!;
    }
    return Math.atan2(y, x);
  };
  const keyed = routes.map((route) => ({ route, angle: angle(route) }));
  keyed.sort((a, b) => a.angle - b.angle);
  keyed.forEach(({ route }, k) => (routes[k] = route));
}

/** The general local search over the search state (with the moves above). */
function generalEducation(s: SearchState, neighbours: Int32Array[], random: Random): Education {
  const ls = new LocalSearch(s, neighbours, random, { moves: GENETIC_MOVES });
  return {
    load: (routes) => s.restore(routes),
    improve: (start) => ls.run(start),
    repair: () => repairOverload(s, ls),
    excess: () => s.routes.reduce((sum, r) => sum + r.excess, 0),
    routes: () => s.routes.map((r) => ({ nodes: r.nodes.slice(), distance: r.fwDist[r.size + 1]! })),
  };
}

/** The plain-CVRP local search, at the search state's cost of overload. */
function cvrpEducation(s: SearchState, neighbours: Int32Array[], random: Random): Education {
  const { inst } = s;
  const slot = inst.slots[0]!;
  const depot = slot.startNode;
  const angles = inst.position ? polarAngles(inst.position, inst.customerCount, depot) : undefined;
  const edu = new CvrpEducation(
    { dist: inst.dist, nodeCount: inst.nodeCount, depot, customers: inst.customerCount, demand: inst.demand, capacity: slot.capacity[0]!, routes: inst.slots.length, angles },
    neighbours,
    random,
  );
  return {
    load: (routes) => edu.load(routes),
    improve: (start) => {
      edu.penalty = s.capacityPenalty;
      edu.improve(start);
    },
    repair: () => {
      edu.penalty = s.capacityPenalty * REPAIR_FACTOR;
      edu.improve(edu.overloadedCustomers());
    },
    excess: () => edu.excess(),
    routes: () => edu.routes(),
  };
}

function splitProblem(inst: Instance, capacityPenalty: number): SplitProblem {
  const slot = inst.slots[0]!;
  return {
    dist: inst.dist,
    nodeCount: inst.nodeCount,
    depot: slot.startNode,
    demand: inst.demand,
    capacity: slot.capacity,
    capacityPenalty,
    maxRoutes: inst.slots.length,
  };
}
