// SQL for households and the history of their fields: the only module that writes households and
// household_field_history (other nouns read them through the households service, or join them read-only into
// a view of their own), also together with a new household's first need (that INSERT's SQL from needs.repo).
// Rows come back as stored, merge keys included; the service strips them.
import { prepared, quoteIdent, type Queryable } from '../db/database.ts';
import { columnName, findRow, insertRow, insertRows, selectColumns, toCamel } from '../db/rows.ts';
import { auditInserts } from '../audit/audit.repo.ts';
import { firstNeedsOf } from './needs.repo.ts';

type Row = Record<string, unknown>;

/** The household with these merge keys, locked for the merge. */
export async function lockByKeys(db: Queryable, addressKey: string, phoneKey: string): Promise<Row | undefined> {
  const [row] = await db.query('SELECT * FROM households WHERE address_key = $1 AND phone_key = $2 FOR UPDATE', [addressKey, phoneKey]);
  return row;
}

/** The tables a CSV import fills, whose planner statistics it refreshes as they grow (db/statistics.ts). */
export const importedTables = ['households', 'household_field_history', 'needs'] as const;

export const insertHousehold = (db: Queryable, values: Row) => insertRow<Row>(db, 'households', values);

/** A new household's first need, as inserted with it. */
export interface FirstNeed {
  commodityId: number;
  quantity: number;
  urgency: string;
  deadline: string | null;
  sources: string[];
}

/** A new household with its first need, as a report brings them (merge keys worked out), and who reported it. */
export interface FreshReport {
  household: Row & { addressKey: string; phoneKey: string };
  /** The reported fields, recorded as the household's first values. */
  values: Record<string, unknown>;
  source: string;
  setBy: number | null;
  need: FirstNeed;
  /** The request's audit context, that each record written is audited under (auditInserts), if it has one. */
  request: string | undefined;
}

/** The household columns a report fills (an absent optional field is null, as the column's default). */
const reportedColumns = {
  name: 'text', address: 'text', addressKey: 'text', phone: 'text', phoneKey: 'text', lat: 'float8', lon: 'float8', people: 'int', community: 'text',
  zoneId: 'int', notes: 'text', elderlyAlone: 'bool', chronicIllness: 'bool', disabled: 'bool', pregnant: 'bool', infant: 'bool',
} as const;

/**
 * New households, each with its creation in the history (as recordCreation writes it) and its first need, for
 * any number of reports in one statement (a burst of reports is written a grouped batch at a time); both rows as
 * stored (camelCase), in the order given. A report is not written (undefined) when a household has its merge
 * keys already, or an earlier report in the list has them (it merges into that one), or its commodity or the
 * zone named does not exist: the caller takes the long way, which merges or names what is wrong.
 */
export async function insertWithNeeds(db: Queryable, reports: FreshReport[]): Promise<({ household: Row; need: Row } | undefined)[]> {
  if (reports.length === 0) return [];
  const columns = Object.keys(reportedColumns) as (keyof typeof reportedColumns)[];
  const names = columns.map((c) => quoteIdent(columnName(c))).join(', ');
  const at = columns.length;
  const rows = await db.query<Row & { n: number; need: Row }>(
    prepared(`WITH report AS (
       SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${reportedColumns[c]}[]`).join(', ')},
                            $${at + 1}::text[], $${at + 2}::text[], $${at + 3}::int[], $${at + 4}::int[], $${at + 5}::int[], $${at + 6}::text[], $${at + 7}::date[], $${at + 8}::text[])
         WITH ORDINALITY AS r(${names}, creation, source, set_by, commodity_id, quantity, urgency, deadline, request, n)),
     household AS (
       INSERT INTO households (${names})
       SELECT DISTINCT ON (address_key, phone_key) ${names} FROM report r
       WHERE EXISTS (SELECT FROM commodities WHERE id = r.commodity_id) AND (r.zone_id IS NULL OR EXISTS (SELECT FROM zones WHERE id = r.zone_id))
       ORDER BY address_key, phone_key, n
       ON CONFLICT (address_key, phone_key) DO NOTHING
       RETURNING *),
     written AS (
       SELECT DISTINCT ON (h.id) h.id, r.* FROM household h JOIN report r USING (address_key, phone_key) ORDER BY h.id, r.n),
     history AS (
       INSERT INTO household_field_history (household_id, field, value, source, outcome, set_by)
       SELECT id, '*', creation::jsonb, source, 'applied', set_by FROM written
       RETURNING *),
     need AS (${firstNeedsOf('written')}),
     audited AS (
       ${auditInserts(`SELECT 'households', h.id::text, to_jsonb(h), w.request::jsonb FROM household h JOIN written w USING (id)
       UNION ALL
       SELECT 'household_field_history', hh.id::text, to_jsonb(hh), w.request::jsonb FROM history hh JOIN written w ON w.id = hh.household_id
       UNION ALL
       SELECT 'needs', nd.id::text, to_jsonb(nd), w.request::jsonb FROM need nd JOIN written w ON w.id = nd.household_id`)})
     SELECT household.*, w.n, to_json(need) AS need FROM household JOIN written w USING (id) JOIN need ON need.household_id = household.id`),
    [
      ...columns.map((c) => reports.map((r) => r.household[c] ?? null)),
      reports.map((r) => JSON.stringify(r.values)),
      reports.map((r) => r.source),
      reports.map((r) => r.setBy),
      reports.map((r) => r.need.commodityId),
      reports.map((r) => r.need.quantity),
      reports.map((r) => r.need.urgency),
      reports.map((r) => r.need.deadline),
      reports.map((r) => r.request ?? null),
    ],
  );
  const written = new Map(rows.map(({ n, need, ...household }) => [Number(n), { household, need: needAsRead(need) }]));
  return reports.map((_, i) => written.get(i + 1));
}

/** A need read back as JSON, as node-postgres reads its row: timestamps as Dates (dates stay 'YYYY-MM-DD', as db/types.ts reads them). */
function needAsRead(need: Row): Row {
  const { created_at, updated_at, ...rest } = need as Row & { created_at: string; updated_at: string };
  return toCamel({ ...rest, created_at: new Date(created_at), updated_at: new Date(updated_at) });
}

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
  // Column arrays, not rows (selectColumns): a district's dispatch answers with tens of thousands of households.
  const rows = await selectColumns<{ id: number; name: string; address: string; phone: string | null; people: number }>(
    db,
    ['id', 'name', 'address', 'phone', 'people'],
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

/** The creation of these households in their history, one row each with every first value (see HISTORY_BY_FIELD). */
export async function recordCreation(db: Queryable, created: { householdId: number; values: Record<string, unknown> }[], entry: { source: string; setBy: number | null }): Promise<void> {
  if (created.length === 0) return;
  await db.query(
    `INSERT INTO household_field_history (household_id, field, value, source, outcome, set_by)
     SELECT household_id, '*', value::jsonb, $3, 'applied', $4 FROM unnest($1::int[], $2::text[]) AS c(household_id, value)`,
    [created.map((c) => c.householdId), created.map((c) => JSON.stringify(c.values)), entry.source, entry.setBy],
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

/** Field changes of many households, in the order given (`value` undefined is stored as null). */
export async function recordHistory(
  db: Queryable,
  changes: { householdId: number; field: string; value: unknown; outcome: 'applied' | 'kept_manual' }[],
  entry: { source: string; setBy: number | null },
): Promise<void> {
  if (changes.length === 0) return;
  await db.query(
    `INSERT INTO household_field_history (household_id, field, value, source, outcome, set_by)
     SELECT household_id, field, value::jsonb, $5, outcome, $6 FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS c(household_id, field, value, outcome)`,
    [changes.map((c) => c.householdId), changes.map((c) => c.field), changes.map((c) => JSON.stringify(c.value ?? null)), changes.map((c) => c.outcome), entry.source, entry.setBy],
  );
}

/** The households with these merge keys (pairs by position), locked for merging unless `lock` is false: what a batch of an import reports on. */
export async function lockByKeysMany(db: Queryable, keys: { address: string[]; phone: string[] }, lock = true): Promise<Row[]> {
  return db.query(
    `SELECT * FROM households WHERE (address_key, phone_key) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY id${lock ? ' FOR UPDATE' : ''}`,
    [keys.address, keys.phone],
  );
}

/** The source of each field's current value for many households: `[householdId, field, source]`. */
export async function currentSourcesMany(db: Queryable, householdIds: number[]): Promise<{ household_id: number; field: string; source: string }[]> {
  return db.query(
    `SELECT DISTINCT ON (household_id, field) household_id, field, source FROM (
       SELECT h.id, h.household_id, e.field, h.source FROM household_field_history h
       CROSS JOIN LATERAL (SELECT h.field WHERE h.field <> '*' UNION ALL SELECT jsonb_object_keys(h.value) WHERE h.field = '*') e(field)
       WHERE h.household_id = ANY($1::int[]) AND h.outcome = 'applied'
     ) f ORDER BY household_id, field, id DESC`,
    [householdIds],
  );
}

/** Sets merged reports' values on many households at once: every reported field, the version moved on by `bumps`. */
export async function applyMerges(db: Queryable, merges: { id: number; values: Record<string, unknown>; bumps: number }[]): Promise<void> {
  if (merges.length === 0) return;
  await db.query(
    `UPDATE households h SET name = v.name, address = v.address, phone = v.phone, lat = v.lat, lon = v.lon, people = v.people, zone_id = v.zone_id,
       notes = v.notes, elderly_alone = v.elderly_alone, chronic_illness = v.chronic_illness, disabled = v.disabled, pregnant = v.pregnant,
       infant = v.infant, version = h.version + v.bumps, updated_at = now()
     FROM jsonb_to_recordset($1::jsonb) AS v(id int, name text, address text, phone text, lat float8, lon float8, people int, zone_id int, notes text,
       elderly_alone boolean, chronic_illness boolean, disabled boolean, pregnant boolean, infant boolean, bumps int)
     WHERE h.id = v.id`,
    [JSON.stringify(merges.map((m) => ({ ...Object.fromEntries(Object.entries(m.values).map(([k, v]) => [columnName(k), v])), id: m.id, bumps: m.bumps })))],
  );
}

/** Many households in a few statements (merge keys given); their ids, in order. */
export const insertHouseholds = (db: Queryable, households: Row[]) => insertRows<{ id: number }>(db, 'households', households, 'id');
