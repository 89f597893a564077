// SQL for donations, their items and their journey through the ledger: the only module that reads or
// writes the donations and donation_items tables.
import type { Queryable } from '../db/database.ts';
import { insertRow, listRows, toCamel, type Paging, type Within } from '../db/rows.ts';
import type { Donation, DonationItem, NewDonation } from './donations.schema.ts';

export const listDonations = (db: Queryable, filters: { status?: string; warehouseId?: number; charityUserId?: number }, paging: Paging, within: Within) =>
  listRows<Donation>(db, 'donations', filters, paging, within);

export async function insertDonation(
  db: Queryable,
  { items, ...donation }: NewDonation & { trackingCode: string; charityUserId: number },
): Promise<number> {
  const { id } = await insertRow<{ id: number }>(db, 'donations', donation);
  for (const item of items) await insertRow(db, 'donation_items', { donationId: id, commodityId: item.commodityId, quantityPledged: item.quantity });
  return id;
}

/** What was made of one pledged item on arrival. */
export async function recordItemReceipt(db: Queryable, itemId: number, receipt: { accepted: number; rejected: number; rejectionReason: string | null; lotId: number | null }): Promise<void> {
  await db.query('UPDATE donation_items SET quantity_accepted = $2, quantity_rejected = $3, rejection_reason = $4, lot_id = $5 WHERE id = $1', [
    itemId,
    receipt.accepted,
    receipt.rejected,
    receipt.rejectionReason,
    receipt.lotId,
  ]);
}

export async function markReceived(db: Queryable, donationId: number, by: number): Promise<void> {
  await db.query(`UPDATE donations SET status = 'received', received_at = now(), received_by = $2 WHERE id = $1`, [donationId, by]);
}

export async function itemsOf(db: Queryable, donationIds: number[]): Promise<DonationItem[]> {
  if (donationIds.length === 0) return [];
  const rows = await db.query('SELECT * FROM donation_items WHERE donation_id = ANY($1::int[]) ORDER BY id', [donationIds]);
  return rows.map((r) => toCamel<DonationItem>(r));
}

export async function findDonation(db: Queryable, where: 'id' | 'tracking_code', value: number | string, lock = false): Promise<Donation | undefined> {
  const [row] = await db.query(`SELECT * FROM donations WHERE ${where} = $1${lock ? ' FOR UPDATE' : ''}`, [value]);
  if (!row) return undefined;
  const donation = toCamel<Donation>(row);
  return { ...donation, items: await itemsOf(db, [donation.id]) };
}

/** The recalled lots of a donation. */
export async function recallsOf(db: Queryable, donationId: number): Promise<{ commodity: string; recalledAt: string; reason: string }[]> {
  const rows = await db.query<{ commodity: string; recalled_at: Date; reason: string }>(
    `SELECT c.name AS commodity, l.recalled_at, l.recall_reason AS reason FROM lots l JOIN commodities c ON c.id = l.commodity_id
     WHERE l.donation_id = $1 AND l.recalled_at IS NOT NULL ORDER BY l.id`,
    [donationId],
  );
  return rows.map((r) => ({ commodity: r.commodity, recalledAt: new Date(r.recalled_at).toISOString(), reason: r.reason }));
}

export interface JourneyRow {
  kind: string;
  quantity: number;
  createdAt: string;
  commodity: string;
  unit: string;
  warehouse: string;
  community: string | null;
}

/** Every ledger movement of the lots this donation became, with only public names attached. */
export async function journeyOf(db: Queryable, donationId: number): Promise<JourneyRow[]> {
  const rows = await db.query(
    `SELECT m.kind, m.quantity, m.created_at, c.name AS commodity, c.unit, w.name AS warehouse, h.community
     FROM stock_movements m
     JOIN lots l ON l.id = m.lot_id
     JOIN commodities c ON c.id = l.commodity_id
     JOIN warehouses w ON w.id = l.warehouse_id
     LEFT JOIN needs n ON n.id = m.need_id
     LEFT JOIN households h ON h.id = n.household_id
     WHERE l.donation_id = $1 AND m.kind <> 'reserved' AND m.kind <> 'released'
     ORDER BY m.id`,
    [donationId],
  );
  return rows.map((r) => toCamel<JourneyRow>(r));
}
