// Zones: GeoJSON polygons with a daily status, and the gates of sealed compounds. The input schemas, and
// the records the API answers with.
import { z } from 'zod';
import { isoDate, latitude, longitude } from '../http/schemas.ts';
import { zoneStatuses, type ZoneStatus } from '../../domain/values.ts';
import { listQuery, MAX_LIMIT } from '../http/paging.ts';

const position = z.tuple([longitude, latitude]);
export const polygon = z
  .strictObject({
    type: z.literal('Polygon'),
    coordinates: z.array(z.array(position).min(4, 'a ring needs at least 4 positions')).min(1),
  })
  .refine((p) => p.coordinates.every((ring) => ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1]), {
    path: ['coordinates'],
    message: 'each ring must end where it starts',
  });

const gate = z.strictObject({ name: z.string().trim().min(1).max(200), lat: latitude, lon: longitude });

export const newZone = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    polygon,
    status: z.enum(zoneStatuses),
    gates: z.array(gate).max(50).default([]),
  })
  .refine((z) => z.status !== 'sealed' || z.gates.length > 0, { path: ['gates'], message: 'a sealed zone needs at least one gate' });

export const zoneQuery = listQuery({ status: z.enum(zoneStatuses).optional() }, ['id', 'name', 'status'], { limit: MAX_LIMIT });

export const zoneUpdate = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  polygon: polygon.optional(),
  status: z.enum(zoneStatuses).optional(),
  statusOn: isoDate.optional().describe('the day the status applies from; today when omitted'),
  note: z.string().trim().max(1000).optional(),
  gates: z.array(gate).max(50).optional().describe('replaces the gates'),
});

export type NewZone = z.infer<typeof newZone>;
export type ZoneUpdate = z.infer<typeof zoneUpdate>;

export interface Gate {
  id: number;
  zoneId: number;
  name: string;
  lat: number;
  lon: number;
}

export interface Zone {
  id: number;
  name: string;
  polygon: NewZone['polygon'];
  status: ZoneStatus;
  statusOn: string;
  updatedAt: string;
  gates: Gate[];
}
