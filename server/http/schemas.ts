// Small input schemas every noun shares: ids in paths, coordinates, dates; and the PATCH body built from
// a create schema (lists' paging is in paging.ts).
import { z } from 'zod';

/** Ids, versions and counts are PostgreSQL integers: anything larger is refused here, not by the database. */
const INT_MAX = 2_147_483_647;
export const recordId = z.number().int().positive().max(INT_MAX, 'no record has such an id');
export const version = z.number().int().positive().max(INT_MAX);
/** Units of a commodity in one movement, need or donation line. */
export const units = z.number().int().positive().max(1_000_000, 'at most 1,000,000 units at once');
export const seed = z.number().int().min(0).max(INT_MAX).default(1);

export const idParam = z.strictObject({ id: z.coerce.number().int().positive().max(INT_MAX, 'no record has such an id') });

export const latitude = z.number().min(-90).max(90);
export const longitude = z.number().min(-180).max(180);
export const isoDate = z.iso.date();
export const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');
export const optionalId = z.coerce.number().int().positive().max(INT_MAX, 'no record has such an id').optional();

type Undefaulted<T> = T extends z.ZodDefault<infer Inner> ? Inner : T;

/**
 * The body of a PATCH, from the create schema: every field optional and none defaulted, so that a PATCH
 * changes only the fields it sends (a default would reset a field the request left out). The create schema's
 * refinements are not carried over; add back those that still apply.
 */
export function patchOf<S extends z.ZodRawShape>(create: z.ZodObject<S>): z.ZodObject<{ [K in keyof S]: z.ZodOptional<Undefaulted<S[K]>> }, z.core.$strict> {
  const fields = (Object.entries(create.shape) as [string, z.ZodType][]).map(([name, field]) => {
    const optional = (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field).optional();
    return [name, field.description ? optional.describe(field.description) : optional];
  });
  return z.strictObject(Object.fromEntries(fields)) as z.ZodObject<{ [K in keyof S]: z.ZodOptional<Undefaulted<S[K]>> }, z.core.$strict>;
}
