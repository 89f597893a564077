// Warehouses: where stock is kept and from where drivers leave.
import type { Db, Queryable } from '../db/database.ts';
import type { Paging } from '../db/rows.ts';
import { NotFoundError } from '../http/errors.ts';
import { existsOncePerBatch } from '../db/exists-once.ts';
import * as repo from './warehouses.repo.ts';
import type { NewWarehouse, Warehouse } from './warehouses.schema.ts';
import { checkWarehouse, type WarehouseScope } from '../auth/warehouse-scope.ts';

export const listWarehouses = (db: Db, paging: Paging) => repo.listWarehouses(db, paging);

export async function getWarehouse(db: Queryable, id: number, field?: string): Promise<Warehouse> {
  const warehouse = await repo.findWarehouse(db, id);
  if (!warehouse) throw new NotFoundError('warehouse', id, field);
  return warehouse;
}

/** Refuses a warehouse that does not exist (a grouped batch looks each up once). */
export const checkWarehouseExists = existsOncePerBatch('warehouse', repo.findWarehouse);

/** Every warehouse, by id (the optimizer draws from all of them). */
export const allWarehouses = (db: Queryable) => repo.allWarehouses(db);

// In a transaction, as every write of an idempotent request is (its claim is marked applied there).
export const createWarehouse = (db: Db, input: NewWarehouse) => db.transaction((tx) => repo.insertWarehouse(tx, input));

/** Everyone sees every warehouse; a coordinator tied to warehouses changes only theirs (403). */
export async function updateWarehouse(db: Db, id: number, patch: Partial<NewWarehouse>, scope: WarehouseScope): Promise<Warehouse> {
  await getWarehouse(db, id);
  checkWarehouse(scope, id);
  const updated = await repo.updateWarehouse(db, id, patch);
  if (!updated) throw new NotFoundError('warehouse', id);
  return updated;
}
