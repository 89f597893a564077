// The commodity catalogue: the input schemas, and the record the API answers with.
import { z } from 'zod';
import { patchOf } from '../http/schemas.ts';
import { listQuery } from '../http/paging.ts';

import { categories } from '../../domain/values.ts';

export const newCommodity = z.strictObject({
  code: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only'),
  name: z.string().trim().min(1).max(200),
  unit: z.string().trim().min(1).max(40).describe('what one counted unit is, e.g. "5 kg bag"'),
  weightKg: z.number().nonnegative(),
  volumeM3: z.number().nonnegative(),
  perishable: z.boolean().default(false),
  category: z.enum(categories),
  residentOpen: z.boolean().default(false).describe('households may ask for it from their own page'),
  residentMaxPerHousehold: z.number().int().positive().max(1_000_000).nullable().default(null).describe('the most one household may ask for at once (null: no limit)'),
  residentMaxPerDay: z.number().int().positive().max(1_000_000).nullable().default(null).describe('the most all households together may ask for in one day (null: no limit)'),
});
export const commodityPatch = patchOf(newCommodity);
export const commodityQuery = listQuery({ category: z.enum(categories).optional() }, ['id', 'name', 'code', 'category']);

export type NewCommodity = z.infer<typeof newCommodity>;
export interface Commodity extends NewCommodity {
  id: number;
}
