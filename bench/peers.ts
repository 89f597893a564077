// Peer solvers run side by side with ours in the routing benchmark: HGS-CVRP and VROOM, as binaries the
// person benchmarking built themselves (`--hgs PATH`, `--vroom PATH`); nothing here builds or ships them.
// Each peer's answer is read back as routes of the instance and costed by our own checker.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { plannedRoutes, type BenchmarkInstance } from '../solver/formats/instance.ts';
import { parseSol } from '../solver/formats/solutions.ts';
import type { PlannedRoute } from '../solver/routing/check.ts';

export interface PeerRun {
  routes: PlannedRoute[];
  /** Customers the peer left out (VROOM's unassigned). */
  unassigned: number;
  /** CPU time the peer used. */
  cpuMs: number;
}

export interface Peer {
  name: 'hgs' | 'vroom';
  /** Whether the peer can state this instance at all. */
  accepts(instance: BenchmarkInstance): boolean;
  /** With `vehiclesFirst` the peer is asked to use fewest vehicles first, then least distance, where it can. */
  run(instance: BenchmarkInstance, file: string, limitS: number, vehiclesFirst: boolean): PeerRun;
}

/**
 * Runs a peer through the shell so that `times` reports its CPU time: on a shared machine that, not the
 * wall clock, says how long the peer worked.
 */
function timed(binary: string, args: string[]): { stdout: string; cpuMs: number } {
  const script = '"$0" "$@"; status=$?; times >&2; exit $status';
  const run = spawnSync('sh', ['-c', script, binary, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`${binary} exited ${run.status}: ${run.stderr.slice(0, 500)}`);
  // The last line of `times` holds the children's user and system time, as 0m1.234s each.
  const children = run.stderr.trim().split('\n').at(-1)!.match(/(\d+)m([\d.]+)s/g) ?? [];
  const cpuMs = children.reduce((sum, t) => {
    const [, m, sec] = /(\d+)m([\d.]+)s/.exec(t)!;
    return sum + (Number(m) * 60 + Number(sec)) * 1000;
  }, 0);
  return { stdout: run.stdout, cpuMs };
}

function inScratch<T>(work: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-peer-'));
  try {
    return work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** HGS-CVRP reads CVRPLIB files itself; it rounds distances unless told not to (CMT is unrounded). Seeded as ours. */
export function hgsPeer(binary: string, seed: number): Peer {
  return {
    name: 'hgs',
    accepts: (instance) => instance.format === 'cvrplib',
    run: (instance, file, limitS) =>
      inScratch((dir) => {
        const out = join(dir, 'hgs.sol');
        const round = instance.convention === 'rounded' ? '1' : '0';
        const { cpuMs } = timed(binary, [file, out, '-t', String(limitS), '-seed', String(seed), '-round', round, '-log', '0']);
        const routes = parseSol(readFileSync(out, 'utf8')).routes;
        return { routes: plannedRoutes(instance, routes), unassigned: 0, cpuMs };
      }),
  };
}

/** Integer matrices for VROOM: exact for rounded and one-decimal sets, to a thousandth for the rest. */
function scaleOf(instance: BenchmarkInstance): number {
  return instance.convention === 'rounded' ? 1 : instance.convention === 'truncated-1dp' ? 10 : 1000;
}

/** A fleet large enough for any good solution but not the one-per-customer bound of unlimited fleets. */
function fleetSize(instance: BenchmarkInstance, count: number): number {
  if (instance.format === 'cordeau' || instance.format === 'solomon') return count;
  const { customers, vehicles } = instance.problem;
  const demand = customers.reduce((s, c) => s + (c.demand[0] ?? 0), 0);
  const bound = Math.ceil(demand / vehicles[0]!.capacity[0]!);
  return Math.min(count, Math.ceil(bound * 1.3) + 3);
}

/** VROOM's vehicles in order, as the index of the vehicle type each one is a copy of. */
function vroomFleet(instance: BenchmarkInstance): number[] {
  return instance.problem.vehicles.flatMap((v, type) => Array<number>(fleetSize(instance, v.count ?? 1)).fill(type));
}

/**
 * VROOM's fixed cost per vehicle used that makes it minimise vehicles first: above any solution's distance
 * (at most two of the longest edge per customer), within its 32-bit user costs.
 */
function fixedCostAboveDistance(instance: BenchmarkInstance, scaled: (v: number) => number): number {
  let longest = 0;
  for (const row of instance.problem.distances) for (const d of Array.from(row)) longest = Math.max(longest, scaled(d));
  return Math.min(2 ** 31 - 1, 2 * (instance.problem.customers.length + 1) * longest);
}

function vroomInput(instance: BenchmarkInstance, fleet: number[], vehiclesFirst: boolean): string {
  const { problem } = instance;
  const scale = scaleOf(instance);
  const scaled = (v: number) => Math.round(v * scale);
  const fixed = vehiclesFirst ? fixedCostAboveDistance(instance, scaled) : 0;
  const depotsById = new Map(problem.depots.map((d) => [d.id, d]));
  return JSON.stringify({
    vehicles: fleet.map((type, id) => {
      const v = problem.vehicles[type]!;
      const depot = depotsById.get(v.startDepot)!;
      return {
        id,
        start_index: depot.location,
        end_index: depotsById.get(v.endDepot ?? v.startDepot)!.location,
        capacity: v.capacity,
        ...(fixed > 0 ? { costs: { fixed } } : {}),
        ...shiftOf(depot.timeWindow, v.maxDuration, scaled),
      };
    }),
    jobs: problem.customers.map((c, id) => ({
      id,
      location_index: c.location,
      delivery: c.demand,
      service: scaled(c.serviceTime ?? 0),
      ...(c.timeWindow ? { time_windows: [c.timeWindow.map(scaled)] } : {}),
    })),
    matrices: { car: { durations: problem.distances.map((row) => Array.from(row, scaled)) } },
  });
}

/**
 * The vehicle's time window: the depot's, or for a route duration limit (Cordeau's D) [0, D], which bounds the same
 * routes where customers have no time windows (a route can always start at 0). VROOM has no duration limit as such.
 */
function shiftOf(depotWindow: [number, number] | undefined, maxDuration: number | undefined, scaled: (v: number) => number): { time_window?: number[] } {
  if (depotWindow) return { time_window: depotWindow.map(scaled) };
  return maxDuration === undefined ? {} : { time_window: [0, scaled(maxDuration)] };
}

interface VroomOutput {
  routes: { vehicle: number; steps: { type: string; id?: number }[] }[];
  unassigned: unknown[];
}

/**
 * VROOM at exploration level 5 on one thread, which sets its own running time (it has no time limit here).
 * Vehicles first is stated to it as a fixed cost per vehicle above any distance.
 */
export function vroomPeer(binary: string): Peer {
  return {
    name: 'vroom',
    accepts: () => true,
    run: (instance, _file, _limitS, vehiclesFirst) =>
      inScratch((dir) => {
        const { problem } = instance;
        const fleet = vroomFleet(instance);
        const input = join(dir, 'problem.json');
        writeFileSync(input, vroomInput(instance, fleet, vehiclesFirst));
        const { stdout, cpuMs } = timed(binary, ['-i', input, '-x', '5', '-t', '1']);
        const output = JSON.parse(stdout) as VroomOutput;
        const copies = new Map<string, number>();
        const routes = output.routes.map((r) => {
          const vehicle = problem.vehicles[fleet[r.vehicle]!]!;
          const copy = copies.get(vehicle.id) ?? 0;
          copies.set(vehicle.id, copy + 1);
          const stops = r.steps.filter((s) => s.type === 'job').map((s) => problem.customers[s.id!]!.id);
          return { vehicleId: vehicle.id, copy, stops };
        });
        return { routes, unassigned: output.unassigned.length, cpuMs };
      }),
  };
}
