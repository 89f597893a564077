// Households asking from their own page: items from the catalogue coordinators open to residents, within
// each item's limits per household and per day, merged into the household's need of that item (never a second
// one) and waiting for a community worker's confirmation; an urgent medical flag; their contact phone.
import type { Queryable } from '../db/database.ts';
import type { Outbox } from '../live/outbox.ts';
import { ConflictError, HttpError, NotFoundError } from '../http/errors.ts';
import { getCommodity, residentCatalogue } from '../commodities/commodities.service.ts';
import type { Commodity } from '../commodities/commodities.schema.ts';
import { lockHousehold, offerPhone } from '../needs/households.service.ts';
import { markCritical, recordResidentAsk } from '../needs/needs.service.ts';
import { checkRecordInScope, type CommunityScope } from '../auth/communities.ts';
import { RESIDENT_SOURCE } from './resident-status.ts';
import { say, type Lang } from './resident-texts.ts';
import type { CatalogueItem, ResidentAsk, ResidentRequest } from './residents.schema.ts';
import { residentRequest } from './residents.service.ts';
import * as repo from './requests.repo.ts';

/** Over an item's limit: 409 with the limit and what is left, the detail in the resident's language. */
const overLimit = (detail: string, extra: Record<string, unknown>) => new HttpError(409, 'over-limit', 'Over the limit', detail, extra);

/** The items a household may ask for, each with its limit per household and what is left of today's. */
export async function catalogueFor(db: Queryable, householdId: number): Promise<CatalogueItem[]> {
  const items = await residentCatalogue(db);
  const asked = await repo.askedToday(db, items.map((c) => c.id), householdId);
  return items.map((c) => ({
    id: c.id,
    name: c.name,
    unit: c.unit,
    category: c.category,
    maxPerHousehold: c.residentMaxPerHousehold,
    leftToday: c.residentMaxPerDay === null ? null : Math.max(0, c.residentMaxPerDay - (asked.get(c.id) ?? 0)),
  }));
}

/**
 * A household asks for an item. Asking again the same day replaces that day's ask (a retry never counts twice);
 * the need takes the larger quantity only once a community worker confirms it.
 */
export async function askFor(outbox: Outbox, householdId: number, ask: ResidentAsk, lang: Lang): Promise<ResidentRequest> {
  const needId = await outbox.transaction(async (tx, notify) => {
    const household = await lockHousehold(tx, householdId);
    if (!household) throw new NotFoundError('household', householdId);
    const commodity = await openCommodity(tx, ask.commodityId, lang);
    await repo.lockCommodityDay(tx, commodity.id);
    await checkLimits(tx, householdId, commodity, ask.quantity, lang);
    const need = await recordResidentAsk(tx, notify, household, commodity.id, ask.quantity, RESIDENT_SOURCE);
    await repo.recordRequest(tx, { householdId, commodityId: commodity.id, needId: need.id, quantity: ask.quantity, urgent: ask.urgent });
    return need.id;
  });
  return residentRequest(outbox.db, householdId, needId, lang);
}

/** A commodity open to residents; any other answers as not found, in the resident's words. */
async function openCommodity(tx: Queryable, id: number, lang: Lang): Promise<Commodity> {
  const commodity = await getCommodity(tx, id, 'body.commodityId').catch(() => undefined);
  if (!commodity?.residentOpen) {
    throw new HttpError(404, 'not-found', 'Not found', say(lang, 'notOpen'), { errors: [{ field: 'body.commodityId', reason: say(lang, 'notOpen') }] });
  }
  return commodity;
}

async function checkLimits(tx: Queryable, householdId: number, commodity: Commodity, quantity: number, lang: Lang): Promise<void> {
  const max = commodity.residentMaxPerHousehold;
  if (max !== null && quantity > max) {
    throw overLimit(say(lang, 'perHousehold', max, commodity.unit), { limit: 'perHousehold', max, errors: [{ field: 'body.quantity', reason: say(lang, 'perHousehold', max, commodity.unit) }] });
  }
  const perDay = commodity.residentMaxPerDay;
  if (perDay === null) return;
  const already = (await repo.todaysRequest(tx, householdId, commodity.id))?.quantity ?? 0;
  const others = (await repo.askedToday(tx, [commodity.id], householdId)).get(commodity.id) ?? 0;
  // Today's own ask is replaced by the larger of the two: only the increase takes from what is left.
  if (others + Math.max(already, quantity) > perDay) {
    const left = Math.max(0, perDay - others);
    throw overLimit(say(lang, 'perDay', left, commodity.unit), { limit: 'perDay', left, errors: [{ field: 'body.quantity', reason: say(lang, 'perDay', left, commodity.unit) }] });
  }
}

/** The household's new contact phone; a phone a worker corrected by hand stands (the worker sees the offer in its history). */
export async function updatePhone(outbox: Outbox, householdId: number, phone: string | null, lang: Lang): Promise<{ phone: 'updated' | 'kept'; text: string }> {
  const { kept } = await outbox.db.transaction((tx) => offerPhone(tx, householdId, phone, RESIDENT_SOURCE));
  return kept ? { phone: 'kept', text: say(lang, 'phoneKept') } : { phone: 'updated', text: say(lang, 'phoneUpdated') };
}

/** A community worker confirms an urgent medical flag (the need becomes critical) or declines it; checked on the record as stored. */
export async function decideUrgent(outbox: Outbox, id: number, decision: 'confirm' | 'decline', actorId: number, scope: CommunityScope): Promise<{ id: number; urgent: repo.UrgentState }> {
  return outbox.transaction(async (tx, notify) => {
    const flag = await repo.lockUrgent(tx, id);
    if (!flag || flag.urgent === null) throw new NotFoundError('urgent flag', id);
    checkRecordInScope(scope, flag.community, 'urgent flag', id);
    if (flag.urgent !== 'pending') throw new ConflictError(`urgent flag ${id} was ${flag.urgent} already`, { urgent: flag.urgent });
    const urgent = decision === 'confirm' ? 'confirmed' : 'declined';
    await repo.setUrgent(tx, id, urgent);
    if (urgent === 'confirmed') await markCritical(tx, notify, flag.needId, actorId, scope);
    return { id, urgent };
  });
}

export const pendingUrgent = repo.pendingUrgent;
