// SQL for lots and the append-only ledger. Balances are kept by the database trigger, never here.
import type { Queryable } from '../db/database.ts';
import { insertRow, toCamel, type Page } from '../db/rows.ts';
import type { Lot, Movement } from './stock.schema.ts';

export const insertMovement = (db: Queryable, movement: Movement) => insertRow<Movement & { id: number; createdAt: string }>(db, 'stock_movements', { ...movement });

export const insertLot = (
  db: Queryable,
  lot: { warehouseId: number; commodityId: number; lotCode: string; expiresOn?: string | null; donationId?: number },
) => insertRow<Lot>(db, 'lots', lot);

export async function findLot(db: Queryable, id: number): Promise<Lot | undefined> {
  const [row] = await db.query('SELECT * FROM lots WHERE id = $1', [id]);
  return row ? toCamel<Lot>(row) : undefined;
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

export async function listMovements(
  db: Queryable,
  filter: { lotId?: number; warehouseId?: number; kind?: string; limit: number; offset: number },
  warehouseIds: readonly number[] | null,
): Promise<Page<Movement & { id: number; createdAt: string; warehouseId: number; commodityId: number }>> {
  const where = `WHERE ($1::int IS NULL OR m.lot_id = $1) AND ($2::int IS NULL OR l.warehouse_id = $2) AND ($3::text IS NULL OR m.kind = $3)
    AND ($4::int[] IS NULL OR l.warehouse_id = ANY($4))`;
  const params = [filter.lotId ?? null, filter.warehouseId ?? null, filter.kind ?? null, warehouseIds && [...warehouseIds]];
  const [{ total }] = (await db.query<{ total: number }>(`SELECT count(*) AS total FROM stock_movements m JOIN lots l ON l.id = m.lot_id ${where}`, params)) as [
    { total: number },
  ];
  const rows = await db.query(
    `SELECT m.*, l.warehouse_id, l.commodity_id FROM stock_movements m JOIN lots l ON l.id = m.lot_id ${where}
     ORDER BY m.id LIMIT $5 OFFSET $6`,
    [...params, filter.limit, filter.offset],
  );
  return { items: rows.map((r) => toCamel(r)), total, limit: filter.limit, offset: filter.offset };
}
