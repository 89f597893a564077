// Fleets in VROOM's format: generated problems with every field Lifeline reads (deliveries and pickups,
// windows, priorities, skills, breaks, stop/driving/length limits, open routes) at several sizes, solved
// through solveVroom at a fixed time limit. Per case: size, time, peak memory, cost, jobs served, and
// whether the independent checker accepts the answer. Flags: --time-limit S (default 5) --sizes 100,500,1000.
import { measure, printRow } from './measure.ts';
import { solveVroom, type VroomInput, type VroomVehicle } from '../solver/formats/vroom.ts';
import { checkVroomSolution } from '../solver/formats/vroom-check.ts';
import { Random } from '../solver/random.ts';

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const seconds = Number(option('--time-limit') ?? 5);
const sizes = (option('--sizes') ?? '100,500,1000').split(',').map(Number);

/** Jobs on a 1000 s × 1000 s square around two depots; one vehicle per 12 jobs, a third of them refrigerated. */
function fleetProblem(jobs: number, seed: number): VroomInput {
  const random = new Random(seed);
  const places = Array.from({ length: jobs + 2 }, () => [random.int(1000), random.int(1000)] as const);
  const durations = places.map(([x, y]) => places.map(([u, v]) => Math.round(Math.hypot(x - u, y - v))));
  const vehicles: VroomVehicle[] = [];
  for (let k = 0; k < Math.ceil(jobs / 12); k++) {
    const depot = jobs + (k % 2);
    vehicles.push({
      id: k,
      start_index: depot,
      ...(k % 5 === 4 ? {} : { end_index: depot }),
      capacity: [60, 20],
      time_window: [0, 28_800],
      skills: k % 3 === 0 ? [1] : [],
      breaks: [{ id: 1, time_windows: [[12_600, 16_200]], service: 1800 }],
      max_tasks: 16,
      max_travel_time: 14_400,
      max_distance: 200_000,
      ...(k % 4 === 3 ? { speed_factor: 1.2 } : {}),
    });
  }
  return {
    jobs: Array.from({ length: jobs }, (_, i) => {
      const opens = random.int(21_600);
      return {
        id: i,
        location_index: i,
        delivery: [1 + random.int(6), random.int(3)],
        ...(i % 4 === 0 ? { pickup: [random.int(5), 0] } : {}),
        service: 120 + random.int(300),
        ...(i % 3 === 0 ? { time_windows: [[opens, opens + 3600 + random.int(7200)]] as [number, number][] } : {}),
        ...(i % 10 === 0 ? { priority: 1 + random.int(100) } : {}),
        ...(i % 7 === 0 ? { skills: [1] } : {}),
      };
    }),
    vehicles,
    matrices: { car: { durations, distances: durations.map((row) => row.map((t) => 10 * t)) } },
  };
}

for (const size of sizes) {
  const input = fleetProblem(size, size);
  const run = await measure(() => solveVroom(input, { seed: 1, timeLimitMs: seconds * 1000 }));
  const out = run.value;
  const check = checkVroomSolution(input, out);
  printRow({
    jobs: size,
    vehicles: input.vehicles.length,
    limit_s: seconds,
    ms: Math.round(run.ms),
    rss_mb: Math.round(run.peakRssMb),
    cost: out.summary.cost,
    routes: out.summary.routes,
    served: size - out.summary.unassigned,
    priority: out.summary.priority,
    feasible: check.feasible,
  });
  if (!check.feasible) console.log(check.violations.slice(0, 5).join('\n'));
}
