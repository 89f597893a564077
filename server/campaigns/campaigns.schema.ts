// Campaigns: the input schemas (opening one, a household's request by code or through its community
// worker) and the records the API answers with (the web app imports these types).
import { z } from 'zod';
import { recordId, units } from '../http/schemas.ts';
import { listQuery, MAX_LIMIT } from '../http/paging.ts';
import { vulnerabilityFlags, type VulnerabilityFlag } from '../../domain/values.ts';
import type { DrawResults } from './draw.ts';

export type { DrawResults };

export const eligibility = z.strictObject({
  zones: z.array(recordId).min(1).max(500).optional().describe('the household lies in one of these zones'),
  communities: z.array(z.string().trim().min(1).max(200)).min(1).max(500).optional().describe('the household belongs to one of these communities'),
  flags: z.array(z.enum(vulnerabilityFlags)).min(1).optional().describe('the household has at least one of these vulnerability flags'),
});
export type Eligibility = z.infer<typeof eligibility>;

export const newCampaign = z
  .strictObject({
    commodityId: recordId,
    quantity: units.describe('units to release in all'),
    opensAt: z.iso.datetime({ offset: true }),
    closesAt: z.iso.datetime({ offset: true }),
    perHouseholdCap: units.describe('the most one household may ask for'),
    eligibility: eligibility.default({}),
  })
  .refine((c) => Date.parse(c.closesAt) > Date.parse(c.opensAt), { path: ['closesAt'], message: 'must be after opensAt' });
export type NewCampaign = z.infer<typeof newCampaign>;

export const campaignRequest = z.strictObject({
  code: z.string().min(1).max(64).describe("the household's access code, as typed or scanned"),
  quantity: units,
});

export const workerRequest = z.strictObject({ householdId: recordId, quantity: units });

export const campaignState = ['upcoming', 'open', 'closed'] as const;
export type CampaignState = (typeof campaignState)[number];

/** A campaign as stored (the seed stays on the server until the campaign is closed). */
export const campaignQuery = listQuery({}, ['id', 'opensAt', 'closesAt'], { sort: '-id', limit: MAX_LIMIT });

export interface Campaign {
  id: number;
  commodityId: number;
  quantity: number;
  opensAt: string;
  closesAt: string;
  perHouseholdCap: number;
  eligibility: Eligibility;
  seed: string;
  seedHash: string;
  closedAt: string | null;
}

/** A campaign in the list (its seed stays secret until closed, and is not listed even then). */
export type ListedCampaign = Omit<Campaign, 'seed'>;

/** The public page's data: no entry, no person. */
export interface CampaignView {
  id: number;
  commodity: string;
  unit: string;
  quantity: number;
  perHouseholdCap: number;
  eligibility: Eligibility;
  opensAt: string;
  closesAt: string;
  state: CampaignState;
  seedHash: string;
  entries: number;
  /** Units asked for in all. */
  requested: number;
  /** Units not yet given to a winner. */
  remaining: number;
  /** As of (the page is served from a cache a second old at most). */
  asOf: string;
}

/** A household's entry, as the household may see it (with its receipt). */
export interface Entry {
  receipt: string;
  quantity: number;
  tier: number;
  status: 'entered' | 'won' | 'waiting' | 'forfeited';
}

/** A household's entry as its own page lists it: the campaign's item and close, the receipt and where the entry stands. */
export interface HouseholdEntry {
  campaignId: number;
  commodity: string;
  unit: string;
  closesAt: string;
  receipt: string;
  quantity: number;
  status: Entry['status'];
  /** Units promised to it now (a winner's). */
  given: number;
  /** Its place on the waiting list (null unless waiting). */
  waitingPlace: number | null;
}

/** The coordinator's live view. */
export interface CampaignLive extends CampaignView {
  timeLeftS: number;
  perMinute: { minute: string; entries: number }[];
  tiers: { tier: number; entries: number }[];
  intake: { queued: number; refusedBusy: number };
}

export const flagColumns: Record<VulnerabilityFlag, string> = {
  elderlyAlone: 'elderly_alone',
  chronicIllness: 'chronic_illness',
  disabled: 'disabled',
  pregnant: 'pregnant',
  infant: 'infant',
};

/** The shape `lifeline verify-draw` expects of a results file (fields it does not read may be there too). */
export const drawResultsFile = z.object({
  campaign: z.object({ quantity: z.number().int().positive() }).loose(),
  seed: z.string().regex(/^[0-9a-f]+$/),
  seedHash: z.string(),
  entries: z.array(
    z
      .object({
        receiptHash: z.string(),
        tier: z.number().int().positive(),
        quantity: z.number().int().positive(),
        rank: z.number().int().positive(),
        outcome: z.enum(['won', 'waiting']),
        awarded: z.number().int().min(0),
        waitingPlace: z.number().int().positive().nullable(),
      })
      .loose(),
  ),
});
