// Input schemas for allocation plans.
import { z } from 'zod';
import { recordId, seed, units } from '../http/schemas.ts';
import { listQuery } from '../http/paging.ts';

import { planStatuses, type PlanStatus, type UnmetReason } from '../../domain/values.ts';
import type { UnmetReason as SolverUnmetReason } from '../../solver/allocation/problem.ts';

export type { PlanStatus, UnmetReason };

/** Compiles only while the solver's reasons and the API's list in domain/values.ts are the same set. */
export type UnmetReasonsAgree = Same<SolverUnmetReason, UnmetReason>;
type Same<A extends B, B extends C, C = A> = [A, B, C];

const arc = { needId: recordId, warehouseId: recordId };

export const newPlan = z.strictObject({
  commodityIds: z.array(recordId).min(1).max(500).optional().describe('plan only these commodities (default: all)'),
  pins: z
    .array(z.strictObject({ ...arc, quantity: units }))
    .max(1000)
    .default([])
    .describe('the coordinator forces at least this quantity from a warehouse to a need'),
  exclusions: z.array(z.strictObject(arc)).max(1000).default([]).describe('the coordinator forbids a warehouse from serving a need'),
  timeLimitMs: z.number().int().min(100).max(120_000).default(20_000),
  backend: z.enum(['auto', 'flow', 'highs', 'jslp']).default('auto'),
  seed: seed,
});
export type NewPlan = z.infer<typeof newPlan>;

/**
 * The window of a plan's per-need lists (allocations, unmet needs, fulfilment) that GET /plans/:id answers
 * with: a demo plan fits in the first, a district's is read page by page.
 */
export const planPartQuery = listQuery({}, ['id', 'needId', 'warehouseId'], { limit: 2000, max: 5000 });

export const planQuery = listQuery({ status: z.enum(planStatuses).optional() }, ['id', 'createdAt', 'status']);
