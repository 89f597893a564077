// The commodity catalogue: what can be stocked, asked for and delivered.
import type { Db, Queryable } from '../db/database.ts';
import type { Paging } from '../db/rows.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { existsOncePerBatch } from '../db/exists-once.ts';
import * as repo from './commodities.repo.ts';
import type { Commodity, NewCommodity } from './commodities.schema.ts';

export const listCommodities = (db: Db, query: Paging & { category?: string }) => repo.listCommodities(db, query);

export async function getCommodity(db: Queryable, id: number, field?: string): Promise<Commodity> {
  const commodity = await repo.findCommodity(db, id);
  if (!commodity) throw new NotFoundError('commodity', id, field);
  return commodity;
}

/** Refuses a commodity that does not exist (a grouped batch looks each up once). */
export const checkCommodityExists = existsOncePerBatch('commodity', repo.findCommodity);

export const createCommodity = (db: Db, input: NewCommodity): Promise<Commodity> => db.transaction((tx) => addCommodity(tx, input));

/** A new commodity, inside the caller's transaction (a pack is a commodity made with its components); its code must be new. */
export async function addCommodity(tx: Queryable, input: NewCommodity): Promise<Commodity> {
  if (await repo.findCommodityByCode(tx, input.code)) throw new ConflictError(`a commodity with the code ${input.code} exists already`, { errors: [{ field: 'body.code', reason: 'already used' }] }, 'already-exists');
  return repo.insertCommodity(tx, input);
}

/** The whole catalogue, by id (the optimizer's and the dashboard's names and sizes). */
export const allCommodities = (db: Queryable) => repo.allCommodities(db);

export async function updateCommodity(db: Db, id: number, patch: Partial<NewCommodity>): Promise<Commodity> {
  const updated = await repo.updateCommodity(db, id, patch);
  if (!updated) throw new NotFoundError('commodity', id);
  return updated;
}

/** The catalogue households may ask from (their page's form). */
export const residentCatalogue = (db: Queryable) => repo.openToResidents(db);
