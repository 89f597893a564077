// Routes in the field: dispatching an approved plan, what each driver and volunteer sees, and the
// driver's day — accept, pick up (ledger: dispatched), deliver (ledger: delivered, the need fulfilled,
// the donation's journey extended) or fail with a reason (the goods go back to stock and the need
// back to the next plan). Every change reaches the driver and the coordinators' board live.
import type { Queryable, Tx } from '../db/database.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../http/errors.ts';
import { audience, type Notify, type Outbox } from '../live/outbox.ts';
import type { LiveGateway } from '../live/gateway.ts';
import { warehouseRooms } from '../live/rooms.ts';
import type { RoadMap } from '../network/network.service.ts';
import type { SignedInUser } from '../auth/auth.schema.ts';
import { checkRecord, warehouseScope, type WarehouseScope } from '../auth/warehouse-scope.ts';
import { checkPlanInScope } from '../plans/plans.service.ts';
import { recordMovement } from '../stock/stock.service.ts';
import { announce as announceNeed } from '../needs/needs.service.ts';
import { driverOfUser } from '../drivers/drivers.service.ts';
import { buildRoutes, type Unassigned } from './dispatch.ts';
import * as repo from './routes.repo.ts';
import { checkMove, checkOnItsWay, completable } from './route-states.ts';
import type { StopStatus } from './routes.schema.ts';

export interface RouteView extends repo.RouteRow {
  stops: (repo.StopRow & {
    items: Omit<repo.StopItemRow, 'stopId'>[];
    recipient?: { name: string; address: string; phone: string | null; people: number };
  })[];
}

interface Deps {
  outbox: Outbox;
  roads: RoadMap;
}

export async function dispatchPlan(deps: Deps, planId: number, options: { timeLimitMs: number; seed: number }, scope: WarehouseScope): Promise<{ routes: RouteView[]; unassigned: Unassigned[]; stats: unknown }> {
  const db = deps.outbox.db;
  const [plan] = await db.query<{ status: string }>('SELECT status FROM plans WHERE id = $1', [planId]);
  if (!plan) throw new NotFoundError('plan', planId);
  await checkPlanInScope(db, planId, scope, 'dispatch');
  if (plan.status !== 'approved') throw new ConflictError(`plan ${planId} is ${plan.status}; only an approved plan can be dispatched`, { status: plan.status });
  const built = await buildRoutes(db, deps.roads, planId, options);
  const routes = await deps.outbox.transaction(async (tx, notify) => {
    const [locked] = await tx.query<{ status: string }>('SELECT status FROM plans WHERE id = $1 FOR UPDATE', [planId]);
    if (locked!.status !== 'approved') throw new ConflictError(`plan ${planId} was dispatched meanwhile`, { status: locked!.status });
    const views: RouteView[] = [];
    for (const route of built.routes) views.push(await routeView(tx, await repo.insertRoute(tx, planId, route)));
    await tx.query(`UPDATE plans SET status = 'dispatched', dispatched_at = now() WHERE id = $1`, [planId]);
    for (const view of views) {
      const userId = await repo.userOfDriver(tx, view.driverId);
      if (userId) await notify([userId], 'route:assigned', { routeId: view.id, planId, route: view });
    }
    await notify(await audience.board(tx), 'plan:status', { planId, status: 'dispatched' });
    return views;
  });
  return { routes, unassigned: built.unassigned, stats: built.stats };
}

export async function routeView(db: Queryable, id: number): Promise<RouteView> {
  const route = await repo.findRoute(db, id);
  if (!route) throw new NotFoundError('route', id);
  const stops = await repo.stopsOf(db, id);
  const items = await repo.itemsOfStops(db, stops.map((s) => s.id));
  const people = await repo.recipients(db, stops.flatMap((s) => (s.householdId ? [s.householdId] : [])));
  return {
    ...route,
    stops: stops.map((s) => ({
      ...s,
      items: items.filter((i) => i.stopId === s.id).map(({ stopId: _s, ...i }) => i),
      ...(s.householdId ? { recipient: people.get(s.householdId) } : {}),
    })),
  };
}

/** Routes for the board; a coordinator tied to warehouses sees the routes whose goods all come from theirs. */
export async function listRoutes(db: Queryable, user: SignedInUser, filter: { planId?: number; driverId?: number; limit: number; offset: number }) {
  const scope = warehouseScope(user);
  const rows = await db.query<{ id: number }>(
    `SELECT r.id FROM routes r WHERE ($1::int IS NULL OR r.plan_id = $1) AND ($2::int IS NULL OR r.driver_id = $2)
       AND ($3::int[] IS NULL OR (${repo.WAREHOUSES_OF_ROUTE}) <@ $3::int[]) ORDER BY r.id LIMIT $4 OFFSET $5`,
    [filter.planId ?? null, filter.driverId ?? null, scope && [...scope], filter.limit, filter.offset],
  );
  return Promise.all(rows.map((r) => routeView(db, r.id)));
}

/** One route with its recipients, for its own driver or a coordinator of its warehouses. */
export async function routeFor(db: Queryable, user: SignedInUser, id: number): Promise<RouteView> {
  await ownRoute(db, user, id);
  return routeView(db, id);
}

/** The signed-in driver's or volunteer's routes still under way, oldest first. */
export async function myRoutes(db: Queryable, user: SignedInUser): Promise<{ driverId: number; routes: RouteView[] }> {
  const driver = await driverOfUser(db, user.id);
  if (!driver) throw new ForbiddenError('this account is not registered as a driver or gate volunteer');
  const rows = await db.query<{ id: number }>(`SELECT id FROM routes WHERE driver_id = $1 AND status NOT IN ('completed', 'cancelled') ORDER BY id`, [driver.id]);
  return { driverId: driver.id, routes: await Promise.all(rows.map((r) => routeView(db, r.id))) };
}

export async function acceptRoute(outbox: Outbox, user: SignedInUser, id: number): Promise<RouteView> {
  return changeRoute(outbox, user, id, 'accepted', async () => {});
}

/** Picking up moves every item of the route out of the warehouse: reserved → in transit. */
export async function pickUp(outbox: Outbox, user: SignedInUser, id: number): Promise<RouteView> {
  return changeRoute(outbox, user, id, 'picked_up', async (route, tx) => {
    if (route.kind !== 'vehicle') throw new ConflictError('a walking route takes its goods from the gate, not the warehouse');
    const stops = await repo.stopsOf(tx, id);
    for (const item of await repo.itemsOfStops(tx, stops.map((s) => s.id))) {
      await recordMovement(tx, { lotId: item.lotId, kind: 'dispatched', quantity: item.quantity, needId: item.needId, stopId: item.stopId, planId: route.planId, actorId: user.id, reason: `route ${id}` });
    }
  });
}

async function changeRoute(
  outbox: Outbox,
  user: SignedInUser,
  id: number,
  status: repo.RouteRow['status'],
  check: (route: repo.RouteRow, tx: Tx) => Promise<void>,
): Promise<RouteView> {
  await outbox.transaction(async (tx, notify) => {
    const route = await ownRoute(tx, user, id, true);
    checkMove(route, status);
    await check(route, tx);
    await tx.query('UPDATE routes SET status = $2, version = version + 1, updated_at = now() WHERE id = $1', [id, status]);
    await tellRoute(tx, notify, id, status);
  });
  return routeView(outbox.db, id);
}

/**
 * The route as stored, if the user may see it: a driver only their own, a coordinator tied to warehouses
 * only one whose goods come from theirs. Any other is answered as if it did not exist.
 */
async function ownRoute(db: Queryable, user: SignedInUser, id: number, lock = false, asked: [what: string, id: number] = ['route', id]): Promise<repo.RouteRow> {
  const route = await repo.findRoute(db, id, lock);
  if (!route) throw new NotFoundError(...asked);
  if (user.role === 'driver' && (await driverOfUser(db, user.id))?.id !== route.driverId) throw new NotFoundError(...asked);
  checkRecord(warehouseScope(user), route.warehouseIds, ...asked);
  return route;
}

/** Sends a route's new state to its driver and the board (its followers, when the caller has them already); returns it. */
export async function tellRoute(tx: Queryable, notify: Notify, id: number, reason: string, board?: number[]): Promise<RouteView> {
  const view = await routeView(tx, id);
  const driverUser = await repo.userOfDriver(tx, view.driverId);
  await notify([...(board ?? (await audience.board(tx, view.warehouseId))), ...(driverUser ? [driverUser] : [])], 'route:updated', { routeId: id, reason, route: view });
  return view;
}

/**
 * A stop delivered or failed. Delivered goods leave the ledger as `delivered` and count towards their
 * needs; failed goods go back to stock (`returned` once picked up, `released` before) and their needs
 * stay open for the next plan. A failed gate stop fails the door visits that depended on it.
 */
export async function setStopStatus(outbox: Outbox, user: SignedInUser, stopId: number, input: StopStatus): Promise<RouteView> {
  return outbox.transaction(async (tx, notify) => {
    // The stop first (a re-plan moves stops between routes, and locks them first too): a second request for
    // the same stop waits here, then finds it done.
    const [row] = await tx.query<{ route_id: number }>('SELECT route_id FROM stops WHERE id = $1 FOR UPDATE', [stopId]);
    if (!row) throw new NotFoundError('stop', stopId);
    const route = await ownRoute(tx, user, row.route_id, true, ['stop', stopId]);
    const stop = (await repo.stopsOf(tx, route.id)).find((s) => s.id === stopId)!;
    if (stop.status !== 'pending') throw new ConflictError(`stop ${stopId} is ${stop.status} already`, { status: stop.status });
    checkOnItsWay(route);
    const load = await repo.loadOf(tx, route.planId, stop);
    if (input.status === 'delivered') await deliver(tx, notify, user, route, stop, load);
    else await fail(tx, notify, user, route, stop, load, input);
    await tx.query('UPDATE stops SET status = $2, reason = $3, note = $4, done_at = now() WHERE id = $1', [stopId, input.status, input.reason ?? null, input.note ?? null]);
    const board = await audience.board(tx, route.warehouseId);
    await notify(board, 'stop:updated', { routeId: route.id, stopId, status: input.status, reason: input.reason ?? null });
    await completeIfDone(tx, route.id);
    return tellRoute(tx, notify, route.id, `stop ${stopId} ${input.status}`, board);
  });
}

/** Delivering hands over the stop's own goods, on board its route: never goods another route carries. */
async function deliver(tx: Tx, notify: Notify, user: SignedInUser, route: repo.RouteRow, stop: repo.StopRow, load: repo.LoadLine[]): Promise<void> {
  if (stop.kind === 'door') {
    const gate = await gateStopOf(tx, stop);
    if (gate?.status !== 'delivered') throw new ConflictError(`the goods of stop ${stop.id} have not reached its gate yet (gate stop ${gate?.id} is ${gate?.status})`);
  }
  const missing = load.find((line) => line.onBoard < line.quantity);
  if (missing) {
    throw new ConflictError(`the goods of stop ${stop.id} are not on board route ${route.id}: ${missing.onBoard} of ${missing.quantity} ${missing.unit} ${missing.commodity} from lot ${missing.lotId}`, {
      lotId: missing.lotId,
      onBoard: missing.onBoard,
    });
  }
  // At a gate the goods pass to the volunteers; they leave the ledger at the doors.
  if (stop.kind === 'gate') return;
  for (const item of load) {
    await recordMovement(tx, { lotId: item.lotId, kind: 'delivered', quantity: item.quantity, needId: item.needId, stopId: stop.id, planId: route.planId, actorId: user.id, reason: `stop ${stop.id}` });
    const [need] = await tx.query<{ id: number; version: number; quantity: number; fulfilled: number; community: string }>(
      `UPDATE needs n SET fulfilled = LEAST(n.quantity, n.fulfilled + $2), status = CASE WHEN n.fulfilled + $2 >= n.quantity THEN 'fulfilled' ELSE n.status END,
         version = n.version + 1, updated_at = now()
       FROM households h WHERE n.id = $1 AND h.id = n.household_id RETURNING n.*, h.community`,
      [item.needId, item.quantity],
    );
    await announceNeed(tx, notify, need!, need!.community, need!.fulfilled >= need!.quantity ? 'fulfilled' : 'updated', user.id);
  }
}

/** A failed stop's goods go back to stock: those on board are returned, those never loaded released. */
async function fail(tx: Tx, notify: Notify, user: SignedInUser, route: repo.RouteRow, stop: repo.StopRow, load: repo.LoadLine[], input: StopStatus): Promise<void> {
  for (const line of load) {
    const back = Math.min(line.quantity, line.onBoard);
    for (const [kind, quantity] of [['returned', back], ['released', line.quantity - back]] as const) {
      if (quantity > 0) await recordMovement(tx, { lotId: line.lotId, kind, quantity, needId: line.needId, stopId: stop.id, planId: route.planId, actorId: user.id, reason: `stop ${stop.id} failed: ${input.reason}` });
    }
  }
  if (stop.kind === 'gate') {
    // Nothing reached the gate, so nobody can walk it in: the door visits it fed fail with it.
    const doors = await tx.query<{ id: number; route_id: number }>(
      `SELECT DISTINCT s.id, s.route_id FROM stops s JOIN stop_items si ON si.stop_id = s.id
       WHERE s.kind = 'door' AND s.status = 'pending' AND (si.need_id, si.lot_id) IN (SELECT need_id, lot_id FROM stop_items WHERE stop_id = $1)`,
      [stop.id],
    );
    for (const door of doors) {
      await tx.query(`UPDATE stops SET status = 'failed', reason = $2, note = $3, done_at = now() WHERE id = $1`, [door.id, input.reason, `gate stop ${stop.id} failed`]);
      await completeIfDone(tx, door.route_id);
      await tellRoute(tx, notify, door.route_id, `gate stop ${stop.id} failed`);
    }
  }
}

/** The vehicle's gate stop that brings a door visit's goods. */
async function gateStopOf(tx: Queryable, door: repo.StopRow): Promise<{ id: number; status: repo.StopRow['status'] } | undefined> {
  const [row] = await tx.query<{ id: number; status: repo.StopRow['status'] }>(
    `SELECT s.id, s.status FROM stops s JOIN stop_items si ON si.stop_id = s.id JOIN routes r ON r.id = s.route_id
     WHERE s.kind = 'gate' AND r.plan_id = (SELECT plan_id FROM routes WHERE id = $2)
       AND (si.need_id, si.lot_id) IN (SELECT need_id, lot_id FROM stop_items WHERE stop_id = $1) LIMIT 1`,
    [door.id, door.routeId],
  );
  return row;
}

async function completeIfDone(tx: Queryable, routeId: number): Promise<void> {
  await tx.query(
    `UPDATE routes SET status = 'completed', version = version + 1, updated_at = now()
     WHERE id = $1 AND status = ANY($2::text[]) AND NOT EXISTS (SELECT 1 FROM stops WHERE route_id = $1 AND status = 'pending')`,
    [routeId, completable],
  );
}

/** A driver's position for the live board (not stored per event: the board wants the latest). */
export async function reportPosition(live: LiveGateway, user: SignedInUser, at: { lat: number; lon: number }): Promise<{ driverId: number }> {
  const driver = await driverOfUser(live.db, user.id);
  if (!driver) throw new ForbiddenError('this account is not registered as a driver or gate volunteer');
  await live.db.query(
    `INSERT INTO driver_positions (driver_id, lat, lon) VALUES ($1, $2, $3) ON CONFLICT (driver_id) DO UPDATE SET lat = $2, lon = $3, at = now()`,
    [driver.id, at.lat, at.lon],
  );
  live.broadcast(warehouseRooms(driver.homeWarehouseId ?? null), 'board:position', { driverId: driver.id, lat: at.lat, lon: at.lon });
  return { driverId: driver.id };
}
