// Independent checker of a VROOM-format solution against its VROOM input: replays every route from the
// input's own matrices and tasks (nothing from the router) and lists each broken rule in plain words.
// It knows Lifeline's additions too: `reload` steps (max_trips, the load trip by trip) and shipments.
import type { VroomInput, VroomJob, VroomShipment, VroomSolution, VroomStep, VroomVehicle } from './vroom.ts';

const TOLERANCE = 1e-6;

export interface VroomCheck {
  feasible: boolean;
  violations: string[];
}

export function checkVroomSolution(input: VroomInput, solution: VroomSolution): VroomCheck {
  const violations: string[] = [];
  const jobs = new Map((input.jobs ?? []).map((j) => [j.id, j]));
  const shipments = input.shipments ?? [];
  /** Which route serves each shipment's pickup and delivery (by the shipment's index). */
  const carriedBy = new Map<string, number>();
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
    for (const step of route.steps) {
      if (step.type === 'job') served.set(step.id!, (served.get(step.id!) ?? 0) + 1);
      if (step.type === 'pickup' || step.type === 'delivery') {
        const key = `${step.type} ${step.id}`;
        if (carriedBy.has(key)) violations.push(`${key} served twice`);
        carriedBy.set(key, r);
      }
    }
    checkRoute(input, vehicle, route.steps, jobs, say);
  });
  const unassigned = new Set(solution.unassigned.filter((u) => u.type === 'job').map((u) => u.id));
  const unassignedSteps = new Set(solution.unassigned.filter((u) => u.type !== 'job').map((u) => `${u.type} ${u.id}`));
  for (const sh of shipments) {
    const [pickup, delivery] = [`pickup ${sh.pickup.id}`, `delivery ${sh.delivery.id}`];
    const [a, b] = [carriedBy.get(pickup), carriedBy.get(delivery)];
    if (a !== b) violations.push(`${pickup} and ${delivery} are not on the same route`);
    for (const key of [pickup, delivery]) {
      const on = carriedBy.has(key);
      if (on === unassignedSteps.has(key)) violations.push(`${key} ${on ? 'served and unassigned' : 'neither served nor unassigned'}`);
    }
  }
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
  const shipmentOf = (step: VroomStep) => (input.shipments ?? []).find((sh) => sh[step.type as 'pickup' | 'delivery'].id === step.id);
  const tasks = steps.filter((s) => s.type === 'job').map((s) => jobs.get(s.id!));
  if (tasks.some((j) => j === undefined)) return say('serves an unknown job');
  if (steps.some((s) => (s.type === 'pickup' || s.type === 'delivery') && !shipmentOf(s))) return say('serves an unknown shipment step');
  const known = tasks as VroomJob[];
  const taskCount = steps.filter((s) => s.type === 'job' || s.type === 'pickup' || s.type === 'delivery').length;
  const dims = vehicle.capacity?.length ?? 0;
  const delivery = (j: VroomJob) => j.delivery ?? j.amount ?? [];
  /** Deliveries of the jobs of the trip that starts at step `from`: loaded at its start. */
  const tripLoad = (from: number) => {
    const end = steps.findIndex((s, i) => i > from && s.type === 'reload');
    const trip = steps.slice(from, end < 0 ? steps.length : end).filter((s) => s.type === 'job').map((s) => jobs.get(s.id!)!);
    return Array.from({ length: dims }, (_, k) => trip.reduce((s, j) => s + (delivery(j)[k] ?? 0), 0));
  };
  let load = tripLoad(0);
  /** Shipments on board: picked up, not yet delivered. */
  const carrying = new Set<VroomShipment>();
  const reloads = steps.filter((s) => s.type === 'reload').length;
  if (reloads > (vehicle.max_trips ?? 1) - 1) say(`${reloads + 1} trips, above max_trips ${vehicle.max_trips ?? 1}`);

  if ((vehicle.start_index !== undefined) !== (steps[0]?.type === 'start')) say('starts wrongly');
  if ((vehicle.end_index !== undefined) !== (steps.at(-1)?.type === 'end')) say('ends wrongly');
  if (vehicle.max_tasks !== undefined && taskCount > vehicle.max_tasks) say(`${taskCount} tasks, above max_tasks ${vehicle.max_tasks}`);
  const skills = vehicle.skills ?? [];
  for (const j of known) if (!(j.skills ?? []).every((s) => skills.includes(s))) say(`job ${j.id} needs skills the vehicle lacks`);
  for (const step of steps) {
    const sh = step.type === 'pickup' || step.type === 'delivery' ? shipmentOf(step)! : undefined;
    if (sh && !(sh.skills ?? []).every((s) => skills.includes(s))) say(`${describe(step)} needs skills the vehicle lacks`);
  }

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
    if (taskCount > 0 && times !== 1) say(`takes break ${b.id} ${times} times`);
  }
  const placeOf = (step: VroomStep, previousAt: number | undefined): number | undefined => {
    switch (step.type) {
      case 'start':
        return vehicle.start_index;
      case 'end':
        return vehicle.end_index;
      case 'break':
        return previousAt;
      case 'reload':
        return vehicle.reload_index ?? vehicle.start_index;
      case 'job':
        return jobs.get(step.id!)!.location_index;
      default:
        return shipmentOf(step)![step.type as 'pickup' | 'delivery'].location_index;
    }
  };
  for (const [index, step] of steps.entries()) {
    // A break is taken where the vehicle stands.
    const pause = step.type === 'break';
    const at = placeOf(step, previous?.at);
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
    if (step.type === 'reload') {
      if (step.service !== (vehicle.reload_service ?? 0)) say(`reload: service ${step.service}, not ${vehicle.reload_service ?? 0}`);
      for (const sh of carrying) say(`reloads with shipment ${sh.pickup.id}→${sh.delivery.id} on board`);
      load = tripLoad(index);
      over(`after reload`);
    }
    if (step.type === 'pickup' || step.type === 'delivery') {
      const sh = shipmentOf(step)!;
      const end = sh[step.type];
      const windows = end.time_windows ?? [];
      if (windows.length > 0 && !windows.some(([a, b]) => begins >= a - TOLERANCE && begins <= b + TOLERANCE)) say(`${describe(step)} begins at ${begins}, outside its time windows`);
      if (step.service !== (end.service ?? 0)) say(`${describe(step)}: service ${step.service}, not ${end.service ?? 0}`);
      const sign = step.type === 'pickup' ? 1 : -1;
      load.forEach((_, k) => (load[k]! += sign * (sh.amount?.[k] ?? 0)));
      if (step.type === 'pickup') carrying.add(sh);
      else if (!carrying.delete(sh)) say(`${describe(step)} before its pickup`);
      over(`after ${describe(step)}`);
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
  for (const sh of carrying) say(`picks up ${sh.pickup.id} and never delivers it`);
  if (vehicle.max_travel_time !== undefined && driven > vehicle.max_travel_time + TOLERANCE) say(`drives ${driven}, above max_travel_time ${vehicle.max_travel_time}`);
  if (vehicle.max_distance !== undefined && travelled > vehicle.max_distance + TOLERANCE) say(`travels ${travelled}, above max_distance ${vehicle.max_distance}`);
}

function describe(step: VroomStep): string {
  return step.id === undefined ? `${step.type} step` : `${step.type} ${step.id}`;
}

function sameAmounts(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((q, k) => Math.abs(q - b[k]!) <= TOLERANCE);
}
