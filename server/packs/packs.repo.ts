// SQL for packs: the only module that writes pack_components, assemblies and pack_lot_components. It joins
// commodities and lots read-only for the names, codes and dates a pack and a pack lot are shown with.
import type { Queryable } from '../db/database.ts';
import { insertRow, insertRows, toCamel } from '../db/rows.ts';
import type { Assembly, PackComponent, PackLotPart } from './packs.schema.ts';

export async function insertComponents(tx: Queryable, packId: number, components: { commodityId: number; quantity: number }[]): Promise<void> {
  await insertRows(tx, 'pack_components', components.map((c) => ({ packId, componentId: c.commodityId, quantity: c.quantity })));
}

/** The bills of materials of these packs (null: every pack), by pack then component. */
export async function componentsOf(db: Queryable, packIds: number[] | null): Promise<(PackComponent & { packId: number })[]> {
  const rows = await db.query(
    `SELECT p.pack_id, p.component_id AS commodity_id, c.name, c.unit, p.quantity FROM pack_components p JOIN commodities c ON c.id = p.component_id
     WHERE $1::int[] IS NULL OR p.pack_id = ANY($1::int[]) ORDER BY p.pack_id, p.component_id`,
    [packIds],
  );
  return rows.map((r) => toCamel(r));
}

/** Which of these commodities are packs. */
export async function packsAmong(db: Queryable, commodityIds: number[]): Promise<number[]> {
  return (await db.query<{ id: number }>('SELECT DISTINCT pack_id AS id FROM pack_components WHERE pack_id = ANY($1::int[]) ORDER BY id', [commodityIds])).map((r) => r.id);
}

/** The next assembly's number, taken before its pack lot is made so that the lot's code can name it. */
export async function nextAssemblyId(tx: Queryable): Promise<number> {
  const [row] = await tx.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('assemblies', 'id'))::int AS id`);
  return row!.id;
}

export const insertAssembly = (tx: Queryable, assembly: Omit<Assembly, 'createdAt' | 'reason' | 'actorId'> & { reason?: string; actorId: number }) =>
  insertRow<Assembly>(tx, 'assemblies', assembly);

export async function insertParts(tx: Queryable, packLotId: number, parts: { lotId: number; quantity: number }[]): Promise<void> {
  await insertRows(tx, 'pack_lot_components', parts.map((p) => ({ packLotId, componentLotId: p.lotId, quantity: p.quantity })));
}

/** The component lots of these pack lots, first expiring first (the order a disassembly returns units in). */
export async function partsOf(db: Queryable, packLotIds: number[]): Promise<(PackLotPart & { packLotId: number })[]> {
  const rows = await db.query(
    `SELECT p.pack_lot_id, p.component_lot_id AS lot_id, l.commodity_id, l.lot_code, l.expires_on, l.recalled_at, p.quantity, p.returned
     FROM pack_lot_components p JOIN lots l ON l.id = p.component_lot_id
     WHERE p.pack_lot_id = ANY($1::int[]) ORDER BY p.pack_lot_id, l.expires_on NULLS LAST, l.id`,
    [packLotIds],
  );
  return rows.map((r) => toCamel(r));
}

export async function addReturned(tx: Queryable, packLotId: number, componentLotId: number, quantity: number): Promise<void> {
  await tx.query('UPDATE pack_lot_components SET returned = returned + $3 WHERE pack_lot_id = $1 AND component_lot_id = $2', [packLotId, componentLotId, quantity]);
}

/** The pack lots made with units of this lot (a recall goes through them). */
export async function packLotsContaining(db: Queryable, componentLotId: number): Promise<number[]> {
  return (await db.query<{ id: number }>('SELECT pack_lot_id AS id FROM pack_lot_components WHERE component_lot_id = $1 ORDER BY pack_lot_id', [componentLotId])).map((r) => r.id);
}
