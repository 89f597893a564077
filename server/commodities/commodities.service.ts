// The commodity catalogue: what can be stocked, asked for and delivered.
import type { Db, Queryable } from '../db/database.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { findRow, insertRow, listRows, updateRow } from '../db/rows.ts';
import type { Commodity, NewCommodity } from './commodities.schema.ts';

export const listCommodities = (db: Db, query: { category?: string; limit: number; offset: number }) =>
  listRows<Commodity>(db, 'commodities', { category: query.category }, query);

export async function getCommodity(db: Queryable, id: number, field?: string): Promise<Commodity> {
  const commodity = await findRow<Commodity>(db, 'commodities', id);
  if (!commodity) throw new NotFoundError('commodity', id, field);
  return commodity;
}

export async function createCommodity(db: Db, input: NewCommodity): Promise<Commodity> {
  return db.transaction(async (tx) => {
    const [clash] = await tx.query('SELECT id FROM commodities WHERE code = $1', [input.code]);
    if (clash) throw new ConflictError(`a commodity with the code ${input.code} exists already`, { errors: [{ field: 'body.code', reason: 'already used' }] }, 'already-exists');
    return insertRow<Commodity>(tx, 'commodities', input);
  });
}

export async function updateCommodity(db: Db, id: number, patch: Partial<NewCommodity>): Promise<Commodity> {
  const updated = await updateRow<Commodity>(db, 'commodities', id, patch);
  if (!updated) throw new NotFoundError('commodity', id);
  return updated;
}
