// Allocation plans: built off the request thread from a snapshot of stock and needs, reviewed with
// every unmet need explained, and approved in one transaction that reserves the stock — or refused
// with 409 when stock or needs changed since the plan was made.
import type { Db, Queryable } from '../db/database.ts';
import { listRows, toCamel, type Page } from '../db/rows.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { audience, type LiveHub, type Notify } from '../live/hub.ts';
import { boardRoom } from '../live/rooms.ts';
import type { RoadMap } from '../network/network.service.ts';
import { recordMovement } from '../stock/stock.service.ts';
import { checkPlan, type WarehouseScope } from '../auth/warehouse-scope.ts';
import { runInWorker } from '../workers/ts-worker.ts';
import type { AllocationProblem, Plan as SolverPlan } from '../../solver/allocation/problem.ts';
import { readPlanInputs, type Snapshot } from './plan-inputs.ts';
import type { NewPlan, PlanStatus } from './plans.schema.ts';

const WORKER = new URL('./allocate.worker.ts', import.meta.url);

export interface PlanAllocation {
  needId: number;
  lotId: number;
  warehouseId: number;
  commodityId: number;
  quantity: number;
  travelTimeS: number | null;
}

export interface PlanRecord {
  id: number;
  status: PlanStatus;
  request: NewPlan;
  progress: { stage: string; fraction: number };
  result: (Omit<SolverPlan, 'allocations'> & { viaGate: Record<string, number> }) | null;
  error: string | null;
  createdBy: number;
  createdAt: string;
  solvedAt: string | null;
  approvedAt: string | null;
  dispatchedAt: string | null;
  allocations?: PlanAllocation[];
  /** The warehouses the plan draws from. */
  warehouseIds?: number[];
}

interface PlanDeps {
  db: Db;
  live: LiveHub;
  roads: RoadMap;
}

/** Solves still running in this process, so that tests and shutdown can wait for them. */
export const solving = new Map<number, Promise<void>>();

export async function createPlan(deps: PlanDeps, request: NewPlan, actorId: number): Promise<PlanRecord> {
  await checkReferences(deps.db, request);
  const [row] = await deps.db.transaction((tx) => tx.query<{ id: number }>('INSERT INTO plans (request, created_by) VALUES ($1, $2) RETURNING id', [JSON.stringify(request), actorId]));
  const id = row!.id;
  const run = solve(deps, id, request).finally(() => solving.delete(id));
  solving.set(id, run);
  return getPlan(deps.db, id);
}

/** Pins and exclusions must name real needs and warehouses (404 naming the field). */
async function checkReferences(db: Queryable, request: NewPlan): Promise<void> {
  for (const [i, commodityId] of (request.commodityIds ?? []).entries()) {
    const [commodity] = await db.query('SELECT id FROM commodities WHERE id = $1', [commodityId]);
    if (!commodity) throw new NotFoundError('commodity', commodityId, `body.commodityIds.${i}`);
  }
  for (const [list, name] of [[request.pins, 'pins'], [request.exclusions, 'exclusions']] as const) {
    for (const [i, arc] of list.entries()) {
      const [need] = await db.query('SELECT id FROM needs WHERE id = $1', [arc.needId]);
      if (!need) throw new NotFoundError('need', arc.needId, `body.${name}.${i}.needId`);
      const [warehouse] = await db.query('SELECT id FROM warehouses WHERE id = $1', [arc.warehouseId]);
      if (!warehouse) throw new NotFoundError('warehouse', arc.warehouseId, `body.${name}.${i}.warehouseId`);
    }
  }
}

/** Solves that were running when a server stopped will never finish: say so instead of spinning forever. */
export async function failInterruptedPlans(db: Db): Promise<void> {
  await db.query(`UPDATE plans SET status = 'failed', error = 'interrupted by a server restart; run it again' WHERE status = 'solving' AND created_at < now() - interval '10 minutes'`);
}

async function solve(deps: PlanDeps, id: number, request: NewPlan): Promise<void> {
  try {
    await progress(deps, id, 'reading stock, needs and roads', 0.1);
    const { problem, snapshot, viaGate } = await readPlanInputs(deps.db, deps.roads, request, Date.now());
    await progress(deps, id, `optimising ${problem.needs.length} needs against ${problem.lots.length} lots`, 0.4);
    const plan = await runInWorker<{ problem: AllocationProblem; options: object }, SolverPlan>(WORKER, {
      problem,
      options: { seed: request.seed, timeLimitMs: request.timeLimitMs, backend: request.backend, wholeUnits: true },
    });
    await progress(deps, id, 'saving', 0.9);
    await saveResult(deps.live, id, { ...plan, viaGate }, snapshot);
  } catch (error) {
    await deps.live.transaction(async (tx, notify) => {
      await tx.query(`UPDATE plans SET status = 'failed', error = $2 WHERE id = $1`, [id, (error as Error).message]);
      await announce(tx, notify, id, 'failed');
    });
  }
}

async function progress(deps: PlanDeps, id: number, stage: string, fraction: number): Promise<void> {
  await deps.db.query('UPDATE plans SET progress = $2 WHERE id = $1', [id, JSON.stringify({ stage, fraction })]);
  deps.live.broadcast(boardRoom, 'plan:progress', { planId: id, stage, fraction });
}

async function saveResult(live: LiveHub, id: number, plan: SolverPlan & { viaGate: Record<string, number> }, snapshot: Snapshot): Promise<void> {
  const { allocations, ...result } = plan;
  await live.transaction(async (tx, notify) => {
    for (const a of allocations) {
      await tx.query(
        `INSERT INTO plan_allocations (plan_id, need_id, lot_id, warehouse_id, commodity_id, quantity, travel_time_s) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, Number(a.needId), Number(a.lotId), Number(a.warehouseId), Number(a.commodityId), a.quantity, Number.isFinite(a.travelTimeS) ? a.travelTimeS : null],
      );
    }
    await tx.query(
      `UPDATE plans SET status = 'ready', result = $2, snapshot = $3, solved_at = now(), progress = '{"stage": "done", "fraction": 1}' WHERE id = $1`,
      [id, JSON.stringify(result), JSON.stringify(snapshot)],
    );
    await announce(tx, notify, id, 'ready');
  });
}

async function announce(tx: Queryable, notify: Notify, planId: number, status: PlanStatus): Promise<void> {
  await notify(await audience.board(tx), 'plan:status', { planId, status });
}

export async function getPlan(db: Queryable, id: number, lock = false): Promise<PlanRecord> {
  const [row] = await db.query(`SELECT * FROM plans WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  if (!row) throw new NotFoundError('plan', id);
  const allocations = (await db.query('SELECT need_id, lot_id, warehouse_id, commodity_id, quantity, travel_time_s FROM plan_allocations WHERE plan_id = $1 ORDER BY id', [id])).map((r) =>
    toCamel<PlanAllocation>(r),
  );
  const { snapshot: _snapshot, ...plan } = toCamel<PlanRecord & { snapshot: unknown }>(row);
  return { ...plan, allocations, warehouseIds: await warehousesOfPlan(db, id) };
}

/** The warehouses a plan draws from: its allocations' and those of the goods on its routes (a re-plan may add some). */
async function warehousesOfPlan(db: Queryable, id: number): Promise<number[]> {
  const rows = await db.query<{ warehouse_id: number }>(
    `SELECT warehouse_id FROM plan_allocations WHERE plan_id = $1
     UNION SELECT l.warehouse_id FROM routes r JOIN stops s ON s.route_id = r.id JOIN stop_items si ON si.stop_id = s.id JOIN lots l ON l.id = si.lot_id WHERE r.plan_id = $1
     ORDER BY warehouse_id`,
    [id],
  );
  return rows.map((r) => r.warehouse_id);
}

/** Approving, dispatching or re-planning a plan needs every warehouse it draws from within the scope (403). */
export async function checkPlanInScope(db: Queryable, id: number, scope: WarehouseScope, action: string): Promise<void> {
  checkPlan(scope, { id, warehouseIds: await warehousesOfPlan(db, id) }, action);
}

export async function listPlans(db: Db, query: { status?: string; limit: number; offset: number }): Promise<Page<Omit<PlanRecord, 'result'>>> {
  const page = await listRows<PlanRecord & { snapshot: unknown }>(db, 'plans', { status: query.status }, query);
  return { ...page, items: page.items.map(({ snapshot: _s, result, ...plan }) => ({ ...plan, metrics: result?.metrics })) };
}

/**
 * Reserves every allocation of a ready plan in one transaction. A plan whose stock or needs changed
 * since it was made is marked stale and refused (409): approving it could promise goods twice.
 */
export async function approvePlan(live: LiveHub, id: number, actorId: number, scope: WarehouseScope): Promise<PlanRecord> {
  const changes = await live.transaction(async (tx, notify) => {
    const [row] = await tx.query<{ status: PlanStatus; snapshot: Snapshot }>('SELECT status, snapshot FROM plans WHERE id = $1 FOR UPDATE', [id]);
    if (!row) throw new NotFoundError('plan', id);
    await checkPlanInScope(tx, id, scope, 'approve');
    if (row.status !== 'ready') throw new ConflictError(`plan ${id} is ${row.status}; only a ready plan can be approved`, { status: row.status });
    const changed = await changesSince(tx, row.snapshot);
    if (changed.length > 0) {
      await tx.query(`UPDATE plans SET status = 'stale' WHERE id = $1`, [id]);
      await announce(tx, notify, id, 'stale');
      return changed;
    }
    const allocations = await tx.query<{ need_id: number; lot_id: number; quantity: number }>('SELECT need_id, lot_id, quantity FROM plan_allocations WHERE plan_id = $1 ORDER BY lot_id, id', [id]);
    for (const a of allocations) {
      await recordMovement(tx, { lotId: a.lot_id, kind: 'reserved', quantity: a.quantity, planId: id, needId: a.need_id, actorId, reason: `plan ${id}` });
    }
    await tx.query(`UPDATE plans SET status = 'approved', approved_by = $2, approved_at = now() WHERE id = $1`, [id, actorId]);
    await announce(tx, notify, id, 'approved');
    return [];
  });
  if (changes.length > 0) {
    throw new ConflictError(`plan ${id} is stale: stock or needs changed since it was made (${changes.slice(0, 5).join('; ')}); make a new plan`, { changes });
  }
  return getPlan(live.db, id);
}

async function changesSince(tx: Queryable, snapshot: Snapshot): Promise<string[]> {
  const lotIds = Object.keys(snapshot.lots).map(Number);
  const needIds = Object.keys(snapshot.needs).map(Number);
  // Lock the lots first so that nothing moves between this check and the reservations.
  const lots = await tx.query<{ id: number; available: number }>('SELECT id, on_hand - reserved AS available FROM lots WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE', [lotIds]);
  const needs = await tx.query<{ id: number; version: number; status: string }>('SELECT id, version, status FROM needs WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE', [needIds]);
  const changes: string[] = [];
  for (const lot of lots) if (snapshot.lots[lot.id] !== lot.available) changes.push(`lot ${lot.id} now has ${lot.available} available, not ${snapshot.lots[lot.id]}`);
  for (const need of needs) if (snapshot.needs[need.id] !== need.version || need.status !== 'open') changes.push(`need ${need.id} changed`);
  return changes;
}

/** An approved plan whose routes have gone out to drivers and gate volunteers. */
export async function markDispatched(tx: Queryable, id: number): Promise<void> {
  await tx.query(`UPDATE plans SET status = 'dispatched', dispatched_at = now() WHERE id = $1`, [id]);
}
