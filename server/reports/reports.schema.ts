// The deliveries report's query and its answer: the one shape the JSON, the CSV and the PDF are made from.
import { z } from 'zod';
import { isoDate } from '../http/schemas.ts';
import { langs } from '../residents/resident-texts.ts';

export const reportPeriods = ['day', 'week', 'month'] as const;
export type ReportPeriod = (typeof reportPeriods)[number];

export const reportQuery = z
  .strictObject({
    from: isoDate.describe('first day of the report, in the operation’s time zone (LIFELINE_TIMEZONE)'),
    to: isoDate.describe('last day of the report, included'),
    period: z.enum(reportPeriods).default('day').describe('how the figures over time are grouped (a week starts on Monday)'),
    format: z.enum(['json', 'csv', 'pdf']).default('json'),
    lang: z.enum(langs).optional().describe('the language of the PDF (default: from Accept-Language, else en); the CSV’s columns are named in English'),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'the report ends before it starts' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, { path: ['to'], message: 'a report covers at most 366 days' });
export type ReportQuery = z.infer<typeof reportQuery>;

/** The ledger's delivered units per need tier, community, commodity and period, and the fill rate and Gini over time. */
export interface DeliveriesReport {
  from: string;
  to: string;
  period: ReportPeriod;
  timeZone: string;
  generatedAt: string;
  /** The warehouses whose ledger the report reads; null: every one. */
  warehouseIds: number[] | null;
  deliveries: {
    /** Units handed over at doors (ledger movements `delivered`) within the report's days. */
    total: number;
    movements: number;
    households: number;
    byTier: { tier: number; quantity: number }[];
    byCommunity: { community: string; quantity: number; households: number }[];
    byCommodity: { commodityId: number; commodity: string; unit: string; quantity: number }[];
    byPeriod: { period: string; quantity: number }[];
    /** Every combination that has a figure: the CSV's detail. */
    lines: { period: string; tier: number; community: string; commodityId: number; commodity: string; unit: string; quantity: number }[];
  };
  /**
   * At the end of each period: delivered ÷ asked over the needs reported by then (confirmed, not cancelled), overall
   * and per tier, and the Gini coefficient of the needs' delivered fractions (0 = everyone equally served).
   */
  fillRate: { period: string; needs: number; asked: number; delivered: number; fillRate: number; gini: number; tiers: { tier: number; asked: number; delivered: number; fillRate: number }[] }[];
  /** What each plan solved in the period expected (the optimizer's own figures, as stored with the plan). */
  plans: { planId: number; solvedAt: string; fillRate: number; gini: number }[];
  /** Donations received in the period, each line a lot: what the ledger received, and where it went by the report's last day. */
  donations: {
    donationId: number;
    trackingCode: string;
    donor: string;
    warehouse: string;
    receivedAt: string;
    commodity: string;
    unit: string;
    lotId: number | null;
    received: number;
    rejected: number;
    rejectionReason: string | null;
    delivered: number;
    spoiled: number;
    recalled: boolean;
    communities: { community: string; quantity: number }[];
  }[];
  /** Ledger movements `spoiled` within the report's days. */
  spoilage: { lotId: number; lotCode: string; commodity: string; unit: string; warehouse: string; quantity: number; reason: string | null; at: string }[];
  /** Lots recalled within the report's days: what had reached households, and how many. */
  recalls: { lotId: number; lotCode: string; commodity: string; unit: string; warehouse: string; supplier: string | null; reason: string; recalledAt: string; delivered: number; households: number; communities: string[] }[];
}
