// Independent checker of a VROOM-format solution against its VROOM input: replays every route from the
// input's own matrices and tasks (nothing from the router) and lists each broken rule in plain words.
import type { VroomInput, VroomJob, VroomSolution, VroomStep, VroomVehicle } from './vroom.ts';

const TOLERANCE = 1e-6;

export interface VroomCheck {
  feasible: boolean;
  violations: string[];
}

export function checkVroomSolution(input: VroomInput, solution: VroomSolution): VroomCheck {
  const violations: string[] = [];
  const jobs = new Map((input.jobs ?? []).map((j) => [j.id, j]));
  const vehicles = new Map(input.vehicles.map((v) => [v.id, v]));
  const served = new Map<number, number>();
  const used = new Set<number>();
  if (solution.code !== 0) violations.push(`code ${solution.code}`);
  solution.routes.forEach((route, r) => {
    const vehicle = vehicles.get(route.vehicle);
    const say = (what: string) => violations.push(`route ${r} (vehicle ${route.vehicle}): ${what}`);
    if (!vehicle) return say('no such vehicle');
    if (used.has(vehicle.id)) say('vehicle used twice');
    used.add(vehicle.id);
    for (const step of route.steps) if (step.type === 'job') served.set(step.id!, (served.get(step.id!) ?? 0) + 1);
    checkRoute(input, vehicle, route.steps, jobs, say);
  });
  const unassigned = new Set(solution.unassigned.map((u) => u.id));
  for (const id of jobs.keys()) {
    const times = served.get(id) ?? 0;
    if (times > 1) violations.push(`job ${id} served ${times} times`);
    if (times === 0 && !unassigned.has(id)) violations.push(`job ${id} neither served nor unassigned`);
    if (times > 0 && unassigned.has(id)) violations.push(`job ${id} served and unassigned`);
  }
  for (const id of served.keys()) if (!jobs.has(id)) violations.push(`job ${id} does not exist`);
  if (solution.summary.routes !== solution.routes.length) violations.push('summary.routes is not the number of routes');
  if (solution.summary.unassigned !== solution.unassigned.length) violations.push('summary.unassigned is not the number unassigned');
  return { feasible: violations.length === 0, violations };
}

function checkRoute(input: VroomInput, vehicle: VroomVehicle, steps: VroomStep[], jobs: Map<number, VroomJob>, say: (what: string) => void): void {
  const profile = input.matrices?.[vehicle.profile ?? 'car'];
  const durations = profile?.durations ?? input.matrix!;
  const distances = profile?.distances;
  const speed = vehicle.speed_factor ?? 1;
  const tasks = steps.filter((s) => s.type === 'job').map((s) => jobs.get(s.id!));
  if (tasks.some((j) => j === undefined)) return say('serves an unknown job');
  const known = tasks as VroomJob[];
  const dims = vehicle.capacity?.length ?? 0;
  const delivery = (j: VroomJob) => j.delivery ?? j.amount ?? [];
  const load = Array.from({ length: dims }, (_, k) => known.reduce((s, j) => s + (delivery(j)[k] ?? 0), 0));

  if ((vehicle.start_index !== undefined) !== (steps[0]?.type === 'start')) say('starts wrongly');
  if ((vehicle.end_index !== undefined) !== (steps.at(-1)?.type === 'end')) say('ends wrongly');
  if (vehicle.max_tasks !== undefined && known.length > vehicle.max_tasks) say(`${known.length} tasks, above max_tasks ${vehicle.max_tasks}`);
  const skills = vehicle.skills ?? [];
  for (const j of known) if (!(j.skills ?? []).every((s) => skills.includes(s))) say(`job ${j.id} needs skills the vehicle lacks`);

  const [shiftStart, shiftEnd] = vehicle.time_window ?? [-Infinity, Infinity];
  let previous = null as { at: number; leaves: number } | null;
  let driven = 0;
  let travelled = 0;
  const over = (what: string) =>
    load.forEach((q, k) => {
      if (q > vehicle.capacity![k]! + TOLERANCE) say(`load ${q} in dimension ${k} ${what}, above ${vehicle.capacity![k]}`);
    });
  over('at the start');
  const breaks = vehicle.breaks ?? [];
  for (const b of breaks) {
    const times = steps.filter((s) => s.type === 'break' && s.id === b.id).length;
    if (known.length > 0 && times !== 1) say(`takes break ${b.id} ${times} times`);
  }
  for (const step of steps) {
    // A break is taken where the vehicle stands.
    const pause = step.type === 'break';
    const at: number | undefined = step.type === 'start' ? vehicle.start_index : step.type === 'end' ? vehicle.end_index : pause ? previous?.at : jobs.get(step.id!)!.location_index;
    if (pause ? step.location_index !== at : at === undefined || step.location_index !== at) say(`${describe(step)} at the wrong place`);
    if (pause && previous === null && step.arrival < shiftStart - TOLERANCE) say(`${describe(step)} before the vehicle's time window`);
    if (pause && previous) {
      if (Math.abs(step.arrival - previous.leaves) > TOLERANCE) say(`${describe(step)}: arrival ${step.arrival}, but the vehicle is free at ${previous.leaves}`);
    } else if (previous && at !== undefined) {
      const drive = durations[previous.at]![at]! / speed;
      driven += drive;
      travelled += distances?.[previous.at]![at] ?? 0;
      if (Math.abs(step.arrival - (previous.leaves + drive)) > TOLERANCE) say(`${describe(step)}: arrival ${step.arrival}, but the drive gives ${previous.leaves + drive}`);
    }
    if (Math.abs(step.duration - driven) > TOLERANCE) say(`${describe(step)}: duration ${step.duration}, but the driving adds up to ${driven}`);
    if (step.waiting_time < -TOLERANCE) say(`${describe(step)}: negative waiting`);
    const begins = step.arrival + step.waiting_time;
    if (step.type === 'start' && begins < shiftStart - TOLERANCE) say(`leaves at ${begins}, before its time window`);
    if (step.type === 'end' && step.arrival > shiftEnd + TOLERANCE) say(`back at ${step.arrival}, after its time window`);
    if (pause) {
      const b = breaks.find((x) => x.id === step.id);
      if (!b) say(`${describe(step)} is not this vehicle's`);
      else {
        const windows = b.time_windows ?? [];
        if (windows.length > 0 && !windows.some(([a, z]) => begins >= a - TOLERANCE && begins <= z + TOLERANCE)) say(`break ${b.id} begins at ${begins}, outside its time windows`);
        if (step.service !== (b.service ?? 0)) say(`break ${b.id}: service ${step.service}, not ${b.service ?? 0}`);
      }
    }
    if (step.type === 'job') {
      const job = jobs.get(step.id!)!;
      const windows = job.time_windows ?? [];
      if (windows.length > 0 && !windows.some(([a, b]) => begins >= a - TOLERANCE && begins <= b + TOLERANCE)) say(`job ${job.id} begins at ${begins}, outside its time windows`);
      if (begins < shiftStart - TOLERANCE || begins > shiftEnd + TOLERANCE) say(`job ${job.id} begins at ${begins}, outside the vehicle's time window`);
      if (step.service !== (job.service ?? 0)) say(`job ${job.id}: service ${step.service}, not ${job.service ?? 0}`);
      load.forEach((_, k) => (load[k]! += (job.pickup?.[k] ?? 0) - (delivery(job)[k] ?? 0)));
      over(`after job ${job.id}`);
    }
    if (dims > 0 && !sameAmounts(step.load, load)) say(`${describe(step)}: load ${JSON.stringify(step.load)}, but the tasks give ${JSON.stringify(load)}`);
    if (at !== undefined) previous = { at, leaves: begins + step.setup + step.service };
    else if (pause) previous = null;
  }
  if (vehicle.max_travel_time !== undefined && driven > vehicle.max_travel_time + TOLERANCE) say(`drives ${driven}, above max_travel_time ${vehicle.max_travel_time}`);
  if (vehicle.max_distance !== undefined && travelled > vehicle.max_distance + TOLERANCE) say(`travels ${travelled}, above max_distance ${vehicle.max_distance}`);
}

function describe(step: VroomStep): string {
  return step.id === undefined ? `${step.type} step` : `${step.type} ${step.id}`;
}

function sameAmounts(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((q, k) => Math.abs(q - b[k]!) <= TOLERANCE);
}
