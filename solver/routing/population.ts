// HGS-CVRP's population (Vidal 2022): solutions within capacity and overloaded ones kept apart, each
// ranked by a biased fitness that mixes its cost with its distance to the others (broken pairs), so
// that survivor and parent selection keep it diverse. Costs price overload at the current penalty.
import type { Random } from '../random.ts';

/** One solution: its routes and what the population compares it by. */
export interface Individual {
  /** The routes that serve anyone, as customer lists. */
  routes: number[][];
  distance: number;
  /** Load above capacity, summed over routes and dimensions. */
  excess: number;
  /** Per customer, the next and the previous one on its route (-1 for the depot). */
  next: Int32Array;
  prev: Int32Array;
  /** The other members of its subpopulation, nearest first. */
  close: { distance: number; other: Individual }[];
  /** Biased fitness: lower is better. */
  fitness: number;
}

export interface PopulationOptions {
  /** Members kept after a survivor selection (μ). */
  minimum: number;
  /** Members added before the next one (λ). */
  generation: number;
  /** Best members whose fitness counts their cost alone. */
  elite: number;
  /** Nearest members a diversity contribution averages over. */
  closest: number;
}

/**
 * HGS-CVRP keeps μ = 25 and adds λ = 40 over tens of thousands of children; 5 s give two or three thousand
 * here on 200 customers, and a smaller population converges within them (elite and closest as in
 * HGS-CVRP). μ = 8, λ = 12, set when a child cost several times more, now converged too soon: at the
 * same number of children (2 500 on CMT5, seeds 1–7; 1 800 on X-n256-k16, seeds 1–4) the average gap
 * went from 0.58 % (up to 1.28 %) to 0.26 % (up to 0.65 %) and from 0.44 % to 0.29 %.
 */
export const POPULATION: PopulationOptions = { minimum: 12, generation: 20, elite: 4, closest: 5 };

/** An individual of the given routes over customers 0..customers-1. */
export function individual(routes: number[][], customers: number, distance: number, excess: number): Individual {
  const next = new Int32Array(customers).fill(-1);
  const prev = new Int32Array(customers).fill(-1);
  for (const route of routes) {
    for (let k = 0; k < route.length; k++) {
      if (k > 0) prev[route[k]!] = route[k - 1]!;
      if (k + 1 < route.length) next[route[k]!] = route[k + 1]!;
    }
  }
  return { routes, distance, excess, next, prev, close: [], fitness: 0 };
}

/**
 * Share of the customers served in `a` with an edge that `b` lacks (routes are unordered, so either
 * direction matches), the depot edges counted as in HGS-CVRP. 0 for the same solution.
 */
export function brokenPairsDistance(a: Individual, b: Individual, customers: readonly number[]): number {
  let broken = 0;
  for (const c of customers) {
    const n = a.next[c]!;
    if (n !== b.next[c] && n !== b.prev[c]) broken++;
    if (a.prev[c] === -1 && b.prev[c] !== -1 && b.next[c] !== -1) broken++;
  }
  return broken / Math.max(1, customers.length);
}

/** The sequence of all customers: the routes one after another (what crossover recombines). */
export function giantTour(ind: Individual): number[] {
  return ind.routes.flat();
}

export class Population {
  readonly feasible: Individual[] = [];
  readonly infeasible: Individual[] = [];
  /** The cheapest individual within capacity ever added. */
  best: Individual | null = null;

  constructor(
    /** The customers the individuals serve (for the distance). */
    private readonly customers: readonly number[],
    private readonly options: PopulationOptions,
    private penalty: number,
  ) {}

  cost(ind: Individual): number {
    return ind.excess > 0 ? ind.distance + this.penalty * ind.excess : ind.distance;
  }

  /** Adds an individual to its subpopulation; true when it is the best within capacity so far. */
  add(ind: Individual): boolean {
    const within = ind.excess === 0;
    const group = within ? this.feasible : this.infeasible;
    for (const other of group) {
      const distance = brokenPairsDistance(ind, other, this.customers);
      insertClose(ind, other, distance);
      insertClose(other, ind, distance);
    }
    const cost = this.cost(ind);
    let at = group.findIndex((other) => this.cost(other) > cost);
    if (at < 0) at = group.length;
    group.splice(at, 0, ind);
    if (group.length > this.options.minimum + this.options.generation) this.selectSurvivors(group);
    if (within && (this.best === null || ind.distance < this.best.distance - 1e-9)) {
      this.best = ind;
      return true;
    }
    return false;
  }

  /** Prices overload anew: the overloaded individuals are re-ranked. */
  setPenalty(penalty: number): void {
    this.penalty = penalty;
    this.infeasible.sort((a, b) => this.cost(a) - this.cost(b));
  }

  /** Binary tournament on biased fitness over both subpopulations. */
  select(random: Random): Individual {
    this.updateFitness(this.feasible);
    this.updateFitness(this.infeasible);
    const pick = () => {
      const k = random.int(this.feasible.length + this.infeasible.length);
      return k < this.feasible.length ? this.feasible[k]! : this.infeasible[k - this.feasible.length]!;
    };
    const a = pick();
    const b = pick();
    return a.fitness <= b.fitness ? a : b;
  }

  get size(): number {
    return this.feasible.length + this.infeasible.length;
  }

  /** Empties the population (a restart); the best individual stays known. */
  clear(): void {
    this.feasible.length = 0;
    this.infeasible.length = 0;
  }

  /** Removes members down to μ: clones first, then the worst biased fitness. */
  private selectSurvivors(group: Individual[]): void {
    while (group.length > this.options.minimum) {
      this.updateFitness(group);
      let worst = -1;
      let worstClone = false;
      for (let k = 0; k < group.length; k++) {
        const ind = group[k]!;
        const clone = (ind.close[0]?.distance ?? 1) < 1e-9;
        if (worst < 0 || (clone && !worstClone) || (clone === worstClone && ind.fitness > group[worst]!.fitness)) {
          worst = k;
          worstClone = clone;
        }
      }
      const [removed] = group.splice(worst, 1);
      for (const other of group) {
        const at = other.close.findIndex((entry) => entry.other === removed);
        if (at >= 0) other.close.splice(at, 1);
      }
    }
  }

  /** Biased fitness: rank by cost plus, beyond the elite, rank by diversity (both scaled to [0, 1]). */
  private updateFitness(group: Individual[]): void {
    const size = group.length;
    if (size === 1) group[0]!.fitness = 0;
    if (size <= 1) return;
    const diversity = group.map((ind, rank) => ({ rank, contribution: this.contribution(ind) }));
    diversity.sort((a, b) => b.contribution - a.contribution);
    const weight = size > this.options.elite ? 1 - this.options.elite / size : 0;
    diversity.forEach(({ rank }, divRank) => {
      group[rank]!.fitness = rank / (size - 1) + (weight * divRank) / (size - 1);
    });
  }

  /** Average distance to the nearest few members. */
  private contribution(ind: Individual): number {
    const k = Math.min(this.options.closest, ind.close.length);
    if (k === 0) return 0;
    let sum = 0;
    for (let j = 0; j < k; j++) sum += ind.close[j]!.distance;
    return sum / k;
  }
}

function insertClose(ind: Individual, other: Individual, distance: number): void {
  let at = ind.close.findIndex((entry) => entry.distance > distance);
  if (at < 0) at = ind.close.length;
  ind.close.splice(at, 0, { distance, other });
}
