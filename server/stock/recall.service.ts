// Lot recall: a coordinator recalls a lot and it is blocked at once, with every pack made from it (the ledger
// refuses to reserve, dispatch or pack it; approved plans drawing on it are withdrawn; its goods come off every pending stop, and the
// drivers carrying them are told live); the households that received it are listed for their community
// workers to contact, and one action asks for replacements for all of them.
import type { Db, Queryable } from '../db/database.ts';
import { ConflictError } from '../http/errors.ts';
import type { Outbox } from '../live/outbox.ts';
import type { SignedInUser } from '../auth/roles.ts';
import { checkRecord, warehouseScope } from '../auth/warehouse-scope.ts';
import { communityScope } from '../auth/communities.ts';
import { withdrawPlansUsing } from '../plans/plans.service.ts';
import { pullLot } from '../dispatch/stops.service.ts';
import { addReplacement } from '../needs/needs.service.ts';
import { packLotsContaining } from '../packs/packs.service.ts';
import { getLot } from './stock.service.ts';
import * as repo from './stock.repo.ts';
import type { Lot, Recall, RecalledLot, RecallRoute } from './stock.schema.ts';
import { pageOf, type Page, type Paging } from '../http/paging.ts';

export async function recallLot(outbox: Outbox, lotId: number, reason: string, user: SignedInUser): Promise<Recall> {
  return outbox.transaction(async (tx, notify) => {
    const lot = await getLot(tx, lotId, undefined, true);
    checkRecord(warehouseScope(user), [lot.warehouseId], 'lot', lotId);
    if (lot.recalledAt) throw new ConflictError(`lot ${lotId} was recalled already (${lot.recallReason})`, { recalledAt: lot.recalledAt }, 'recalled');
    // Packs made with it hold its units: they are recalled with it (those recalled already keep their own reason).
    const packLots = await packLotsOf(tx, lotId);
    const blocked = [{ lot, reason }, ...packLots.filter((p) => !p.recalledAt).map((p) => ({ lot: p, reason: `made with recalled lot ${lot.lotCode}: ${reason}` }))];
    const withdrawn = new Set<number>();
    const routes = new Map<number, RecallRoute>();
    for (const { lot: blockedLot, reason: why } of blocked) {
      await repo.markRecalled(tx, blockedLot.id, why, user.id);
      const note = `lot ${blockedLot.lotCode} recalled: ${why}`;
      for (const id of await withdrawPlansUsing(tx, notify, blockedLot.id, user.id, note)) withdrawn.add(id);
      for (const route of await pullLot(tx, notify, blockedLot.id, user.id, note)) {
        const seen = routes.get(route.routeId);
        routes.set(route.routeId, seen ? { ...route, stopIds: [...new Set([...seen.stopIds, ...route.stopIds])].sort((a, b) => a - b) } : route);
      }
    }
    const households = await repo.recipientsOfLots(tx, [lotId, ...packLots.map((p) => p.id)], null);
    return {
      lot: await getLot(tx, lotId),
      packLots: await Promise.all(packLots.map((p) => getLot(tx, p.id))),
      households,
      communities: [...new Set(households.map((h) => h.community))].sort(),
      routes: [...routes.values()],
      withdrawnPlanIds: [...withdrawn].sort((a, b) => a - b),
    };
  });
}

/** The pack lots made with units of a lot, locked (after it: a pack lot is always newer than its components, so locks keep id order). */
async function packLotsOf(tx: Queryable, lotId: number): Promise<Lot[]> {
  const lots: Lot[] = [];
  for (const id of await packLotsContaining(tx, lotId)) lots.push(await getLot(tx, id, undefined, true));
  return lots;
}

/** Recalled lots with the households that received them: a coordinator's warehouses, a community worker's communities. */
export async function listRecalls(db: Db, user: SignedInUser, paging: Paging<'id' | 'recalledAt'>): Promise<Page<RecalledLot>> {
  const communities = communityScope(user);
  const lots = await repo.recalledLots(db, warehouseScope(user));
  const received = await repo.recipientsOfLots(db, lots.map((l) => l.id), communities);
  const recalls = lots
    .map((lot) => ({ lot, households: received.filter((r) => r.lotId === lot.id) }))
    .filter((recall) => user.role !== 'community' || recall.households.length > 0);
  // Recalls are rare (a handful a month): the page is cut from the whole list.
  return pageOf(recalls, paging, { id: (r) => r.lot.id, recalledAt: (r) => r.lot.recalledAt }, (r) => r.lot.id);
}

/**
 * Replacement needs for every household that received a recalled lot, or packs made with it: the quantity it
 * received, of the same commodity (the pack, for a pack), urgent (added to the household's open need of it, if
 * any). Once per recalled lot.
 */
export async function replaceRecalled(outbox: Outbox, lotId: number, user: SignedInUser): Promise<{ needIds: number[] }> {
  return outbox.transaction(async (tx, notify) => {
    const lot = await getLot(tx, lotId, undefined, true);
    checkRecord(warehouseScope(user), [lot.warehouseId], 'lot', lotId);
    if (!lot.recalledAt) throw new ConflictError(`lot ${lotId} is not recalled`);
    if (lot.replacedAt) throw new ConflictError(`replacements for lot ${lotId} were asked for already`, { replacedAt: lot.replacedAt });
    const lots = [lot, ...(await packLotsOf(tx, lotId)).filter((p) => p.recalledAt && !p.replacedAt)];
    const codes = new Map(lots.map((l) => [l.id, l.lotCode]));
    const needIds: number[] = [];
    for (const r of await repo.recipientsOfLots(tx, [...codes.keys()], null)) {
      needIds.push((await addReplacement(tx, notify, r.householdId, r.commodityId, r.quantity, `recall of lot ${codes.get(r.lotId)}`, user.id)).id);
    }
    for (const l of lots) await repo.markReplaced(tx, l.id);
    return { needIds };
  });
}
