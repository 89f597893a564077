// Input schemas for allocation plans.
import { z } from 'zod';
import { pageQuery } from '../http/schemas.ts';

export const planStatuses = ['solving', 'ready', 'approved', 'dispatched', 'failed', 'stale'] as const;
export type PlanStatus = (typeof planStatuses)[number];

const arc = { needId: z.number().int().positive(), warehouseId: z.number().int().positive() };

export const newPlan = z.strictObject({
  commodityIds: z.array(z.number().int().positive()).min(1).max(500).optional().describe('plan only these commodities (default: all)'),
  pins: z
    .array(z.strictObject({ ...arc, quantity: z.number().int().positive() }))
    .max(1000)
    .default([])
    .describe('the coordinator forces at least this quantity from a warehouse to a need'),
  exclusions: z.array(z.strictObject(arc)).max(1000).default([]).describe('the coordinator forbids a warehouse from serving a need'),
  timeLimitMs: z.number().int().min(100).max(120_000).default(20_000),
  backend: z.enum(['auto', 'flow', 'highs', 'jslp']).default('auto'),
  seed: z.number().int().min(0).default(1),
});
export type NewPlan = z.infer<typeof newPlan>;

export const planQuery = z.strictObject({ status: z.enum(planStatuses).optional(), ...pageQuery });
