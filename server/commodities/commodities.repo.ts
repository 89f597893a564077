// SQL for the commodity catalogue: the only module that writes the commodities table (other nouns join it
// read-only for names, units and weights).
import type { Queryable } from '../db/database.ts';
import { findRow, insertRow, insertRows, listRows, toCamel, updateRow, type Paging } from '../db/rows.ts';
import type { Commodity, NewCommodity } from './commodities.schema.ts';

export const listCommodities = (db: Queryable, query: Paging & { category?: string }) =>
  listRows<Commodity>(db, 'commodities', { category: query.category }, query);

export const findCommodity = (db: Queryable, id: number) => findRow<Commodity>(db, 'commodities', id);

export async function findCommodityByCode(db: Queryable, code: string): Promise<Commodity | undefined> {
  const [row] = await db.query('SELECT * FROM commodities WHERE code = $1', [code]);
  return row && toCamel<Commodity>(row);
}

export const insertCommodity = (db: Queryable, input: NewCommodity) => insertRow<Commodity>(db, 'commodities', input);

export const updateCommodity = (db: Queryable, id: number, patch: Partial<NewCommodity>) => updateRow<Commodity>(db, 'commodities', id, patch);

/** The whole catalogue, by id. */
export async function allCommodities(db: Queryable): Promise<Commodity[]> {
  return (await db.query('SELECT * FROM commodities ORDER BY id')).map((r) => toCamel<Commodity>(r));
}

/** The commodities coordinators opened to residents, by name. */
export async function openToResidents(db: Queryable): Promise<Commodity[]> {
  return (await db.query('SELECT * FROM commodities WHERE resident_open ORDER BY name, id')).map((r) => toCamel<Commodity>(r));
}

/** Many commodities in a few statements (the district seed); their ids and codes, in order. */
export const insertCommodities = (db: Queryable, commodities: NewCommodity[]) => insertRows<{ id: number; code: string }>(db, 'commodities', commodities, 'id, code');
