// SQL for households and the history of their fields: the only module that reads or writes households
// and household_field_history. Rows come back as stored, merge keys included; the service strips them.
import type { Queryable } from '../db/database.ts';
import { columnName, findRow, insertRow, insertRows, toCamel } from '../db/rows.ts';

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

/**
 * A household's creation is stored as one history row (field `*`, every tracked field's first value in
 * `value`): a bulk import creates thousands at once. Readers see it spread out into one entry per field.
 */
const HISTORY_BY_FIELD = `SELECT h.id, e.field, e.value, h.source, h.outcome, h.set_by, h.set_at
  FROM household_field_history h
  CROSS JOIN LATERAL (SELECT h.field, h.value WHERE h.field <> '*' UNION ALL SELECT key, value FROM jsonb_each(h.value) WHERE h.field = '*') e
  WHERE h.household_id = $1`;

export async function fieldHistory(db: Queryable, householdId: number): Promise<Row[]> {
  return (await db.query(`SELECT field, value, source, outcome, set_by, set_at FROM (${HISTORY_BY_FIELD}) f ORDER BY id`, [householdId])).map((r) => toCamel<Row>(r));
}

/** The source of each field's value as it stands: the last applied change's. */
export async function currentSources(db: Queryable, householdId: number): Promise<Map<string, string>> {
  const rows = await db.query<{ field: string; source: string }>(
    `SELECT DISTINCT ON (field) field, source FROM (${HISTORY_BY_FIELD}) f WHERE outcome = 'applied' ORDER BY field, id DESC`,
    [householdId],
  );
  return new Map(rows.map((r) => [r.field, r.source]));
}

/** The creation of these households, as stored now, in their history: one row each (see HISTORY_BY_FIELD). */
export async function recordCreation(db: Queryable, householdIds: number[], entry: { source: string; setBy: number | null }): Promise<void> {
  await db.query(
    `INSERT INTO household_field_history (household_id, field, value, source, outcome, set_by)
     SELECT id, '*', jsonb_strip_nulls(jsonb_build_object(
       'name', name, 'address', address, 'phone', phone, 'lat', lat, 'lon', lon, 'people', people, 'community', community, 'zoneId', zone_id,
       'notes', notes, 'elderlyAlone', elderly_alone, 'chronicIllness', chronic_illness, 'disabled', disabled, 'pregnant', pregnant, 'infant', infant)),
       $2, 'applied', $3
     FROM households WHERE id = ANY($1::int[]) ORDER BY id`,
    [householdIds, entry.source, entry.setBy],
  );
}

export async function recordHistory(
  db: Queryable,
  householdId: number,
  changes: [string, unknown][],
  entry: { source: string; outcome: 'applied' | 'kept_manual'; setBy: number },
): Promise<void> {
  await db.query(
    `INSERT INTO household_field_history (household_id, field, value, source, outcome, set_by)
     SELECT $1, field, value::jsonb, $4, $5, $6 FROM unnest($2::text[], $3::text[]) AS c(field, value)`,
    [householdId, changes.map(([field]) => field), changes.map(([, value]) => JSON.stringify(value ?? null)), entry.source, entry.outcome, entry.setBy],
  );
}

/** Many households in a few statements (merge keys given); their ids, in order. */
export const insertHouseholds = (db: Queryable, households: Row[]) => insertRows<{ id: number }>(db, 'households', households, 'id');
