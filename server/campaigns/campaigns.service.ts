// Campaigns: opening one (its seed committed by its hash), the batch that writes a burst of entries (one
// per household, judged on the household as stored), the close that reveals the seed and runs the draw
// (winners become needs for the next plan), the published results, and the waiting list moving up when a
// winner's delivery fails at the door.
import { randomBytes } from 'node:crypto';
import type { Db, Queryable, Tx } from '../db/database.ts';
import type { Notify, Outbox } from '../live/outbox.ts';
import { ConflictError, HttpError, NotFoundError } from '../http/errors.ts';
import { getCommodity } from '../commodities/commodities.service.ts';
import { checkRecordInScope, type CommunityScope } from '../auth/communities.ts';
import { audience } from '../auth/audience.ts';
import { getHousehold } from '../needs/households.service.ts';
import { announceRecorded, cancelNeed, needOn } from '../needs/needs.service.ts';
import { newCode } from '../residents/access.service.ts';
import { defaultPolicy, tierOf } from '../../solver/allocation/policy.ts';
import { vulnerabilityFlags } from '../../domain/values.ts';
import { draw, DRAW_RULE, sha256, type DrawResults } from './draw.ts';
import { flagColumns, type Campaign, type CampaignLive, type CampaignState, type CampaignView, type Eligibility, type Entry, type HouseholdEntry, type ListedCampaign, type NewCampaign } from './campaigns.schema.ts';
import * as repo from './campaigns.repo.ts';
import type { Page, Paging } from '../db/rows.ts';

/** The source a campaign's winner's need carries. */
export const campaignSource = (campaignId: number) => `campaign:${campaignId}`;

export async function openCampaign(db: Db, input: NewCampaign, actorId: number): Promise<{ id: number; seedHash: string }> {
  return db.transaction(async (tx) => {
    await getCommodity(tx, input.commodityId, 'body.commodityId');
    const seed = randomBytes(32).toString('hex');
    const seedHash = sha256(seed);
    const id = await repo.insertCampaign(tx, { ...input, seed, seedHash, createdBy: actorId });
    return { id, seedHash };
  });
}

export async function getCampaign(db: Queryable, id: number): Promise<Campaign> {
  const campaign = await repo.findCampaign(db, id);
  if (!campaign) throw new NotFoundError('campaign', id);
  return campaign;
}

export function stateAt(campaign: Pick<Campaign, 'opensAt' | 'closesAt' | 'closedAt'>, now: number): CampaignState {
  if (campaign.closedAt || now >= Date.parse(campaign.closesAt)) return 'closed';
  return now < Date.parse(campaign.opensAt) ? 'upcoming' : 'open';
}

export class NotOpenError extends HttpError {
  constructor(campaign: Pick<Campaign, 'id' | 'opensAt'>) {
    super(409, 'not-open', 'Not open yet', `campaign ${campaign.id} takes requests from ${campaign.opensAt}`, { opensAt: campaign.opensAt });
  }
}

export class ClosedError extends HttpError {
  constructor(campaign: Pick<Campaign, 'id' | 'closesAt'>) {
    super(409, 'closed', 'Closed', `campaign ${campaign.id} stopped taking requests at ${campaign.closesAt}`, { closesAt: campaign.closesAt });
  }
}

export class NotEligibleError extends HttpError {
  constructor(reason: string) {
    super(422, 'not-eligible', 'Not eligible', reason);
  }
}

/** The public page's figures, read from the database (served through a short cache: see intake.ts). */
export async function campaignView(db: Queryable, id: number): Promise<CampaignView> {
  const campaign = await getCampaign(db, id);
  const commodity = await getCommodity(db, campaign.commodityId);
  const { entries, requested, given } = await repo.counts(db, id);
  const now = Date.now();
  return {
    id,
    commodity: commodity.name,
    unit: commodity.unit,
    quantity: campaign.quantity,
    perHouseholdCap: campaign.perHouseholdCap,
    eligibility: campaign.eligibility,
    opensAt: campaign.opensAt,
    closesAt: campaign.closesAt,
    state: stateAt(campaign, now),
    seedHash: campaign.seedHash,
    entries,
    requested,
    remaining: campaign.quantity - given,
    asOf: new Date(now).toISOString(),
  };
}

/** The coordinator's live view: the page's figures with entries per minute, the tier mix and the time left. */
export async function liveView(db: Queryable, id: number, intake: CampaignLive['intake']): Promise<CampaignLive> {
  const view = await campaignView(db, id);
  const timeLeftS = view.state === 'closed' ? 0 : Math.max(0, Math.round((Date.parse(view.closesAt) - Date.now()) / 1000));
  return { ...view, ...(await repo.liveFigures(db, id)), timeLeftS, intake };
}

export async function listCampaigns(db: Queryable, paging: Paging<'id' | 'opensAt' | 'closesAt'>): Promise<Page<ListedCampaign>> {
  const page = await repo.listCampaigns(db, paging);
  return { ...page, items: page.items.map(({ seed: _secret, ...campaign }) => campaign) };
}

/** One request for an entry: by access code (its hash) or, through a community worker, by household. */
export type EntryRequest = { campaignId: number; quantity: number } & ({ via: 'code'; codeHash: string } | { via: 'worker'; householdId: number });

export type EntryAnswer = { kind: 'entered' | 'repeat'; entry: Entry } | { kind: 'unknown-code' } | { kind: 'refused'; error: HttpError };

/** Why a household may not enter, judged on its record as stored; undefined when it may. */
function ineligibility(rule: Eligibility, h: repo.HouseholdFacts): string | undefined {
  if (rule.zones && (h.zone_id === null || !rule.zones.includes(h.zone_id))) return 'this campaign is for households of other zones';
  if (rule.communities && !rule.communities.includes(h.community)) return 'this campaign is for households of other communities';
  if (rule.flags && !rule.flags.some((f) => h[flagColumns[f] as keyof repo.HouseholdFacts])) return 'this campaign is for households with other vulnerabilities';
  return undefined;
}

/** The household's need tier by the allocation policy (1 = most vulnerable), from its flags as stored. */
function tierOfHousehold(h: repo.HouseholdFacts, quantity: number): number {
  const flags = vulnerabilityFlags.map((f) => flagColumns[f]).filter((column) => h[column as keyof repo.HouseholdFacts]);
  return tierOf({ id: String(h.id), commodityId: '', quantity, flags }, defaultPolicy);
}

/**
 * Writes a batch of requests in one transaction: each campaign is held (FOR SHARE) so a close waits for the
 * batch and a batch after the close sees it; every code is looked up at once; the new entries go in with one
 * multi-row INSERT … ON CONFLICT DO NOTHING; then every request's entry (new or already there) is read back.
 */
export async function writeEntries(db: Db, requests: EntryRequest[]): Promise<EntryAnswer[]> {
  return db.transaction(async (tx) => {
    const campaigns = new Map<number, Campaign | undefined>();
    for (const id of new Set(requests.map((r) => r.campaignId))) campaigns.set(id, await repo.findCampaign(tx, id, 'share'));
    const codeHashes = requests.flatMap((r) => (r.via === 'code' ? [r.codeHash] : []));
    const householdIds = requests.flatMap((r) => (r.via === 'worker' ? [r.householdId] : []));
    const byCode = codeHashes.length ? await repo.householdsOfCodes(tx, codeHashes) : new Map<string, repo.HouseholdFacts>();
    const byId = householdIds.length ? await repo.householdsByIds(tx, householdIds) : new Map<number, repo.HouseholdFacts>();
    const now = Date.now();
    const answers: EntryAnswer[] = [];
    const keys: string[] = [];
    const fresh: repo.NewEntry[] = [];
    requests.forEach((r, i) => {
      const campaign = campaigns.get(r.campaignId);
      const household = r.via === 'code' ? byCode.get(r.codeHash) : byId.get(r.householdId);
      const refusal = refusalOf(campaign, r, household, now);
      if (refusal) return void (answers[i] = refusal);
      keys[i] = `${r.campaignId}:${household!.id}`;
      const receipt = newCode();
      fresh.push({ campaignId: r.campaignId, householdId: household!.id, receipt, receiptHash: sha256(receipt), quantity: r.quantity, tier: tierOfHousehold(household!, r.quantity), via: r.via });
    });
    if (fresh.length === 0) return answers;
    const inserted = await repo.insertEntries(tx, fresh);
    const stored = await repo.entriesOf(tx, fresh);
    keys.forEach((key, i) => {
      // Two requests of one household in the same batch: the first made the entry, the second repeats it.
      const entered = inserted.delete(key);
      answers[i] = { kind: entered ? 'entered' : 'repeat', entry: stored.get(key)! };
    });
    return answers;
  });
}

function refusalOf(campaign: Campaign | undefined, r: EntryRequest, household: repo.HouseholdFacts | undefined, now: number): EntryAnswer | undefined {
  if (!campaign) return { kind: 'refused', error: new NotFoundError('campaign', r.campaignId) };
  const state = stateAt(campaign, now);
  if (state !== 'open') return { kind: 'refused', error: state === 'closed' ? new ClosedError(campaign) : new NotOpenError(campaign) };
  if (!household) return r.via === 'code' ? { kind: 'unknown-code' } : { kind: 'refused', error: new NotFoundError('household', r.householdId, 'body.householdId') };
  const why = ineligibility(campaign.eligibility, household);
  return why ? { kind: 'refused', error: new NotEligibleError(why) } : undefined;
}

/** A household a community worker enters for: another community's answers 404, as if it did not exist. */
export async function checkHouseholdInScope(db: Queryable, householdId: number, scope: CommunityScope): Promise<void> {
  const household = await getHousehold(db, householdId, 'body.householdId');
  checkRecordInScope(scope, household.community, 'household', householdId, 'body.householdId');
}

/**
 * Closes the campaign and runs the draw, in one transaction: the campaign is locked first (a batch still
 * writing finishes before, any later one finds it closed), the seed is revealed, every entry gets its rank
 * and outcome, and each winner's award becomes a need of its household that the next plan weighs.
 */
export async function closeCampaign(outbox: Outbox, id: number, actorId: number): Promise<DrawResults> {
  await outbox.transaction(async (tx, notify) => {
    const campaign = await repo.findCampaign(tx, id, 'update');
    if (!campaign) throw new NotFoundError('campaign', id);
    if (campaign.closedAt) return;
    if (stateAt(campaign, Date.now()) === 'upcoming') throw new NotOpenError(campaign);
    const entries = await repo.entriesForDraw(tx, id);
    const drawn = draw(campaign.seed, campaign.quantity, entries);
    await repo.saveDraw(tx, id, drawn);
    const householdOf = new Map(entries.map((e) => [e.receiptHash, e.householdId]));
    for (const winner of drawn.filter((d) => d.outcome === 'won')) {
      await award(tx, notify, campaign, householdOf.get(winner.receiptHash)!, winner.awarded, actorId);
    }
    await repo.markClosed(tx, id);
    await notify(await audience.board(tx), 'campaign:changed', { campaignId: id, change: 'drawn' });
  });
  return results(outbox.db, id);
}

/** A winner's units become a need of its household (merged into an open need of the same commodity, if any). */
async function award(tx: Tx, notify: Notify, campaign: Campaign, householdId: number, quantity: number, actorId: number): Promise<void> {
  const household = await getHousehold(tx, householdId);
  const recorded = await needOn(tx, { household, created: false, keptManual: [] }, { commodityId: campaign.commodityId, quantity, urgency: 'normal' }, campaignSource(campaign.id));
  await repo.setNeed(tx, campaign.id, householdId, recorded.need.id);
  await announceRecorded(tx, notify, recorded, actorId);
}

/** The published results of a closed campaign: the seed, its hash and the draw per hashed receipt. No person. */
export async function results(db: Queryable, id: number): Promise<DrawResults> {
  const campaign = await getCampaign(db, id);
  if (!campaign.closedAt) throw new ConflictError(`campaign ${id} is not closed yet: its results are published at closing`, {}, 'not-open');
  const commodity = await getCommodity(db, campaign.commodityId);
  return {
    campaign: {
      id,
      commodity: commodity.name,
      unit: commodity.unit,
      quantity: campaign.quantity,
      perHouseholdCap: campaign.perHouseholdCap,
      opensAt: campaign.opensAt,
      closesAt: campaign.closesAt,
      closedAt: campaign.closedAt,
    },
    rule: DRAW_RULE,
    seed: campaign.seed,
    seedHash: campaign.seedHash,
    entries: await repo.drawnEntries(db, id),
  };
}

/** A household's own entry, with its current place on the waiting list. */
export async function entryOf(db: Queryable, campaignId: number, householdId: number) {
  const entry = await repo.entryWithPlace(db, campaignId, householdId);
  if (!entry) throw new NotFoundError('entry of campaign', campaignId);
  return entry;
}

/** A household's entries in every campaign, for its own page. */
export const entriesOfHousehold = (db: Queryable, householdId: number): Promise<HouseholdEntry[]> => repo.entriesOfHousehold(db, householdId);

/**
 * A delivery failed at a household's door (or was refused), in the stop's transaction: a campaign winner
 * whose need it carried forfeits the rest of the award, and the units pass down the waiting list.
 */
export async function deliveryFailed(tx: Tx, notify: Notify, needIds: number[], actorId: number): Promise<void> {
  for (const winner of await repo.winnersOfNeeds(tx, needIds)) {
    await repo.forfeit(tx, winner.campaignId, winner.householdId);
    await cancelNeed(tx, notify, winner.needId, actorId);
    const campaign = (await repo.findCampaign(tx, winner.campaignId))!;
    let freed = winner.given;
    for (let next = await repo.firstWaiting(tx, campaign.id); next && freed > 0; next = await repo.firstWaiting(tx, campaign.id)) {
      const given = Math.min(next.quantity, freed);
      freed -= given;
      await repo.promote(tx, campaign.id, next.householdId, given);
      await award(tx, notify, campaign, next.householdId, given, actorId);
    }
    // Everyone still waiting has a new place.
    await notify(await audience.board(tx), 'campaign:changed', { campaignId: campaign.id, change: 'moved-up' });
  }
}
