// The JSON scenario format read by `lifeline allocate`: an AllocationProblem where times may be ISO
// strings and unlimited capacities null. Pure: text in, validated problem out (see MODEL.md).
import { InvalidProblemError } from '../errors.ts';
import type { AllocationProblem } from './problem.ts';
import { validateProblem } from './validate.ts';

type Json = Record<string, unknown>;

export function parseScenario(text: string): AllocationProblem {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InvalidProblemError('scenario', `not valid JSON (${(error as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new InvalidProblemError('scenario', 'must be a JSON object');
  const scenario = data as Json;
  for (const field of ['lots', 'warehouses', 'commodities', 'needs']) {
    if (!Array.isArray(scenario[field])) throw new InvalidProblemError(field, 'must be a list');
  }
  if (scenario.travel !== undefined && (typeof scenario.travel !== 'object' || scenario.travel === null)) {
    throw new InvalidProblemError('travel', 'must be {warehouseIds, needIds, seconds} or absent');
  }
  const problem = {
    ...scenario,
    now: time(scenario.now, 'now'),
    lots: (scenario.lots as Json[]).map((lot, i) => withTime(lot, 'expiresAt', `lots[${i}]`)),
    needs: (scenario.needs as Json[]).map((need, i) => withTime(need, 'deadline', `needs[${i}]`)),
    warehouses: (scenario.warehouses as Json[]).map((w, i) => ({
      ...object(w, `warehouses[${i}]`),
      capacityWeightKg: w.capacityWeightKg ?? Infinity,
      capacityVolumeM3: w.capacityVolumeM3 ?? Infinity,
    })),
  } as unknown as AllocationProblem;
  validateProblem(problem);
  return problem;
}

function withTime(item: Json, key: string, field: string): Json {
  const copy = { ...object(item, field) };
  if (copy[key] !== undefined && copy[key] !== null) copy[key] = time(copy[key], `${field}.${key}`);
  else delete copy[key];
  return copy;
}

function object(item: unknown, field: string): Json {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new InvalidProblemError(field, 'must be an object');
  return item as Json;
}

/** Epoch milliseconds, or an ISO 8601 date-time string. */
function time(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  throw new InvalidProblemError(field, 'must be an ISO 8601 date-time or epoch milliseconds');
}
