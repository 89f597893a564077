// VROOM's problem and solution JSON (docs/API.md of VROOM-Project/vroom): reads a VROOM input into the
// router's problem, and writes the router's solution back as VROOM's output, so a VROOM user can switch
// with one command and anyone can compare the two engines on the same file.
// Lifeline's additions (VROOM ignores unknown keys): a vehicle's `max_trips`, `reload_index` and
// `reload_service` (repeat trips; `reload` steps in the answer), and a top-level `lifeline` object with
// `even_workload` and `served_earlier` weights and `fewest_vehicles` (see ObjectiveOptions in
// solver/routing/problem.ts).
import { InvalidProblemError, UnsolvableError } from '../errors.ts';
import { tasksOf, type PlannedRoute } from '../routing/check.ts';
import type { Break, Customer, RoutingProblem, Shipment, TimeWindow, Vehicle } from '../routing/problem.ts';
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

/** One end of a VROOM shipment. */
export interface VroomShipmentStep {
  id: number;
  description?: string;
  location?: [number, number];
  location_index?: number;
  setup?: number;
  service?: number;
  time_windows?: TimeWindow[];
}

export interface VroomShipment {
  amount?: number[];
  skills?: number[];
  priority?: number;
  pickup: VroomShipmentStep;
  delivery: VroomShipmentStep;
}

/** Lifeline's addition: cost terms beyond VROOM's (both off by default). */
export interface LifelineOptions {
  /** Each route adds `even_workload × duration²`: long routes give work to short ones. */
  even_workload?: number;
  /** Each task adds `served_earlier × priority × (driving and service time before it)`: priority means served earlier. */
  served_earlier?: number;
  /** true: the fewest vehicles first, then the cost (as a fixed cost per vehicle above any route's cost would). */
  fewest_vehicles?: boolean;
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
  /** Lifeline's addition: trips per shift (default 1), reloading at `reload_index` (default start_index) for `reload_service`. */
  max_trips?: number;
  reload_index?: number;
  reload_service?: number;
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
  shipments?: VroomShipment[];
  vehicles: VroomVehicle[];
  lifeline?: LifelineOptions;
  matrices?: Record<string, VroomMatrices>;
  /** Deprecated in VROOM: the durations of every profile. */
  matrix?: number[][];
}

export interface VroomStep {
  /** `reload` is Lifeline's addition: back at the reload place, what was collected goes off, the next trip's goods on. */
  type: 'start' | 'job' | 'pickup' | 'delivery' | 'break' | 'reload' | 'end';
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
  type: 'job' | 'pickup' | 'delivery';
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
const stepKey = (type: 'pickup' | 'delivery', id: number) => `${type}-${id}`;
/** The VROOM step a router stop id stands for. */
const stepOf = (key: string) => {
  const [type, id] = key.split('-') as ['job' | 'pickup' | 'delivery', string];
  return { type, id: Number(id) };
};

/** Reads and checks a VROOM input; a malformed one fails with the field named, a feature the router lacks with UnsolvableError. */
export function fromVroom(raw: unknown): VroomProblem {
  const input = object(raw, 'input') as unknown as VroomInput;
  const shipments = input.shipments === undefined ? [] : list(input.shipments, 'shipments').map((x, i) => object(x, `shipments[${i}]`) as unknown as VroomShipment);
  const jobs = input.jobs === undefined ? [] : list(input.jobs, 'jobs').map((j, i) => object(j, `jobs[${i}]`) as unknown as VroomJob);
  const vehicles = list(input.vehicles, 'vehicles').map((v, i) => object(v, `vehicles[${i}]`) as unknown as VroomVehicle);
  if (vehicles.length === 0) throw new InvalidProblemError('vehicles', 'at least one vehicle is needed');
  const matrices = readMatrices(input, vehicles);
  const open = vehicles.some((v) => v.start_index === undefined || v.end_index === undefined);
  // A vehicle without a start (or an end) starts (or ends) at a virtual place at no distance from anywhere.
  const widen = (m: number[][]) => (open ? [...m.map((row) => [...row, 0]), new Array<number>(m.length + 1).fill(0)] : m);
  const size = matrices.durations.length;
  const dims = amountDimensions(jobs, shipments, vehicles);

  const customers = jobs.map((job, i) => readJob(job, i, size, dims));
  const pairs = shipments.map((sh, i) => readShipment(sh, i, size, dims));
  uniqueIds(jobs, 'jobs');
  uniqueIds(shipments.map((sh) => sh.pickup), 'shipments', '.pickup');
  uniqueIds(shipments.map((sh) => sh.delivery), 'shipments', '.delivery');
  uniqueIds(vehicles, 'vehicles');
  const depots = new Map<string, number>();
  const depotAt = (index: number | undefined) => {
    const id = index === undefined ? 'anywhere' : `at-${index}`;
    depots.set(id, index ?? size);
    return id;
  };
  const fleet = vehicles.map((v, i) => readVehicle(v, i, size, dims, depotAt, matrices.distances !== null));
  const withSkills = (task: Customer | Shipment, skills: number[]) => {
    const able = vehicles.filter((v) => skills.every((s) => (v.skills ?? []).includes(s)));
    if (able.length < vehicles.length) task.allowedVehicles = able.map((v) => String(v.id));
  };
  customers.forEach((customer, i) => withSkills(customer, jobs[i]!.skills ?? []));
  pairs.forEach((pair, i) => withSkills(pair, shipments[i]!.skills ?? []));
  const options = input.lifeline === undefined ? {} : (object(input.lifeline, 'lifeline') as LifelineOptions);
  const weight = (key: keyof LifelineOptions, as: 'evenWorkload' | 'servedEarlier') => (options[key] === undefined ? {} : { [as]: nonNegative(options[key], `lifeline.${key}`) });

  const problem: RoutingProblem = {
    depots: [...depots].map(([id, location]) => ({ id, location })),
    customers,
    ...(pairs.length > 0 ? { shipments: pairs } : {}),
    vehicles: fleet,
    objective: { ...weight('even_workload', 'evenWorkload'), ...weight('served_earlier', 'servedEarlier'), ...fewestVehicles(options.fewest_vehicles) },
    distances: widen(objective(vehicles, matrices)),
    durations: widen(matrices.durations),
    ...(matrices.distances ? { lengths: widen(matrices.distances) } : {}),
  };
  const coordinates = open ? undefined : readCoordinates(jobs, shipments, vehicles, size);
  if (coordinates) problem.coordinates = coordinates;
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
  const vehicleIndex = new Map(problem.vehicles.map((v, i) => [v.id, i]));
  const zero = () => new Array<number>(read.dims).fill(0);
  const routes = solution.routes.map((route) => describeRoute(read, route, vehicleIndex.get(route.vehicleId)!, zero));
  const sum = (key: 'cost' | 'setup' | 'service' | 'duration' | 'waiting_time' | 'priority') => routes.reduce((s, r) => s + r[key], 0);
  const add = (key: 'delivery' | 'pickup') => routes.reduce((s, r) => s.map((q, k) => q + r[key][k]!), zero());
  const unassigned = solution.unassigned.map(({ id, reason }): VroomUnassigned => {
    const { type, id: vroomId } = stepOf(id);
    const step = vroomStep(input, type, vroomId);
    return {
      id: vroomId,
      type,
      ...(step.description !== undefined ? { description: step.description } : {}),
      ...(step.location_index !== undefined ? { location_index: step.location_index } : {}),
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

/** The input's job, or shipment pickup or delivery, with this VROOM id. */
function vroomStep(input: VroomInput, type: 'job' | 'pickup' | 'delivery', id: number): VroomJob | VroomShipmentStep {
  if (type === 'job') return input.jobs!.find((j) => j.id === id)!;
  return input.shipments!.find((sh) => sh[type].id === id)![type];
}

function describeRoute(read: VroomProblem, route: RoutingSolution['routes'][number], v: number, zero: () => number[]): VroomRoute {
  const { input, problem, durations, distances } = read;
  const vehicle = input.vehicles[v]!;
  const depots = new Map(problem.depots.map((d) => [d.id, d.location]));
  const own = problem.vehicles[v]!;
  const speed = own.speedFactor ?? 1;
  const known = tasksOf(problem);
  const tasks = route.stops.map((id) => known.get(id)!);
  const reloads = route.reloads ?? [];
  /** Deliveries of the trip starting after `served` stops: on board when it leaves. */
  const tripLoad = (served: number) => {
    const next = Math.min(...reloads.filter((r) => r.after > served).map((r) => r.after), tasks.length);
    return zero().map((_, k) => tasks.slice(served, next).reduce((s, c) => s + c.demand[k]!, 0));
  };
  let load = tripLoad(0);
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
  /** Waits until `start`, then serves for `length`; returns the wait. */
  const serve = (start: number, length: number) => {
    const wait = Math.max(0, start - time);
    service += length;
    waiting += wait;
    return wait;
  };
  const takeBreak = (taken: { id: string; start: number }) => {
    const b = vehicle.breaks!.find((x) => String(x.id) === taken.id)!;
    const length = b.service ?? 0;
    const wait = serve(taken.start, length);
    steps.push(step('break', located(at), { id: b.id, ...(b.description !== undefined ? { description: b.description } : {}), service: length, waiting_time: wait }));
    time += wait + length;
  };
  const takeReload = (reload: { after: number; start: number }) => {
    drive(depots.get(own.reloadDepot ?? own.startDepot)!);
    const length = own.reloadTime ?? 0;
    const wait = serve(reload.start, length);
    load = tripLoad(reload.after);
    steps.push(step('reload', located(at), { service: length, waiting_time: wait }));
    time += wait + length;
  };
  /** The breaks and reloads taken after `served` tasks, in the router's order. */
  const between = (served: number) => {
    const here = (route.breaks ?? []).filter((b) => b.after === served);
    let taken = 0;
    for (const reload of reloads.filter((r) => r.after === served)) {
      while (taken < Math.min(reload.breaksBefore, here.length)) takeBreak(here[taken++]!);
      takeReload(reload);
    }
    while (taken < here.length) takeBreak(here[taken++]!);
  };
  tasks.forEach((c, i) => {
    between(i);
    drive(c.location);
    const { type, id } = stepOf(c.id);
    const source = vroomStep(input, type, id);
    const length = c.serviceTime ?? 0;
    const wait = serve(route.serviceStarts[i]!, length);
    c.demand.forEach((q, k) => (load[k]! += c.pickup[k]! - q));
    steps.push(step(type, source.location_index, { id, ...(source.description !== undefined ? { description: source.description } : {}), service: length, waiting_time: wait }));
    time += wait + length;
    priority += type === 'job' ? ((source as VroomJob).priority ?? 0) : type === 'pickup' ? (input.shipments!.find((sh) => sh.pickup.id === id)!.priority ?? 0) : 0;
  });
  between(tasks.length);
  drive(depots.get(own.endDepot ?? own.startDepot)!);
  steps.push(step('end', vehicle.end_index));
  if (vehicle.start_index === undefined) steps.shift();
  if (vehicle.end_index === undefined) steps.pop();
  // VROOM's route sums: jobs' deliveries and pickups, and each shipment's amount once as picked up and delivered.
  const moved = (type: 'pickup' | 'delivery') => zero().map((_, k) => tasks.reduce((s, c) => s + (type === 'delivery' ? c.demand[k]! + Math.max(0, -c.pickup[k]!) : Math.max(0, c.pickup[k]!)), 0));
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
    delivery: moved('delivery'),
    pickup: moved('pickup'),
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
function amountDimensions(jobs: VroomJob[], shipments: VroomShipment[], vehicles: VroomVehicle[]): number {
  const seen: { field: string; length: number }[] = [];
  const note = (value: unknown, field: string) => {
    if (value !== undefined) seen.push({ field, length: list(value, field).length });
  };
  jobs.forEach((j, i) => {
    note(j.delivery ?? j.amount, `jobs[${i}].${j.delivery !== undefined ? 'delivery' : 'amount'}`);
    note(j.pickup, `jobs[${i}].pickup`);
  });
  shipments.forEach((sh, i) => note(sh.amount, `shipments[${i}].amount`));
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

function readShipment(sh: VroomShipment, i: number, size: number, dims: number): Shipment {
  const at = `shipments[${i}]`;
  const priority = sh.priority === undefined ? 0 : integer(sh.priority, `${at}.priority`);
  if (priority > 100) throw new InvalidProblemError(`${at}.priority`, 'must be in 0..100');
  if (sh.skills !== undefined) list(sh.skills, `${at}.skills`).forEach((s, k) => integer(s, `${at}.skills[${k}]`));
  const end = (type: 'pickup' | 'delivery') => {
    const where = `${at}.${type}`;
    const step = object(sh[type], where) as unknown as VroomShipmentStep;
    integer(step.id, `${where}.id`);
    if (step.setup !== undefined && step.setup !== 0) unsupported(`${where}.setup`, 'setup times');
    const windows = step.time_windows === undefined ? [] : list(step.time_windows, `${where}.time_windows`);
    if (windows.length > 1) unsupported(`${where}.time_windows`, 'more than one time window per shipment step');
    return {
      id: stepKey(type, step.id),
      location: locationIndex(step.location_index, size, `${where}.location_index`),
      ...(windows.length === 1 ? { timeWindow: window(windows[0], `${where}.time_windows[0]`) } : {}),
      serviceTime: step.service === undefined ? 0 : nonNegative(step.service, `${where}.service`),
    };
  };
  return { id: `shipment-${i}`, pickup: end('pickup'), delivery: end('delivery'), amount: amounts(sh.amount, dims, `${at}.amount`), ...(priority > 0 ? { priority } : {}) };
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
  const trips = v.max_trips === undefined ? 1 : integer(v.max_trips, `${at}.max_trips`);
  if (trips < 1) throw new InvalidProblemError(`${at}.max_trips`, 'must be at least 1');
  const reloadAt = v.reload_index ?? v.start_index;
  if (trips > 1 && reloadAt === undefined) throw new InvalidProblemError(`${at}.reload_index`, 'a vehicle without a start_index needs a reload_index to make more than one trip');
  if (v.reload_index !== undefined) locationIndex(v.reload_index, size, `${at}.reload_index`);
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
    ...(trips > 1
      ? { maxTrips: trips, reloadDepot: depotAt(reloadAt), reloadTime: v.reload_service === undefined ? 0 : nonNegative(v.reload_service, `${at}.reload_service`) }
      : {}),
  };
}

/**
 * Planar positions of the locations, when every job, shipment step and vehicle start and end gives its
 * place as [lon, lat] (a guide for the search only: on plain CVRP, SWAP* then tries the routes whose
 * sectors around the depot overlap). Projected at the places' mean latitude, so that angles around the
 * depot hold. Locations no place gives (a reload place, an unused row) are never read: they take the
 * first place's position. Not called with a virtual start or end (it has no place).
 */
function readCoordinates(jobs: VroomJob[], shipments: VroomShipment[], vehicles: VroomVehicle[], size: number): [number, number][] | undefined {
  const places: { index: number; point: unknown; field: string }[] = [
    ...jobs.map((job, i) => ({ index: job.location_index!, point: job.location, field: `jobs[${i}].location` })),
    ...shipments.flatMap((sh, i) =>
      (['pickup', 'delivery'] as const).map((type) => ({ index: sh[type].location_index!, point: sh[type].location, field: `shipments[${i}].${type}.location` })),
    ),
    ...vehicles.flatMap((v, i) => [
      { index: v.start_index!, point: v.start, field: `vehicles[${i}].start` },
      { index: v.end_index!, point: v.end, field: `vehicles[${i}].end` },
    ]),
  ];
  if (places.length === 0 || places.some((p) => p.point === undefined)) return undefined;
  const lonLat = places.map(({ point, field }) => {
    const pair = list(point, field);
    if (pair.length !== 2 || !pair.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new InvalidProblemError(field, 'must be [lon, lat]');
    return pair as [number, number];
  });
  const scale = Math.cos((lonLat.reduce((sum, [, lat]) => sum + lat, 0) / lonLat.length) * (Math.PI / 180));
  const projected = lonLat.map(([lon, lat]): [number, number] => [lon * scale, lat]);
  const coordinates = new Array<[number, number]>(size).fill(projected[0]!);
  places.forEach(({ index }, k) => (coordinates[index] = projected[k]!));
  return coordinates;
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

function fewestVehicles(value: unknown): { fewestVehicles?: boolean } {
  if (value === undefined) return {};
  if (typeof value !== 'boolean') throw new InvalidProblemError('lifeline.fewest_vehicles', 'must be true or false');
  return { fewestVehicles: value };
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

function uniqueIds(items: { id: number }[], field: string, part = ''): void {
  const seen = new Set<number>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) throw new InvalidProblemError(`${field}[${i}]${part}.id`, `duplicate id ${item.id}`);
    seen.add(item.id);
  });
}
