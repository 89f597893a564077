// VROOM's problem and solution JSON (docs/API.md of VROOM-Project/vroom): reads a VROOM input into the
// router's problem, and writes the router's solution back as VROOM's output, so a VROOM user can switch
// with one command and anyone can compare the two engines on the same file.
import { InvalidProblemError, UnsolvableError } from '../errors.ts';
import type { PlannedRoute } from '../routing/check.ts';
import type { Break, Customer, RoutingProblem, TimeWindow, Vehicle } from '../routing/problem.ts';
import { solveRouting, type RoutingSolution, type SolveOptions } from '../routing/solve.ts';

export interface VroomJob {
  id: number;
  description?: string;
  location?: [number, number];
  location_index?: number;
  setup?: number;
  service?: number;
  /** Deprecated in VROOM: read as `delivery`. */
  amount?: number[];
  delivery?: number[];
  pickup?: number[];
  skills?: number[];
  priority?: number;
  time_windows?: TimeWindow[];
  setup_per_type?: Record<string, number>;
  service_per_type?: Record<string, number>;
}

export interface VroomVehicleStep {
  type: 'start' | 'job' | 'pickup' | 'delivery' | 'break' | 'end';
  id?: number;
}

export interface VroomVehicle {
  id: number;
  profile?: string;
  description?: string;
  start?: [number, number];
  start_index?: number;
  end?: [number, number];
  end_index?: number;
  capacity?: number[];
  costs?: { fixed?: number; per_hour?: number; per_task_hour?: number; per_km?: number };
  skills?: number[];
  type?: string;
  time_window?: TimeWindow;
  breaks?: VroomBreak[];
  speed_factor?: number;
  max_tasks?: number;
  max_travel_time?: number;
  max_distance?: number;
  steps?: VroomVehicleStep[];
}

export interface VroomBreak {
  id: number;
  time_windows?: TimeWindow[];
  service?: number;
  description?: string;
  max_load?: number[];
}

export interface VroomMatrices {
  durations?: number[][];
  distances?: number[][];
  costs?: number[][];
}

export interface VroomInput {
  jobs?: VroomJob[];
  shipments?: unknown[];
  vehicles: VroomVehicle[];
  matrices?: Record<string, VroomMatrices>;
  /** Deprecated in VROOM: the durations of every profile. */
  matrix?: number[][];
}

export interface VroomStep {
  type: 'start' | 'job' | 'break' | 'end';
  id?: number;
  description?: string;
  location_index?: number;
  arrival: number;
  /** Driving time so far. */
  duration: number;
  setup: number;
  service: number;
  waiting_time: number;
  /** On board after the step. */
  load: number[];
  distance?: number;
  violations: never[];
}

/** The sums a route gives, and the summary over all routes. */
export interface VroomTotals {
  cost: number;
  setup: number;
  service: number;
  duration: number;
  waiting_time: number;
  priority: number;
  delivery: number[];
  pickup: number[];
  distance?: number;
  violations: never[];
}

export interface VroomRoute extends VroomTotals {
  vehicle: number;
  description?: string;
  steps: VroomStep[];
}

export interface VroomUnassigned {
  id: number;
  type: 'job';
  description?: string;
  location_index?: number;
  /** Lifeline's addition: why it is left out (see solver/routing/unservable.ts). */
  reason: string;
}

export interface VroomSolution {
  code: 0;
  summary: VroomTotals & { routes: number; unassigned: number; computing_times: { loading: number; solving: number; routing: number } };
  unassigned: VroomUnassigned[];
  routes: VroomRoute[];
}

/** A VROOM input read for the router, with what is needed to write the answer back. */
export interface VroomProblem {
  input: VroomInput;
  problem: RoutingProblem;
  /** Routes given as vehicle `steps`, to start the search from. */
  initialRoutes?: PlannedRoute[];
  /** Durations and distances over the problem's locations (a virtual last one when a vehicle has no start or end). */
  durations: number[][];
  distances: number[][] | null;
  /** Whether the matrices carry the virtual place where vehicles without a start or an end begin or finish. */
  open: boolean;
  dims: number;
}

/** Stands for "no limit" in a capacity the vehicle does not give: finite, as the router wants. */
const UNLIMITED = Number.MAX_SAFE_INTEGER;
const DEFAULT_PROFILE = 'car';
const jobKey = (id: number) => `job-${id}`;

/** Reads and checks a VROOM input; a malformed one fails with the field named, a feature the router lacks with UnsolvableError. */
export function fromVroom(raw: unknown): VroomProblem {
  const input = object(raw, 'input') as unknown as VroomInput;
  if (input.shipments !== undefined && list(input.shipments, 'shipments').length > 0) unsupported('shipments', 'shipments');
  const jobs = input.jobs === undefined ? [] : list(input.jobs, 'jobs').map((j, i) => object(j, `jobs[${i}]`) as unknown as VroomJob);
  const vehicles = list(input.vehicles, 'vehicles').map((v, i) => object(v, `vehicles[${i}]`) as unknown as VroomVehicle);
  if (vehicles.length === 0) throw new InvalidProblemError('vehicles', 'at least one vehicle is needed');
  const matrices = readMatrices(input, vehicles);
  const open = vehicles.some((v) => v.start_index === undefined || v.end_index === undefined);
  // A vehicle without a start (or an end) starts (or ends) at a virtual place at no distance from anywhere.
  const widen = (m: number[][]) => (open ? [...m.map((row) => [...row, 0]), new Array<number>(m.length + 1).fill(0)] : m);
  const size = matrices.durations.length;
  const dims = amountDimensions(jobs, vehicles);

  const customers = jobs.map((job, i) => readJob(job, i, size, dims));
  uniqueIds(jobs, 'jobs');
  uniqueIds(vehicles, 'vehicles');
  const depots = new Map<string, number>();
  const depotAt = (index: number | undefined) => {
    const id = index === undefined ? 'anywhere' : `at-${index}`;
    depots.set(id, index ?? size);
    return id;
  };
  const fleet = vehicles.map((v, i) => readVehicle(v, i, size, dims, depotAt, matrices.distances !== null));
  customers.forEach((customer, i) => {
    const skills = jobs[i]!.skills ?? [];
    const able = vehicles.filter((v) => skills.every((s) => (v.skills ?? []).includes(s)));
    if (able.length < vehicles.length) customer.allowedVehicles = able.map((v) => String(v.id));
  });

  const problem: RoutingProblem = {
    depots: [...depots].map(([id, location]) => ({ id, location })),
    customers,
    vehicles: fleet,
    distances: widen(objective(vehicles, matrices)),
    durations: widen(matrices.durations),
    ...(matrices.distances ? { lengths: widen(matrices.distances) } : {}),
  };
  const initialRoutes = readSteps(vehicles, jobs);
  return {
    input,
    problem,
    ...(initialRoutes.length > 0 ? { initialRoutes } : {}),
    durations: problem.durations as number[][],
    distances: matrices.distances ? (problem.lengths as number[][]) : null,
    open,
    dims,
  };
}

/** Reads a VROOM input, solves it (starting from its vehicles' steps, if any) and answers in VROOM's format. */
export async function solveVroom(raw: unknown, options: Omit<SolveOptions, 'initialRoutes'>): Promise<VroomSolution> {
  const read = fromVroom(raw);
  const solution = await solveRouting(read.problem, { ...options, ...(read.initialRoutes ? { initialRoutes: read.initialRoutes } : {}) });
  return toVroom(read, solution);
}

/** Writes the router's solution as VROOM's output (times and loads recomputed along each route). */
export function toVroom(read: VroomProblem, solution: RoutingSolution): VroomSolution {
  const { input, problem } = read;
  const jobs = input.jobs ?? [];
  const jobIndex = new Map(problem.customers.map((c, i) => [c.id, i]));
  const vehicleIndex = new Map(problem.vehicles.map((v, i) => [v.id, i]));
  const zero = () => new Array<number>(read.dims).fill(0);
  const routes = solution.routes.map((route) => describeRoute(read, route, vehicleIndex.get(route.vehicleId)!, jobIndex, zero));
  const sum = (key: 'cost' | 'setup' | 'service' | 'duration' | 'waiting_time' | 'priority') => routes.reduce((s, r) => s + r[key], 0);
  const add = (key: 'delivery' | 'pickup') => routes.reduce((s, r) => s.map((q, k) => q + r[key][k]!), zero());
  const unassigned = solution.unassigned.map(({ id, reason }): VroomUnassigned => {
    const job = jobs[jobIndex.get(id)!]!;
    return {
      id: job.id,
      type: 'job',
      ...(job.description !== undefined ? { description: job.description } : {}),
      ...(job.location_index !== undefined ? { location_index: job.location_index } : {}),
      reason,
    };
  });
  return {
    code: 0,
    summary: {
      cost: sum('cost'),
      routes: routes.length,
      unassigned: unassigned.length,
      setup: 0,
      service: sum('service'),
      duration: sum('duration'),
      waiting_time: sum('waiting_time'),
      priority: sum('priority'),
      delivery: add('delivery'),
      pickup: add('pickup'),
      ...(read.distances ? { distance: routes.reduce((s, r) => s + r.distance!, 0) } : {}),
      violations: [],
      computing_times: { loading: 0, solving: Math.round(solution.stats.ms), routing: 0 },
    },
    unassigned,
    routes,
  };
}

function describeRoute(
  read: VroomProblem,
  route: RoutingSolution['routes'][number],
  v: number,
  jobIndex: Map<string, number>,
  zero: () => number[],
): VroomRoute {
  const { input, problem, durations, distances } = read;
  const vehicle = input.vehicles[v]!;
  const depots = new Map(problem.depots.map((d) => [d.id, d.location]));
  const own = problem.vehicles[v]!;
  const speed = own.speedFactor ?? 1;
  const tasks = route.stops.map((id) => problem.customers[jobIndex.get(id)!]!);
  const load = zero().map((_, k) => tasks.reduce((s, c) => s + c.demand[k]!, 0));
  let at = depots.get(own.startDepot)!;
  let time = route.departure;
  let driven = 0;
  let travelled = 0;
  const step = (type: VroomStep['type'], index: number | undefined, extra: Partial<VroomStep> = {}): VroomStep => ({
    type,
    ...extra,
    ...(index !== undefined ? { location_index: index } : {}),
    arrival: time,
    duration: driven,
    setup: 0,
    service: extra.service ?? 0,
    waiting_time: extra.waiting_time ?? 0,
    load: load.slice(),
    ...(distances ? { distance: travelled } : {}),
    violations: [],
  });
  const drive = (to: number) => {
    const t = durations[at]![to]! / speed;
    time += t;
    driven += t;
    if (distances) travelled += distances[at]![to]!;
    at = to;
  };
  const steps = [step('start', vehicle.start_index)];
  let service = 0;
  let waiting = 0;
  let priority = 0;
  const located = (index: number) => (index < read.durations.length - (read.open ? 1 : 0) ? index : undefined);
  /** The breaks taken after `served` tasks, where the vehicle stands. */
  const pause = (served: number) => {
    for (const taken of route.breaks ?? []) {
      if (taken.after !== served) continue;
      const b = vehicle.breaks!.find((x) => String(x.id) === taken.id)!;
      const wait = Math.max(0, taken.start - time);
      const length = b.service ?? 0;
      steps.push(step('break', located(at), { id: b.id, ...(b.description !== undefined ? { description: b.description } : {}), service: length, waiting_time: wait }));
      time += wait + length;
      service += length;
      waiting += wait;
    }
  };
  tasks.forEach((c, i) => {
    pause(i);
    drive(c.location);
    const job = input.jobs![jobIndex.get(c.id)!]!;
    const wait = Math.max(0, route.serviceStarts[i]! - time);
    c.demand.forEach((q, k) => (load[k]! += (c.pickup?.[k] ?? 0) - q));
    steps.push(
      step('job', job.location_index, {
        id: job.id,
        ...(job.description !== undefined ? { description: job.description } : {}),
        service: c.serviceTime ?? 0,
        waiting_time: wait,
      }),
    );
    time += wait + (c.serviceTime ?? 0);
    service += c.serviceTime ?? 0;
    waiting += wait;
    priority += c.priority ?? 0;
  });
  pause(tasks.length);
  drive(depots.get(own.endDepot ?? own.startDepot)!);
  steps.push(step('end', vehicle.end_index));
  if (vehicle.start_index === undefined) steps.shift();
  if (vehicle.end_index === undefined) steps.pop();
  return {
    vehicle: vehicle.id,
    ...(vehicle.description !== undefined ? { description: vehicle.description } : {}),
    steps,
    cost: route.distance,
    setup: 0,
    service,
    duration: driven,
    waiting_time: waiting,
    priority,
    delivery: zero().map((_, k) => tasks.reduce((s, c) => s + c.demand[k]!, 0)),
    pickup: zero().map((_, k) => tasks.reduce((s, c) => s + (c.pickup?.[k] ?? 0), 0)),
    ...(distances ? { distance: travelled } : {}),
    violations: [],
  };
}

function readMatrices(input: VroomInput, vehicles: VroomVehicle[]): { durations: number[][]; distances: number[][] | null; costs: number[][] | null } {
  const profile = vehicles[0]!.profile ?? DEFAULT_PROFILE;
  vehicles.forEach((v, i) => {
    if ((v.profile ?? DEFAULT_PROFILE) !== profile) unsupported(`vehicles[${i}].profile`, 'vehicles of more than one profile');
  });
  const given = input.matrices === undefined ? undefined : object(input.matrices, 'matrices')[profile];
  const at = `matrices.${profile}`;
  const m = given === undefined ? undefined : (object(given, at) as VroomMatrices);
  const durations = m?.durations ?? input.matrix;
  if (durations === undefined) {
    throw new UnsolvableError('give the travel times as matrices.<profile>.durations with location_index on every place (Lifeline calls no routing engine)', `${at}.durations`);
  }
  const size = square(durations, m?.durations ? `${at}.durations` : 'matrix');
  const other = (key: 'distances' | 'costs') => {
    if (m?.[key] === undefined) return null;
    if (square(m[key], `${at}.${key}`) !== size) throw new InvalidProblemError(`${at}.${key}`, `must be ${size}×${size} like the durations`);
    return m[key];
  };
  return { durations, distances: other('distances'), costs: other('costs') };
}

/** What the search minimises: the costs matrix, else travel time and distance priced by the vehicles' `costs`. */
function objective(vehicles: VroomVehicle[], matrices: { durations: number[][]; distances: number[][] | null; costs: number[][] | null }): number[][] {
  const priced = vehicles.map((v, i) => {
    const costs = v.costs === undefined ? {} : object(v.costs, `vehicles[${i}].costs`);
    const field = (key: string, fallback: number) => (costs[key] === undefined ? fallback : nonNegative(costs[key], `vehicles[${i}].costs.${key}`));
    if (field('fixed', 0) !== 0) unsupported(`vehicles[${i}].costs.fixed`, 'fixed vehicle costs');
    if (field('per_task_hour', 0) !== 0) unsupported(`vehicles[${i}].costs.per_task_hour`, 'costs per task hour');
    return { perHour: field('per_hour', 3600), perKm: field('per_km', 0) };
  });
  const { perHour, perKm } = priced[0]!;
  priced.forEach((p, i) => {
    if (p.perHour !== perHour || p.perKm !== perKm) unsupported(`vehicles[${i}].costs`, 'different costs per vehicle');
  });
  if (matrices.costs) {
    if (perHour !== 3600 || perKm !== 0) throw new InvalidProblemError('vehicles[0].costs', 'a costs matrix cannot be combined with per_hour or per_km');
    return matrices.costs;
  }
  if (perKm > 0 && !matrices.distances) throw new UnsolvableError('costs per km need matrices.<profile>.distances', 'vehicles[0].costs.per_km');
  if (perHour === 3600 && perKm === 0) return matrices.durations;
  return matrices.durations.map((row, i) => row.map((t, j) => (perHour * t) / 3600 + (perKm * (matrices.distances?.[i]![j] ?? 0)) / 1000));
}

/** Number of capacity dimensions: every amount and capacity must have it (VROOM's rule); 1 when none is given. */
function amountDimensions(jobs: VroomJob[], vehicles: VroomVehicle[]): number {
  const seen: { field: string; length: number }[] = [];
  const note = (value: unknown, field: string) => {
    if (value !== undefined) seen.push({ field, length: list(value, field).length });
  };
  jobs.forEach((j, i) => {
    note(j.delivery ?? j.amount, `jobs[${i}].${j.delivery !== undefined ? 'delivery' : 'amount'}`);
    note(j.pickup, `jobs[${i}].pickup`);
  });
  vehicles.forEach((v, i) => note(v.capacity, `vehicles[${i}].capacity`));
  const dims = seen[0]?.length ?? 0;
  const odd = seen.find((s) => s.length !== dims);
  if (odd) throw new InvalidProblemError(odd.field, `must have ${dims} quantities, like ${seen[0]!.field}`);
  return Math.max(dims, 1);
}

function readJob(job: VroomJob, i: number, size: number, dims: number): Customer {
  const at = `jobs[${i}]`;
  integer(job.id, `${at}.id`);
  for (const key of ['setup', 'setup_per_type', 'service_per_type'] as const) {
    if (job[key] !== undefined && job[key] !== 0) unsupported(`${at}.${key}`, key.replace(/_/g, ' ') + ' times');
  }
  const windows = job.time_windows === undefined ? [] : list(job.time_windows, `${at}.time_windows`);
  if (windows.length > 1) unsupported(`${at}.time_windows`, 'more than one time window per job');
  const priority = job.priority === undefined ? 0 : integer(job.priority, `${at}.priority`);
  if (priority > 100) throw new InvalidProblemError(`${at}.priority`, 'must be in 0..100');
  if (job.skills !== undefined) list(job.skills, `${at}.skills`).forEach((s, k) => integer(s, `${at}.skills[${k}]`));
  const delivery = job.delivery ?? job.amount;
  return {
    id: jobKey(job.id),
    location: locationIndex(job.location_index, size, `${at}.location_index`),
    demand: amounts(delivery, dims, `${at}.${job.delivery !== undefined ? 'delivery' : 'amount'}`),
    ...(job.pickup !== undefined ? { pickup: amounts(job.pickup, dims, `${at}.pickup`) } : {}),
    ...(windows.length === 1 ? { timeWindow: window(windows[0], `${at}.time_windows[0]`) } : {}),
    serviceTime: job.service === undefined ? 0 : nonNegative(job.service, `${at}.service`),
    ...(priority > 0 ? { priority } : {}),
  };
}

function readVehicle(
  v: VroomVehicle,
  i: number,
  size: number,
  dims: number,
  depotAt: (index: number | undefined) => string,
  hasDistances: boolean,
): Vehicle {
  const at = `vehicles[${i}]`;
  integer(v.id, `${at}.id`);
  if (v.start_index === undefined && v.end_index === undefined) throw new InvalidProblemError(`${at}.start_index`, 'a vehicle needs a start_index, an end_index or both');
  if (v.start_index !== undefined) locationIndex(v.start_index, size, `${at}.start_index`);
  if (v.end_index !== undefined) locationIndex(v.end_index, size, `${at}.end_index`);
  const breaks = v.breaks === undefined ? [] : list(v.breaks, `${at}.breaks`).map((b, k) => readBreak(b, `${at}.breaks[${k}]`));
  uniqueIds(v.breaks ?? [], `${at}.breaks`);
  if (v.skills !== undefined) list(v.skills, `${at}.skills`).forEach((s, k) => integer(s, `${at}.skills[${k}]`));
  const speed = v.speed_factor ?? 1;
  if (typeof speed !== 'number' || !(speed > 0 && speed <= 5)) throw new InvalidProblemError(`${at}.speed_factor`, 'must be in (0, 5]');
  if (v.max_distance !== undefined && !hasDistances) throw new UnsolvableError('max_distance needs matrices.<profile>.distances', `${at}.max_distance`);
  return {
    id: String(v.id),
    startDepot: depotAt(v.start_index),
    endDepot: depotAt(v.end_index),
    capacity: v.capacity === undefined ? new Array<number>(dims).fill(UNLIMITED) : amounts(v.capacity, dims, `${at}.capacity`),
    speedFactor: speed,
    ...(v.time_window !== undefined ? { shift: window(v.time_window, `${at}.time_window`) } : {}),
    ...(v.max_tasks !== undefined ? { maxStops: integer(v.max_tasks, `${at}.max_tasks`) } : {}),
    ...(v.max_travel_time !== undefined ? { maxTravelTime: nonNegative(v.max_travel_time, `${at}.max_travel_time`) } : {}),
    ...(v.max_distance !== undefined ? { maxDistance: nonNegative(v.max_distance, `${at}.max_distance`) } : {}),
    ...(breaks.length > 0 ? { breaks } : {}),
  };
}

function readBreak(raw: unknown, at: string): Break {
  const b = object(raw, at) as unknown as VroomBreak;
  const windows = b.time_windows === undefined ? [] : list(b.time_windows, `${at}.time_windows`);
  if (windows.length > 1) unsupported(`${at}.time_windows`, 'more than one time window per break');
  if (b.max_load !== undefined) unsupported(`${at}.max_load`, 'a load limit during breaks');
  return {
    id: String(integer(b.id, `${at}.id`)),
    ...(windows.length === 1 ? { timeWindow: window(windows[0], `${at}.time_windows[0]`) } : {}),
    duration: b.service === undefined ? 0 : nonNegative(b.service, `${at}.service`),
  };
}

/** Vehicles' `steps` as routes to start from (their job steps, in order; the rest is the router's to place). */
function readSteps(vehicles: VroomVehicle[], jobs: VroomJob[]): PlannedRoute[] {
  const known = new Set(jobs.map((j) => j.id));
  return vehicles.flatMap((v, i) => {
    if (v.steps === undefined) return [];
    const stops = list(v.steps, `vehicles[${i}].steps`).flatMap((raw, k) => {
      const step = object(raw, `vehicles[${i}].steps[${k}]`) as unknown as VroomVehicleStep;
      if (step.type === 'pickup' || step.type === 'delivery') unsupported(`vehicles[${i}].steps[${k}].type`, 'shipment steps');
      if (step.type !== 'job') return [];
      const id = integer(step.id, `vehicles[${i}].steps[${k}].id`);
      if (!known.has(id)) throw new InvalidProblemError(`vehicles[${i}].steps[${k}].id`, `no job ${id}`);
      return [jobKey(id)];
    });
    return [{ vehicleId: String(v.id), stops }];
  });
}

function unsupported(field: string, what: string): never {
  throw new UnsolvableError(`${what}: not supported by Lifeline yet`, field);
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidProblemError(field, 'must be an object');
  return value as Record<string, unknown>;
}

function list(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new InvalidProblemError(field, 'must be an array');
  return value;
}

function integer(value: unknown, field: string): number {
  if (!Number.isInteger(value) || (value as number) < 0) throw new InvalidProblemError(field, 'must be an integer ≥ 0');
  return value as number;
}

function nonNegative(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new InvalidProblemError(field, 'must be a number ≥ 0');
  return value;
}

function amounts(value: unknown, dims: number, field: string): number[] {
  if (value === undefined) return new Array<number>(dims).fill(0);
  return list(value, field).map((q, k) => integer(q, `${field}[${k}]`));
}

function window(value: unknown, field: string): TimeWindow {
  const pair = list(value, field);
  if (pair.length !== 2) throw new InvalidProblemError(field, 'must be [start, end]');
  const [start, end] = pair.map((t, k) => integer(t, `${field}[${k}]`));
  if (start! > end!) throw new InvalidProblemError(field, 'must have start ≤ end');
  return [start!, end!];
}

function locationIndex(value: unknown, size: number, field: string): number {
  if (value === undefined) throw new UnsolvableError('give location_index into the matrices (Lifeline calls no routing engine)', field);
  const index = integer(value, field);
  if (index >= size) throw new InvalidProblemError(field, `must be below the matrix size ${size}`);
  return index;
}

function square(value: unknown, field: string): number {
  const rows = list(value, field);
  if (rows.length === 0) throw new InvalidProblemError(field, 'must not be empty');
  rows.forEach((row, i) => {
    const cells = list(row, `${field}[${i}]`);
    if (cells.length !== rows.length) throw new InvalidProblemError(`${field}[${i}]`, `must have ${rows.length} entries`);
    cells.forEach((x, j) => nonNegative(x, `${field}[${i}][${j}]`));
  });
  return rows.length;
}

function uniqueIds(items: { id: number }[], field: string): void {
  const seen = new Set<number>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) throw new InvalidProblemError(`${field}[${i}].id`, `duplicate id ${item.id}`);
    seen.add(item.id);
  });
}
