// Warehouses: the input schemas, and the record the API answers with.
import { z } from 'zod';
import { latitude, longitude, patchOf } from '../http/schemas.ts';
import { listQuery } from '../http/paging.ts';


export const newWarehouse = z.strictObject({
  name: z.string().trim().min(1).max(200),
  address: z.string().trim().min(1).max(500),
  lat: latitude,
  lon: longitude,
  openingHours: z.string().trim().max(100).optional(),
  capacityWeightKg: z.number().nonnegative().describe('dispatch capacity per shift, by weight'),
  capacityVolumeM3: z.number().nonnegative().describe('dispatch capacity per shift, by volume'),
});
export const warehousePatch = patchOf(newWarehouse);
export const warehouseQuery = listQuery({}, ['id', 'name']);

export type NewWarehouse = z.infer<typeof newWarehouse>;
export interface Warehouse extends NewWarehouse {
  id: number;
  openingHours: string;
  createdAt: string;
  updatedAt: string;
}
