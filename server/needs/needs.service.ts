// Needs: quantities of a commodity a household asks for. A second report of the same open need
// (same household, same commodity) merges into the first instead of being counted twice.
import { asRequest, lastIn, transactionSettings, type Db, type Queryable, type Tx } from '../db/database.ts';
import { requestContextOf } from '../audit/audit.service.ts';
import { audience } from '../auth/audience.ts';
import type { Notify, Outbox } from '../live/outbox.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { checkCommodityExists } from '../commodities/commodities.service.ts';
import { checkZoneExists, zoneOfPoint, zonesNow } from '../zones/zones.service.ts';
import { checkCommunity, checkRecordInScope, inScope, type CommunityScope } from '../auth/communities.ts';
import { createHousehold, createWithNeeds, findReported, getHousehold, householdFor, mergeReport, type MergeResult } from './households.service.ts';
import { heldForReview, holdForReview } from './household-reviews.service.ts';
import * as repo from './needs.repo.ts';
import type { HouseholdInput, Need, NeedCommunity, NewNeed, needPatch } from './needs.schema.ts';
import { pageOf, type Page, type Paging } from '../http/paging.ts';
import type { z } from 'zod';

const URGENCY_RANK = { low: 0, normal: 1, high: 2, critical: 3 } as const;

export interface RecordedNeed {
  need: Need;
  merged: boolean;
  household: MergeResult['household'];
  householdCreated: boolean;
  keptManual: MergeResult['keptManual'];
}

/** A report that matched another community's household: it waits for a coordinator (household-reviews). */
export interface HeldForReview {
  reviewId: number;
}

export type ReportOutcome = RecordedNeed | HeldForReview;
export const isHeld = (outcome: ReportOutcome): outcome is HeldForReview => 'reviewId' in outcome;

/** Who reports needs and how. */
export interface Reporter {
  /** Named in the need's sources and the household's history: 'form', 'import:<name>'. */
  source: string;
  actorId: number;
  /** The communities they may work in. */
  scope: CommunityScope;
  /** Put before field names in refusals: 'body.' for a form, '' for a CSV row. */
  fieldPrefix: string;
}

/** A need typed in by a person; a later correction of the household (PATCH) is what imports must respect. */
export async function createNeed(outbox: Outbox, input: NewNeed, actorId: number, scope: CommunityScope = null): Promise<RecordedNeed> {
  const slot: ReportSlot = { input, reporter: { source: 'form', actorId, scope, fieldPrefix: 'body.' } };
  await outbox.transaction(async (tx, notify) => {
    // Afresh for each run (a grouped batch may run it again), in this run's request context.
    Object.assign(slot, { outcome: undefined, notify, settings: transactionSettings.getStore() });
    if (mayBeNew(slot)) {
      await checkFresh(tx, slot);
      await lastIn(tx, recordReports, slot);
    } else await recordReports(tx, [slot]);
  });
  const outcome = slot.outcome!;
  if (isHeld(outcome)) throw heldForReview(outcome.reviewId);
  return outcome;
}

/** Records one need inside the caller's transaction, announced to no one (the demo's survey). */
export async function recordNeed(tx: Tx, input: NewNeed, reporter: Reporter): Promise<ReportOutcome> {
  const slot: ReportSlot = { input, reporter };
  await recordReports(tx, [slot]);
  return slot.outcome!;
}

/** A person's report, and once recorded, its outcome. */
interface ReportSlot {
  input: NewNeed;
  reporter: Reporter;
  /** Whom to tell (none: nobody is told). */
  notify?: Notify;
  /** The request's settings (who reports, through which request), its audit context among them. */
  settings?: Record<string, string>;
  outcome?: ReportOutcome;
}

/**
 * What would refuse a report of a household not known yet, checked in the request's own turn: at its batch's end
 * a refusal would have the whole batch written again, each request alone.
 */
async function checkFresh(tx: Tx, { input, reporter }: ReportSlot): Promise<void> {
  await checkCommodityExists(tx, input.commodityId, `${reporter.fieldPrefix}commodityId`);
  if (input.household!.zoneId !== undefined) await checkZoneExists(tx, input.household!.zoneId, `${reporter.fieldPrefix}household.zoneId`);
}

/** A report that may be of a household not known yet, in the reporter's communities (the usual report). */
const mayBeNew = ({ input, reporter }: ReportSlot) => input.household !== undefined && inScope(reporter.scope, input.household.community);

/**
 * Reports recorded and announced: those of households not known yet together, in one statement (in a grouped
 * batch, at its end: a burst is written at line rate); the others (a merge, a household held for review, or
 * something to refuse) each the long way, as its own request.
 */
async function recordReports(tx: Tx, slots: ReportSlot[]): Promise<void> {
  const fresh = slots.filter(mayBeNew);
  const locate = fresh.length > 0 ? await zonesNow(tx) : undefined;
  const created = await createWithNeeds(
    tx,
    fresh.map(({ input, reporter, settings }) => ({
      household: { ...input.household!, zoneId: input.household!.zoneId ?? locate!(input.household!.lat, input.household!.lon)?.id },
      need: firstNeed(input, reporter.source),
      source: reporter.source,
      actorId: reporter.actorId,
      request: requestContextOf(settings),
    })),
  );
  for (const [i, slot] of fresh.entries()) {
    const c = created[i];
    if (c) slot.outcome = { need: c.need, merged: false, household: c.merge.household, householdCreated: true, keptManual: [] };
  }
  for (const slot of slots) {
    slot.outcome ??= await asRequest(tx, slot.settings, () => recordNeedLongWay(tx, slot.input, slot.reporter));
    if (slot.notify && !isHeld(slot.outcome)) await announceRecorded(tx, slot.notify, slot.outcome, slot.reporter.actorId);
  }
}

/** Tells everyone on that community's need sheet that a need changed (stored, replayed on reconnect). */
export async function announce(tx: Queryable, notify: Notify, need: Pick<Need, 'id' | 'version'>, community: string, change: NeedChange, by: number | null): Promise<void> {
  await announceMany(tx, notify, [{ need, community, change }], by);
}

type NeedChange = 'created' | 'updated' | 'merged' | 'fulfilled';

/** Many needs' changes, each told to its community's sheet (whose audience is read once per community). */
export async function announceMany(tx: Queryable, notify: Notify, changes: { need: Pick<Need, 'id' | 'version'>; community: string; change: NeedChange }[], by: number | null): Promise<void> {
  const audiences = new Map<string, number[]>();
  for (const { need, community, change } of changes) {
    if (!audiences.has(community)) audiences.set(community, await audience.sheet(tx, community));
    await notify(audiences.get(community)!, 'need:changed', { needId: need.id, community, version: need.version, change, by });
  }
}

export const announceRecorded = (tx: Queryable, notify: Notify, recorded: RecordedNeed, by: number) =>
  announce(tx, notify, recorded.need, recorded.household.community, recorded.merged ? 'merged' : 'created', by);

/**
 * Records one need (creating or merging its household) inside the caller's transaction, the long way (a report of
 * a household not known yet is written with others by recordReports). A worker tied to communities records only
 * for those: the community they name is checked (403, their own input), and so is the household their address and
 * phone match, as stored and before anything of it is touched. A match in another community is held for a
 * coordinator's review; the reporter learns nothing of that household.
 */
async function recordNeedLongWay(tx: Queryable, input: NewNeed, reporter: Reporter): Promise<ReportOutcome> {
  const { fieldPrefix, scope, source, actorId } = reporter;
  await checkCommodityExists(tx, input.commodityId, `${fieldPrefix}commodityId`);
  if (!input.household) {
    const household = await householdFor(tx, input.householdId!, scope, `${fieldPrefix}householdId`);
    return needOn(tx, { household, created: false, keptManual: [] }, input, source);
  }
  checkCommunity(scope, input.household.community, `${fieldPrefix}household.community`);
  const existing = await findReported(tx, input.household);
  if (existing && !inScope(scope, existing.community)) return { reviewId: await holdForReview(tx, input, existing.id, reporter) };
  const household = await withZone(tx, input.household, reporter);
  const merge = existing ? await mergeReport(tx, existing, household, source, actorId) : await createHousehold(tx, household, source, actorId);
  return needOn(tx, merge, input, source);
}

/** The reported household with its zone: the one named (which must exist), else the zone its point lies in. */
async function withZone(tx: Queryable, household: HouseholdInput, reporter: Pick<Reporter, 'fieldPrefix'>): Promise<HouseholdInput> {
  if (household.zoneId !== undefined) {
    await checkZoneExists(tx, household.zoneId, `${reporter.fieldPrefix}household.zoneId`);
    return household;
  }
  return { ...household, zoneId: (await zoneOfPoint(tx, household.lat, household.lon))?.id };
}

/** A reported need as first written. */
const firstNeed = (input: NewNeed, source: string) => ({ commodityId: input.commodityId, quantity: input.quantity, urgency: input.urgency, deadline: input.deadline ?? null, sources: [source] });

/** The need recorded on its household: new, or merged into the open need of the same commodity. */
export async function needOn(tx: Queryable, merge: MergeResult, input: NewNeed, source: string): Promise<RecordedNeed> {
  const existing = await repo.findOpenNeed(tx, merge.household.id, input.commodityId);
  const result = { household: merge.household, householdCreated: merge.created, keptManual: merge.keptManual };
  if (!existing) {
    const need = await repo.insertNeed(tx, { householdId: merge.household.id, ...firstNeed(input, source) });
    return { need, merged: false, ...result };
  }
  return { need: await mergeInto(tx, existing, input, source), merged: true, ...result };
}

async function mergeInto(tx: Queryable, existing: Need, input: NewNeed, source: string): Promise<Need> {
  return repo.mergeReport(tx, existing.id, mergedNeed(existing, input, source));
}

/** Two reports of one need: keep the larger quantity, the higher urgency and the earlier deadline. */
export function mergedNeed(existing: Pick<Need, 'quantity' | 'urgency' | 'deadline' | 'sources'>, input: Pick<NewNeed, 'quantity' | 'urgency' | 'deadline'>, source: string): Pick<Need, 'quantity' | 'urgency' | 'deadline' | 'sources'> {
  return {
    quantity: Math.max(existing.quantity, input.quantity),
    urgency: URGENCY_RANK[input.urgency] > URGENCY_RANK[existing.urgency] ? input.urgency : existing.urgency,
    deadline: [existing.deadline, input.deadline].filter((d): d is string => !!d).sort()[0] ?? null,
    sources: existing.sources.includes(source) ? existing.sources : [...existing.sources, source],
  };
}

/** An edit from the need sheet: refused with the current record when someone else saved first. */
export async function updateNeed(outbox: Outbox, id: number, patch: z.infer<typeof needPatch>, actorId: number, scope: CommunityScope = null): Promise<Need> {
  return outbox.transaction(async (tx, notify) => {
    const current = await repo.findNeed(tx, id, true);
    if (!current) throw new NotFoundError('need', id);
    const { community } = await inScopeOf(tx, current, scope);
    if (current.version !== patch.version) {
      throw new ConflictError(`need ${id} was changed by someone else (now version ${current.version}); review and save again`, { current }, 'edited-meanwhile');
    }
    if (current.status === 'fulfilled') throw new ConflictError(`need ${id} is fulfilled already`, { current });
    if (patch.quantity !== undefined && patch.quantity < current.fulfilled) {
      throw new ConflictError(`need ${id} has ${current.fulfilled} delivered already; the quantity cannot go below that`, { current });
    }
    const updated = await repo.updateNeed(tx, id, patch);
    await announce(tx, notify, updated, community, 'updated', actorId);
    return updated;
  });
}

export async function getNeed(db: Db, id: number, scope: CommunityScope = null) {
  const need = await repo.findNeed(db, id);
  if (!need) throw new NotFoundError('need', id);
  return { ...need, household: await inScopeOf(db, need, scope) };
}

/** The household of a need, for someone who may work only in some communities: another community's need is not found. */
async function inScopeOf(db: Queryable, need: Need, scope: CommunityScope) {
  const household = await getHousehold(db, need.householdId);
  checkRecordInScope(scope, household.community, 'need', need.id);
  return household;
}

export const listNeeds = repo.listNeeds;

/** A page of the communities a user may see, with their open needs (a district has about a thousand: counted whole, then paged). */
export async function needCommunities(db: Queryable, paging: Paging<'name' | 'openNeeds'>, scope: CommunityScope): Promise<Page<NeedCommunity>> {
  return pageOf(await repo.needCommunities(db, scope), paging, { name: (c) => c.name, openNeeds: (c) => c.openNeeds }, (c) => c.name);
}

/** Goods delivered at a household's door count towards their need; its community's sheet hears of it. */
export async function recordDelivery(tx: Queryable, notify: Notify, needId: number, quantity: number, by: number): Promise<void> {
  const need = await repo.addDelivered(tx, needId, quantity);
  await announce(tx, notify, need, need.community, need.fulfilled >= need.quantity ? 'fulfilled' : 'updated', by);
}

/** Closes what is left of a need (a campaign's winner who forfeited it); its community's sheet hears of it. */
export async function cancelNeed(tx: Queryable, notify: Notify, needId: number, by: number): Promise<void> {
  const need = await repo.updateNeed(tx, needId, { status: 'cancelled' });
  await announce(tx, notify, need, (await getHousehold(tx, need.householdId)).community, 'updated', by);
}

/**
 * What a resident asked for, on their household's need of that commodity (inside the caller's transaction): a new
 * need that waits for a community worker before any plan counts it, or a larger quantity asked of the open need,
 * waiting the same way. Never a second open need, never a change to the quantity a worker set.
 */
export async function recordResidentAsk(tx: Queryable, notify: Notify, household: { id: number; community: string }, commodityId: number, quantity: number, source: string): Promise<Need> {
  const existing = await repo.findOpenNeed(tx, household.id, commodityId);
  const need = existing
    ? await repo.askMore(tx, existing.id, quantity, source)
    : await repo.insertNeed(tx, { householdId: household.id, commodityId, quantity, urgency: 'normal', deadline: null, sources: [source], confirmed: false });
  await announce(tx, notify, need, household.community, existing ? 'merged' : 'created', null);
  return need;
}

export type AskDecision = 'confirm' | 'decline';

/** A community worker confirms or declines what a resident asked of a need in their communities (checked on the need as stored). */
export async function decideAsk(outbox: Outbox, id: number, decision: AskDecision, actorId: number, scope: CommunityScope): Promise<Need> {
  return outbox.transaction(async (tx, notify) => {
    const current = await repo.findNeed(tx, id, true);
    if (!current) throw new NotFoundError('need', id);
    const { community } = await inScopeOf(tx, current, scope);
    if (current.status !== 'open' || (current.confirmed && current.requested === null)) {
      throw new ConflictError(`need ${id} has nothing waiting for confirmation`, { current });
    }
    const decided = decision === 'confirm' ? await repo.confirmAsk(tx, id) : await repo.declineAsk(tx, id);
    await announce(tx, notify, decided, community, 'updated', actorId);
    return decided;
  });
}

/** An urgent medical flag a community worker confirmed: the need becomes critical (inside the caller's transaction). */
export async function markCritical(tx: Queryable, notify: Notify, id: number, actorId: number, scope: CommunityScope): Promise<Need> {
  const current = await repo.findNeed(tx, id, true);
  if (!current) throw new NotFoundError('need', id);
  const { community } = await inScopeOf(tx, current, scope);
  const need = await repo.markCritical(tx, id);
  await announce(tx, notify, need, community, 'updated', actorId);
  return need;
}

/** What residents asked that waits for a community worker, in the worker's communities. */
export const awaitingConfirmation = (db: Queryable, scope: CommunityScope) => repo.awaitingConfirmation(db, scope);

/**
 * A replacement for goods a household received and had to give back (a recall): the quantity is added to
 * its open need of that commodity, or a new need is opened, urgent either way; its community's sheet hears of it.
 */
export async function addReplacement(tx: Queryable, notify: Notify, householdId: number, commodityId: number, quantity: number, source: string, by: number): Promise<Need> {
  const household = await getHousehold(tx, householdId);
  const open = await repo.findOpenNeed(tx, householdId, commodityId);
  const urgency = open && URGENCY_RANK[open.urgency] > URGENCY_RANK.high ? open.urgency : 'high';
  const need = open
    ? await repo.mergeReport(tx, open.id, { quantity: open.quantity + quantity, urgency, deadline: open.deadline, sources: open.sources.includes(source) ? open.sources : [...open.sources, source] })
    : await repo.insertNeed(tx, { householdId, commodityId, quantity, urgency, deadline: null, sources: [source] });
  await announce(tx, notify, need, household.community, open ? 'merged' : 'created', by);
  return need;
}
