// Stock: lots and ledger movements. The input schemas, and the records the API answers with.
import { z } from 'zod';
import { isoDate, optionalId, pageQuery, recordId, units } from '../http/schemas.ts';
import { manualKinds, movementKinds, type MovementKind } from '../../domain/values.ts';

export const newLot = z.strictObject({
  warehouseId: recordId,
  commodityId: recordId,
  lotCode: z.string().trim().min(1).max(80),
  expiresOn: isoDate.optional(),
  quantity: units,
  reason: z.string().trim().max(500).optional(),
});

export const newMovement = z
  .strictObject({
    lotId: recordId,
    kind: z.enum(manualKinds),
    quantity: z.number().int().min(-1_000_000).max(1_000_000).refine((q) => q !== 0, 'must not be zero'),
    reason: z.string().trim().min(1).max(500),
  })
  .refine((m) => m.kind === 'adjusted' || m.quantity > 0, { path: ['quantity'], message: 'must be positive for this kind' });

export const movementQuery = z.strictObject({
  lotId: optionalId,
  warehouseId: optionalId,
  kind: z.enum(movementKinds).optional(),
  ...pageQuery,
});

export interface Lot {
  id: number;
  warehouseId: number;
  commodityId: number;
  lotCode: string;
  expiresOn: string | null;
  donationId: number | null;
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
