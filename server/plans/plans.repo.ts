// SQL for allocation plans and their allocations: the only module that writes plans and plan_allocations.
// Other nouns read a plan through the plans service, or join these tables read-only into a view of their own.
import type { Queryable } from '../db/database.ts';
import { insertColumns, limitOffset, listRows, orderBy, selectColumns, toCamel, type Page, type Paging } from '../db/rows.ts';
import type { Plan as SolverPlan } from '../../solver/allocation/problem.ts';
import type { Snapshot } from './plan-inputs.ts';
import type { PlanAllocation, PlanRecord } from './plans.service.ts';
import type { NewPlan, PlanStatus } from './plans.schema.ts';

type StoredPlan = PlanRecord & { snapshot: unknown };

/** A plan's own columns but its two large documents (the snapshot and the result). */
const PLAN_COLUMNS = 'id, status, request, progress, error, created_by, created_at, solved_at, approved_by, approved_at, dispatched_at';

export async function insertPlan(db: Queryable, request: NewPlan, createdBy: number): Promise<number> {
  const [row] = await db.query<{ id: number }>('INSERT INTO plans (request, created_by) VALUES ($1, $2) RETURNING id', [JSON.stringify(request), createdBy]);
  return row!.id;
}

export async function markFailed(db: Queryable, id: number, error: string): Promise<void> {
  await db.query(`UPDATE plans SET status = 'failed', error = $2 WHERE id = $1`, [id, error]);
}

export async function saveProgress(db: Queryable, id: number, progress: { stage: string; fraction: number }): Promise<void> {
  await db.query('UPDATE plans SET progress = $2 WHERE id = $1', [id, JSON.stringify(progress)]);
}

/** A plan's per-need lists, each entry naming its need: stored as rows (migration 034), not inside the result. */
export interface PlanLists {
  unmet: readonly { needId: string }[];
  fulfilment: readonly { needId: string }[];
}

/** Stores a solved plan: its allocations, its result (its lists as rows) and the snapshot approval compares against. */
export async function saveSolved(db: Queryable, id: number, allocations: SolverPlan['allocations'], result: PlanLists & object, snapshot: Snapshot): Promise<void> {
  // A district's plan has hundreds of thousands of lines: one statement each list (its columns as arrays), not a
  // round trip each, nor a long VALUES list to parse.
  const rows = allocations.map((a) => ({ planId: id, needId: Number(a.needId), lotId: Number(a.lotId), warehouseId: Number(a.warehouseId), commodityId: Number(a.commodityId), quantity: a.quantity, travelTimeS: Number.isFinite(a.travelTimeS) ? a.travelTimeS : null }));
  await insertColumns(db, 'plan_allocations', { planId: 'int', needId: 'int', lotId: 'int', warehouseId: 'int', commodityId: 'int', quantity: 'int', travelTimeS: 'float8' }, rows);
  const { unmet, fulfilment, ...rest } = result;
  await insertEntries(db, 'plan_unmet', id, unmet);
  await insertEntries(db, 'plan_fulfilment', id, fulfilment);
  await db.query(
    `UPDATE plans SET status = 'ready', result = $2, metrics = $2::jsonb->'metrics', snapshot = $3, solved_at = now(), progress = '{"stage": "done", "fraction": 1}' WHERE id = $1`,
    [id, JSON.stringify(rest), JSON.stringify(snapshot)],
  );
}

/**
 * Entries per statement of a per-need list: a list sent whole as one JSON text ran PGlite out of memory once a
 * district's plan had ~650,000 needs (the text, its jsonb and the rows built from it, all at once).
 */
export const ENTRIES_PER_STATEMENT = 20_000;

/**
 * A per-need list as rows: each entry at its place in the list, under its need. Sent as JSON texts of
 * ENTRIES_PER_STATEMENT entries and split by the database: as an array of jsonb values, each entry was escaped
 * into PostgreSQL's array syntax, then parsed out of it and into jsonb one by one.
 */
export async function insertEntries(db: Queryable, table: 'plan_unmet' | 'plan_fulfilment', planId: number, entries: readonly { needId: string }[], perStatement = ENTRIES_PER_STATEMENT): Promise<void> {
  for (let from = 0; from < entries.length; from += perStatement) {
    await db.query(
      `INSERT INTO ${table} (plan_id, ord, need_id, entry)
       SELECT $1, $3::int + e.ord - 1, (e.entry->>'needId')::int, e.entry FROM jsonb_array_elements($2::text::jsonb) WITH ORDINALITY AS e(entry, ord)`,
      [planId, JSON.stringify(entries.slice(from, from + perStatement)), from],
    );
  }
}

export async function findPlan(db: Queryable, id: number, lock = false): Promise<StoredPlan | undefined> {
  const [row] = await db.query(`SELECT * FROM plans WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return row && toCamel<StoredPlan>(row);
}

/** One plan with one window of its per-need lists (unmet needs, fulfilment) and those lists' lengths. */
export async function findPlanWindow(db: Queryable, id: number, window: { offset: number; limit: number }): Promise<(PlanRecord & { unmetCount: number; fulfilmentCount: number }) | undefined> {
  const slice = (table: string) => `(SELECT coalesce(jsonb_agg(entry ORDER BY ord), '[]'::jsonb) FROM ${table} WHERE plan_id = $1 AND ord >= $2::int AND ord < $2::int + $3::int)`;
  const count = (table: string) => `(SELECT count(*)::int FROM ${table} WHERE plan_id = $1)`;
  const [row] = await db.query(
    `SELECT ${PLAN_COLUMNS},
       CASE WHEN result IS NULL THEN NULL ELSE result || jsonb_build_object('unmet', ${slice('plan_unmet')}, 'fulfilment', ${slice('plan_fulfilment')}) END AS result,
       ${count('plan_unmet')} AS unmet_count, ${count('plan_fulfilment')} AS fulfilment_count
     FROM plans WHERE id = $1`,
    [id, window.offset, window.limit],
  );
  return row && toCamel(row);
}

/** A plan's status alone (locked, for a change that depends on it); undefined when there is no such plan. */
export async function planStatus(db: Queryable, id: number, lock = false): Promise<PlanStatus | undefined> {
  const [plan] = await db.query<{ status: PlanStatus }>(`SELECT status FROM plans WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return plan?.status;
}

/** The sealed zone whose gate serves each need (by id) that the plan sends through one. */
export async function viaGateOf(db: Queryable, id: number): Promise<Record<string, number>> {
  const [plan] = await db.query<{ via_gate: Record<string, number> | null }>(`SELECT result->'viaGate' AS via_gate FROM plans WHERE id = $1`, [id]);
  return plan?.via_gate ?? {};
}

/** One page of a plan's allocations. */
export async function allocationPage(db: Queryable, planId: number, paging: Paging<'id' | 'needId' | 'warehouseId'>): Promise<Page<PlanAllocation>> {
  const params: unknown[] = [planId];
  const [{ total }] = (await db.query<{ total: number }>('SELECT count(*)::int AS total FROM plan_allocations WHERE plan_id = $1', params)) as [{ total: number }];
  const rows = await db.query(
    `SELECT need_id, lot_id, warehouse_id, commodity_id, quantity, travel_time_s FROM plan_allocations WHERE plan_id = $1
     ${orderBy(paging.sort, { id: 'id', needId: 'need_id', warehouseId: 'warehouse_id' })} ${limitOffset(params, paging)}`,
    params,
  );
  return { items: rows.map((r) => toCamel<PlanAllocation>(r)), total, limit: paging.limit, offset: paging.offset };
}

/** What approval reserves, lot by lot (the order every approval locks lots in); a district plan's 150,000 read as columns. */
export async function allocationsToReserve(db: Queryable, planId: number): Promise<{ needId: number; lotId: number; quantity: number }[]> {
  return selectColumns(db, ['needId', 'lotId', 'quantity'], 'SELECT need_id, lot_id, quantity FROM plan_allocations WHERE plan_id = $1 ORDER BY lot_id, id', [planId]);
}

/** The warehouses a plan's allocations draw from. */
export async function warehousesOfAllocations(db: Queryable, id: number): Promise<number[]> {
  const rows = await db.query<{ warehouse_id: number }>('SELECT DISTINCT warehouse_id FROM plan_allocations WHERE plan_id = $1 ORDER BY warehouse_id', [id]);
  return rows.map((r) => r.warehouse_id);
}

/**
 * Plans with their figures, without what only one plan's page needs: a district plan's snapshot and result
 * hold every lot and need (tens of megabytes), which a list would read and send for nothing.
 */
const PLAN_SUMMARY = `${PLAN_COLUMNS}, CASE WHEN metrics IS NULL THEN NULL ELSE jsonb_build_object('metrics', metrics) END AS result`;

export const listPlans = (db: Queryable, query: Paging & { status?: string }) => listRows<StoredPlan>(db, 'plans', { status: query.status }, query, undefined, PLAN_SUMMARY);

/** Plans with a result, oldest first: the dashboard's fill rates over time. */
export async function solvedPlans(db: Queryable) {
  // Only the figures: a district plan's result holds every need's fulfilment (megabytes).
  return db.query<{ id: number; solved_at: string; result: { metrics: { tiers: { tier: number; fillRate: number }[]; giniOfFulfilment: number; overallFillRate: number } } }>(
    `SELECT id, solved_at, jsonb_build_object('metrics', metrics) AS result FROM plans WHERE metrics IS NOT NULL ORDER BY id`,
  );
}

/** Approved plans, not yet dispatched, with an allocation of this lot, locked. */
export async function approvedPlansUsing(tx: Queryable, lotId: number): Promise<number[]> {
  const rows = await tx.query<{ id: number }>(
    `SELECT id FROM plans WHERE status = 'approved' AND id IN (SELECT plan_id FROM plan_allocations WHERE lot_id = $1) ORDER BY id FOR UPDATE`,
    [lotId],
  );
  return rows.map((r) => r.id);
}

export async function markStale(db: Queryable, id: number): Promise<void> {
  await db.query(`UPDATE plans SET status = 'stale' WHERE id = $1`, [id]);
}

export async function markApproved(db: Queryable, id: number, by: number): Promise<void> {
  await db.query(`UPDATE plans SET status = 'approved', approved_by = $2, approved_at = now() WHERE id = $1`, [id, by]);
}

/** An approved plan whose routes have gone out to drivers and gate volunteers. */
export async function markDispatched(tx: Queryable, id: number): Promise<void> {
  await tx.query(`UPDATE plans SET status = 'dispatched', dispatched_at = now() WHERE id = $1`, [id]);
}
