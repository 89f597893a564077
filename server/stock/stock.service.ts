// Stock: lots and the ledger of their movements. Every change of a balance is a movement; the
// database refuses any movement that would take a lot below zero, so concurrent requests never oversell.
import { hasSqlState, type Db, type Queryable } from '../db/database.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { getCommodity } from '../commodities/commodities.service.ts';
import { getWarehouse } from '../warehouses/warehouses.service.ts';
import { checkRecord, checkWarehouse, type WarehouseScope } from '../auth/warehouse-scope.ts';
import * as repo from './stock.repo.ts';
import type { CommodityStock, Lot, Movement } from './stock.schema.ts';
import type { z } from 'zod';
import type { newLot } from './stock.schema.ts';

/** Appends one movement; a movement the lot cannot cover is refused with 409 and nothing is written. */
export async function recordMovement(db: Queryable, movement: Movement) {
  try {
    return await repo.insertMovement(db, movement);
  } catch (error) {
    throw refusal(error, movement);
  }
}

/**
 * Appends many movements in multi-row statements (a plan's thousands of reservations would otherwise cost
 * a round trip each); any one the stock cannot cover refuses the lot and the transaction writes nothing.
 */
export async function recordMovements(db: Queryable, movements: Movement[]): Promise<void> {
  try {
    await repo.insertMovements(db, movements);
  } catch (error) {
    // The database names the refused lot: the lots' checks in the failing row (its id first), the recall
    // trigger in its message.
    const { detail = '', message = '' } = error as { detail?: string; message?: string };
    const lotId = Number((/\((\d+),/.exec(detail) ?? /lot (\d+) is recalled/.exec(message))?.[1]);
    throw refusal(error, movements.find((m) => m.lotId === lotId) ?? movements[0]!);
  }
}

/** The ledger's refusals said with the lot's numbers; anything else passes through. */
function refusal(error: unknown, movement: Movement): unknown {
  // The recall trigger refuses a recalled lot; the lots' checks refuse a balance below zero.
  if (hasSqlState(error, 'restrictViolation') && (error as { hint?: string }).hint === 'recalled') {
    return new ConflictError(`lot ${movement.lotId} is recalled: it cannot be reserved or dispatched`, { lotId: movement.lotId }, 'recalled');
  }
  if (hasSqlState(error, 'checkViolation')) {
    return new ConflictError(
      `lot ${movement.lotId} cannot cover ${movement.kind} of ${movement.quantity}: not enough stock`,
      { lotId: movement.lotId, kind: movement.kind, quantity: movement.quantity },
      'not-enough-stock',
    );
  }
  return error;
}

export async function getLot(db: Queryable, id: number, field?: string, lock = false): Promise<Lot> {
  const lot = await repo.findLot(db, id, lock);
  if (!lot) throw new NotFoundError('lot', id, field);
  return lot;
}

/** Stock received outside a donation (a purchase, a transfer in): a new lot and its first movement. */
export async function receiveLot(db: Db, input: z.infer<typeof newLot>, actorId: number, scope: WarehouseScope): Promise<Lot> {
  return db.transaction(async (tx) => {
    await getWarehouse(tx, input.warehouseId, 'body.warehouseId');
    checkWarehouse(scope, input.warehouseId, 'body.warehouseId');
    await getCommodity(tx, input.commodityId, 'body.commodityId');
    const { quantity, reason, ...lotFields } = input;
    const lot = await openLot(tx, { ...lotFields, ...(input.supplier ? { supplierKind: 'vendor' as const } : {}) });
    await recordMovement(tx, { lotId: lot.id, kind: 'received', quantity, reason, actorId });
    return getLot(tx, lot.id);
  });
}

/** A new lot, empty until its first movement; its code must be new for this commodity in this warehouse. */
export async function openLot(tx: Queryable, lot: Parameters<typeof repo.insertLot>[1]): Promise<Lot> {
  if (await repo.findLotByCode(tx, lot)) throw new ConflictError(`lot ${lot.lotCode} of this commodity exists already in this warehouse`, { errors: [{ field: 'body.lotCode', reason: 'already used' }] }, 'already-exists');
  return repo.insertLot(tx, lot);
}

export async function recordManualMovement(db: Db, movement: Movement, scope: WarehouseScope) {
  return db.transaction(async (tx) => {
    const lot = await getLot(tx, movement.lotId, 'body.lotId');
    checkRecord(scope, [lot.warehouseId], 'lot', lot.id, 'body.lotId');
    const recorded = await recordMovement(tx, movement);
    return { movement: recorded, lot: await getLot(tx, movement.lotId) };
  });
}

/** On-hand stock of one warehouse by commodity and lot; available = on hand − reserved. */
export async function warehouseStock(db: Db, warehouseId: number, scope: WarehouseScope): Promise<{ warehouseId: number; commodities: CommodityStock[] }> {
  checkRecord(scope, [warehouseId], 'warehouse', warehouseId);
  await getWarehouse(db, warehouseId);
  const byCommodity = new Map<number, CommodityStock>();
  for (const { commodityName, unit, category, ...lot } of await repo.lotsOfWarehouse(db, warehouseId)) {
    let entry = byCommodity.get(lot.commodityId);
    if (!entry) {
      entry = { commodityId: lot.commodityId, commodityName, unit, category, onHand: 0, reserved: 0, available: 0, inTransit: 0, lots: [] };
      byCommodity.set(lot.commodityId, entry);
    }
    const available = lot.onHand - lot.reserved;
    entry.onHand += lot.onHand;
    entry.reserved += lot.reserved;
    entry.available += available;
    entry.inTransit += lot.inTransit;
    entry.lots.push({ ...lot, available });
  }
  return { warehouseId, commodities: [...byCommodity.values()] };
}

/** The ledger, of the scope's warehouses only. */
export const listMovements = (db: Queryable, filter: Parameters<typeof repo.listMovements>[1], scope: WarehouseScope) => repo.listMovements(db, filter, scope);

/** Days of ledger history behind inflow and outflow rates. */
export const FLOW_WINDOW_DAYS = 7;

export interface CommodityFlowRate {
  commodityId: number;
  available: number;
  /** Received per day over the window. */
  inflowPerDay: number;
  /** Dispatched or spoiled per day over the window. */
  outflowPerDay: number;
}

/** Each commodity's available stock and its recent inflow and outflow per day, from the ledger. */
export const flowRates = (db: Queryable): Promise<CommodityFlowRate[]> => repo.flowRates(db, FLOW_WINDOW_DAYS);

/** Lots with stock to promise, of the given commodities (null: all), by id. */
export const availableLots = (db: Queryable, commodityIds: number[] | null) => repo.availableLots(db, commodityIds);

/** The available quantity of these lots, locked until the transaction ends so that nothing moves between a check and a reservation. */
export const lockAvailable = (db: Queryable, lotIds: number[]) => repo.lockAvailable(db, lotIds);

/** Lots of these commodities in one warehouse still fit to use (not recalled, not expired, stock free), first expiring first, locked until the transaction ends. */
export const lockUsable = (db: Queryable, warehouseId: number, commodityIds: number[]) => repo.lockUsable(db, warehouseId, commodityIds);

/** The lots of one commodity that hold stock, in the scope's warehouses, first expiring first. */
export const lotsOfCommodity = (db: Queryable, commodityId: number, scope: WarehouseScope) => repo.lotsOfCommodity(db, commodityId, scope);
