// Lot recall: a coordinator recalls a lot and it is blocked at once (the ledger refuses to reserve or
// dispatch it; approved plans drawing on it are withdrawn; its goods come off every pending stop, and the
// drivers carrying them are told live); the households that received it are listed for their community
// workers to contact, and one action asks for replacements for all of them.
import type { Db } from '../db/database.ts';
import { ConflictError } from '../http/errors.ts';
import type { Outbox } from '../live/outbox.ts';
import type { SignedInUser } from '../auth/roles.ts';
import { checkRecord, warehouseScope } from '../auth/warehouse-scope.ts';
import { communityScope } from '../auth/communities.ts';
import { withdrawPlansUsing } from '../plans/plans.service.ts';
import { pullLot } from '../dispatch/stops.service.ts';
import { addReplacement } from '../needs/needs.service.ts';
import { getLot } from './stock.service.ts';
import * as repo from './stock.repo.ts';
import type { Recall, RecalledLot, RecallRecipient } from './stock.schema.ts';
import { pageOf, type Page, type Paging } from '../http/paging.ts';

export async function recallLot(outbox: Outbox, lotId: number, reason: string, user: SignedInUser): Promise<Recall> {
  return outbox.transaction(async (tx, notify) => {
    const lot = await getLot(tx, lotId, undefined, true);
    checkRecord(warehouseScope(user), [lot.warehouseId], 'lot', lotId);
    if (lot.recalledAt) throw new ConflictError(`lot ${lotId} was recalled already (${lot.recallReason})`, { recalledAt: lot.recalledAt }, 'recalled');
    await repo.markRecalled(tx, lotId, reason, user.id);
    const note = `lot ${lot.lotCode} recalled: ${reason}`;
    const withdrawnPlanIds = await withdrawPlansUsing(tx, notify, lotId, user.id, note);
    const routes = await pullLot(tx, notify, lotId, user.id, note);
    const households = await recipients(tx, lotId, null);
    return { lot: await getLot(tx, lotId), households, communities: [...new Set(households.map((h) => h.community))].sort(), routes, withdrawnPlanIds };
  });
}

/** Recalled lots with the households that received them: a coordinator's warehouses, a community worker's communities. */
export async function listRecalls(db: Db, user: SignedInUser, paging: Paging<'id' | 'recalledAt'>): Promise<Page<RecalledLot>> {
  const communities = communityScope(user);
  const lots = await repo.recalledLots(db, warehouseScope(user));
  const received = await repo.recipientsOfLots(db, lots.map((l) => l.id), communities);
  const recalls = lots
    .map((lot) => ({ lot, households: received.filter((r) => r.lotId === lot.id).map(({ lotId: _l, ...r }) => r) }))
    .filter((recall) => user.role !== 'community' || recall.households.length > 0);
  // Recalls are rare (a handful a month): the page is cut from the whole list.
  return pageOf(recalls, paging, { id: (r) => r.lot.id, recalledAt: (r) => r.lot.recalledAt }, (r) => r.lot.id);
}

/**
 * Replacement needs for every household that received a recalled lot: the quantity it received, of the same
 * commodity, urgent (added to the household's open need of it, if any). Once per recall.
 */
export async function replaceRecalled(outbox: Outbox, lotId: number, user: SignedInUser): Promise<{ needIds: number[] }> {
  return outbox.transaction(async (tx, notify) => {
    const lot = await getLot(tx, lotId, undefined, true);
    checkRecord(warehouseScope(user), [lot.warehouseId], 'lot', lotId);
    if (!lot.recalledAt) throw new ConflictError(`lot ${lotId} is not recalled`);
    if (lot.replacedAt) throw new ConflictError(`replacements for lot ${lotId} were asked for already`, { replacedAt: lot.replacedAt });
    const needIds: number[] = [];
    for (const r of await recipients(tx, lotId, null)) {
      needIds.push((await addReplacement(tx, notify, r.householdId, r.commodityId, r.quantity, `recall of lot ${lot.lotCode}`, user.id)).id);
    }
    await repo.markReplaced(tx, lotId);
    return { needIds };
  });
}

async function recipients(db: Parameters<typeof repo.recipientsOfLots>[0], lotId: number, communities: readonly string[] | null): Promise<RecallRecipient[]> {
  return (await repo.recipientsOfLots(db, [lotId], communities)).map(({ lotId: _l, ...r }) => r);
}
