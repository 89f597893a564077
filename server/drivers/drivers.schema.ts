// Drivers and gate volunteers: the input schemas, and the record the API answers with.
import { z } from 'zod';
import { clockTime, patchOf, recordId } from '../http/schemas.ts';
import { listQuery } from '../http/paging.ts';

import { driverKinds, vehicleTypes } from '../../domain/values.ts';

const driverFields = {
  userId: recordId.optional().describe('the sign-in account (role driver) of this person'),
  name: z.string().trim().min(1).max(200),
  phone: z.string().trim().regex(/^[+0-9 ().-]{6,25}$/, 'a phone number').optional(),
  kind: z.enum(driverKinds),
  vehicleType: z.enum(vehicleTypes),
  capacityWeightKg: z.number().positive(),
  capacityVolumeM3: z.number().positive(),
  shiftStart: clockTime,
  shiftEnd: clockTime,
  homeWarehouseId: recordId.optional(),
  zoneId: recordId.optional().describe('for a gate volunteer: the sealed zone they serve'),
  active: z.boolean().default(true),
};

const shiftOrdered = (d: { shiftStart?: string; shiftEnd?: string }) => !d.shiftStart || !d.shiftEnd || d.shiftStart < d.shiftEnd;

export const newDriver = z.strictObject(driverFields).refine(shiftOrdered, { path: ['shiftEnd'], message: 'the shift must end after it starts' });
export const driverPatch = patchOf(newDriver).refine(shiftOrdered, { path: ['shiftEnd'], message: 'the shift must end after it starts' });
export const driverQuery = listQuery({ kind: z.enum(driverKinds).optional() }, ['id', 'name', 'kind', 'vehicleType']);

export type NewDriver = z.infer<typeof newDriver>;
/** Optional fields left out come back null. */
export interface Driver extends Omit<NewDriver, 'userId' | 'phone' | 'homeWarehouseId' | 'zoneId'> {
  id: number;
  userId: number | null;
  phone: string | null;
  homeWarehouseId: number | null;
  zoneId: number | null;
}
