// Routing benchmark: every instance in bench/instances (cvrp, vrptw, mdvrp) at fixed time limits, our cost
// against the best-known solution (gap %), per instance, per size band and on average, each solution
// re-checked independently. Flags: --time-limit S[,S…] (default 5,60) --only name[,name…] --seed N, and
// --hgs PATH / --vroom PATH to run those peers (built by you, see bench/peers.ts) side by side in the same run,
// and --clock cpu to limit our solver by CPU time as HGS-CVRP limits itself (fair on a busy machine).
// Solomon/Homberger (vrptw) are solved vehicles first, then distance, as that literature ranks them (the
// gap stays the distance gap to CVRPLIB's distance-only BKS; `vehicles` is printed beside it and the
// averages count the instances where we rank after a peer on (vehicles, distance)); VROOM is given the same
// objective as a fixed cost per vehicle above any distance. --distance-only solves them on distance alone.
// `npm run bench -- vrp --time-limit 5 --only X-n1` (bench/run.ts passes the flags on).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { measure, printRow } from './measure.ts';
import { parseInstance } from '../solver/formats/index.ts';
import { reportedCost, type BenchmarkInstance } from '../solver/formats/instance.ts';
import { parseCordeauResult, parseSol } from '../solver/formats/solutions.ts';
import { checkSolution, type PlannedRoute } from '../solver/routing/check.ts';
import { solveRouting } from '../solver/routing/solve.ts';
import { hgsPeer, vroomPeer, type Peer } from './peers.ts';

const ROOT = join(import.meta.dirname, 'instances');
const SETS = ['cvrp', 'vrptw', 'mdvrp'] as const;
const BANDS = [100, 300, 500, 1000];

interface Row {
  solver: string;
  set: string;
  instance: string;
  band: string;
  limit: number;
  gap: number;
  vehicles: number;
  feasible: boolean;
}

function flags(): string[] {
  return process.argv.slice(2);
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

function bestKnown(set: string, file: string, instance: BenchmarkInstance): number {
  const base = join(ROOT, set, file.replace(/\.[^.]+$/, ''));
  if (existsSync(`${base}.sol`)) return parseSol(readFileSync(`${base}.sol`, 'utf8')).cost;
  if (existsSync(`${base}.res`)) return parseCordeauResult(readFileSync(`${base}.res`, 'utf8')).cost;
  throw new Error(`no reference solution for ${instance.name}`);
}

function band(customers: number): string {
  const upper = BANDS.find((b) => customers <= b) ?? Infinity;
  const lower = BANDS[BANDS.indexOf(upper) - 1] ?? 0;
  return `${lower + 1}-${upper}`;
}

const args = flags();
const limits = (option(args, '--time-limit') ?? '5,60').split(',').map(Number);
const only = option(args, '--only')?.split(',');
const seed = Number(option(args, '--seed') ?? 1);
const cpuClock = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};
const clock = option(args, '--clock') === 'cpu' ? cpuClock : undefined;
const distanceOnly = args.includes('--distance-only');
/** The literature ranks VRPTW solutions by vehicles, then distance; CVRP and MDVRP by distance alone. */
const vehiclesFirst = (set: string) => set === 'vrptw' && !distanceOnly;
const rows: Row[] = [];
const hgs = option(args, '--hgs');
const vroom = option(args, '--vroom');
const peers: Peer[] = [...(hgs ? [hgsPeer(hgs, seed)] : []), ...(vroom ? [vroomPeer(vroom)] : [])];

for (const limit of limits) {
  for (const set of SETS) {
    const files = readdirSync(join(ROOT, set))
      .filter((f) => /\.(vrp|txt)$/.test(f))
      .filter((f) => !only || only.some((o) => f.includes(o)))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    for (const file of files) {
      const instance = parseInstance(file, readFileSync(join(ROOT, set, file), 'utf8'));
      const bks = bestKnown(set, file, instance);
      const cpuBefore = cpuClock();
      const problem = vehiclesFirst(set) ? { ...instance.problem, objective: { ...instance.problem.objective, fewestVehicles: true } } : instance.problem;
      const run = await measure(() => solveRouting(problem, { seed, timeLimitMs: limit * 1000, clock }));
      const solution = run.value;
      const answer = { routes: solution.routes, unassigned: solution.unassigned.length, cpuMs: cpuClock() - cpuBefore };
      record({ solver: 'lifeline', set, instance, bks, limit, ...answer }, {
        ms: Math.round(run.ms),
        rss_mb: Math.round(run.peakRssMb),
        iterations: solution.stats.iterations,
        lp_helped: solution.stats.improvedByPartitioning,
      });
      for (const peer of peers.filter((p) => p.accepts(instance))) {
        const path = join(ROOT, set, file);
        const answer = peer.run(instance, path, limit, vehiclesFirst(set));
        record({ solver: peer.name, set, instance, bks, limit, ...answer }, {});
      }
    }
  }
}

/** Costs one solver's routes with our checker and prints its line. */
function record(
  run: { solver: string; set: string; instance: BenchmarkInstance; bks: number; limit: number; routes: PlannedRoute[]; unassigned: number; cpuMs: number },
  extra: Record<string, number | boolean>,
): void {
  const { instance, bks } = run;
  const check = checkSolution(instance.problem, { routes: run.routes });
  const cost = reportedCost(check.cost, instance.convention);
  // Rounded to the printed precision, so that an exact match never shows as −0.00.
  const gap = Number(((100 * (cost - bks)) / bks).toFixed(2)) || 0;
  const feasible = check.feasible && run.unassigned === 0;
  const n = instance.problem.customers.length;
  const vehicles = run.routes.filter((r) => r.stops.length > 0).length;
  rows.push({ solver: run.solver, set: run.set, instance: instance.name, band: band(n), limit: run.limit, gap, vehicles, feasible });
  printRow({
    solver: run.solver,
    set: run.set,
    instance: instance.name,
    n,
    limit_s: run.limit,
    cost,
    bks,
    gap_pct: gap.toFixed(2),
    vehicles,
    cpu_ms: Math.round(run.cpuMs),
    feasible,
    ...extra,
  });
}

console.log('\n# averages');
for (const limit of limits) {
  for (const set of SETS) {
    for (const solver of [...new Set(rows.map((r) => r.solver))]) {
      const ofSet = rows.filter((r) => r.set === set && r.limit === limit && r.solver === solver);
      if (ofSet.length === 0) continue;
      const bands = [...new Set(ofSet.map((r) => r.band))].sort((a, b) => parseInt(a) - parseInt(b));
      for (const b of bands) summary({ solver, set, band: b, limit }, ofSet.filter((r) => r.band === b));
      summary({ solver, set, band: 'all', limit }, ofSet);
    }
  }
}

function summary(key: { solver: string; set: string; band: string; limit: number }, of: Row[]): void {
  printRow({
    solver: key.solver,
    set: key.set,
    band: key.band,
    limit_s: key.limit,
    instances: of.length,
    avg_gap_pct: (of.reduce((s, r) => s + r.gap, 0) / of.length).toFixed(2),
    max_gap_pct: Math.max(...of.map((r) => r.gap)).toFixed(2),
    all_feasible: of.every((r) => r.feasible),
    ...(key.solver === 'lifeline' ? behindPeers(of) : {}),
  });
}

/**
 * Per peer, the most percentage points our gap trails the peer's on one instance of these rows; where
 * vehicles come first, also on how many instances we rank after the peer on (vehicles, distance).
 */
function behindPeers(ours: Row[]): Record<string, string | number> {
  const behind: Record<string, string | number> = {};
  for (const peer of peers) {
    const theirs = new Map(rows.filter((r) => r.solver === peer.name && r.limit === ours[0]!.limit).map((r) => [r.instance, r]));
    const both = ours.filter((r) => theirs.has(r.instance));
    if (both.length === 0) continue;
    behind[`max_pp_behind_${peer.name}`] = Math.max(...both.map((r) => r.gap - theirs.get(r.instance)!.gap)).toFixed(2);
    if (vehiclesFirst(ours[0]!.set)) {
      const after = (r: Row, p: Row) => r.vehicles > p.vehicles || (r.vehicles === p.vehicles && r.gap > p.gap);
      behind[`ranked_after_${peer.name}`] = both.filter((r) => after(r, theirs.get(r.instance)!)).length;
    }
  }
  return behind;
}
