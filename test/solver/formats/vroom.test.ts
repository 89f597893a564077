import { describe, expect, it } from 'vitest';
import { InvalidProblemError, UnsolvableError } from '../../../solver/errors.ts';
import { fromVroom, solveVroom, type VroomInput } from '../../../solver/formats/vroom.ts';
import { checkVroomSolution } from '../../../solver/formats/vroom-check.ts';
import { Random } from '../../../solver/random.ts';
import { compileProblem } from '../../../solver/routing/problem.ts';
import { riverDistances } from '../routing/fixtures.ts';

/** VROOM's own example with custom matrices (docs/example_2.json; VROOM is © Julien Coupey, BSD 2-clause). */
const VROOM_EXAMPLE: VroomInput = {
  vehicles: [{ id: 0, start_index: 0, end_index: 3 }],
  jobs: [
    { id: 1414, location_index: 1 },
    { id: 1515, location_index: 2 },
  ],
  matrices: {
    car: {
      durations: [
        [0, 2104, 197, 1299],
        [2103, 0, 2255, 3152],
        [197, 2256, 0, 1102],
        [1299, 3153, 1102, 0],
      ],
    },
  },
};

/**
 * A VROOM problem using every field Lifeline reads: places on a 100×100 square (durations = distance,
 * distances ×10, costs ×2), jobs with deliveries, pickups, service, a window, priorities and skills,
 * vehicles with start/end (one without an end), capacity, time window, speed factor, skills and limits.
 */
function everyField(seed: number, jobs = 30): VroomInput {
  const random = new Random(seed);
  const points = Array.from({ length: jobs + 2 }, () => [random.int(100), random.int(100)] as const);
  const matrix = (scale: number) => points.map(([x, y]) => points.map(([u, v]) => Math.round(scale * Math.hypot(x - u, y - v))));
  return {
    jobs: Array.from({ length: jobs }, (_, i) => {
      const start = random.int(500);
      return {
        id: 100 + i,
        description: `job ${i}`,
        location_index: i,
        delivery: [random.int(5), random.int(3)],
        pickup: [i % 3 === 0 ? random.int(6) : 0, 0],
        service: 5 + random.int(10),
        ...(i % 2 === 0 ? { time_windows: [[start, start + 300]] as [number, number][] } : {}),
        ...(i % 5 === 0 ? { priority: 1 + random.int(50) } : {}),
        ...(i % 4 === 0 ? { skills: [7] } : {}),
      };
    }),
    vehicles: [
      {
        id: 1,
        start_index: jobs,
        end_index: jobs,
        capacity: [25, 12],
        time_window: [0, 1200],
        skills: [7],
        max_tasks: 9,
        description: 'van',
        breaks: [{ id: 1, time_windows: [[200, 260]], service: 30, description: 'lunch' }],
      },
      { id: 2, start_index: jobs + 1, end_index: jobs, capacity: [20, 10], time_window: [0, 1200], speed_factor: 1.5, max_travel_time: 400 },
      {
        id: 3,
        start_index: jobs + 1,
        capacity: [20, 10],
        time_window: [0, 1000],
        skills: [7, 9],
        max_distance: 4000,
        max_tasks: 8,
        breaks: [
          { id: 1, time_windows: [[100, 130]], service: 10 },
          { id: 2, time_windows: [[300, 400]], service: 20 },
        ],
      },
    ],
    matrices: { car: { durations: matrix(1), distances: matrix(10), costs: matrix(2) } },
  };
}

const solve = (input: VroomInput, seed = 1) => solveVroom(input, { seed, maxIterations: 300 });

describe('VROOM problems in and out', () => {
  it("solves VROOM's own example and answers in VROOM's format", async () => {
    const out = await solve(VROOM_EXAMPLE);
    expect(checkVroomSolution(VROOM_EXAMPLE, out).violations).toEqual([]);
    expect(out.summary).toMatchObject({ cost: 5461, routes: 1, unassigned: 0, duration: 5461, waiting_time: 0 });
    expect(out.routes[0]!.steps.map((s) => [s.type, s.id, s.arrival])).toEqual([
      ['start', undefined, 0],
      ['job', 1414, 2104],
      ['job', 1515, 4359],
      ['end', undefined, 5461],
    ]);
  });

  for (const seed of [1, 2, 3]) {
    it(`gives a solution the independent checker accepts for a problem using every field (seed ${seed})`, async () => {
      const input = everyField(seed);
      const out = await solve(input, seed);
      expect(checkVroomSolution(input, out).violations).toEqual([]);
      expect(out.summary.routes).toBeGreaterThan(0);
      expect(out.routes.every((r) => r.steps.length >= 2)).toBe(true);
      // Vehicle 3 has no end: its route stops at its last job (or break).
      expect(out.routes.find((r) => r.vehicle === 3)?.steps.at(-1)?.type ?? 'job').not.toBe('end');
      for (const route of out.routes.filter((r) => r.vehicle !== 2)) expect(route.steps.some((s) => s.type === 'break')).toBe(true);
      expect(out.summary.distance).toBe(out.routes.reduce((s, r) => s + r.distance!, 0));
    });
  }

  it('puts jobs needing a skill only on vehicles that hold it', async () => {
    const input = everyField(4);
    const out = await solve(input);
    const skilled = new Set((input.jobs ?? []).filter((j) => j.skills).map((j) => j.id));
    for (const route of out.routes) {
      const jobs = route.steps.filter((s) => s.type === 'job').map((s) => s.id!);
      if (route.vehicle === 2) expect(jobs.filter((id) => skilled.has(id))).toEqual([]);
    }
  });

  it('keeps max_tasks, max_travel_time and max_distance when they bind', async () => {
    const input = everyField(5, 40);
    input.vehicles = [
      { id: 1, start_index: 40, end_index: 40, max_tasks: 3 },
      { id: 2, start_index: 41, end_index: 41, max_travel_time: 150 },
      { id: 3, start_index: 41, end_index: 41, max_distance: 1500, skills: [7] },
    ];
    const out = await solve(input);
    expect(checkVroomSolution(input, out).violations).toEqual([]);
    expect(out.unassigned.length).toBeGreaterThan(0);
    expect(out.unassigned.every((u) => typeof u.reason === 'string')).toBe(true);
  });

  it('serves the jobs of higher priority when not all fit', async () => {
    const input: VroomInput = {
      jobs: [
        { id: 1, location_index: 1, delivery: [1] },
        { id: 2, location_index: 1, delivery: [1] },
        { id: 3, location_index: 2, delivery: [1], priority: 5 },
      ],
      vehicles: [{ id: 1, start_index: 0, end_index: 0, capacity: [2] }],
      matrices: { car: { durations: [[0, 1, 90], [1, 0, 90], [90, 90, 0]] } },
    };
    const out = await solve(input);
    expect(out.summary.priority).toBe(5);
    expect(out.unassigned.map((u) => u.id)).toHaveLength(1);
  });

  it('starts from the routes given as vehicle steps', async () => {
    const input = structuredClone(VROOM_EXAMPLE);
    input.vehicles[0]!.steps = [{ type: 'start' }, { type: 'job', id: 1515 }, { type: 'end' }];
    const read = fromVroom(input);
    expect(read.initialRoutes).toEqual([{ vehicleId: '0', stops: ['job-1515'] }]);
  });

  it('gives the solver planar positions when every job and vehicle end has [lon, lat], and none when one lacks it', () => {
    const input = structuredClone(VROOM_EXAMPLE);
    input.vehicles[0]!.start = [2.35, 48.85];
    input.vehicles[0]!.end = [2.36, 48.86];
    input.jobs![0]!.location = [2.45, 48.85];
    input.jobs![1]!.location = [2.35, 48.95];
    const { problem } = fromVroom(input);
    const scale = Math.cos((((48.85 + 48.86 + 48.85 + 48.95) / 4) * Math.PI) / 180);
    const expected = [
      [2.35 * scale, 48.85],
      [2.45 * scale, 48.85],
      [2.35 * scale, 48.95],
      [2.36 * scale, 48.86],
    ];
    problem.coordinates!.forEach(([x, y], k) => {
      expect(x).toBeCloseTo(expected[k]![0]!, 9);
      expect(y).toBeCloseTo(expected[k]![1]!, 9);
    });
    // In the solver, nodes are the jobs (1414 east of the start, 1515 north of it), then the start and the end.
    const { position } = compileProblem(problem);
    const nodes = [expected[1]!, expected[2]!, expected[0]!, expected[3]!].flat();
    expect(position).toHaveLength(nodes.length);
    nodes.forEach((value, k) => expect(position![k]).toBeCloseTo(value, 9));

    delete input.jobs![1]!.location;
    expect(fromVroom(input).problem.coordinates).toBeUndefined();
  });

  it('names the field of a malformed input', () => {
    const fieldOf = (input: unknown) => {
      try {
        fromVroom(input);
      } catch (error) {
        return error instanceof InvalidProblemError ? error.field : `not a field error: ${String(error)}`;
      }
      return 'accepted';
    };
    const base = () => structuredClone(VROOM_EXAMPLE);
    expect(fieldOf({ ...base(), vehicles: [] })).toBe('vehicles');
    expect(fieldOf({ ...base(), jobs: [{ id: 1, location_index: 9 }] })).toBe('jobs[0].location_index');
    expect(fieldOf({ ...base(), jobs: [{ id: 1, location_index: 1 }, { id: 1, location_index: 2 }] })).toBe('jobs[1].id');
    expect(fieldOf({ ...base(), jobs: [{ id: 1, location_index: 1, delivery: [1, 2] }], vehicles: [{ id: 0, start_index: 0, capacity: [3] }] })).toBe(
      'vehicles[0].capacity',
    );
    expect(fieldOf({ ...base(), jobs: [{ id: 1, location_index: 1, time_windows: [[5, 2]] }] })).toBe('jobs[0].time_windows[0]');
    expect(fieldOf({ ...base(), vehicles: [{ id: 0 }] })).toBe('vehicles[0].start_index');
    expect(fieldOf({ ...base(), vehicles: [{ id: 0, start_index: 0, speed_factor: 9 }] })).toBe('vehicles[0].speed_factor');
    expect(fieldOf({ ...base(), matrices: { car: { durations: [[0, 1], [1]] } } })).toBe('matrices.car.durations[1]');
  });

  it('refuses, naming the field, what Lifeline cannot do yet', () => {
    const fieldOf = (change: (input: VroomInput) => void) => {
      const input = structuredClone(VROOM_EXAMPLE);
      change(input);
      try {
        fromVroom(input);
      } catch (error) {
        return error instanceof UnsolvableError ? error.field : `not unsolvable: ${String(error)}`;
      }
      return 'accepted';
    };
    expect(fieldOf((i) => (i.vehicles[0]!.breaks = [{ id: 1, max_load: [3] }]))).toBe('vehicles[0].breaks[0].max_load');
    expect(fieldOf((i) => (i.jobs![0]!.time_windows = [[0, 5], [9, 20]]))).toBe('jobs[0].time_windows');
    expect(fieldOf((i) => (i.vehicles.push({ id: 1, start_index: 0, profile: 'bike' }), 0))).toBe('vehicles[1].profile');
    expect(fieldOf((i) => delete i.matrices)).toBe('matrices.car.durations');
  });
});

describe('checkVroomSolution', () => {
  it('finds a broken load, max_tasks and break window, a wrong arrival, a vehicle used twice and a job served twice', async () => {
    const input = everyField(6);
    const out = await solve(input);
    const route = out.routes.find((r) => r.steps.filter((s) => s.type === 'job').length >= 2 && r.steps.some((s) => s.type === 'break'))!;
    route.steps.find((s) => s.type === 'break')!.waiting_time += 500;
    const vehicle = input.vehicles.find((v) => v.id === route.vehicle)!;
    vehicle.max_tasks = 1;
    const job = route.steps.find((s) => s.type === 'job')!;
    job.load = job.load.map((q) => q + 1);
    job.arrival -= 1;
    out.routes.push(route);
    const text = checkVroomSolution(input, out).violations.join('\n');
    expect(text).toMatch(/above max_tasks 1/);
    expect(text).toMatch(/load \[/);
    expect(text).toMatch(/arrival .* but the drive gives/);
    expect(text).toMatch(/served 2 times/);
    expect(text).toMatch(/vehicle used twice/);
    expect(text).toMatch(/break \d+ begins at \d+, outside its time windows/);
  });
});

/** Every field plus shipments, a vehicle that may make three trips, and Lifeline's cost options. */
function withFleetAdditions(seed: number): VroomInput {
  const input = everyField(seed, 30);
  const random = new Random(seed + 50);
  input.shipments = Array.from({ length: 5 }, (_, k) => ({
    amount: [1 + random.int(4), 1],
    ...(k === 0 ? { skills: [7] } : {}),
    pickup: { id: 500 + k, location_index: random.int(30), service: 5 },
    delivery: { id: 600 + k, location_index: random.int(30), service: 5, ...(k % 2 ? { time_windows: [[0, 1100]] as [number, number][] } : {}) },
  }));
  Object.assign(input.vehicles[0]!, { capacity: [12, 8], max_trips: 3, reload_service: 20, max_tasks: 20 });
  input.lifeline = { even_workload: 0.0005, served_earlier: 0.01 };
  return input;
}

describe("Lifeline's additions to VROOM's format", () => {
  for (const seed of [1, 2]) {
    it(`answers with shipments, reload steps and the cost options, all accepted by the checker (seed ${seed})`, async () => {
      const input = withFleetAdditions(seed);
      const out = await solveVroom(input, { seed, maxIterations: 80 });
      expect(checkVroomSolution(input, out).violations).toEqual([]);
      const steps = out.routes.flatMap((r) => r.steps);
      expect(steps.some((s) => s.type === 'pickup')).toBe(true);
      expect(steps.filter((s) => s.type === 'reload').length).toBeGreaterThan(0);
      for (const route of out.routes) {
        const at = (type: string, id: number) => route.steps.findIndex((s) => s.type === type && s.id === id);
        for (const sh of input.shipments!) if (at('pickup', sh.pickup.id) >= 0) expect(at('pickup', sh.pickup.id)).toBeLessThan(at('delivery', sh.delivery.id));
      }
    });
  }

  it('uses the fewest vehicles first when asked (lifeline.fewest_vehicles), one van where distance alone sends two', async () => {
    // Jobs 1 and 2 sit on either side of a river (100 apart), each 10 from the depot; job 3 is beside job 1.
    const input: VroomInput = {
      jobs: [1, 2, 3].map((at) => ({ id: at, location_index: at, service: 5, delivery: [1], time_windows: [[0, 300]] })),
      vehicles: [1, 2, 3].map((id) => ({ id, start_index: 0, end_index: 0, capacity: [10], time_window: [0, 1000] })),
      matrices: { car: { durations: riverDistances } },
    };
    const byDistance = await solveVroom(input, { seed: 1, maxIterations: 200 });
    expect(byDistance.routes).toHaveLength(2);
    const fewest = { ...input, lifeline: { fewest_vehicles: true } };
    const out = await solveVroom(fewest, { seed: 1, maxIterations: 200 });
    expect(checkVroomSolution(fewest, out).violations).toEqual([]);
    expect(out.unassigned).toEqual([]);
    expect(out.routes).toHaveLength(1);
    expect(() => fromVroom({ ...input, lifeline: { fewest_vehicles: 'yes' } })).toThrow(/lifeline.fewest_vehicles/);
  });

  it('the checker finds a split shipment, a delivery before its pickup and too many trips', async () => {
    const input = withFleetAdditions(3);
    const out = await solveVroom(input, { seed: 3, maxIterations: 40 });
    const route = out.routes.find((r) => r.steps.some((s) => s.type === 'pickup'))!;
    const pickupAt = route.steps.findIndex((s) => s.type === 'pickup');
    const [pickup] = route.steps.splice(pickupAt, 1);
    route.steps.splice(route.steps.length - 1, 0, pickup!);
    input.vehicles.find((v) => v.id === route.vehicle)!.max_trips = 1;
    route.steps.splice(1, 0, { ...route.steps[0]!, type: 'reload' });
    const text = checkVroomSolution(input, out).violations.join('\n');
    expect(text).toMatch(/delivery \d+ before its pickup/);
    expect(text).toMatch(/trips, above max_trips 1/);
    const other = structuredClone(out);
    const r = other.routes.find((x) => x.steps.some((s) => s.type === 'delivery'))!;
    r.steps = r.steps.filter((s) => s.type !== 'delivery');
    expect(checkVroomSolution(input, other).violations.join('\n')).toMatch(/not on the same route|neither served nor unassigned/);
  });
});
