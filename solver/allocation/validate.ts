// Validates an allocation problem once, up front, throwing InvalidProblemError naming the field;
// the solver code after it trusts the data.
import { InvalidProblemError } from '../errors.ts';
import type { AllocationProblem, Location } from './problem.ts';

const URGENCIES = new Set(['critical', 'high', 'normal', 'low']);

export function validateProblem(problem: AllocationProblem): void {
  if (typeof problem !== 'object' || problem === null) throw new InvalidProblemError('problem', 'must be an object');
  finite(problem.now, 'now');
  const warehouseIds = uniqueIds(problem.warehouses, 'warehouses');
  const commodityIds = uniqueIds(problem.commodities, 'commodities');
  const needIds = uniqueIds(problem.needs, 'needs');
  uniqueIds(problem.lots, 'lots');
  if (problem.points !== undefined) uniqueIds(problem.points, 'points');
  for (const field of ['pins', 'exclusions', 'flows'] as const) {
    if (problem[field] !== undefined && !Array.isArray(problem[field])) throw new InvalidProblemError(field, 'must be a list');
  }
  if (problem.policy !== undefined && (typeof problem.policy !== 'object' || problem.policy === null)) {
    throw new InvalidProblemError('policy', 'must be an object');
  }
  problem.warehouses.forEach((w, i) => {
    nonNegative(w.capacityWeightKg, `warehouses[${i}].capacityWeightKg`, true);
    nonNegative(w.capacityVolumeM3, `warehouses[${i}].capacityVolumeM3`, true);
    if (w.location !== undefined) location(w.location, `warehouses[${i}].location`);
  });
  (problem.points ?? []).forEach((p, i) => {
    nonNegative(p.capacityWeightKg, `points[${i}].capacityWeightKg`, true);
    nonNegative(p.capacityVolumeM3, `points[${i}].capacityVolumeM3`, true);
  });
  problem.commodities.forEach((c, i) => {
    nonNegative(c.weightKg, `commodities[${i}].weightKg`);
    nonNegative(c.volumeM3, `commodities[${i}].volumeM3`);
    if (typeof c.perishable !== 'boolean') throw new InvalidProblemError(`commodities[${i}].perishable`, 'must be true or false');
  });
  problem.lots.forEach((lot, i) => {
    reference(lot.warehouseId, warehouseIds, `lots[${i}].warehouseId`);
    reference(lot.commodityId, commodityIds, `lots[${i}].commodityId`);
    nonNegative(lot.quantity, `lots[${i}].quantity`);
    if (lot.expiresAt !== undefined) finite(lot.expiresAt, `lots[${i}].expiresAt`);
  });
  problem.needs.forEach((need, i) => {
    const field = `needs[${i}]`;
    reference(need.commodityId, commodityIds, `${field}.commodityId`);
    nonNegative(need.quantity, `${field}.quantity`);
    if (need.quantity === 0) throw new InvalidProblemError(`${field}.quantity`, 'must be greater than 0');
    if (need.tier !== undefined && !(Number.isInteger(need.tier) && need.tier >= 1)) {
      throw new InvalidProblemError(`${field}.tier`, 'must be an integer ≥ 1 (1 = most vulnerable)');
    }
    if (need.flags !== undefined && !(Array.isArray(need.flags) && need.flags.every((f) => typeof f === 'string'))) {
      throw new InvalidProblemError(`${field}.flags`, 'must be a list of strings');
    }
    if (need.urgency !== undefined && !URGENCIES.has(need.urgency)) {
      throw new InvalidProblemError(`${field}.urgency`, `must be one of ${[...URGENCIES].join(', ')}`);
    }
    if (need.deadline !== undefined) finite(need.deadline, `${field}.deadline`);
    if (need.daysWaiting !== undefined) nonNegative(need.daysWaiting, `${field}.daysWaiting`);
    if (need.location !== undefined) location(need.location, `${field}.location`);
    if (need.pointId !== undefined && (typeof need.pointId !== 'string' || need.pointId === '')) throw new InvalidProblemError(`${field}.pointId`, 'must be a non-empty string');
  });
  (problem.pins ?? []).forEach((pin, i) => {
    reference(pin.needId, needIds, `pins[${i}].needId`);
    reference(pin.warehouseId, warehouseIds, `pins[${i}].warehouseId`);
    nonNegative(pin.quantity, `pins[${i}].quantity`);
  });
  (problem.exclusions ?? []).forEach((ex, i) => {
    reference(ex.needId, needIds, `exclusions[${i}].needId`);
    reference(ex.warehouseId, warehouseIds, `exclusions[${i}].warehouseId`);
  });
  (problem.flows ?? []).forEach((flow, i) => {
    reference(flow.commodityId, commodityIds, `flows[${i}].commodityId`);
    nonNegative(flow.inflowPerDay, `flows[${i}].inflowPerDay`);
    nonNegative(flow.outflowPerDay, `flows[${i}].outflowPerDay`);
  });
  validatePolicy(problem);
  validateTravel(problem);
}

function validatePolicy(problem: AllocationProblem): void {
  const policy = problem.policy ?? {};
  if (policy.nearestWarehouses !== undefined && !(Number.isInteger(policy.nearestWarehouses) && policy.nearestWarehouses >= 1)) {
    throw new InvalidProblemError('policy.nearestWarehouses', 'must be an integer ≥ 1');
  }
  if (policy.tierWeights !== undefined) {
    if (!Array.isArray(policy.tierWeights) || policy.tierWeights.length === 0) {
      throw new InvalidProblemError('policy.tierWeights', 'must be a non-empty list of positive numbers');
    }
    policy.tierWeights.forEach((w, i) => positive(w, `policy.tierWeights[${i}]`));
  }
  if (policy.deprivationRatePerDay !== undefined) nonNegative(policy.deprivationRatePerDay, 'policy.deprivationRatePerDay');
  if (policy.deprivationCap !== undefined) positive(policy.deprivationCap, 'policy.deprivationCap');
  if (policy.defaultTier !== undefined && !(Number.isInteger(policy.defaultTier) && policy.defaultTier >= 1)) {
    throw new InvalidProblemError('policy.defaultTier', 'must be an integer ≥ 1');
  }
}

function validateTravel(problem: AllocationProblem): void {
  const travel = problem.travel;
  if (travel === undefined || typeof travel === 'function') return;
  if (!Array.isArray(travel.warehouseIds) || !Array.isArray(travel.needIds) || !Array.isArray(travel.seconds)) {
    throw new InvalidProblemError('travel', 'must be a function or {warehouseIds, needIds, seconds}');
  }
  if (travel.seconds.length !== travel.warehouseIds.length) {
    throw new InvalidProblemError('travel.seconds', 'needs one row per warehouse id');
  }
  travel.seconds.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== travel.needIds.length) {
      throw new InvalidProblemError(`travel.seconds[${r}]`, 'needs one entry per need id');
    }
    row.forEach((s, c) => {
      if (s !== null) nonNegative(s, `travel.seconds[${r}][${c}]`);
    });
  });
}

function uniqueIds(items: readonly { id: string }[] | undefined, field: string): Set<string> {
  if (!Array.isArray(items)) throw new InvalidProblemError(field, 'must be a list');
  const ids = new Set<string>();
  items.forEach((item, i) => {
    if (typeof item?.id !== 'string' || item.id === '') throw new InvalidProblemError(`${field}[${i}].id`, 'must be a non-empty string');
    if (ids.has(item.id)) throw new InvalidProblemError(`${field}[${i}].id`, `duplicate id "${item.id}"`);
    ids.add(item.id);
  });
  return ids;
}

function reference(id: string, known: Set<string>, field: string): void {
  if (!known.has(id)) throw new InvalidProblemError(field, `unknown id "${String(id)}"`);
}

function finite(value: number, field: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidProblemError(field, 'must be a finite number');
}

function nonNegative(value: number, field: string, infinityAllowed = false): void {
  const ok = typeof value === 'number' && value >= 0 && (infinityAllowed ? !Number.isNaN(value) : Number.isFinite(value));
  if (!ok) throw new InvalidProblemError(field, 'must be a number ≥ 0');
}

function positive(value: number, field: string): void {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) throw new InvalidProblemError(field, 'must be a number > 0');
}

function location(value: Location, field: string): void {
  if (typeof value !== 'object' || value === null) throw new InvalidProblemError(field, 'must be {lat, lon}');
  if (!(typeof value.lat === 'number' && Math.abs(value.lat) <= 90)) throw new InvalidProblemError(`${field}.lat`, 'must be a latitude in [-90, 90]');
  if (!(typeof value.lon === 'number' && Math.abs(value.lon) <= 180)) throw new InvalidProblemError(`${field}.lon`, 'must be a longitude in [-180, 180]');
}
