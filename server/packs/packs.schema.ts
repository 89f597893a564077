// Standard packs (kits): the input schemas, and the records the API answers with. A pack is a commodity
// with a bill of materials, so needs, plans and routes carry it like any other commodity.
import { z } from 'zod';
import { optionalId, recordId, units } from '../http/schemas.ts';
import { listQuery, MAX_LIMIT } from '../http/paging.ts';
import { newCommodity, type Commodity } from '../commodities/commodities.schema.ts';
import type { Lot } from '../stock/stock.schema.ts';

/** The pack catalogue is small (a handful of kits), so it is paged in memory. */
export const packQuery = listQuery({}, ['id', 'code', 'name'], { limit: MAX_LIMIT });

const component = z.strictObject({ commodityId: recordId, quantity: units.describe('units of it in one pack') });

export const newPack = newCommodity
  .omit({ unit: true, weightKg: true, volumeM3: true, perishable: true })
  .extend({
    unit: z.string().trim().min(1).max(40).default('pack'),
    weightKg: z.number().nonnegative().optional().describe("one pack's weight (default: its components' weight)"),
    volumeM3: z.number().nonnegative().optional().describe("one pack's volume (default: its components' volume)"),
    components: z
      .array(component)
      .min(1, 'a pack holds at least one component')
      .max(50)
      .refine((list) => new Set(list.map((c) => c.commodityId)).size === list.length, 'name each component once'),
  });

export const assemblyBody = z.strictObject({
  warehouseId: recordId,
  quantity: units.describe('how many packs to make'),
  lotCode: z.string().trim().min(1).max(80).optional().describe('the code written on the packs (default: the pack code and the assembly number)'),
  reason: z.string().trim().min(1).max(500).optional(),
});

export const disassemblyBody = z.strictObject({
  lotId: recordId.describe('the pack lot to take packs from'),
  quantity: units.describe('how many packs to take apart'),
  reason: z.string().trim().min(1).max(500).optional(),
});

export const packLotQuery = z.strictObject({ warehouseId: optionalId });

export type NewPack = z.infer<typeof newPack>;

/** One line of a pack's bill of materials. */
export interface PackComponent {
  commodityId: number;
  name: string;
  unit: string;
  quantity: number;
}

export interface Pack extends Commodity {
  components: PackComponent[];
}

export interface Assembly {
  id: number;
  kind: 'assembly' | 'disassembly';
  packId: number;
  warehouseId: number;
  packLotId: number;
  quantity: number;
  reason: string | null;
  actorId: number | null;
  createdAt: string;
}

/** Units of one component lot that went into packs (an assembly) or came back out (a disassembly). */
export interface MovedUnits {
  lotId: number;
  commodityId: number;
  lotCode: string;
  expiresOn: string | null;
  quantity: number;
}

export interface AssemblyResult {
  assembly: Assembly;
  packLot: Lot;
  moved: MovedUnits[];
}

/** A component lot of a pack lot: how many units went in, how many came back out. */
export interface PackLotPart {
  lotId: number;
  commodityId: number;
  lotCode: string;
  expiresOn: string | null;
  recalledAt: string | null;
  quantity: number;
  returned: number;
}

export interface PackLot extends Lot {
  components: PackLotPart[];
}
