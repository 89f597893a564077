// Split (Prins 2004): cuts a giant tour, every customer once in visiting order, into routes from one depot
// at least cost, overload priced per unit as the relaxed search prices it. Shortest path over the tour's
// cut points; with a fleet too small for the unlimited answer, the path is also counted in routes.

/**
 * With a fleet large enough, routes of more than one customer carry at most this many capacities (in
 * every dimension), as in HGS-CVRP's Split: a longer one is not worth its overload at any penalty the
 * search keeps, and the arcs over them were most of Split's time (a tenth of a child's on CMT5).
 */
const LONGEST = 1.5;

export interface SplitProblem {
  /** Flat N×N distances over nodes. */
  dist: Float64Array;
  nodeCount: number;
  /** The depot every route leaves from and returns to. */
  depot: number;
  /** Per customer and dimension. */
  demand: Float64Array;
  capacity: ArrayLike<number>;
  /** Cost per unit of load above capacity (summed over the dimensions). */
  capacityPenalty: number;
  /** Most routes allowed. */
  maxRoutes: number;
}

/** The least-cost routes that visit `tour` in its order; [] for an empty tour. */
export function splitTour(p: SplitProblem, tour: number[]): number[][] {
  const n = tour.length;
  if (n === 0) return [];
  const { cost, tooLong } = segments(p, tour);
  const unlimited = unboundedCuts(n, cost, tooLong);
  return routesAt(tour, unlimited.length - 1 <= p.maxRoutes ? unlimited : boundedCuts(n, cost, Math.max(1, p.maxRoutes)));
}

/**
 * cost(i, j): the route serving tour[i..j-1]; tooLong(i, j): whether it carries more than LONGEST
 * capacities in some dimension. Closures over one pass of prefix sums.
 */
function segments(p: SplitProblem, tour: number[]): { cost: (i: number, j: number) => number; tooLong: (i: number, j: number) => boolean } {
  const { dist, nodeCount: N, depot, demand, capacity, capacityPenalty } = p;
  const dims = capacity.length;
  const n = tour.length;
  // Along the tour: distance from its first customer, and load, up to each position.
  const along = new Float64Array(n);
  const load = new Float64Array((n + 1) * dims);
  for (let k = 0; k < n; k++) {
    if (k > 0) along[k] = along[k - 1]! + dist[tour[k - 1]! * N + tour[k]!]!;
    for (let q = 0; q < dims; q++) load[(k + 1) * dims + q] = load[k * dims + q]! + demand[tour[k]! * dims + q]!;
  }
  const cost = (i: number, j: number) => {
    let excess = 0;
    for (let q = 0; q < dims; q++) {
      const over = load[j * dims + q]! - load[i * dims + q]! - capacity[q]!;
      if (over > 0) excess += over;
    }
    const travel = dist[depot * N + tour[i]!]! + along[j - 1]! - along[i]! + dist[tour[j - 1]! * N + depot]!;
    return excess > 0 ? travel + capacityPenalty * excess : travel;
  };
  const tooLong = (i: number, j: number) => {
    for (let q = 0; q < dims; q++) if (load[j * dims + q]! - load[i * dims + q]! > LONGEST * capacity[q]!) return true;
    return false;
  };
  return { cost, tooLong };
}

/**
 * The cut points 0 = c0 < c1 < … < ck = n of least total cost with at most `maxRoutes` routes: Bellman
 * round by round, each round allowing one route more.
 */
function boundedCuts(n: number, cost: (i: number, j: number) => number, maxRoutes: number): number[] {
  // best[j]: least cost of serving tour[0..j-1] with exactly the routes of the rounds so far; from[r][j] its last cut.
  let best = new Float64Array(n + 1).fill(Infinity);
  best[0] = 0;
  const from: Int32Array[] = [];
  let least = Infinity;
  let routes = 0;
  for (let r = 1; r <= maxRoutes; r++) {
    const next = new Float64Array(n + 1).fill(Infinity);
    const back = new Int32Array(n + 1).fill(-1);
    for (let i = 0; i < n; i++) {
      if (best[i] === Infinity) continue;
      for (let j = i + 1; j <= n; j++) {
        const c = best[i]! + cost(i, j);
        if (c < next[j]!) {
          next[j] = c;
          back[j] = i;
        }
      }
    }
    from.push(back);
    if (next[n]! < least) {
      least = next[n]!;
      routes = r;
    }
    best = next;
  }
  const cuts = [n];
  for (let r = routes, j = n; r >= 1; r--) cuts.push((j = from[r - 1]![j]!));
  return cuts.reverse();
}

/** Shortest path over cut points with any number of routes, none of several customers too long. */
function unboundedCuts(n: number, cost: (i: number, j: number) => number, tooLong: (i: number, j: number) => boolean): number[] {
  const best = new Float64Array(n + 1).fill(Infinity);
  const back = new Int32Array(n + 1).fill(-1);
  best[0] = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j <= n && (j === i + 1 || !tooLong(i, j)); j++) {
      const c = best[i]! + cost(i, j);
      if (c < best[j]!) {
        best[j] = c;
        back[j] = i;
      }
    }
  }
  const cuts = [n];
  for (let j = n; j > 0; j = back[j]!) cuts.push(back[j]!);
  return cuts.reverse();
}

function routesAt(tour: number[], cuts: number[]): number[][] {
  const routes: number[][] = [];
  for (let k = 1; k < cuts.length; k++) routes.push(tour.slice(cuts[k - 1], cuts[k]));
  return routes;
}
