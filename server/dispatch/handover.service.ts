// Handover sheets for volunteers with no app: a printed sheet per gate (every walking route of a plan from it)
// or per building leader (one walking route), listing what goes to which door in walking order, each stop with
// a QR code. The code opens /s/<code> on any phone, where the volunteer records the delivery (who took it) or
// the failure (why) through the same stop-status service as the driver app: the same ledger movements, proof,
// audit rows and live updates to the board and the resident's page.
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { ConflictError, HttpError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { Outbox } from '../live/outbox.ts';
import type { SignedInUser } from '../auth/roles.ts';
import { allGates } from '../zones/zones.service.ts';
import { getDriver } from '../drivers/drivers.service.ts';
import type { StopStatus } from './dispatch.schema.ts';
import { findRoute, setRouteStatus } from './dispatch.repo.ts';
import { ownRoute, routeView, tellRoute, type RouteView, type StopView } from './dispatch.service.ts';
import { recordOutcome } from './stops.service.ts';
import { checkMove } from './route-states.ts';
import * as repo from './handover.repo.ts';
import type { HandoverStop, SheetLinks } from './handover.schema.ts';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
/** 128 random bits, URL-safe: 22 characters. */
const newToken = () => randomBytes(16).toString('base64url');
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{22}$/;

/** One answer for every code that does not work (unknown, replaced, expired, its route ended): nothing to probe. */
const unknownCode = () => new HttpError(404, 'not-found', 'Not found', 'This code does not work (any more): the sheet was printed again, it is more than two days old, or its route has ended. Ask the coordinator for a new sheet.');

/** What a sheet prints: its routes as they are now, who walks each, the gate, and each pending stop's code. */
export interface Sheet {
  planId: number;
  /** Printed for a gate (every walk from it), not for one building leader. */
  wholeGate: boolean;
  gate: string | null;
  routes: (RouteView & { walker: string })[];
  codes: Map<number, string>;
  expiresAt: string;
}

/**
 * Prints the sheet of some walking routes: every pending stop gets a new code (the previous sheet's stop
 * working), and a route still only assigned is accepted — handing over the sheet is the volunteer's start.
 */
export async function issueSheet(outbox: Outbox, user: SignedInUser, which: { gateId: number; planId: number } | { routeId: number }): Promise<Sheet> {
  const db = outbox.db;
  const routeIds = 'routeId' in which ? [which.routeId] : await walksFrom(db, which);
  const codes = new Map<number, string>();
  await outbox.transaction(async (tx, notify) => {
    const grants: { stopId: number; routeId: number; tokenHash: string }[] = [];
    for (const id of routeIds) {
      const route = await ownRoute(tx, user, id, true);
      if (route.kind !== 'walking') throw new ConflictError(`route ${id} is a vehicle route: its driver records its stops in the app; sheets are for walking routes`);
      if (route.status === 'completed' || route.status === 'cancelled') throw new ConflictError(`route ${id} is ${route.status}`, { routeStatus: route.status });
      if (route.status === 'assigned') {
        checkMove(route, 'accepted');
        await setRouteStatus(tx, id, 'accepted');
        await tellRoute(tx, notify, id, 'accepted: its handover sheet was printed');
      }
      for (const stop of (await routeView(tx, id)).stops.filter((s) => s.status === 'pending')) {
        const token = newToken();
        codes.set(stop.id, token);
        grants.push({ stopId: stop.id, routeId: id, tokenHash: hashToken(token) });
      }
    }
    await repo.replaceGrants(tx, grants, user.id);
  });
  const routes = await Promise.all(
    routeIds.map(async (id) => {
      const view = await routeView(db, id);
      return { ...view, walker: (await getDriver(db, view.driverId)).name };
    }),
  );
  return {
    planId: routes[0]!.planId,
    wholeGate: 'gateId' in which,
    gate: await gateName(db, routes[0]!.gateId),
    routes,
    codes,
    expiresAt: new Date(Date.now() + repo.SHEET_HOURS * 3600_000).toISOString(),
  };
}

/** A sheet's stops in walking order with the links their codes open. */
export function sheetLinks(sheet: Sheet, link: (code: string) => string): SheetLinks {
  return {
    planId: sheet.planId,
    gate: sheet.gate,
    expiresAt: sheet.expiresAt,
    stops: sheet.routes.flatMap((r) =>
      r.stops.map((s) => ({ routeId: r.id, stopId: s.id, seq: s.seq, trip: s.trip, status: s.status, url: sheet.codes.has(s.id) ? link(sheet.codes.get(s.id)!) : null })),
    ),
  };
}

/** A code that works, as found by its hash (see lookUpCode). */
export interface LiveCode {
  tokenHash: string;
  grant: repo.LiveGrant;
}

/**
 * The code a phone sent, if it works: `{key, found}` for the CodeThrottle (its hash, so a right code is counted
 * against its own limit), undefined for a code that does not (unknown, replaced, expired, its route ended).
 */
export async function lookUpCode(db: Queryable, token: string | undefined): Promise<{ key: string; found: LiveCode } | undefined> {
  if (!token || !TOKEN_SHAPE.test(token)) return undefined;
  const tokenHash = hashToken(token);
  const grant = await repo.liveGrant(db, tokenHash);
  return grant && { key: tokenHash, found: { tokenHash, grant } };
}

/** The stop a code is for, while the code works (undefined: a code that does not, refused as unknownCode). */
export async function handoverStop(db: Queryable, code: LiveCode | undefined): Promise<HandoverStop> {
  if (!code) throw unknownCode();
  const route = await routeView(db, code.grant.routeId);
  return stopOf(db, route.stops.find((s) => s.id === code.grant.stopId)!, route.gateId, code.grant);
}

/**
 * Records a stop's outcome from its code, as the driver app would (recorded as the coordinator who printed the
 * sheet; the audit row has no user and the code's row says when it was used). A delivery names who took it.
 */
export async function recordByCode(outbox: Outbox, code: LiveCode | undefined, input: StopStatus): Promise<HandoverStop> {
  if (input.status === 'delivered' && !input.proof) throw new ValidationError([{ field: 'body.proof', reason: 'say who took the goods' }]);
  if (!code) throw unknownCode();
  const { tokenHash, grant } = code;
  let gateId: number | null = null;
  const stop = await recordOutcome(outbox, grant.stopId, input, {
    actorId: grant.issuedBy,
    async routeOf(tx, routeId) {
      // Checked again under the stop's lock: a reprint or a re-plan meanwhile stops the code.
      const again = await repo.liveGrant(tx, tokenHash, true);
      if (!again || again.routeId !== routeId) throw unknownCode();
      await repo.markUsed(tx, again.id);
      const route = (await findRoute(tx, routeId, true))!;
      gateId = route.gateId;
      return route;
    },
  });
  return stopOf(outbox.db, stop, gateId, grant);
}

/** The stop a code is for, on its route from that gate, as the phone shows it. */
async function stopOf(db: Queryable, stop: StopView, gateId: number | null, grant: repo.LiveGrant): Promise<HandoverStop> {
  return {
    stopId: stop.id,
    seq: stop.seq,
    trip: stop.trip,
    status: stop.status,
    reason: stop.reason,
    gate: await gateName(db, gateId),
    recipient: stop.recipient ? { name: stop.recipient.name, address: stop.recipient.address } : null,
    items: stop.items.map((i) => ({ commodity: i.commodity, unit: i.unit, quantity: i.quantity })),
    proof: stop.proof ? { handedTo: stop.proof.handedTo, receiverName: stop.proof.receiverName, deviceTime: stop.proof.deviceTime } : null,
    expiresAt: grant.expiresAt,
  };
}

async function walksFrom(db: Queryable, { planId, gateId }: { planId: number; gateId: number }): Promise<number[]> {
  const ids = await repo.walksFromGate(db, planId, gateId);
  if (ids.length === 0) throw new NotFoundError(`walking route under way in plan ${planId} from gate`, gateId);
  return ids;
}

async function gateName(db: Queryable, gateId: number | null): Promise<string | null> {
  return gateId === null ? null : ((await allGates(db)).find((g) => g.id === gateId)?.name ?? null);
}
