// Input schemas for household access codes, printable slips and the resident's page, and what that page
// reads (the web app imports these types).
import { z } from 'zod';
import { langs, type Lang, type ResidentStatus } from './resident-status.ts';

/** A code as typed or scanned; its shape is checked by the lookup (a malformed code is simply not found). */
export const codeParam = z.strictObject({ code: z.string().min(1).max(64) });

export const residentQuery = z.strictObject({
  lang: z.enum(langs).optional().describe('the language of the status sentences (default: from Accept-Language, else en)'),
});

export const communityParam = z.strictObject({ community: z.string().trim().min(1).max(200) });

export const slipsBody = z.strictObject({
  reissue: z.boolean().default(false).describe('true: new codes for every household of the community (their old slips stop working); false: only for households without a code'),
});

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
  updatedAt: string;
}

export interface ResidentView {
  lang: Lang;
  household: { name: string; community: string };
  /** Warnings the household must read first: goods it received that were recalled. */
  notices: { kind: 'recall'; text: string }[];
  requests: ResidentRequest[];
}
