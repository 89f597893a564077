// Input schemas for POST /api/vrp: VROOM's problem JSON (docs/API.md of VROOM-Project/vroom), every
// documented key, and the solver's stopping rule in the query. Keys Lifeline cannot use yet pass the
// schema and are refused by the converter (422, naming the field).
import { z } from 'zod';

const id = z.number().int().min(0);
const amount = z.array(z.number().int().min(0)).max(16);
const seconds = z.number().int().min(0);
const timeWindow = z.tuple([seconds, seconds]);
const coordinates = z.tuple([z.number(), z.number()]);
const matrix = z.array(z.array(z.number().min(0))).min(1).max(5000);
const perType = z.record(z.string(), seconds);

const task = {
  id,
  description: z.string().max(1000).optional(),
  location: coordinates.optional(),
  location_index: z.number().int().min(0).optional(),
  setup: seconds.optional(),
  service: seconds.optional(),
  setup_per_type: perType.optional(),
  service_per_type: perType.optional(),
  time_windows: z.array(timeWindow).max(100).optional(),
};

const job = z.strictObject({
  ...task,
  amount: amount.optional(),
  delivery: amount.optional(),
  pickup: amount.optional(),
  skills: z.array(id).max(100).optional(),
  priority: z.number().int().min(0).max(100).optional(),
});

const shipment = z.strictObject({
  pickup: z.strictObject(task),
  delivery: z.strictObject(task),
  amount: amount.optional(),
  skills: z.array(id).max(100).optional(),
  priority: z.number().int().min(0).max(100).optional(),
});

const vehicleBreak = z.strictObject({
  id,
  time_windows: z.array(timeWindow).max(100).optional(),
  service: seconds.optional(),
  description: z.string().max(1000).optional(),
  max_load: amount.optional(),
});

const vehicle = z.strictObject({
  id,
  profile: z.string().max(100).optional(),
  description: z.string().max(1000).optional(),
  start: coordinates.optional(),
  start_index: z.number().int().min(0).optional(),
  end: coordinates.optional(),
  end_index: z.number().int().min(0).optional(),
  capacity: amount.optional(),
  costs: z.strictObject({ fixed: seconds.optional(), per_hour: seconds.optional(), per_task_hour: seconds.optional(), per_km: seconds.optional() }).optional(),
  skills: z.array(id).max(100).optional(),
  type: z.string().max(100).optional(),
  time_window: timeWindow.optional(),
  breaks: z.array(vehicleBreak).max(100).optional(),
  speed_factor: z.number().positive().max(5).optional(),
  max_tasks: z.number().int().min(0).optional(),
  max_travel_time: seconds.optional(),
  max_distance: seconds.optional(),
  steps: z
    .array(
      z.strictObject({
        type: z.enum(['start', 'job', 'pickup', 'delivery', 'break', 'end']),
        id: id.optional(),
        service_at: seconds.optional(),
        service_after: seconds.optional(),
        service_before: seconds.optional(),
      }),
    )
    .max(10_000)
    .optional(),
});

export const vroomProblem = z.strictObject({
  jobs: z.array(job).max(10_000).optional(),
  shipments: z.array(shipment).max(5_000).optional(),
  vehicles: z.array(vehicle).min(1).max(2_000),
  matrices: z.record(z.string(), z.strictObject({ durations: matrix.optional(), distances: matrix.optional(), costs: matrix.optional() })).optional(),
  matrix: matrix.optional(),
});

export const vrpQuery = z.strictObject({
  timeLimitMs: z.coerce.number().int().min(100).max(120_000).default(5_000).describe('how long the solver searches'),
  seed: z.coerce.number().int().min(0).max(2_147_483_647).default(1).describe('the same seed and problem give the same routes when the search is stopped by the same work'),
});
