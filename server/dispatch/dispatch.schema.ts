// Input schemas for dispatch, routes, stops and positions.
import { z } from 'zod';
import { latitude, longitude, optionalId, pageQuery, recordId, seed, units } from '../http/schemas.ts';
import { failureReasons } from '../../domain/values.ts';

export const dispatchBody = z.strictObject({
  timeLimitMs: z.number().int().min(200).max(120_000).default(5_000).describe('time given to the vehicle router'),
  seed: seed,
});

export const routeQuery = z.strictObject({ planId: optionalId, driverId: optionalId, ...pageQuery });

export const stopStatus = z
  .strictObject({
    status: z.enum(['delivered', 'failed']),
    reason: z.enum(failureReasons).optional(),
    note: z.string().trim().max(1000).optional(),
  })
  .refine((s) => s.status === 'delivered' || s.reason, { path: ['reason'], message: 'say why the delivery failed' });
export type StopStatus = z.infer<typeof stopStatus>;

export const position = z.strictObject({ lat: latitude, lon: longitude });

/** What happened on the road, for a re-plan of the routes under way. */
export const replanEvent = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('urgent-need'),
    needId: recordId,
    lotId: recordId.describe('the lot to take the goods from (reserved now)'),
    quantity: units,
  }),
  z.strictObject({ kind: z.literal('driver-dropped'), driverId: recordId, reason: z.string().trim().max(500).optional() }),
  z.strictObject({ kind: z.literal('closure').describe('roads changed: re-route what is left on today’s network') }),
]);
export type ReplanInput = z.infer<typeof replanEvent>;

export const replanBody = z.strictObject({
  event: replanEvent,
  timeLimitMs: z.number().int().min(200).max(60_000).default(3_000),
  seed: seed,
});
