// The road network: map layers, closures, point-to-point paths. The input schemas, and the records the
// API answers with.
import { z } from 'zod';
import { latitude, longitude } from '../http/schemas.ts';
import type { LatLon, LineString } from '../../solver/network/index.ts';
import { networkLayers, travelModes } from '../../domain/values.ts';
import { listQuery, MAX_LIMIT } from '../http/paging.ts';

export const networkQuery = z.strictObject({
  layer: z.enum(networkLayers).default('drive'),
  simplify: z.coerce.number().min(0).max(100).default(5).describe('simplification tolerance in metres'),
});

export const newClosure = z.strictObject({
  lat: latitude,
  lon: longitude,
  radiusM: z.number().positive().max(2000).default(30).describe('every road within this distance of the point'),
  layer: z.enum(networkLayers).default('drive').describe('drive closes it to vehicles; walk makes it a checkpoint for people on foot'),
  slowFactor: z.number().min(1).max(100).optional().describe('slow the road down instead of closing it'),
  reason: z.string().trim().min(1).max(500),
});
export type NewClosure = z.infer<typeof newClosure>;

export const liftBody = z.strictObject({ reason: z.string().trim().max(500).optional() });

const latLon = z
  .string()
  .regex(/^\s*-?\d+(\.\d+)?\s*,\s*-?\d+(\.\d+)?\s*$/, 'lat,lon in decimal degrees')
  .transform((v) => {
    const [lat, lon] = v.split(',').map(Number) as [number, number];
    return { lat, lon };
  })
  .pipe(z.object({ lat: latitude, lon: longitude }));

export const pathQuery = z.strictObject({ from: latLon, to: latLon, mode: z.enum(travelModes).default('car') });

export const closureQuery = listQuery({ layer: z.enum(networkLayers).optional() }, ['id', 'createdAt', 'reason'], { limit: MAX_LIMIT });

export interface Closure extends NewClosure {
  id: number;
  createdBy: number | null;
  createdAt: string;
}

/** The fastest path between two points (from and to: where they meet the road), or why there is none. */
export type PathAnswer =
  | { reachable: true; timeS: number; lengthM: number; geometry: LineString; from: LatLon; to: LatLon }
  | { reachable: false; reason: string };
