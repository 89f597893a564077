// Input schemas for household access codes, printable slips, the resident's page and what a household asks
// from it, and what that page reads (the web app imports these types).
import { z } from 'zod';
import { units } from '../http/schemas.ts';
import { recordId } from '../http/schemas.ts';
import type { Category } from '../../domain/values.ts';
import type { ResidentStatus } from './resident-status.ts';
import { langs, type Lang } from './resident-texts.ts';
import { householdInput } from '../needs/needs.schema.ts';
import type { HouseholdEntry } from '../campaigns/campaigns.schema.ts';

/** A code as typed or scanned; its shape is checked by the lookup (a malformed code is simply not found). */
export const codeParam = z.strictObject({ code: z.string().min(1).max(64) });

export const residentQuery = z.strictObject({
  lang: z.enum(langs).optional().describe('the language of the sentences (default: from Accept-Language, else en)'),
});

export const communityParam = z.strictObject({ community: z.string().trim().min(1).max(200) });

export const slipsBody = z.strictObject({
  reissue: z.boolean().default(false).describe('true: new codes for every household of the community (their old slips stop working); false: only for households without a code'),
});

export const residentAsk = z.strictObject({
  commodityId: recordId,
  quantity: units,
  urgent: z.boolean().default(false).describe('an urgent medical need: waits for the community worker, and counts as urgent once confirmed'),
});
export type ResidentAsk = z.infer<typeof residentAsk>;

export const phoneBody = z.strictObject({ phone: householdInput.shape.phone.unwrap().nullable().describe('the new contact phone; null removes it') });

export interface ResidentRequest {
  id: number;
  commodity: string;
  unit: string;
  quantity: number;
  delivered: number;
  /** Still being served (false once delivered in full or cancelled). */
  open: boolean;
  status: ResidentStatus;
  statusText: string;
  /** A larger quantity the household asked for, waiting for the community worker; and that in words. */
  asked: number | null;
  askedText: string | null;
  /** The household's urgent medical flag on this request, and that in words. */
  urgent: 'pending' | 'confirmed' | null;
  urgentText: string | null;
  updatedAt: string;
}

/** The household's entry in a scarce-item campaign: its receipt and where it stands, in words. */
export interface ResidentCampaignEntry extends HouseholdEntry {
  statusText: string;
}

export interface ResidentView {
  lang: Lang;
  household: { name: string; community: string };
  /** Warnings the household must read first: goods it received that were recalled. */
  notices: { kind: 'recall'; text: string }[];
  requests: ResidentRequest[];
  campaigns: ResidentCampaignEntry[];
}

/** An item a household may ask for from its page. */
export interface CatalogueItem {
  id: number;
  name: string;
  unit: string;
  category: Category;
  /** The most one household may ask for at once (null: no limit). */
  maxPerHousehold: number | null;
  /** The most this household may ask for today, its own ask today included, before the day's limit for all households is reached (null: no limit). */
  leftToday: number | null;
}
