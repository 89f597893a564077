// SQL for warehouses: the only module that writes the warehouses table; other nouns read it through the
// warehouses service (or join it read-only into a view, as the donation tracking page does).
import type { Queryable } from '../db/database.ts';
import { findRow, insertRow, insertRows, listRows, toCamel, updateRow, type Paging } from '../db/rows.ts';
import type { NewWarehouse, Warehouse } from './warehouses.schema.ts';

export const listWarehouses = (db: Queryable, paging: Paging) => listRows<Warehouse>(db, 'warehouses', {}, paging);

export const findWarehouse = (db: Queryable, id: number) => findRow<Warehouse>(db, 'warehouses', id);

export const insertWarehouse = (db: Queryable, input: NewWarehouse) => insertRow<Warehouse>(db, 'warehouses', input);

export const updateWarehouse = (db: Queryable, id: number, patch: Partial<NewWarehouse>) => updateRow<Warehouse>(db, 'warehouses', id, patch);

/** Every warehouse, for the optimizer. */
export async function allWarehouses(db: Queryable): Promise<Warehouse[]> {
  return (await db.query('SELECT * FROM warehouses ORDER BY id')).map((r) => toCamel<Warehouse>(r));
}

/** Many warehouses in a few statements (the district seed); their ids, in order. */
export const insertWarehouses = (db: Queryable, warehouses: NewWarehouse[]) => insertRows<{ id: number }>(db, 'warehouses', warehouses, 'id');
