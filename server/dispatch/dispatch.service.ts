// Routes in the field: dispatching an approved plan, what each driver and volunteer sees, and a route's
// day — accept, pick up (ledger: dispatched); a stop's outcome is in stops.service.ts. Every change
// reaches the driver and the coordinators' board live.
import type { Queryable, Tx } from '../db/database.ts';
import { groupBy, type Page, type Paging } from '../db/rows.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../http/errors.ts';
import { audience } from '../auth/audience.ts';
import type { Notify, Outbox } from '../live/outbox.ts';
import type { LiveGateway } from '../live/gateway.ts';
import { warehouseRooms } from '../live/rooms.ts';
import type { RoadMap } from '../network/network.service.ts';
import type { SignedInUser } from '../auth/roles.ts';
import { checkRecord, warehouseScope, type WarehouseScope } from '../auth/warehouse-scope.ts';
import { checkPlanInScope, markDispatched, planStatus } from '../plans/plans.service.ts';
import { recordMovements } from '../stock/stock.service.ts';
import { driverOfUser, usersOfDrivers } from '../drivers/drivers.service.ts';
import { recipients } from '../needs/households.service.ts';
import { buildRoutes, type Uncollected, type Unassigned } from './route-build.ts';
import { pledgesForDrivers } from '../donations/donations.service.ts';
import type { PledgeForDriver } from '../donations/donations.repo.ts';
import { refreshStatistics } from '../db/statistics.ts';
import * as repo from './dispatch.repo.ts';
import * as stops from './stops.repo.ts';
import { checkMove } from './route-states.ts';
import type { ProofSummary } from './dispatch.schema.ts';
import { proofsOfStops } from './proofs.repo.ts';

export interface RouteView extends repo.RouteRow {
  /** Indexes into `stops` of the stops that start a new trip: the driver goes back to the warehouse to reload before each. */
  reloads: number[];
  stops: (stops.StopRow & {
    items: Omit<stops.StopItemRow, 'stopId'>[];
    recipient?: { name: string; address: string; phone: string | null; people: number };
    /** A collection stop's pledge: from whom, where, and what to load. */
    pledge?: Omit<PledgeForDriver, 'donationId'>;
    /** Who took the goods, when and where by the phone, and when the server heard (the images: GET /api/stops/:id/proof/photo). */
    proof?: ProofSummary;
  })[];
}

interface Deps {
  outbox: Outbox;
  roads: RoadMap;
}

/** What dispatching answers: the routes, the households left out and the pledges left where they are, each with its reason. */
export interface DispatchAnswer {
  routes: RouteView[];
  unassigned: Unassigned[];
  uncollected: Uncollected[];
  stats: unknown;
}

/** What a dispatch job keeps as its answer: its routes by id (the routes themselves, with recipients, stay in their tables). */
export interface DispatchJobResult {
  routeIds: number[];
  unassigned: Unassigned[];
  uncollected?: Uncollected[];
  stats: unknown;
}

/**
 * Builds and stores the routes of an approved plan and tells each driver and volunteer theirs (by id and
 * version: the app reads the route, so nothing here reads the routes back).
 */
export async function dispatchPlan(deps: Deps, planId: number, options: { timeLimitMs?: number; seed: number }, scope: WarehouseScope): Promise<DispatchJobResult> {
  const db = deps.outbox.db;
  const status = await planStatus(db, planId);
  if (!status) throw new NotFoundError('plan', planId);
  await checkPlanInScope(db, planId, scope, 'dispatch');
  if (status !== 'approved') throw new ConflictError(`plan ${planId} is ${status}; only an approved plan can be dispatched`, { status });
  const built = await buildRoutes(db, deps.roads, planId, options, scope);
  const routeIds = await deps.outbox.transaction(async (tx, notify) => {
    const locked = await planStatus(tx, planId, true);
    if (locked !== 'approved') throw new ConflictError(`plan ${planId} was dispatched meanwhile`, { status: locked });
    const stored = await repo.insertRoutes(tx, planId, built.routes);
    await markDispatched(tx, planId);
    const users = await usersOfDrivers(tx, [...new Set(built.routes.map((r) => r.driverId))]);
    for (const [i, route] of stored.entries()) {
      const userId = users.get(built.routes[i]!.driverId);
      if (userId) await notify([userId], 'route:assigned', { routeId: route.id, planId, version: route.version });
    }
    await notify(await audience.board(tx), 'plan:status', { planId, status: 'dispatched' });
    return stored.map((r) => r.id);
  });
  // Tens of thousands of stops and their goods just stored: on statistics that still count them as before
  // (PGlite runs no autovacuum), a door's delivery planned its gate stop's lookup as a walk over every stop (240 ms each).
  await refreshStatistics(db, ['routes', 'stops', 'stop_items']);
  return { routeIds, unassigned: built.unassigned, uncollected: built.uncollected, stats: built.stats };
}

/**
 * The dispatch job. A retry after the routes were stored (its process stopped before recording the end)
 * answers with them instead of refusing a plan that is already dispatched.
 */
export async function dispatchJob(deps: Deps, planId: number, input: { options: { timeLimitMs?: number; seed: number }; scope: WarehouseScope }, retried: boolean): Promise<DispatchJobResult> {
  if (retried && (await planStatus(deps.outbox.db, planId)) === 'dispatched') {
    const stored = await repo.routeIds(deps.outbox.db, { planId, warehouseIds: null, limit: 100_000, offset: 0, sort: { field: 'id', descending: false } });
    return { routeIds: stored.items, unassigned: [], uncollected: [], stats: null };
  }
  return dispatchPlan(deps, planId, input.options, input.scope);
}

/** A dispatch job's answer as POST /plans/:id/dispatch gives it: the routes with their stops. */
export async function dispatchAnswer(db: Queryable, result: DispatchJobResult): Promise<DispatchAnswer> {
  return { routes: await routeViews(db, result.routeIds), unassigned: result.unassigned, uncollected: result.uncollected ?? [], stats: result.stats };
}

export async function routeView(db: Queryable, id: number): Promise<RouteView> {
  const [view] = await routeViews(db, [id]);
  if (!view) throw new NotFoundError('route', id);
  return view;
}

const ROUTES_PER_READ = 500;

/** A stop as a route shows it: what it hands over and to whom, the pledge it collects, its proof. */
export type StopView = RouteView['stops'][number];

/**
 * Routes with their stops, goods, recipients, pledges and proofs, in the order asked, read in six queries
 * whatever their number (a page of the board, a district's dispatch) instead of six per route; missing ids
 * are left out.
 */
export async function routeViews(db: Queryable, ids: number[]): Promise<RouteView[]> {
  // A district's dispatch reads thousands of routes: a few hundred at a time keeps each answer small.
  if (ids.length > ROUTES_PER_READ) {
    const views: RouteView[] = [];
    for (let i = 0; i < ids.length; i += ROUTES_PER_READ) views.push(...(await routeViews(db, ids.slice(i, i + ROUTES_PER_READ))));
    return views;
  }
  const routes = await repo.findRoutes(db, ids);
  const byRoute = groupBy(await stopViews(db, await stops.stopsOfRoutes(db, routes.map((r) => r.id))), (s) => s.routeId);
  return routes.map((route) => {
    const itsStops = byRoute.get(route.id) ?? [];
    return {
      ...route,
      reloads: route.kind === 'vehicle' ? itsStops.flatMap((s, k) => (k > 0 && s.trip !== itsStops[k - 1]!.trip ? [k] : [])) : [],
      stops: itsStops,
    };
  });
}

/** These stops as their routes show them, in the order given: four queries at most whatever their number. */
export async function stopViews(db: Queryable, theirStops: stops.StopRow[]): Promise<StopView[]> {
  const stopIds = theirStops.map((s) => s.id);
  const items = groupBy(await stops.itemsOfStops(db, stopIds), (i) => i.stopId);
  const householdIds = [...new Set(theirStops.flatMap((s) => (s.householdId ? [s.householdId] : [])))];
  const people = householdIds.length > 0 ? await recipients(db, householdIds) : new Map<number, never>();
  const proofs = await proofsOfStops(db, stopIds);
  const pledges = await pledgesForDrivers(db, theirStops.flatMap((s) => (s.donationId ? [s.donationId] : [])));
  return theirStops.map((s) => ({
    ...s,
    items: (items.get(s.id) ?? []).map((i) => ({ needId: i.needId, lotId: i.lotId, commodityId: i.commodityId, quantity: i.quantity, commodity: i.commodity, unit: i.unit })),
    ...(s.householdId ? { recipient: people.get(s.householdId) } : {}),
    ...(s.donationId ? { pledge: withoutId(pledges.get(s.donationId)!) } : {}),
    ...(proofs.has(s.id) ? { proof: proofs.get(s.id) } : {}),
  }));
}

const withoutId = ({ donationId: _d, ...pledge }: PledgeForDriver) => pledge;

/** Routes for the board; a coordinator tied to warehouses sees the routes whose goods all come from theirs. */
export async function listRoutes(db: Queryable, user: SignedInUser, filter: Paging<'id'> & Omit<repo.RouteFilter, 'warehouseIds'> & { view: 'full' | 'summary' }): Promise<Page<RouteView | RouteSummary>> {
  const scope = warehouseScope(user);
  const page = await repo.routeIds(db, { ...filter, warehouseIds: scope && [...scope] });
  return { ...page, items: filter.view === 'summary' ? await routeSummaries(db, page.items) : await routeViews(db, page.items) };
}

/** A route as the board lists it: its own fields and its stops counted, not the stops themselves (GET /routes/:id has those). */
export type RouteSummary = repo.RouteRow & Omit<stops.StopTally, 'routeId'>;

/** These routes summed up, in the order asked: two queries whatever their number, no stop or item crossing to the server. */
export async function routeSummaries(db: Queryable, ids: number[]): Promise<RouteSummary[]> {
  const [routes, tallies] = await Promise.all([repo.findRoutes(db, ids), stops.stopTallies(db, ids)]);
  const byRoute = new Map(tallies.map(({ routeId, ...tally }) => [routeId, tally]));
  const none = { stopCount: 0, stopsByStatus: { pending: 0, delivered: 0, failed: 0, collected: 0 }, weightKg: 0, trips: 0, lastEtaS: null, lastDoneAt: null };
  return routes.map((route) => ({ ...route, ...(byRoute.get(route.id) ?? none) }));
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
  const ids = await repo.openRouteIds(db, driver.id);
  return { driverId: driver.id, routes: await routeViews(db, ids) };
}

export async function acceptRoute(outbox: Outbox, user: SignedInUser, id: number): Promise<RouteView> {
  return changeRoute(outbox, user, id, 'accepted', async () => {});
}

/** Picking up moves every item of the route out of the warehouse: reserved → in transit. */
export async function pickUp(outbox: Outbox, user: SignedInUser, id: number): Promise<RouteView> {
  return changeRoute(outbox, user, id, 'picked_up', async (route, tx) => {
    if (route.kind !== 'vehicle') throw new ConflictError('a walking route takes its goods from the gate, not the warehouse');
    const itsStops = await stops.stopsOf(tx, id);
    // One statement for the route's goods (a van's hundreds of lines were a statement each: 12 s of PGlite for 40 routes).
    const items = await stops.itemsOfStops(tx, itsStops.map((s) => s.id));
    await recordMovements(tx, items.map((item) => ({ lotId: item.lotId, kind: 'dispatched' as const, quantity: item.quantity, needId: item.needId, stopId: item.stopId, planId: route.planId, actorId: user.id, reason: `route ${id}` })));
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
    await repo.setRouteStatus(tx, id, status);
    await tellRoute(tx, notify, id, status);
  });
  return routeView(outbox.db, id);
}

/**
 * The route as stored, if the user may see it: a driver only their own, a coordinator tied to warehouses
 * only one whose goods come from theirs. Any other is answered as if it did not exist.
 */
export async function ownRoute(db: Queryable, user: SignedInUser, id: number, lock = false, asked: [what: string, id: number] = ['route', id]): Promise<repo.StoredRoute> {
  const route = await repo.findRoute(db, id, lock);
  if (!route) throw new NotFoundError(...asked);
  if (user.role === 'driver' && route.driverUserId !== user.id) throw new NotFoundError(...asked);
  checkRecord(warehouseScope(user), route.warehouseIds, ...asked);
  return route;
}

/** Tells a route's driver and the board (its followers, when the caller has them already) that it changed, and why; returns it as stored. */
export async function tellRoute(tx: Queryable, notify: Notify, id: number, reason: string, board?: number[]): Promise<repo.StoredRoute> {
  const route = (await repo.findRoute(tx, id))!;
  await notify(await routeAudience(tx, route, board), 'route:updated', { routeId: id, reason, status: route.status, version: route.version });
  return route;
}

/** Who follows a route: the board of its warehouse (or the one given) and its driver. */
export async function routeAudience(tx: Queryable, route: Pick<repo.StoredRoute, 'driverUserId' | 'warehouseId'>, board?: number[]): Promise<number[]> {
  return [...(board ?? (await audience.board(tx, route.warehouseId))), ...(route.driverUserId ? [route.driverUserId] : [])];
}

/** A driver's position for the live board (not stored per event: the board wants the latest). */
export async function reportPosition(live: LiveGateway, user: SignedInUser, at: { lat: number; lon: number }): Promise<{ driverId: number }> {
  const driver = await driverOfUser(live.db, user.id);
  if (!driver) throw new ForbiddenError('this account is not registered as a driver or gate volunteer');
  await repo.savePosition(live.db, driver.id, at);
  live.broadcast(warehouseRooms(driver.homeWarehouseId ?? null), 'board:position', { driverId: driver.id, lat: at.lat, lon: at.lon });
  return { driverId: driver.id };
}
