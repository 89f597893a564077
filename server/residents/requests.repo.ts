// SQL for what residents asked for (resident_requests): one row per household, commodity and day, with an
// urgent medical flag waiting for a community worker. Only this module reads or writes the table.
import type { Queryable } from '../db/database.ts';
import { toCamel } from '../db/rows.ts';
import type { QueuedItem } from '../needs/needs.repo.ts';

export type UrgentState = 'pending' | 'confirmed' | 'declined';

/** Serialises residents' requests for one commodity until the transaction ends (the day's limit is a sum over households). */
export async function lockCommodityDay(tx: Queryable, commodityId: number): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('resident-requests'), $1)`, [commodityId]);
}

/** What all households together asked for today of these commodities, leaving one household out (its own row is replaced). */
export async function askedToday(db: Queryable, commodityIds: number[], exceptHouseholdId: number | null): Promise<Map<number, number>> {
  const rows = await db.query<{ commodity_id: number; asked: number }>(
    `SELECT commodity_id, sum(quantity)::int AS asked FROM resident_requests
     WHERE commodity_id = ANY($1::int[]) AND asked_on = current_date AND household_id IS DISTINCT FROM $2 GROUP BY commodity_id`,
    [commodityIds, exceptHouseholdId],
  );
  return new Map(rows.map((r) => [r.commodity_id, r.asked]));
}

/** The household's request of that commodity today, if any. */
export async function todaysRequest(db: Queryable, householdId: number, commodityId: number): Promise<{ quantity: number } | undefined> {
  const [row] = await db.query<{ quantity: number }>('SELECT quantity FROM resident_requests WHERE household_id = $1 AND commodity_id = $2 AND asked_on = current_date', [householdId, commodityId]);
  return row;
}

/** Records today's request (the larger quantity if asked twice today); an urgent flag is raised once and then waits for a worker. */
export async function recordRequest(tx: Queryable, r: { householdId: number; commodityId: number; needId: number; quantity: number; urgent: boolean }): Promise<void> {
  await tx.query(
    `INSERT INTO resident_requests (household_id, commodity_id, need_id, quantity, urgent) VALUES ($1, $2, $3, $4, CASE WHEN $5 THEN 'pending' END)
     ON CONFLICT (household_id, commodity_id, asked_on) DO UPDATE SET quantity = GREATEST(resident_requests.quantity, EXCLUDED.quantity), need_id = EXCLUDED.need_id,
       urgent = coalesce(resident_requests.urgent, EXCLUDED.urgent), updated_at = now()`,
    [r.householdId, r.commodityId, r.needId, r.quantity, r.urgent],
  );
}

/** The urgent flag standing on each of these needs (the latest raised). */
export async function urgentFlags(db: Queryable, needIds: number[]): Promise<Map<number, UrgentState>> {
  const rows = await db.query<{ need_id: number; urgent: UrgentState }>(
    `SELECT DISTINCT ON (need_id) need_id, urgent FROM resident_requests WHERE need_id = ANY($1::int[]) AND urgent IS NOT NULL ORDER BY need_id, id DESC`,
    [needIds],
  );
  return new Map(rows.map((r) => [r.need_id, r.urgent]));
}

export interface PendingUrgent extends QueuedItem {
  id: number;
  needId: number;
  createdAt: string;
}

/** Urgent medical flags waiting for a community worker, in these communities (null: all). */
export async function pendingUrgent(db: Queryable, communities: readonly string[] | null): Promise<PendingUrgent[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT r.id, r.need_id, r.household_id, h.name AS household_name, h.address, h.phone, h.community, c.name AS commodity, c.unit, r.quantity, r.created_at
     FROM resident_requests r JOIN households h ON h.id = r.household_id JOIN commodities c ON c.id = r.commodity_id
     WHERE r.urgent = 'pending' AND ($1::text[] IS NULL OR h.community = ANY($1)) ORDER BY r.created_at, r.id`,
    [communities],
  );
  return rows.map((r) => toCamel<PendingUrgent>(r));
}

/** One urgent flag, locked, with the community of its household as stored. */
export async function lockUrgent(tx: Queryable, id: number): Promise<{ id: number; needId: number; urgent: UrgentState | null; community: string } | undefined> {
  const [row] = await tx.query<Record<string, unknown>>(
    `SELECT r.id, r.need_id, r.urgent, h.community FROM resident_requests r JOIN households h ON h.id = r.household_id WHERE r.id = $1 FOR UPDATE OF r`,
    [id],
  );
  return row && toCamel(row);
}

export async function setUrgent(tx: Queryable, id: number, state: UrgentState): Promise<void> {
  await tx.query('UPDATE resident_requests SET urgent = $2, updated_at = now() WHERE id = $1', [id, state]);
}
