// Donations: a pledge of items to a warehouse, and its receipt at the door. The input schemas, and the
// records the API answers with.
import { z } from 'zod';
import { isoDate, latitude, longitude, optionalId, recordId, units } from '../http/schemas.ts';
import { listQuery } from '../http/paging.ts';

import { donationStatuses, type DonationStatus } from '../../domain/values.ts';

export const newDonation = z.strictObject({
  warehouseId: recordId,
  donorName: z.string().trim().min(1).max(200),
  donorContact: z.string().trim().max(200).optional().describe('phone or email; never shown publicly'),
  note: z.string().trim().max(1000).optional(),
  collection: z
    .strictObject({ address: z.string().trim().min(3).max(500), lat: latitude, lon: longitude })
    .optional()
    .describe("where a driver collects the goods (e.g. a parish food drive): dispatch puts it on a route from the pledge's warehouse"),
  items: z
    .array(z.strictObject({ commodityId: recordId, quantity: units }))
    .min(1, 'pledge at least one item')
    .max(200),
});

export const receipt = z.strictObject({
  items: z
    .array(
      z
        .strictObject({
          itemId: recordId,
          accepted: units.or(z.literal(0)),
          rejected: units.or(z.literal(0)).default(0),
          rejectionReason: z.string().trim().min(1).max(500).optional(),
          lotCode: z.string().trim().min(1).max(80).optional(),
          expiresOn: isoDate.optional(),
        })
        .refine((i) => i.rejected === 0 || i.rejectionReason, { path: ['rejectionReason'], message: 'say why items were rejected' }),
    )
    .min(1),
});

export const donationQuery = listQuery({ status: z.enum(donationStatuses).optional(), warehouseId: optionalId }, ['id', 'pledgedAt', 'receivedAt', 'status', 'warehouseId']);

export const trackingParam = z.strictObject({ trackingCode: z.string().trim().min(4).max(40) });

export type NewDonation = z.infer<typeof newDonation>;
export type Receipt = z.infer<typeof receipt>;

export interface DonationItem {
  id: number;
  donationId: number;
  commodityId: number;
  quantityPledged: number;
  quantityAccepted: number | null;
  quantityRejected: number | null;
  rejectionReason: string | null;
  lotId: number | null;
}

export interface Donation {
  id: number;
  trackingCode: string;
  donorName: string;
  donorContact: string | null;
  charityUserId: number;
  warehouseId: number;
  status: DonationStatus;
  note: string | null;
  pledgedAt: string;
  receivedAt: string | null;
  /** Where a driver collects it, when it is not brought to the warehouse. */
  collection: { address: string; lat: number; lon: number } | null;
  /** Its latest collection stop: on a route to be collected (pending), collected or failed, and when it was dispatched. */
  pickup: CollectionStop | null;
  items: DonationItem[];
}

/** A pledge's stop on a pickup route, as its charity and the coordinators see it. */
export interface CollectionStop {
  routeId: number;
  stopId: number;
  status: 'pending' | 'collected' | 'failed';
  /** The day the route was dispatched (YYYY-MM-DD). */
  on: string;
  driver: string;
  doneAt: string | null;
}

/** The public journey of a donation: names of places and communities, no personal data. */
export interface Tracking {
  trackingCode: string;
  status: DonationStatus;
  pledgedAt: string;
  receivedAt: string | null;
  warehouse: string;
  items: { commodity?: string; pledged: number; accepted: number | null; rejected: number | null }[];
  /** Every ledger movement of the lots the donation became. */
  journey: { at: string; event: string; commodity: string; quantity: number; warehouse: string; community?: string }[];
  communitiesReached: string[];
  /** Lots of this donation that were recalled: what, when, why (no one's personal data). */
  recalls: { commodity: string; recalledAt: string; reason: string }[];
}
