// SQL for households and the history of their fields: the only module that writes households and
// household_field_history (other nouns read them through the households service, or join them read-only into
// a view of their own). Rows come back as stored, merge keys included; the service strips them.
import type { Queryable } from '../db/database.ts';
import { columnName, findRow, insertRow, toCamel } from '../db/rows.ts';

type Row = Record<string, unknown>;

/** The household with these merge keys, locked for the merge. */
export async function lockByKeys(db: Queryable, addressKey: string, phoneKey: string): Promise<Row | undefined> {
  const [row] = await db.query('SELECT * FROM households WHERE address_key = $1 AND phone_key = $2 FOR UPDATE', [addressKey, phoneKey]);
  return row;
}

export const insertHousehold = (db: Queryable, values: Row) => insertRow<Row>(db, 'households', values);

export const findHousehold = (db: Queryable, id: number, lock = false) => findRow<Row>(db, 'households', id, lock);

/** Sets the given fields (camelCase names from code, never from input) and bumps the version. */
export async function updateHousehold(db: Queryable, id: number, entries: [string, unknown][]): Promise<Row> {
  const sets = entries.map(([field], i) => `${columnName(field)} = $${i + 2}`);
  const [row] = await db.query(`UPDATE households SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING *`, [
    id,
    ...entries.map(([, v]) => v),
  ]);
  return row!;
}

/** What a driver needs to hand goods over: who, where, how to call. Never health flags. */
export async function recipients(db: Queryable, householdIds: number[]): Promise<Map<number, { name: string; address: string; phone: string | null; people: number }>> {
  const rows = await db.query<{ id: number; name: string; address: string; phone: string | null; people: number }>(
    'SELECT id, name, address, phone, people FROM households WHERE id = ANY($1::int[])',
    [householdIds],
  );
  return new Map(rows.map(({ id, ...r }) => [id, r]));
}

/**
 * The households matching these merge keys (pairs by position), with the commodities of their open needs:
 * what an import would merge into.
 */
export async function knownByKeys(db: Queryable, keys: { address: string[]; phone: string[] }) {
  return db.query<{ address_key: string; phone_key: string; community: string; commodities: number[] }>(
    `SELECT h.address_key, h.phone_key, h.community, array_remove(array_agg(n.commodity_id), NULL) AS commodities
     FROM households h LEFT JOIN needs n ON n.household_id = h.id AND n.status = 'open'
     WHERE (h.address_key, h.phone_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))
     GROUP BY h.id`,
    [keys.address, keys.phone],
  );
}

export async function fieldHistory(db: Queryable, householdId: number): Promise<Row[]> {
  return (await db.query('SELECT field, value, source, outcome, set_by, set_at FROM household_field_history WHERE household_id = $1 ORDER BY id', [householdId])).map((r) => toCamel<Row>(r));
}

/** The source of each field's value as it stands: the last applied change's. */
export async function currentSources(db: Queryable, householdId: number): Promise<Map<string, string>> {
  const rows = await db.query<{ field: string; source: string }>(
    `SELECT DISTINCT ON (field) field, source FROM household_field_history
     WHERE household_id = $1 AND outcome = 'applied' ORDER BY field, id DESC`,
    [householdId],
  );
  return new Map(rows.map((r) => [r.field, r.source]));
}

export async function recordHistory(
  db: Queryable,
  householdId: number,
  changes: [string, unknown][],
  entry: { source: string; outcome: 'applied' | 'kept_manual'; setBy: number | null },
): Promise<void> {
  await db.query(
    `INSERT INTO household_field_history (household_id, field, value, source, outcome, set_by)
     SELECT $1, field, value::jsonb, $4, $5, $6 FROM unnest($2::text[], $3::text[]) AS c(field, value)`,
    [householdId, changes.map(([field]) => field), changes.map(([, value]) => JSON.stringify(value ?? null)), entry.source, entry.outcome, entry.setBy],
  );
}

/** Households that may be the one a registration describes: same address or phone, or in the same community (whose names the caller compares). */
export async function likelySame(db: Queryable, keys: { addressKey: string; phoneKey: string; community: string }): Promise<Row[]> {
  return db.query(
    `SELECT * FROM households WHERE address_key = $1 OR (phone_key <> '' AND phone_key = $2) OR community = $3 ORDER BY id`,
    [keys.addressKey, keys.phoneKey, keys.community],
  );
}

/** The communities households belong to, by name. */
export async function communities(db: Queryable): Promise<string[]> {
  return (await db.query<{ community: string }>('SELECT DISTINCT community FROM households ORDER BY community')).map((r) => r.community);
}

/** The mean position of a community's households; null when it has none. */
export async function middleOf(db: Queryable, community: string): Promise<{ lat: number; lon: number } | null> {
  const [row] = await db.query<{ lat: number | null; lon: number | null }>('SELECT avg(lat) AS lat, avg(lon) AS lon FROM households WHERE community = $1', [community]);
  return row?.lat == null || row.lon == null ? null : { lat: Number(row.lat), lon: Number(row.lon) };
}
