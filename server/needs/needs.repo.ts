// SQL for needs: the only module that writes the needs table. Other nouns read a need through the needs
// service or this repo, or join the table read-only into a view of their own (a route's goods, a household's page).
import type { Queryable } from '../db/database.ts';
import { columnName, findRow, insertRow, insertRows, limitOffset, orderBy, selectColumns, toCamel, type Page, type Paging } from '../db/rows.ts';
import { vulnerabilityFlags } from '../../domain/values.ts';
import type { Household, Need, NeedCommunity, NeedSort, NeedWithHousehold } from './needs.schema.ts';

export type { Need, NeedWithHousehold };

export async function findOpenNeed(db: Queryable, householdId: number, commodityId: number): Promise<Need | undefined> {
  const [row] = await db.query(`SELECT * FROM needs WHERE household_id = $1 AND commodity_id = $2 AND status = 'open' FOR UPDATE`, [householdId, commodityId]);
  return row ? toCamel<Need>(row) : undefined;
}

export const findNeed = (db: Queryable, id: number, lock = false) => findRow<Need>(db, 'needs', id, lock);

export const insertNeed = (db: Queryable, need: Pick<Need, 'householdId' | 'commodityId' | 'quantity' | 'urgency' | 'deadline' | 'sources'> & { confirmed?: boolean }) =>
  insertRow<Need>(db, 'needs', need);

/** A second report merged in: the quantity grows to the larger one, the rest as the caller decided; the community's report confirms it. */
export async function mergeReport(db: Queryable, id: number, merged: Pick<Need, 'quantity' | 'urgency' | 'deadline' | 'sources'>): Promise<Need> {
  const [row] = await db.query(
    `UPDATE needs SET quantity = GREATEST(quantity, $2), urgency = $3, deadline = $4, sources = $5, confirmed = true, version = version + 1, updated_at = now()
     WHERE id = $1 RETURNING *`,
    [id, merged.quantity, merged.urgency, merged.deadline, merged.sources],
  );
  return toCamel<Need>(row!);
}

/** An edit: absent fields stay; a deadline given as null clears it. */
export async function updateNeed(
  db: Queryable,
  id: number,
  patch: { quantity?: number; urgency?: Need['urgency']; deadline?: string | null; status?: Need['status'] },
): Promise<Need> {
  const [row] = await db.query(
    `UPDATE needs SET quantity = COALESCE($2, quantity), urgency = COALESCE($3, urgency),
       deadline = CASE WHEN $4::boolean THEN $5::date ELSE deadline END, status = COALESCE($6, status),
       version = version + 1, updated_at = now()
     WHERE id = $1 RETURNING *`,
    [id, patch.quantity ?? null, patch.urgency ?? null, patch.deadline !== undefined, patch.deadline ?? null, patch.status ?? null],
  );
  return toCamel<Need>(row!);
}

/**
 * A resident asks for `quantity` of an open need: a larger quantity than it has waits in `requested` for a
 * community worker (the quantity, maybe a worker's correction, stays); a smaller or equal one is covered already.
 * The version stays too: a plan made before still holds.
 */
export async function askMore(db: Queryable, id: number, quantity: number, source: string): Promise<Need> {
  const [row] = await db.query(
    `UPDATE needs SET requested = CASE WHEN $2 > quantity THEN GREATEST(coalesce(requested, 0), $2) ELSE requested END,
       sources = CASE WHEN $3 = ANY(sources) THEN sources ELSE array_append(sources, $3) END, updated_at = now()
     WHERE id = $1 RETURNING *`,
    [id, quantity, source],
  );
  return toCamel<Need>(row!);
}

/** A community worker's answer to what a resident asked: confirmed, the need counts in plans with the larger quantity asked. */
export async function confirmAsk(db: Queryable, id: number): Promise<Need> {
  const [row] = await db.query(
    `UPDATE needs SET confirmed = true, quantity = GREATEST(quantity, coalesce(requested, 0)), requested = NULL, version = version + 1, updated_at = now()
     WHERE id = $1 RETURNING *`,
    [id],
  );
  return toCamel<Need>(row!);
}

/** Declined: the larger quantity asked is dropped, and a need only a resident asked for is cancelled. */
export async function declineAsk(db: Queryable, id: number): Promise<Need> {
  const [row] = await db.query(
    `UPDATE needs SET requested = NULL, status = CASE WHEN confirmed THEN status ELSE 'cancelled' END, version = version + 1, updated_at = now()
     WHERE id = $1 RETURNING *`,
    [id],
  );
  return toCamel<Need>(row!);
}

/** An urgent medical need a community worker confirmed: critical from now on. */
export async function markCritical(db: Queryable, id: number): Promise<Need> {
  const [row] = await db.query(`UPDATE needs SET urgency = 'critical', version = version + 1, updated_at = now() WHERE id = $1 RETURNING *`, [id]);
  return toCamel<Need>(row!);
}

/** Open needs with something a resident asked for that waits for a community worker, in these communities (null: all). */
export async function awaitingConfirmation(db: Queryable, communities: readonly string[] | null) {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT n.id, n.household_id, h.name AS household_name, h.address, h.phone, h.community, c.name AS commodity, c.unit,
            n.quantity, n.requested, n.confirmed, n.urgency, n.version, n.updated_at
     FROM needs n JOIN households h ON h.id = n.household_id JOIN commodities c ON c.id = n.commodity_id
     WHERE n.status = 'open' AND (NOT n.confirmed OR n.requested IS NOT NULL) AND ($1::text[] IS NULL OR h.community = ANY($1))
     ORDER BY n.updated_at, n.id`,
    [communities],
  );
  return rows.map((r) => toCamel<AwaitingAsk>(r));
}

/** What a community worker's queue shows of a household's item: who to contact, and what. */
export interface QueuedItem {
  householdId: number;
  householdName: string;
  address: string;
  phone: string | null;
  community: string;
  commodity: string;
  unit: string;
  quantity: number;
}

export interface AwaitingAsk extends QueuedItem {
  id: number;
  requested: number | null;
  confirmed: boolean;
  urgency: Need['urgency'];
  version: number;
  updatedAt: string;
}

/**
 * Locks these needs until the transaction ends and returns those no longer open at the version given (or gone).
 * Compared in the database: a district plan's 447,895 needs read back as rows took 30 s on PGlite, most of it
 * handing the rows over.
 */
export async function lockNeedsChangedSince(db: Queryable, versions: { ids: number[]; versions: number[] }): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `SELECT s.id FROM unnest($1::int[], $2::int[]) AS s(id, version)
     LEFT JOIN (SELECT id, version, status FROM needs WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE) n ON n.id = s.id
     WHERE n.id IS NULL OR n.version <> s.version OR n.status <> 'open'
     ORDER BY s.id`,
    [versions.ids, versions.versions],
  );
  return rows.map((r) => r.id);
}

/** The vulnerability flags as the households table (and so the rows read here) spells them: elderly_alone. */
const flagColumns = vulnerabilityFlags.map(columnName);

/** The flags a row read with its household's flags has set, named as the solver's tier policy names them. */
export const flagsOf = (row: object): string[] => flagColumns.filter((flag) => (row as Record<string, unknown>)[flag] === true);

/**
 * The needs not cancelled, counted by what was asked and delivered and by their household's flags: the
 * dashboard's fill rates and equity. A district's half a million needs fall into a few thousand such groups,
 * which the database keeps counted as they change (need_tally, 037): the read sums that ledger's rows.
 */
export async function needTally(db: Queryable) {
  return db.query<{ quantity: number; fulfilled: number; urgency: Need['urgency']; needs: number; elderly_alone: boolean; chronic_illness: boolean; disabled: boolean; pregnant: boolean; infant: boolean }>(
    `SELECT quantity, fulfilled, urgency, elderly_alone, chronic_illness, disabled, pregnant, infant, sum(needs)::int AS needs
     FROM need_tally GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(needs) <> 0`,
  );
}

/** Folds the ledgers the dashboard and the need sheet count needs by (need_tally, need_counts) into one row per group (the pruner runs it hourly); the rows left in each. */
export async function foldNeedTallies(db: Queryable): Promise<{ tally: number; counts: number }> {
  const [row] = await db.query<{ tally: number; counts: number }>('SELECT need_tally_fold() AS tally, need_counts_fold() AS counts');
  return row!;
}

/** An open need as the optimizer sees it, with its household's place and flags (snake_case, as read). */
export interface OpenNeedRow {
  id: number;
  commodity_id: number;
  remaining: number;
  urgency: Need['urgency'];
  deadline: string | null;
  version: number;
  days_waiting: number;
  lat: number;
  lon: number;
  zone_id: number | null;
  /** The first gate of the household's zone when that zone is sealed (null when it is not). */
  gate_lat: number | null;
  gate_lon: number | null;
  elderly_alone: boolean;
  chronic_illness: boolean;
  disabled: boolean;
  pregnant: boolean;
  infant: boolean;
}

const openNeedColumns: readonly (keyof OpenNeedRow)[] = ['id', 'commodity_id', 'urgency', 'deadline', 'version', 'days_waiting', 'remaining', 'lat', 'lon', 'zone_id', 'gate_lat', 'gate_lon', ...(flagColumns as (keyof OpenNeedRow)[])];

/**
 * What is still to deliver for each open need of these commodities (null: all): asked − fulfilled − committed,
 * where committed is what approved plans reserved for it and that is neither released, delivered nor returned yet.
 * A plan's input: a district has hundreds of thousands, read as column arrays (PGlite builds each returned row in
 * JavaScript), and a sealed zone's first gate is joined once per zone rather than looked up need by need. 447,895
 * needs at 200,000 households, load ~8: 23.3 s as rows with a gate lookup each (through 043's index), 7.7 s so.
 */
export async function openNeedsToDeliver(db: Queryable, commodityIds: number[] | null): Promise<OpenNeedRow[]> {
  return selectColumns<OpenNeedRow>(
    db,
    openNeedColumns,
    `SELECT n.id, n.commodity_id, n.urgency, n.deadline, n.version,
            floor(extract(epoch FROM now() - n.created_at) / 86400)::int AS days_waiting,
            n.quantity - n.fulfilled - coalesce(c.committed, 0) AS remaining,
            h.lat, h.lon, h.zone_id, h.elderly_alone, h.chronic_illness, h.disabled, h.pregnant, h.infant,
            g.lat AS gate_lat, g.lon AS gate_lon
     FROM needs n
     JOIN households h ON h.id = n.household_id
     LEFT JOIN zones z ON z.id = h.zone_id
     LEFT JOIN (SELECT DISTINCT ON (zone_id) zone_id, lat, lon FROM gates ORDER BY zone_id, id) g ON z.status = 'sealed' AND g.zone_id = z.id
     LEFT JOIN (
       SELECT need_id, sum(CASE kind WHEN 'reserved' THEN quantity WHEN 'released' THEN -quantity WHEN 'delivered' THEN -quantity WHEN 'returned' THEN -quantity ELSE 0 END) AS committed
       FROM stock_movements WHERE need_id IS NOT NULL GROUP BY need_id
     ) c ON c.need_id = n.id
     WHERE n.status = 'open' AND n.confirmed AND ($1::int[] IS NULL OR n.commodity_id = ANY($1::int[]))`,
    [commodityIds],
  );
}

export interface NeedFilter extends Paging<NeedSort> {
  community?: string;
  status?: string;
  urgency?: string;
  commodityId?: number;
  householdId?: number;
  zoneId?: number;
  q?: string;
  /** Only these communities (a community worker's); null or absent: every one. */
  communities?: readonly string[] | null;
}

/** The column each sort of the need sheet orders by. */
const needOrder: Record<NeedSort, string> = {
  id: 'n.id',
  household: 'n.household_id',
  name: 'h.name',
  address: 'h.address',
  community: 'h.community',
  people: 'h.people',
  commodityId: 'n.commodity_id',
  quantity: 'n.quantity',
  urgency: `array_position(ARRAY['critical', 'high', 'normal', 'low']::text[], n.urgency::text)`,
  deadline: 'n.deadline',
  status: 'n.status',
  fulfilled: 'n.fulfilled',
  updatedAt: 'n.updated_at',
};

/** `%`, `_` and `\` in a search are the user's characters, not patterns. */
const likeWords = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listNeeds(db: Queryable, f: NeedFilter): Promise<Page<NeedWithHousehold>> {
  const where = `WHERE ($1::text IS NULL OR h.community = $1) AND ($2::text IS NULL OR n.status = $2)
    AND ($3::int IS NULL OR n.commodity_id = $3) AND ($4::int IS NULL OR n.household_id = $4) AND ($5::int IS NULL OR h.zone_id = $5)
    AND ($6::text[] IS NULL OR h.community = ANY($6)) AND ($7::text IS NULL OR n.urgency = $7)
    AND ($8::text IS NULL OR h.name ILIKE $8 OR h.address ILIKE $8 OR h.phone ILIKE $8)`;
  const params: unknown[] = [f.community ?? null, f.status ?? null, f.commodityId ?? null, f.householdId ?? null, f.zoneId ?? null, f.communities ?? null, f.urgency ?? null, f.q ? likeWords(f.q) : null];
  const total = await countNeeds(db, f, where, params);
  // The page's ids first (a narrow sort over the index), then their rows as JSON: only one page is built.
  const rows = await db.query<{ need: Record<string, unknown>; household: Record<string, unknown> }>(
    `SELECT to_jsonb(n) AS need, to_jsonb(h) - 'address_key' - 'phone_key' AS household
     FROM unnest(ARRAY(
       SELECT n.id FROM needs n JOIN households h ON h.id = n.household_id ${where} ${orderBy(f.sort, needOrder, 'n.id')} ${limitOffset(params, f)}
     )) WITH ORDINALITY AS page(id, at)
     JOIN needs n ON n.id = page.id JOIN households h ON h.id = n.household_id ORDER BY page.at`,
    params,
  );
  const items = rows.map((r) => ({ ...toCamel<Need>(r.need), household: toCamel<Household>(r.household) }));
  return { items, total, limit: f.limit, offset: f.offset };
}

/**
 * How many needs the filter lists: summed from the ledger the database keeps by community, status, commodity
 * and urgency (need_counts, 038) when the filter is of those alone, else counted (a household, a zone or a
 * search narrows the needs to a few through their indexes).
 */
async function countNeeds(db: Queryable, f: NeedFilter, where: string, params: unknown[]): Promise<number> {
  if (f.householdId !== undefined || f.zoneId !== undefined || f.q) {
    return (await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM needs n JOIN households h ON h.id = n.household_id ${where}`, params))[0]!.total;
  }
  const [row] = await db.query<{ total: number }>(
    `SELECT coalesce(sum(needs), 0)::int AS total FROM need_counts
     WHERE ($1::text IS NULL OR community = $1) AND ($2::text IS NULL OR status = $2) AND ($3::int IS NULL OR commodity_id = $3)
       AND ($4::text[] IS NULL OR community = ANY($4)) AND ($5::text IS NULL OR urgency = $5)`,
    [f.community ?? null, f.status ?? null, f.commodityId ?? null, f.communities ?? null, f.urgency ?? null],
  );
  return row!.total;
}

/**
 * The communities of households (only these, when given), each with its open needs' count: one row per
 * community. At district scale, grouping every household with its needs took 0.9–1.4 s; the communities are
 * walked down their index instead (one probe each, as a skip scan) and the open needs summed from need_counts.
 */
export async function needCommunities(db: Queryable, communities: readonly string[] | null): Promise<NeedCommunity[]> {
  return db.query<NeedCommunity>(
    `WITH RECURSIVE walk AS (
       (SELECT community FROM households ORDER BY community LIMIT 1)
       UNION ALL
       SELECT (SELECT h.community FROM households h WHERE h.community > w.community ORDER BY h.community LIMIT 1) FROM walk w WHERE w.community IS NOT NULL
     ), open AS (
       SELECT community, sum(needs) AS needs FROM need_counts WHERE status = 'open' AND ($1::text[] IS NULL OR community = ANY($1)) GROUP BY community
     )
     SELECT w.community AS name, coalesce(o.needs, 0)::int AS "openNeeds" FROM walk w LEFT JOIN open o USING (community)
     WHERE w.community IS NOT NULL AND ($1::text[] IS NULL OR w.community = ANY($1))`,
    [communities],
  );
}

/** Counts goods handed over towards a need (never past what it asks for); the need is fulfilled once they cover it. */
export async function addDelivered(tx: Queryable, needId: number, quantity: number): Promise<Need & { community: string }> {
  const [row] = await tx.query(
    `UPDATE needs n SET fulfilled = LEAST(n.quantity, n.fulfilled + $2), status = CASE WHEN n.fulfilled + $2 >= n.quantity THEN 'fulfilled' ELSE n.status END,
       version = n.version + 1, updated_at = now()
     FROM households h WHERE n.id = $1 AND h.id = n.household_id RETURNING n.*, h.community`,
    [needId, quantity],
  );
  return toCamel<Need & { community: string }>(row!);
}

type NewNeedRow = Pick<Need, 'householdId' | 'commodityId' | 'quantity' | 'urgency' | 'deadline' | 'sources'> & { version?: number };

/** Many needs in a few statements; their ids and versions, in order. */
/**
 * The statement (for a WITH clause) that writes the first need of each household in `households` (a relation with
 * the household's id and its report's commodity_id, quantity, urgency, deadline and source).
 */
export const firstNeedsOf = (households: string) =>
  `INSERT INTO needs (household_id, commodity_id, quantity, urgency, deadline, sources)
   SELECT id, commodity_id, quantity, urgency, deadline, ARRAY[source] FROM ${households}
   RETURNING *`;

export const insertNeeds = (db: Queryable, needs: NewNeedRow[]) => insertRows<{ id: number; version: number }>(db, 'needs', needs, 'id, version');

/** The open needs of these households, locked for merging unless `lock` is false: what a batch of an import may merge into. */
export async function lockOpenNeedsOf(db: Queryable, householdIds: number[], lock = true): Promise<Need[]> {
  const rows = await db.query(`SELECT * FROM needs WHERE household_id = ANY($1::int[]) AND status = 'open' ORDER BY id${lock ? ' FOR UPDATE' : ''}`, [householdIds]);
  return rows.map((r) => toCamel<Need>(r));
}

/** Merged reports written to many needs at once (values as mergedNeed decided), each version moved on by `bumps`. */
export async function mergeReports(db: Queryable, merges: (Pick<Need, 'id' | 'quantity' | 'urgency' | 'deadline' | 'sources'> & { bumps: number })[]): Promise<void> {
  if (merges.length === 0) return;
  await db.query(
    `UPDATE needs n SET quantity = v.quantity, urgency = v.urgency, deadline = v.deadline, sources = v.sources, version = n.version + v.bumps, updated_at = now()
     FROM jsonb_to_recordset($1::jsonb) AS v(id int, quantity int, urgency text, deadline date, sources text[], bumps int)
     WHERE n.id = v.id`,
    [JSON.stringify(merges)],
  );
}
