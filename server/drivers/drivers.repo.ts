// SQL for drivers and gate volunteers: the only module that reads or writes the drivers table.
import type { Queryable } from '../db/database.ts';
import { findRow, insertRow, insertRows, listRows, toCamel, updateRow, type Paging, type Within } from '../db/rows.ts';
import type { Driver, NewDriver } from './drivers.schema.ts';

export const listDrivers = (db: Queryable, query: Paging & { kind?: string }, within: Within) =>
  listRows<Driver>(db, 'drivers', { kind: query.kind }, query, within);

export const findDriver = (db: Queryable, id: number) => findRow<Driver>(db, 'drivers', id);

export const insertDriver = (db: Queryable, input: NewDriver) => insertRow<Driver>(db, 'drivers', input);

export const updateDriver = (db: Queryable, id: number, patch: Partial<NewDriver>) => updateRow<Driver>(db, 'drivers', id, patch);

/** Active drivers and gate volunteers, by id, for dispatch. */
export async function activeDrivers(db: Queryable): Promise<Driver[]> {
  return (await db.query('SELECT * FROM drivers WHERE active ORDER BY id')).map((r) => toCamel<Driver>(r));
}

/** The sign-in accounts of these drivers, by driver (those with none left out). */
export async function usersOfDrivers(db: Queryable, ids: number[]): Promise<Map<number, number>> {
  const rows = await db.query<{ id: number; user_id: number }>('SELECT id, user_id FROM drivers WHERE id = ANY($1::int[]) AND user_id IS NOT NULL', [ids]);
  return new Map(rows.map((r) => [r.id, r.user_id]));
}

/** The id of the driver record linked to a user account, other than `exceptId`; undefined when none. */
export async function driverIdOfUser(db: Queryable, userId: number, exceptId: number | null = null): Promise<number | undefined> {
  const [row] = await db.query<{ id: number }>('SELECT id FROM drivers WHERE user_id = $1 AND id IS DISTINCT FROM $2', [userId, exceptId]);
  return row?.id;
}

/** Many drivers and gate volunteers in a few statements (the district seed). */
export async function insertDrivers(db: Queryable, drivers: NewDriver[]): Promise<void> {
  await insertRows(db, 'drivers', drivers);
}
