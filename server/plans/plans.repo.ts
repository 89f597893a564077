// SQL for allocation plans and their allocations: the only module that reads or writes plans and plan_allocations.
import type { Queryable } from '../db/database.ts';
import { listRows, toCamel } from '../db/rows.ts';
import type { Plan as SolverPlan } from '../../solver/allocation/problem.ts';
import type { Snapshot } from './plan-inputs.ts';
import type { PlanAllocation, PlanRecord } from './plans.service.ts';
import type { NewPlan } from './plans.schema.ts';

type StoredPlan = PlanRecord & { snapshot: unknown };

export async function insertPlan(db: Queryable, request: NewPlan, createdBy: number): Promise<number> {
  const [row] = await db.query<{ id: number }>('INSERT INTO plans (request, created_by) VALUES ($1, $2) RETURNING id', [JSON.stringify(request), createdBy]);
  return row!.id;
}

/** Marks failed the plans still solving after a while: their solve stopped with the server that ran it. */
export async function failInterrupted(db: Queryable): Promise<void> {
  await db.query(`UPDATE plans SET status = 'failed', error = 'interrupted by a server restart; run it again' WHERE status = 'solving' AND created_at < now() - interval '10 minutes'`);
}

export async function markFailed(db: Queryable, id: number, error: string): Promise<void> {
  await db.query(`UPDATE plans SET status = 'failed', error = $2 WHERE id = $1`, [id, error]);
}

export async function saveProgress(db: Queryable, id: number, progress: { stage: string; fraction: number }): Promise<void> {
  await db.query('UPDATE plans SET progress = $2 WHERE id = $1', [id, JSON.stringify(progress)]);
}

/** Stores a solved plan: its allocations, its result and the snapshot approval compares against. */
export async function saveSolved(db: Queryable, id: number, allocations: SolverPlan['allocations'], result: object, snapshot: Snapshot): Promise<void> {
  for (const a of allocations) {
    await db.query(
      `INSERT INTO plan_allocations (plan_id, need_id, lot_id, warehouse_id, commodity_id, quantity, travel_time_s) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, Number(a.needId), Number(a.lotId), Number(a.warehouseId), Number(a.commodityId), a.quantity, Number.isFinite(a.travelTimeS) ? a.travelTimeS : null],
    );
  }
  await db.query(
    `UPDATE plans SET status = 'ready', result = $2, snapshot = $3, solved_at = now(), progress = '{"stage": "done", "fraction": 1}' WHERE id = $1`,
    [id, JSON.stringify(result), JSON.stringify(snapshot)],
  );
}

export async function findPlan(db: Queryable, id: number, lock = false): Promise<StoredPlan | undefined> {
  const [row] = await db.query(`SELECT * FROM plans WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return row && toCamel<StoredPlan>(row);
}

export async function allocationsOf(db: Queryable, planId: number): Promise<PlanAllocation[]> {
  const rows = await db.query('SELECT need_id, lot_id, warehouse_id, commodity_id, quantity, travel_time_s FROM plan_allocations WHERE plan_id = $1 ORDER BY id', [planId]);
  return rows.map((r) => toCamel<PlanAllocation>(r));
}

/** What approval reserves, lot by lot (the order every approval locks lots in). */
export async function allocationsToReserve(db: Queryable, planId: number): Promise<{ needId: number; lotId: number; quantity: number }[]> {
  const rows = await db.query('SELECT need_id, lot_id, quantity FROM plan_allocations WHERE plan_id = $1 ORDER BY lot_id, id', [planId]);
  return rows.map((r) => toCamel<{ needId: number; lotId: number; quantity: number }>(r));
}

/** The warehouses a plan draws from: its allocations' and those of the goods on its routes (a read across the dispatch tables). */
export async function warehousesOfPlan(db: Queryable, id: number): Promise<number[]> {
  const rows = await db.query<{ warehouse_id: number }>(
    `SELECT warehouse_id FROM plan_allocations WHERE plan_id = $1
     UNION SELECT l.warehouse_id FROM routes r JOIN stops s ON s.route_id = r.id JOIN stop_items si ON si.stop_id = s.id JOIN lots l ON l.id = si.lot_id WHERE r.plan_id = $1
     ORDER BY warehouse_id`,
    [id],
  );
  return rows.map((r) => r.warehouse_id);
}

export const listPlans = (db: Queryable, query: { status?: string; limit: number; offset: number }) => listRows<StoredPlan>(db, 'plans', { status: query.status }, query);

/** Plans with a result, oldest first: the dashboard's fill rates over time. */
export async function solvedPlans(db: Queryable) {
  return db.query<{ id: number; solved_at: string; result: { metrics: { tiers: { tier: number; fillRate: number }[]; giniOfFulfilment: number } } }>(
    `SELECT id, solved_at, result FROM plans WHERE result IS NOT NULL ORDER BY id`,
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
