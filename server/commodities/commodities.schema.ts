// The commodity catalogue: the input schemas, and the record the API answers with.
import { z } from 'zod';
import { pageQuery, patchOf } from '../http/schemas.ts';
import { categories } from '../../domain/values.ts';

export const newCommodity = z.strictObject({
  code: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only'),
  name: z.string().trim().min(1).max(200),
  unit: z.string().trim().min(1).max(40).describe('what one counted unit is, e.g. "5 kg bag"'),
  weightKg: z.number().nonnegative(),
  volumeM3: z.number().nonnegative(),
  perishable: z.boolean().default(false),
  category: z.enum(categories),
});
export const commodityPatch = patchOf(newCommodity);
export const commodityQuery = z.strictObject({ category: z.enum(categories).optional(), ...pageQuery });

export type NewCommodity = z.infer<typeof newCommodity>;
export interface Commodity extends NewCommodity {
  id: number;
}
