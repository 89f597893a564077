// SQL for lots and the append-only ledger: the only module that writes lots and stock_movements (other
// nouns join them read-only: a route's goods on board, a donation's journey, what a plan committed).
// Balances are kept by the database trigger, never here.
import type { Queryable } from '../db/database.ts';
import { insertColumns, insertRow, insertRows, limitOffset, orderBy, toCamel, type Page, type Paging } from '../db/rows.ts';
import type { Lot, Movement, RecallRecipient } from './stock.schema.ts';

export const insertMovement = (db: Queryable, movement: Movement) => insertRow<Movement & { id: number; createdAt: string }>(db, 'stock_movements', { ...movement });

export const insertLot = (
  db: Queryable,
  lot: { warehouseId: number; commodityId: number; lotCode: string; expiresOn?: string | null; donationId?: number; supplierKind?: 'donor' | 'vendor'; supplier?: string },
) => insertRow<Lot>(db, 'lots', lot);

export async function findLot(db: Queryable, id: number, lock = false): Promise<Lot | undefined> {
  const [row] = await db.query(`SELECT * FROM lots WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return row ? toCamel<Lot>(row) : undefined;
}

/** The lot of that code for this commodity in this warehouse, if any. */
export async function findLotByCode(db: Queryable, lot: { warehouseId: number; commodityId: number; lotCode: string }): Promise<{ id: number } | undefined> {
  const [row] = await db.query<{ id: number }>('SELECT id FROM lots WHERE warehouse_id = $1 AND commodity_id = $2 AND lot_code = $3', [lot.warehouseId, lot.commodityId, lot.lotCode]);
  return row;
}

/** Lots with stock on hand that no plan has reserved, of the given commodities (null: all), by id; never a recalled lot. */
export async function availableLots(db: Queryable, commodityIds: number[] | null) {
  return (
    await db.query(
      `SELECT id, warehouse_id, commodity_id, on_hand - reserved AS available, expires_on FROM lots
       WHERE on_hand - reserved > 0 AND recalled_at IS NULL AND ($1::int[] IS NULL OR commodity_id = ANY($1::int[])) ORDER BY id`,
      [commodityIds],
    )
  ).map((r) => toCamel<{ id: number; warehouseId: number; commodityId: number; available: number; expiresOn: string | null }>(r));
}

/** The available quantity of these lots (none of a recalled one), locked so that nothing moves them until the transaction ends. */
export async function lockAvailable(db: Queryable, lotIds: number[]): Promise<{ id: number; available: number }[]> {
  return db.query<{ id: number; available: number }>(
    'SELECT id, CASE WHEN recalled_at IS NULL THEN on_hand - reserved ELSE 0 END AS available FROM lots WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE',
    [lotIds],
  );
}

/** A lot as FEFO draws on it: what is free to take (on hand − reserved) and when it expires. */
export interface UsableLot {
  id: number;
  commodityId: number;
  lotCode: string;
  expiresOn: string | null;
  available: number;
}

/**
 * The lots of these commodities in one warehouse that can still be used (not recalled, not expired, with stock
 * free), first expiring first (no date last), locked in id order like every other lock on lots so that
 * concurrent takers wait for each other instead of deadlocking.
 */
export async function lockUsable(db: Queryable, warehouseId: number, commodityIds: number[]): Promise<UsableLot[]> {
  // FOR UPDATE re-checks the WHERE on a row another transaction changed meanwhile, so what comes back is current.
  const rows = await db.query(
    `SELECT id, commodity_id, lot_code, expires_on, on_hand - reserved AS available FROM lots
     WHERE warehouse_id = $1 AND commodity_id = ANY($2::int[]) AND on_hand > reserved AND recalled_at IS NULL
       AND (expires_on IS NULL OR expires_on >= current_date)
     ORDER BY id FOR UPDATE`,
    [warehouseId, commodityIds],
  );
  const last = '9999-12-31';
  return rows.map((r) => toCamel<UsableLot>(r)).sort((a, b) => (a.expiresOn ?? last).localeCompare(b.expiresOn ?? last) || a.id - b.id);
}

/** Each commodity's available stock, and per day over the last `days` what was received and what left (dispatched or spoiled). */
export async function flowRates(db: Queryable, days: number): Promise<{ commodityId: number; available: number; inflowPerDay: number; outflowPerDay: number }[]> {
  // The window's flows summed per statement and commodity as the ledger was written (commodity_flows, 039), by
  // their time index: never the movements themselves, a dispatch per item picked up.
  return db.query(
    `SELECT c.id AS "commodityId", coalesce(a.available, 0) AS available,
            coalesce(f.inflow, 0) / $1::float AS "inflowPerDay", coalesce(f.outflow, 0) / $1::float AS "outflowPerDay"
     FROM commodities c
     LEFT JOIN (SELECT commodity_id, sum(on_hand - reserved) AS available FROM lots GROUP BY commodity_id) a ON a.commodity_id = c.id
     LEFT JOIN (SELECT commodity_id, sum(inflow) AS inflow, sum(outflow) AS outflow FROM commodity_flows
                WHERE at > now() - make_interval(days => $1::int) GROUP BY commodity_id) f ON f.commodity_id = c.id
     ORDER BY c.id`,
    [days],
  );
}

export interface LotStock extends Lot {
  commodityName: string;
  unit: string;
  category: string;
}

export async function lotsOfWarehouse(db: Queryable, warehouseId: number): Promise<LotStock[]> {
  const rows = await db.query(
    `SELECT l.*, c.name AS commodity_name, c.unit, c.category FROM lots l JOIN commodities c ON c.id = l.commodity_id
     WHERE l.warehouse_id = $1 AND (l.on_hand > 0 OR l.in_transit > 0)
     ORDER BY c.name, l.expires_on NULLS LAST, l.id`,
    [warehouseId],
  );
  return rows.map((r) => toCamel<LotStock>(r));
}

export async function lotsOfCommodity(db: Queryable, commodityId: number, warehouseIds: readonly number[] | null): Promise<Lot[]> {
  const rows = await db.query(
    `SELECT * FROM lots WHERE commodity_id = $1 AND (on_hand > 0 OR in_transit > 0) AND ($2::int[] IS NULL OR warehouse_id = ANY($2::int[]))
     ORDER BY warehouse_id, expires_on NULLS LAST, id`,
    [commodityId, warehouseIds && [...warehouseIds]],
  );
  return rows.map((r) => toCamel<Lot>(r));
}

export async function listMovements(
  db: Queryable,
  filter: Paging<'id' | 'createdAt' | 'kind'> & { lotId?: number; warehouseId?: number; kind?: string },
  warehouseIds: readonly number[] | null,
): Promise<Page<Movement & { id: number; createdAt: string; warehouseId: number; commodityId: number }>> {
  const where = `WHERE ($1::int IS NULL OR m.lot_id = $1) AND ($2::int IS NULL OR l.warehouse_id = $2) AND ($3::text IS NULL OR m.kind = $3)
    AND ($4::int[] IS NULL OR l.warehouse_id = ANY($4))`;
  const params: unknown[] = [filter.lotId ?? null, filter.warehouseId ?? null, filter.kind ?? null, warehouseIds && [...warehouseIds]];
  const [{ total }] = (await db.query<{ total: number }>(`SELECT count(*) AS total FROM stock_movements m JOIN lots l ON l.id = m.lot_id ${where}`, params)) as [
    { total: number },
  ];
  const rows = await db.query(
    `SELECT m.*, l.warehouse_id, l.commodity_id FROM stock_movements m JOIN lots l ON l.id = m.lot_id ${where}
     ${orderBy(filter.sort, { id: 'm.id', createdAt: 'm.created_at', kind: 'm.kind' }, 'm.id')} ${limitOffset(params, filter)}`,
    params,
  );
  return { items: rows.map((r) => toCamel(r)), total, limit: filter.limit, offset: filter.offset };
}

export async function markRecalled(tx: Queryable, id: number, reason: string, by: number): Promise<void> {
  await tx.query('UPDATE lots SET recalled_at = now(), recall_reason = $2, recalled_by = $3 WHERE id = $1', [id, reason, by]);
}

export async function markReplaced(tx: Queryable, id: number): Promise<void> {
  await tx.query('UPDATE lots SET replaced_at = now() WHERE id = $1', [id]);
}

/**
 * The households that received goods of these lots, from the ledger (delivered movements), with their
 * contact: a cross-noun read of needs and households, for a recall. Only those of `communities` (null: all).
 */
export async function recipientsOfLots(db: Queryable, lotIds: number[], communities: readonly string[] | null): Promise<RecallRecipient[]> {
  const rows = await db.query(
    `SELECT m.lot_id, h.id AS household_id, h.name, h.community, h.address, h.phone, n.id AS need_id, n.commodity_id,
            sum(m.quantity)::int AS quantity, max(m.created_at) AS delivered_at
     FROM stock_movements m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
     WHERE m.lot_id = ANY($1::int[]) AND m.kind = 'delivered' AND ($2::text[] IS NULL OR h.community = ANY($2::text[]))
     GROUP BY m.lot_id, h.id, n.id ORDER BY h.community, h.name, h.id, n.id`,
    [lotIds, communities && [...communities]],
  );
  return rows.map((r) => toCamel(r));
}

/** Recalled lots, newest recall first, of the given warehouses (null: all). */
export async function recalledLots(db: Queryable, warehouseIds: readonly number[] | null): Promise<(Lot & { commodity: string; unit: string })[]> {
  const rows = await db.query(
    `SELECT l.*, c.name AS commodity, c.unit FROM lots l JOIN commodities c ON c.id = l.commodity_id
     WHERE l.recalled_at IS NOT NULL AND ($1::int[] IS NULL OR l.warehouse_id = ANY($1::int[])) ORDER BY l.recalled_at DESC, l.id`,
    [warehouseIds && [...warehouseIds]],
  );
  return rows.map((r) => toCamel(r));
}

/** Many lots in a few statements, empty until their movements arrive; their ids, in order. */
export const insertLots = (db: Queryable, lots: { warehouseId: number; commodityId: number; lotCode: string; expiresOn: string | null }[]) =>
  insertRows<{ id: number }>(db, 'lots', lots, 'id');

/** Many movements in one statement: the ledger's trigger then moves each lot once (a plan reserves from a lot thousands of times). */
export async function insertMovements(db: Queryable, movements: Movement[]): Promise<void> {
  await insertColumns(db, 'stock_movements', MOVEMENT_TYPES, movements);
}

const MOVEMENT_TYPES = { lotId: 'int', kind: 'text', quantity: 'int', reason: 'text', planId: 'int', stopId: 'int', needId: 'int', actorId: 'int', assemblyId: 'int' } as const;
