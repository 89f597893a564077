// A stop's outcome on the driver's day: delivered (ledger: delivered, the need fulfilled, the donation's
// journey extended) or failed with a reason (the goods go back to stock and the need back to the next plan);
// a collection stop's pledge collected (received into stock at the route's warehouse) or failed.
import type { Queryable, Tx } from '../db/database.ts';
import { ConflictError, invalidField, NotFoundError } from '../http/errors.ts';
import { audience } from '../auth/audience.ts';
import type { Notify, Outbox } from '../live/outbox.ts';
import type { SignedInUser } from '../auth/roles.ts';
import { recordMovements } from '../stock/stock.service.ts';
import { recordDelivery } from '../needs/needs.service.ts';
import { deliveryFailed } from '../campaigns/campaigns.service.ts';
import { collectPledge } from '../donations/donations.service.ts';
import { ownRoute, routeAudience, stopViews, tellRoute, type RouteView, type StopView } from './dispatch.service.ts';
import { completeIfDone, type RouteRow, type StoredRoute } from './dispatch.repo.ts';
import * as repo from './stops.repo.ts';
import { checkOnItsWay, completable } from './route-states.ts';
import type { StopStatus } from './dispatch.schema.ts';
import { doneStopsOf, insertProof, imageOf, proofsOfStops, type NewProof } from './proofs.repo.ts';
import { householdFor } from '../needs/households.service.ts';
import { communityScope } from '../auth/communities.ts';
import { cleanImage, MAX_PHOTO_BYTES, MAX_SIGNATURE_BYTES } from './proof-image.ts';

/**
 * A stop's outcome as recorded: the stop as its route shows it, and where its route stands (completed with
 * its last stop). Not the whole route: the app reads it again when told, and a gate's walk holds hundreds of doors.
 */
export interface StopOutcome extends StopView {
  route: Pick<StoredRoute, 'id' | 'status' | 'version'>;
}

/**
 * A stop delivered or failed. Delivered goods leave the ledger as `delivered` and count towards their
 * needs; failed goods go back to stock (`returned` once picked up, `released` before) and their needs
 * stay open for the next plan. A failed gate stop fails the door visits that depended on it.
 */
export async function setStopStatus(outbox: Outbox, user: SignedInUser, stopId: number, input: StopStatus): Promise<StopOutcome> {
  return recordOutcome(outbox, stopId, input, { actorId: user.id, routeOf: (tx, routeId) => ownRoute(tx, user, routeId, true, ['stop', stopId]) });
}

/** Who records a stop's outcome: the user it is recorded as, and the check that the stop's route is theirs to record on (its row locked). */
export interface Recorder {
  actorId: number;
  routeOf(tx: Tx, routeId: number): Promise<StoredRoute>;
}

/** A stop's outcome as `setStopStatus` records it, for whoever `by` lets record it (a signed-in driver, or a handover sheet's code). */
export async function recordOutcome(outbox: Outbox, stopId: number, input: StopStatus, by: Recorder): Promise<StopOutcome> {
  const proof = input.proof && proofOf(stopId, input.proof, by.actorId);
  return outbox.transaction(async (tx, notify) => {
    // The stop first (a re-plan moves stops between routes, and locks them first too): a second request for
    // the same stop waits here, then finds it done.
    const stop = await repo.lockStop(tx, stopId);
    if (!stop) throw new NotFoundError('stop', stopId);
    const route = await by.routeOf(tx, stop.routeId);
    if (stop.status !== 'pending') throw new ConflictError(`stop ${stopId} is ${stop.status} already`, { status: stop.status });
    checkOnItsWay(route);
    checkOutcomeOfKind(stop, input.status);
    const load = await repo.loadOf(tx, route.planId, stop);
    if (input.status === 'collected') await collectPledge(tx, stop.donationId!, { actorId: by.actorId, routeId: route.id, stopId, expiresOn: input.expiresOn });
    else if (input.status === 'delivered') await deliver(tx, notify, by.actorId, route, stop, load);
    else await fail(tx, notify, by.actorId, route, stop, load, input);
    const closed = await repo.closeStop(tx, stopId, { status: input.status, reason: input.reason ?? null, note: input.note ?? null });
    if (proof) await insertProof(tx, proof);
    // The stop alone is news (the board patches it, the driver's app reads the route again); the route is only
    // when it ends with it. A route's every stop announcing the whole route cost O(stops²) per route.
    const board = await audience.board(tx, route.warehouseId);
    await notify(await routeAudience(tx, route, board), 'stop:updated', { routeId: route.id, stopId, status: input.status, reason: input.reason ?? null });
    const now = (await completeIfDone(tx, route.id, completable)) ? await tellRoute(tx, notify, route.id, `stop ${stopId} ${input.status}: route completed`, board) : route;
    const [view] = await stopViews(tx, [closed]);
    return { ...view!, route: { id: now.id, status: now.status, version: now.version } };
  });
}

/** A collection stop is collected or failed; any other stop delivered or failed (400 naming the field otherwise). */
function checkOutcomeOfKind(stop: repo.StopRow, status: StopStatus['status']): void {
  const done = stop.kind === 'collection' ? 'collected' : 'delivered';
  if (status !== 'failed' && status !== done) throw invalidField('body.status', `stop ${stop.id} is a ${stop.kind} stop: it is ${done} or failed`);
}

/** The proof as kept: images checked by their content and stripped of metadata (400 naming the field otherwise). */
function proofOf(stopId: number, proof: NonNullable<StopStatus['proof']>, recordedBy: number): NewProof {
  return {
    stopId,
    handedTo: proof.handedTo,
    receiverName: proof.receiverName,
    photo: proof.photo === undefined ? undefined : cleanImage(proof.photo, 'body.proof.photo', MAX_PHOTO_BYTES),
    signature: proof.signature === undefined ? undefined : cleanImage(proof.signature, 'body.proof.signature', MAX_SIGNATURE_BYTES, ['image/png']).bytes,
    deviceTime: proof.deviceTime,
    position: proof.position,
    recordedBy,
  };
}

/** A stop's proof photo or signature, for a coordinator of its route's warehouses or an admin. */
export async function proofImage(db: Queryable, user: SignedInUser, stopId: number, which: 'photo' | 'signature'): Promise<{ bytes: Buffer; type: string }> {
  const image = await imageOf(db, stopId, which);
  if (!image) throw new NotFoundError(`${which} of stop`, stopId);
  await ownRoute(db, user, image.routeId, false, ['stop', stopId]);
  return image;
}

/** A household's deliveries and failed visits, newest first, with what each carried and its proof (its community's workers, coordinators). */
export async function householdDeliveries(db: Queryable, user: SignedInUser, householdId: number) {
  await householdFor(db, householdId, communityScope(user));
  const done = await doneStopsOf(db, householdId);
  const items = await repo.itemsOfStops(db, done.map((s) => s.id));
  const proofs = await proofsOfStops(db, done.map((s) => s.id));
  return done.map((stop) => ({
    ...stop,
    items: items.filter((i) => i.stopId === stop.id).map(({ commodity, unit, quantity, needId }) => ({ needId, commodity, unit, quantity })),
    proof: proofs.get(stop.id) ?? null,
  }));
}

/** Delivering hands over the stop's own goods, on board its route: never goods another route carries. */
async function deliver(tx: Tx, notify: Notify, actorId: number, route: RouteRow, stop: repo.StopRow, load: repo.LoadLine[]): Promise<void> {
  if (stop.kind === 'door') {
    const gate = await repo.gateStopOf(tx, stop);
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
  await recordMovements(tx, load.map((item) => ({ lotId: item.lotId, kind: 'delivered' as const, quantity: item.quantity, needId: item.needId, stopId: stop.id, planId: route.planId, actorId, reason: `stop ${stop.id}` })));
  for (const item of load) await recordDelivery(tx, notify, item.needId, item.quantity, actorId);
}

/** A line of a stop going back to stock: what is on board returned, the rest released unless `releaseUnloaded` is false. */
function goodsBack(line: repo.LoadLine, releaseUnloaded: boolean): ['returned' | 'released', number][] {
  const back = Math.min(line.quantity, line.onBoard);
  const moves: ['returned' | 'released', number][] = [['returned', back], ['released', releaseUnloaded ? line.quantity - back : 0]];
  return moves.filter(([, quantity]) => quantity > 0);
}

/** A failed stop's goods go back to stock: those on board are returned, those never loaded released. */
async function fail(tx: Tx, notify: Notify, actorId: number, route: RouteRow, stop: repo.StopRow, load: repo.LoadLine[], input: StopStatus): Promise<void> {
  await recordMovements(
    tx,
    load.flatMap((line) =>
      goodsBack(line, true).map(([kind, quantity]) => ({ lotId: line.lotId, kind, quantity, needId: line.needId, stopId: stop.id, planId: route.planId, actorId, reason: `stop ${stop.id} failed: ${input.reason}` })),
    ),
  );
  // At the door (not a gate the household could not help): a campaign's winner forfeits, the waiting list moves up.
  // A failed collection leaves its pledge waiting for the next dispatch.
  if (stop.kind === 'delivery' || stop.kind === 'door') await deliveryFailed(tx, notify, load.map((line) => line.needId), actorId);
  if (stop.kind === 'gate') {
    // Nothing reached the gate, so nobody can walk it in: the door visits it fed fail with it.
    for (const door of await repo.pendingDoorsFedBy(tx, stop.id)) {
      await repo.closeStop(tx, door.id, { status: 'failed', reason: input.reason ?? null, note: `gate stop ${stop.id} failed` });
      await completeIfDone(tx, door.routeId, completable);
      await tellRoute(tx, notify, door.routeId, `gate stop ${stop.id} failed`);
    }
  }
}

/** A route a recalled lot was taken off, and the stops it was on. */
export interface PulledRoute {
  routeId: number;
  driverId: number;
  status: RouteView['status'];
  stopIds: number[];
}

/**
 * A recalled lot's goods taken off every stop still pending: back to stock (returned when on board, released
 * before pick-up; a door visit's goods are those its gate stop brought), the line dropped from the stop, a
 * stop left with nothing failed as recalled, and each route's driver and board told live.
 */
export async function pullLot(tx: Tx, notify: Notify, lotId: number, actorId: number, reason: string): Promise<PulledRoute[]> {
  const touched = new Map<number, number[]>();
  for (const stop of await repo.pendingStopsWithLot(tx, lotId)) {
    const lines = (await repo.loadOf(tx, stop.planId, stop)).filter((l) => l.lotId === lotId);
    // A door visit's goods are those its gate stop brought: none of them is still reserved at the warehouse.
    await recordMovements(
      tx,
      lines.flatMap((line) => goodsBack(line, stop.kind !== 'door').map(([kind, quantity]) => ({ lotId, kind, quantity, needId: line.needId, stopId: stop.id, planId: stop.planId, actorId, reason }))),
    );
    if (!(await repo.dropLotFromStop(tx, stop.id, lotId))) await repo.closeStop(tx, stop.id, { status: 'failed', reason: 'recalled', note: reason });
    touched.set(stop.routeId, [...(touched.get(stop.routeId) ?? []), stop.id]);
  }
  const pulled: PulledRoute[] = [];
  for (const [routeId, stopIds] of touched) {
    await completeIfDone(tx, routeId, completable);
    const view = await tellRoute(tx, notify, routeId, `lot ${lotId} recalled: take it off the van and bring it back (${reason})`);
    pulled.push({ routeId, driverId: view.driverId, status: view.status, stopIds });
  }
  return pulled;
}
