// Stock: lots and ledger movements. The input schemas, and the records the API answers with.
import { z } from 'zod';
import { isoDate, optionalId, recordId, units } from '../http/schemas.ts';
import { listQuery, MAX_LIMIT } from '../http/paging.ts';
import { manualKinds, movementKinds, type MovementKind } from '../../domain/values.ts';

export const newLot = z.strictObject({
  warehouseId: recordId,
  commodityId: recordId,
  lotCode: z.string().trim().min(1).max(80),
  expiresOn: isoDate.optional(),
  quantity: units,
  reason: z.string().trim().max(500).optional(),
  supplier: z.string().trim().min(1).max(200).optional().describe('the vendor it was bought from (a donation\'s lots name their donor)'),
});

export const recallBody = z.strictObject({ reason: z.string().trim().min(1).max(1000) });

export const newMovement = z
  .strictObject({
    lotId: recordId,
    kind: z.enum(manualKinds),
    quantity: z.number().int().min(-1_000_000).max(1_000_000).refine((q) => q !== 0, 'must not be zero'),
    reason: z.string().trim().min(1).max(500),
  })
  .refine((m) => m.kind === 'adjusted' || m.quantity > 0, { path: ['quantity'], message: 'must be positive for this kind' });

export const movementQuery = listQuery({ lotId: optionalId, warehouseId: optionalId, kind: z.enum(movementKinds).optional() }, ['id', 'createdAt', 'kind']);

export interface Lot {
  id: number;
  warehouseId: number;
  commodityId: number;
  lotCode: string;
  expiresOn: string | null;
  donationId: number | null;
  /** Who supplied it: the donor of its donation, or the vendor it was bought from (null: not recorded). */
  supplierKind: 'donor' | 'vendor' | null;
  supplier: string | null;
  recalledAt: string | null;
  recallReason: string | null;
  recalledBy: number | null;
  replacedAt: string | null;
  onHand: number;
  reserved: number;
  inTransit: number;
}

export interface Movement {
  lotId: number;
  kind: MovementKind;
  quantity: number;
  reason?: string;
  planId?: number;
  stopId?: number;
  needId?: number;
  actorId?: number;
  /** The assembly or disassembly of packs it belongs to. */
  assemblyId?: number;
}

/** A warehouse's stock of one commodity, by lot; available = on hand − reserved. */
export interface CommodityStock {
  commodityId: number;
  commodityName: string;
  unit: string;
  category: string;
  onHand: number;
  reserved: number;
  available: number;
  inTransit: number;
  lots: (Lot & { available: number })[];
}

/** A household that received goods of a recalled lot, to be contacted (personal data: coordinators and their community's workers). */
export interface RecallRecipient {
  /** The lot it received: the recalled lot itself, or a pack lot made with it. */
  lotId: number;
  householdId: number;
  name: string;
  community: string;
  address: string;
  phone: string | null;
  needId: number;
  commodityId: number;
  quantity: number;
  deliveredAt: string;
}

/** A route a recalled lot was taken off: its driver was told live. */
export interface RecallRoute {
  routeId: number;
  driverId: number;
  status: string;
  stopIds: number[];
}

/** What a recall did: who received the lot (or packs made with it), which routes carried it, which approved plans were withdrawn. */
export interface Recall {
  lot: Lot;
  /** The pack lots made with it, recalled with it. */
  packLots: Lot[];
  households: RecallRecipient[];
  communities: string[];
  routes: RecallRoute[];
  withdrawnPlanIds: number[];
}

/** A recalled lot as a list shows it, with the households (in the reader's communities) that received it. */
export const recallQuery = listQuery({}, ['id', 'recalledAt'], { sort: '-recalledAt', limit: MAX_LIMIT });

export interface RecalledLot {
  lot: Lot & { commodity: string; unit: string };
  households: RecallRecipient[];
}
