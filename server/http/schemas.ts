// Small input schemas every noun shares: ids in paths, paging, coordinates, dates.
import { z } from 'zod';

export const idParam = z.strictObject({ id: z.coerce.number().int().positive() });

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};

export const latitude = z.number().min(-90).max(90);
export const longitude = z.number().min(-180).max(180);
export const isoDate = z.iso.date();
export const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');
export const optionalId = z.coerce.number().int().positive().optional();
