// Needs: quantities of a commodity a household asks for. A second report of the same open need
// (same household, same commodity) merges into the first instead of being counted twice.
import type { Db, Queryable } from '../db/database.ts';
import { audience, type LiveHub, type Notify } from '../live/hub.ts';
import { findRow, insertRow, toCamel } from '../db/rows.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { getCommodity } from '../commodities/commodities.service.ts';
import { listZones } from '../zones/zones.service.ts';
import { zoneAt } from '../zones/zone-geometry.ts';
import { checkCommunity, type CommunityScope } from '../auth/communities.ts';
import { getHousehold, householdFor, upsertHousehold, type MergeResult } from './households.service.ts';
import * as repo from './needs.repo.ts';
import type { Need } from './needs.repo.ts';
import type { HouseholdInput, NewNeed, needPatch } from './needs.schema.ts';
import type { z } from 'zod';

const URGENCY_RANK = { low: 0, normal: 1, high: 2, critical: 3 } as const;

export interface RecordedNeed {
  need: Need;
  merged: boolean;
  household: MergeResult['household'];
  householdCreated: boolean;
  keptManual: MergeResult['keptManual'];
}

/** A need typed in by a person; a later correction of the household (PATCH) is what imports must respect. */
export async function createNeed(live: LiveHub, input: NewNeed, actorId: number, scope: CommunityScope = null): Promise<RecordedNeed> {
  return live.transaction(async (tx, notify) => {
    const recorded = await recordNeed(tx, input, 'form', actorId, 'body.', scope);
    await announce(tx, notify, recorded.need, recorded.household.community, recorded.merged ? 'merged' : 'created', actorId);
    return recorded;
  });
}

/** Tells everyone on that community's need sheet that a need changed (stored, replayed on reconnect). */
export async function announce(tx: Queryable, notify: Notify, need: Pick<Need, 'id' | 'version'>, community: string, change: 'created' | 'updated' | 'merged' | 'fulfilled', by: number | null): Promise<void> {
  await notify(await audience.sheet(tx, community), 'need:changed', { needId: need.id, community, version: need.version, change, by });
}

/**
 * Records one need (creating or merging its household) inside the caller's transaction. A worker tied to
 * communities may record only for those (checked on what they sent and on the household it lands in).
 */
export async function recordNeed(tx: Queryable, input: NewNeed, source: string, actorId: number, fieldPrefix: string, scope: CommunityScope = null): Promise<RecordedNeed> {
  await getCommodity(tx, input.commodityId, `${fieldPrefix}commodityId`);
  let merge: MergeResult;
  if (input.household) {
    checkCommunity(scope, input.household.community, `${fieldPrefix}household.community`);
    await checkZone(tx, input.household, fieldPrefix);
    const zoneId = input.household.zoneId ?? zoneAt(await listZones(tx), input.household.lat, input.household.lon)?.id;
    merge = await upsertHousehold(tx, { ...input.household, zoneId }, source, actorId);
  } else {
    merge = { household: await getHousehold(tx, input.householdId!, `${fieldPrefix}householdId`), created: false, keptManual: [] };
  }
  checkCommunity(scope, merge.household.community, input.household ? `${fieldPrefix}household.address` : `${fieldPrefix}householdId`);
  const existing = await repo.findOpenNeed(tx, merge.household.id, input.commodityId);
  const result = { household: merge.household, householdCreated: merge.created, keptManual: merge.keptManual };
  if (!existing) {
    const need = await insertRow<Need>(tx, 'needs', {
      householdId: merge.household.id,
      commodityId: input.commodityId,
      quantity: input.quantity,
      urgency: input.urgency,
      deadline: input.deadline ?? null,
      sources: [source],
    });
    return { need, merged: false, ...result };
  }
  return { need: await mergeInto(tx, existing, input, source), merged: true, ...result };
}

/** Two reports of one need: keep the larger quantity, the higher urgency and the earlier deadline. */
async function mergeInto(tx: Queryable, existing: Need, input: NewNeed, source: string): Promise<Need> {
  const urgency = URGENCY_RANK[input.urgency] > URGENCY_RANK[existing.urgency] ? input.urgency : existing.urgency;
  const deadline = [existing.deadline, input.deadline].filter((d): d is string => !!d).sort()[0] ?? null;
  const sources = existing.sources.includes(source) ? existing.sources : [...existing.sources, source];
  const [row] = await tx.query(
    `UPDATE needs SET quantity = GREATEST(quantity, $2), urgency = $3, deadline = $4, sources = $5, version = version + 1, updated_at = now()
     WHERE id = $1 RETURNING *`,
    [existing.id, input.quantity, urgency, deadline, sources],
  );
  return toCamel<Need>(row!);
}

async function checkZone(tx: Queryable, household: HouseholdInput, fieldPrefix: string): Promise<void> {
  if (household.zoneId !== undefined && !(await findRow(tx, 'zones', household.zoneId))) {
    throw new NotFoundError('zone', household.zoneId, `${fieldPrefix}household.zoneId`);
  }
}

/** An edit from the need sheet: refused with the current record when someone else saved first. */
export async function updateNeed(live: LiveHub, id: number, patch: z.infer<typeof needPatch>, actorId: number, scope: CommunityScope = null): Promise<Need> {
  return live.transaction(async (tx, notify) => {
    const current = await findRow<Need>(tx, 'needs', id, true);
    if (!current) throw new NotFoundError('need', id);
    const { community } = await householdFor(tx, current.householdId, scope);
    if (current.version !== patch.version) {
      throw new ConflictError(`need ${id} was changed by someone else (now version ${current.version}); review and save again`, { current });
    }
    if (current.status === 'fulfilled') throw new ConflictError(`need ${id} is fulfilled already`, { current });
    if (patch.quantity !== undefined && patch.quantity < current.fulfilled) {
      throw new ConflictError(`need ${id} has ${current.fulfilled} delivered already; the quantity cannot go below that`, { current });
    }
    const [row] = await tx.query(
      `UPDATE needs SET quantity = COALESCE($2, quantity), urgency = COALESCE($3, urgency),
         deadline = CASE WHEN $4::boolean THEN $5::date ELSE deadline END, status = COALESCE($6, status),
         version = version + 1, updated_at = now()
       WHERE id = $1 RETURNING *`,
      [id, patch.quantity ?? null, patch.urgency ?? null, patch.deadline !== undefined, patch.deadline ?? null, patch.status ?? null],
    );
    const updated = toCamel<Need>(row!);
    await announce(tx, notify, updated, community, 'updated', actorId);
    return updated;
  });
}

export async function getNeed(db: Db, id: number, scope: CommunityScope = null) {
  const need = await findRow<Need>(db, 'needs', id);
  if (!need) throw new NotFoundError('need', id);
  return { ...need, household: await householdFor(db, need.householdId, scope) };
}

export const listNeeds = repo.listNeeds;
