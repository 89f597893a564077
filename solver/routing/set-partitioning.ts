// The LP step: choose, among pooled routes, a cheapest set that serves each customer exactly once within
// the fleet (set partitioning, solved as a MIP by HiGHS). Recombines pieces of different solutions.
import type { Highs } from 'highs';
import type { PooledRoute } from './route-pool.ts';

let highsPromise: Promise<Highs> | null = null;

/** Loads the WebAssembly solver once per process (the ESM build's default export is the loader). */
export async function preloadHighs(): Promise<Highs> {
  highsPromise ??= import('highs').then((m) => (m.default as unknown as () => Promise<Highs>)());
  return highsPromise;
}

/** Whether the solver has been asked for in this process (it is loaded only where the step may run). */
export function highsRequested(): boolean {
  return highsPromise !== null;
}

export interface PartitionInput {
  routes: PooledRoute[];
  /** Customers that must each be covered exactly once. */
  customers: number[];
  /** Routes available per vehicle class. */
  classCounts: number[];
  /** Most routes in all (vehicles first: the fewest reached so far); default the fleet. */
  maxRoutes?: number;
  timeLimitSeconds: number;
  /** Branch-and-bound node limit: unlike the time limit, it stops HiGHS at the same point on every run. */
  maxNodes?: number;
}

/**
 * Indices (into `routes`) of the chosen routes, or null when HiGHS failed. When it was stopped by a
 * limit the choice may not be a partition: the caller checks.
 */
export async function solveSetPartitioning(input: PartitionInput): Promise<number[] | null> {
  const { routes, customers, classCounts } = input;
  if (routes.length === 0) return null;
  const rowsOf = new Map<number, string[]>(customers.map((c) => [c, []]));
  const classRows = classCounts.map(() => [] as string[]);
  const objective: string[] = [];
  routes.forEach((route, j) => {
    objective.push(`${route.cost} x${j}`);
    for (const c of route.nodes) rowsOf.get(c)?.push(`x${j}`);
    classRows[route.vehicleClass]!.push(`x${j}`);
  });
  const lines = ['Minimize', ` obj: ${wrap(objective, ' + ')}`, 'Subject To'];
  for (const [c, vars] of rowsOf) {
    if (vars.length === 0) return null;
    lines.push(` c${c}: ${wrap(vars, ' + ')} = 1`);
  }
  classRows.forEach((vars, k) => {
    if (vars.length > classCounts[k]!) lines.push(` v${k}: ${wrap(vars, ' + ')} <= ${classCounts[k]}`);
  });
  if (input.maxRoutes !== undefined && input.maxRoutes < routes.length) lines.push(` fleet: ${wrap(routes.map((_, j) => `x${j}`), ' + ')} <= ${input.maxRoutes}`);
  lines.push('Binary', wrap(routes.map((_, j) => `x${j}`), ' '), 'End');
  const highs = await preloadHighs();
  const result = highs.solve(lines.join('\n'), {
    output_flag: false,
    time_limit: input.timeLimitSeconds,
    mip_rel_gap: 1e-6,
    ...(input.maxNodes !== undefined ? { mip_max_nodes: input.maxNodes } : {}),
  });
  // A stopped solve may still carry its incumbent; the caller checks that the choice is a partition.
  if (/error|Infeasible|Empty|Not Set/i.test(result.Status)) return null;
  const chosen: number[] = [];
  routes.forEach((_, j) => {
    const column = result.Columns[`x${j}`] as { Primal?: number } | undefined;
    if ((column?.Primal ?? 0) > 0.5) chosen.push(j);
  });
  return chosen.length > 0 ? chosen : null;
}

/** LP-format lines must stay short: break long sums every few terms. */
function wrap(terms: string[], joiner: string): string {
  const chunks: string[] = [];
  for (let i = 0; i < terms.length; i += 8) chunks.push(terms.slice(i, i + 8).join(joiner));
  return chunks.join(`${joiner.trimEnd()}\n  `);
}
