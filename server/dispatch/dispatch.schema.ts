// Input schemas for dispatch, routes, stops and positions.
import { z } from 'zod';
import { isoDate, latitude, longitude, optionalId, recordId, seed, units } from '../http/schemas.ts';
import { listQuery, MAX_LIMIT } from '../http/paging.ts';
import { failureReasons, handovers, routeKinds, routeStatuses, vehicleTypes, type Handover } from '../../domain/values.ts';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

/** The day's limits for one kind of vehicle, set by the coordinator when dispatching. */
export const dayLimits = z.strictObject({
  maxStops: z.number().int().min(1).max(10_000).optional().describe('most stops on one route'),
  maxTravelTimeS: z.number().min(0).max(86_400).optional().describe('longest driving time on one route, in seconds'),
  maxDistanceM: z.number().min(0).max(2_000_000).optional().describe('longest route, in metres'),
  maxTrips: z.number().int().min(1).max(20).optional().describe('trips per shift: returns to the warehouse to reload in between (default: vans and cars 3, cargo bikes 4)'),
  shift: z.strictObject({ start: clock, end: clock }).optional().describe("today's shift, instead of each driver's own"),
});
export type DayLimits = z.infer<typeof dayLimits>;

export const dispatchBody = z.strictObject({
  timeLimitMs: z.number().int().min(200).max(120_000).optional().describe('time given to the vehicle router (default: 5 s and 1 s more per 1,000 vehicle stops, at most 30 s)'),
  seed: seed,
  limits: z.partialRecord(z.enum(vehicleTypes), dayLimits).default({}).describe("the day's limits per vehicle type"),
});

export const routeQuery = listQuery(
  {
    planId: optionalId,
    driverId: optionalId,
    kind: z.enum(routeKinds).optional().describe('vehicle routes from a warehouse, or walking routes from a gate'),
    status: z.enum(routeStatuses).optional(),
    failed: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('true: only routes with a failed stop'),
    view: z.enum(['full', 'summary']).default('full').describe('full: every stop with its goods, recipient and proof; summary: per route its stops counted by state, weight, trips and times (the board)'),
  },
  ['id'],
  { limit: MAX_LIMIT },
);

/** Proof of a delivery, as the phone recorded it at the door or the gate. */
export const proof = z.strictObject({
  receiverName: z.string().trim().min(1).max(200).describe('who took the goods (the neighbour\'s or building leader\'s name when left with them)'),
  handedTo: z.enum(handovers).default('recipient').describe('the recipient, or left with a neighbour or the building leader'),
  photo: z.string().max(1_400_000).optional().describe('JPEG, PNG or WebP, base64 or a data: URL, at most 1 MB decoded; its metadata is stripped'),
  signature: z.string().max(300_000).optional().describe('the receiver\'s signature drawn on the phone: PNG, base64 or a data: URL'),
  deviceTime: z.iso.datetime({ offset: true }).describe('when it happened by the phone\'s clock (kept as sent, also when an offline phone syncs later)'),
  position: z.strictObject({ lat: latitude, lon: longitude }).optional().describe('where the phone was then'),
});

export const stopStatus = z
  .strictObject({
    status: z.enum(['delivered', 'failed', 'collected']).describe('collected: the pledge of a collection stop is on board (received into stock at its warehouse)'),
    reason: z.enum(failureReasons).optional(),
    note: z.string().trim().max(1000).optional(),
    proof: proof.optional(),
    expiresOn: isoDate.optional().describe('a collected pledge of perishable goods: their expiry date'),
  })
  .refine((s) => s.status !== 'failed' || s.reason, { path: ['reason'], message: 'say why the stop failed' })
  .refine((s) => s.status === 'delivered' || !s.proof, { path: ['proof'], message: 'proof is for a delivery' })
  .refine((s) => s.status === 'collected' || !s.expiresOn, { path: ['expiresOn'], message: 'an expiry date is for a collected pledge' });

/** A stop's proof as the route shows it: who, when and where by the phone, when the server heard; the images only by their own endpoint. */
export interface ProofSummary {
  handedTo: Handover;
  receiverName: string;
  deviceTime: string;
  position: { lat: number; lon: number } | null;
  receivedAt: string;
  hasPhoto: boolean;
  hasSignature: boolean;
}
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
