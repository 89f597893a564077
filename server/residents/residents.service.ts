// What a household sees at /h/<code>: its name and community, and each of its requests with its status
// in plain words. Nothing about other households, and nothing the household did not give itself.
import type { Queryable } from '../db/database.ts';
import { getHousehold } from '../needs/households.service.ts';
import { NotFoundError } from '../http/errors.ts';
import { describe, recallText, statusText, type NeedFacts } from './resident-status.ts';
import { say, type Lang } from './resident-texts.ts';
import type { ResidentRequest, ResidentView } from './residents.schema.ts';
import type { HouseholdEntry } from '../campaigns/campaigns.schema.ts';
import { entriesOfHousehold } from '../campaigns/campaigns.service.ts';
import * as repo from './residents.repo.ts';
import { urgentFlags } from './requests.repo.ts';

export async function residentView(db: Queryable, householdId: number, lang: Lang): Promise<ResidentView> {
  const household = await getHousehold(db, householdId);
  return {
    lang,
    household: { name: household.name, community: household.community },
    notices: (await repo.recallsReceived(db, householdId)).map((recall) => ({ kind: 'recall' as const, text: recallText(lang, recall) })),
    requests: await requestsOf(db, householdId, lang),
    campaigns: (await entriesOfHousehold(db, householdId)).map((entry) => ({ ...entry, statusText: entryText(entry, lang) })),
  };
}

/** Where a campaign entry stands, in the household's words: entered (the draw is at closing), drawn, on the waiting list, or passed on. */
function entryText(entry: HouseholdEntry, lang: Lang): string {
  switch (entry.status) {
    case 'entered':
      return say(lang, 'campaignEntered');
    case 'won':
      return say(lang, 'campaignWon', entry.given, entry.unit);
    case 'waiting':
      return say(lang, 'campaignWaiting', entry.waitingPlace ?? 0);
    case 'forfeited':
      return say(lang, 'campaignForfeited');
  }
}

/** One of the household's requests (what asking answers with). */
export async function residentRequest(db: Queryable, householdId: number, needId: number, lang: Lang): Promise<ResidentRequest> {
  const request = (await requestsOf(db, householdId, lang)).find((r) => r.id === needId);
  if (!request) throw new NotFoundError('request', needId);
  return request;
}

async function requestsOf(db: Queryable, householdId: number, lang: Lang): Promise<ResidentRequest[]> {
  const needs = await repo.needFactsOf(db, householdId);
  const urgent = await urgentFlags(db, needs.map((n) => n.id));
  return needs.map((need) => toRequest(need, urgent.get(need.id), lang));
}

function toRequest(need: NeedFacts, urgent: string | undefined, lang: Lang): ResidentRequest {
  const described = describe(need);
  const open = need.status === 'open';
  const asked = open && need.requested !== null ? need.requested : null;
  const flag = urgent === 'pending' || urgent === 'confirmed' ? urgent : null;
  return {
    id: need.id,
    commodity: need.commodity,
    unit: need.unit,
    quantity: need.quantity,
    delivered: need.fulfilled,
    open,
    status: described.status,
    statusText: statusText(need, described, lang),
    asked,
    askedText: asked === null ? null : say(lang, 'askedMore', asked, need.unit),
    urgent: flag,
    urgentText: flag === null ? null : say(lang, flag === 'pending' ? 'urgentPending' : 'urgentConfirmed'),
    updatedAt: need.updatedAt,
  };
}
