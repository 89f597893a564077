// Allocation plans: built off the request thread from a snapshot of stock and needs, reviewed with
// every unmet need explained, and approved in one transaction that reserves the stock — or refused
// with 409 when stock or needs changed since the plan was made.
import type { Db, Queryable } from '../db/database.ts';
import type { Page, Paging } from '../db/rows.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { audience } from '../auth/audience.ts';
import type { Notify, Outbox } from '../live/outbox.ts';
import type { LiveGateway } from '../live/gateway.ts';
import { boardRoom } from '../live/rooms.ts';
import type { RoadMap } from '../network/network.service.ts';
import { lockAvailable, recordMovements } from '../stock/stock.service.ts';
import { getCommodity } from '../commodities/commodities.service.ts';
import { getWarehouse } from '../warehouses/warehouses.service.ts';
import { findNeed, lockNeedsChangedSince } from '../needs/needs.repo.ts';
import { warehousesOfPlanRoutes } from '../dispatch/dispatch.repo.ts';
import { checkPlan, type WarehouseScope } from '../auth/warehouse-scope.ts';
import { runInWorker } from '../workers/ts-worker.ts';
import type { JobQueue } from '../jobs/jobs.service.ts';
import type { AllocationProblem, Plan as SolverPlan } from '../../solver/allocation/problem.ts';
import { readPlanInputs, type PlanInputs, type Snapshot } from './plan-inputs.ts';
import * as repo from './plans.repo.ts';
import { planPartQuery, type NewPlan, type PlanStatus } from './plans.schema.ts';

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
  /** How many allocations, unmet needs and fulfilment rows the plan has in all, and which window of them this answer holds. */
  pages?: { allocations: number; unmet: number; fulfilment: number; limit: number; offset: number };
  /** The warehouses the plan draws from. */
  warehouseIds?: number[];
}

interface PlanDeps {
  db: Db;
  outbox: Outbox;
  live: LiveGateway;
  roads: RoadMap;
  jobs: JobQueue;
}

/** Plans being solved, by id: settle when the plan's job does (tests and scripts wait on them). */
export const solving = new Map<number, Promise<void>>();

/** Stores the plan and queues its solve as a job in the same transaction; answers at once (202) with the job's id. */
export async function createPlan(deps: PlanDeps, request: NewPlan, actorId: number): Promise<PlanRecord & { jobId: string }> {
  await checkReferences(deps.db, request);
  await deps.jobs.ready();
  const { id, jobId } = await deps.db.transaction(async (tx) => {
    const id = await repo.insertPlan(tx, request, actorId);
    return { id, jobId: await deps.jobs.send('plan', id, request, actorId, tx) };
  });
  deps.jobs.wake('plan');
  const settled = deps.jobs.settled(jobId).then(() => undefined, () => undefined);
  solving.set(id, settled.finally(() => solving.delete(id)));
  return { ...(await planPage(deps.db, id, FIRST_PAGE)), jobId };
}

/** The plan job: solves a plan still waiting for its solve (a retry after the result was saved does nothing). */
export async function solvePlanJob(deps: PlanDeps, id: number, request: NewPlan): Promise<null> {
  if ((await repo.planStatus(deps.db, id)) === 'solving') await solve(deps, id, request);
  return null;
}

/** Pins and exclusions must name real needs and warehouses (404 naming the field). */
async function checkReferences(db: Queryable, request: NewPlan): Promise<void> {
  for (const [i, commodityId] of (request.commodityIds ?? []).entries()) {
    await getCommodity(db, commodityId, `body.commodityIds.${i}`);
  }
  for (const [list, name] of [[request.pins, 'pins'], [request.exclusions, 'exclusions']] as const) {
    for (const [i, arc] of list.entries()) {
      if (!(await findNeed(db, arc.needId))) throw new NotFoundError('need', arc.needId, `body.${name}.${i}.needId`);
      await getWarehouse(db, arc.warehouseId, `body.${name}.${i}.warehouseId`);
    }
  }
}

async function solve(deps: PlanDeps, id: number, request: NewPlan): Promise<void> {
  try {
    await progress(deps, id, 'reading stock, needs and roads', 0.1);
    const { solving, snapshot, viaGate } = await startSolving(deps, id, request);
    const plan = await solving;
    await progress(deps, id, 'saving', 0.9);
    await saveResult(deps.outbox, id, { ...plan, viaGate }, snapshot);
  } catch (error) {
    await deps.outbox.transaction(async (tx, notify) => {
      await repo.markFailed(tx, id, (error as Error).message);
      await announce(tx, notify, id, 'failed');
    });
  }
}

/**
 * Reads the plan's inputs and hands its problem to a worker: the problem is let go once sent (at a district's size
 * it is hundreds of megabytes the main thread would otherwise hold through the whole solve).
 */
async function startSolving(deps: PlanDeps, id: number, request: NewPlan): Promise<Omit<PlanInputs, 'problem'> & { solving: Promise<SolverPlan> }> {
  const { problem, snapshot, viaGate } = await readPlanInputs(deps.db, deps.roads, request, Date.now());
  await progress(deps, id, `optimising ${problem.needs.length} needs against ${problem.lots.length} lots`, 0.4);
  const solving = runInWorker<{ problem: AllocationProblem; options: object }, SolverPlan>(WORKER, {
    problem,
    options: { seed: request.seed, timeLimitMs: request.timeLimitMs, backend: request.backend, wholeUnits: true },
  });
  return { solving, snapshot, viaGate };
}

async function progress(deps: PlanDeps, id: number, stage: string, fraction: number): Promise<void> {
  await repo.saveProgress(deps.db, id, { stage, fraction });
  deps.live.broadcast(boardRoom, 'plan:progress', { planId: id, stage, fraction });
}

async function saveResult(outbox: Outbox, id: number, plan: SolverPlan & { viaGate: Record<string, number> }, snapshot: Snapshot): Promise<void> {
  const { allocations, ...result } = plan;
  await outbox.transaction(async (tx, notify) => {
    await repo.saveSolved(tx, id, allocations, result, snapshot);
    await announce(tx, notify, id, 'ready');
  });
}

async function announce(tx: Queryable, notify: Notify, planId: number, status: PlanStatus): Promise<void> {
  await notify(await audience.board(tx), 'plan:status', { planId, status });
}

/**
 * A plan for review: its summary and one window (`limit` rows from `offset`) of each per-need list — its
 * allocations, its unmet needs, its fulfilment — so that a district's plan never answers in one piece.
 */
/** What a create or an approval answers with: the plan as GET /plans/:id's first page (a district's plan never in one piece). */
const FIRST_PAGE = planPartQuery.parse({});

export async function planPage(db: Queryable, id: number, paging: Paging<'id' | 'needId' | 'warehouseId'>): Promise<PlanRecord> {
  const stored = await repo.findPlanWindow(db, id, paging);
  if (!stored) throw new NotFoundError('plan', id);
  const { unmetCount, fulfilmentCount, ...plan } = stored;
  const allocations = await repo.allocationPage(db, id, paging);
  return {
    ...plan,
    allocations: allocations.items,
    pages: { allocations: allocations.total, unmet: unmetCount, fulfilment: fulfilmentCount, limit: paging.limit, offset: paging.offset },
    warehouseIds: await warehousesOfPlan(db, id),
  };
}

/** The warehouses a plan draws from: its allocations', and those of the goods on its routes (dispatch's tables). */
async function warehousesOfPlan(db: Queryable, id: number): Promise<number[]> {
  const ids = new Set([...(await repo.warehousesOfAllocations(db, id)), ...(await warehousesOfPlanRoutes(db, id))]);
  return [...ids].sort((a, b) => a - b);
}

/** Approving, dispatching or re-planning a plan needs every warehouse it draws from within the scope (403). */
export async function checkPlanInScope(db: Queryable, id: number, scope: WarehouseScope, action: string): Promise<void> {
  checkPlan(scope, { id, warehouseIds: await warehousesOfPlan(db, id) }, action);
}

export async function listPlans(db: Db, query: Paging & { status?: string }): Promise<Page<Omit<PlanRecord, 'result'>>> {
  const page = await repo.listPlans(db, query);
  return { ...page, items: page.items.map(({ snapshot: _s, result, ...plan }) => ({ ...plan, metrics: result?.metrics })) };
}

/**
 * Reserves every allocation of a ready plan in one transaction. A plan whose stock or needs changed
 * since it was made is marked stale and refused (409): approving it could promise goods twice.
 */
export async function approvePlan(outbox: Outbox, id: number, actorId: number, scope: WarehouseScope): Promise<PlanRecord> {
  const changes = await outbox.transaction(async (tx, notify) => {
    const row = (await repo.findPlan(tx, id, true)) as (PlanRecord & { snapshot: Snapshot }) | undefined;
    if (!row) throw new NotFoundError('plan', id);
    await checkPlanInScope(tx, id, scope, 'approve');
    if (row.status !== 'ready') throw new ConflictError(`plan ${id} is ${row.status}; only a ready plan can be approved`, { status: row.status });
    const changed = await changesSince(tx, row.snapshot);
    if (changed.length > 0) {
      await repo.markStale(tx, id);
      await announce(tx, notify, id, 'stale');
      return changed;
    }
    const reservations = await repo.allocationsToReserve(tx, id);
    await recordMovements(tx, reservations.map((a) => ({ lotId: a.lotId, kind: 'reserved' as const, quantity: a.quantity, planId: id, needId: a.needId, actorId, reason: `plan ${id}` })));
    await repo.markApproved(tx, id, actorId);
    await announce(tx, notify, id, 'approved');
    return [];
  });
  if (changes.length > 0) {
    throw new ConflictError(`plan ${id} is stale: stock or needs changed since it was made (${changes.slice(0, 5).join('; ')}); make a new plan`, { changes }, 'stale-plan');
  }
  return planPage(outbox.db, id, FIRST_PAGE);
}

/**
 * Approved plans not yet dispatched that draw on a lot, withdrawn: every reservation released and the plan
 * marked stale, so nothing of it goes out (a recall); a new plan leaves the lot out. Their ids.
 */
export async function withdrawPlansUsing(tx: Queryable, notify: Notify, lotId: number, actorId: number, reason: string): Promise<number[]> {
  const ids = await repo.approvedPlansUsing(tx, lotId);
  for (const id of ids) {
    const reservations = await repo.allocationsToReserve(tx, id);
    await recordMovements(tx, reservations.map((a) => ({ lotId: a.lotId, kind: 'released' as const, quantity: a.quantity, planId: id, needId: a.needId, actorId, reason })));
    await repo.markStale(tx, id);
    await announce(tx, notify, id, 'stale');
  }
  return ids;
}

async function changesSince(tx: Queryable, snapshot: Snapshot): Promise<string[]> {
  const lotIds = Object.keys(snapshot.lots).map(Number);
  const ids = Object.keys(snapshot.needs).map(Number);
  // Lock the lots first so that nothing moves between this check and the reservations.
  const lots = await lockAvailable(tx, lotIds);
  const needs = await lockNeedsChangedSince(tx, { ids, versions: ids.map((id) => snapshot.needs[id]!) });
  const changes: string[] = [];
  for (const lot of lots) if (snapshot.lots[lot.id] !== lot.available) changes.push(`lot ${lot.id} now has ${lot.available} available, not ${snapshot.lots[lot.id]}`);
  for (const id of needs) changes.push(`need ${id} changed`);
  return changes;
}

/** An approved plan whose routes have gone out to drivers and gate volunteers (dispatch marks it). */
export { markDispatched } from './plans.repo.ts';
/** What dispatch reads of a plan besides its lines: its status, and which needs go through a sealed zone's gate. */
export { planStatus, viaGateOf } from './plans.repo.ts';
