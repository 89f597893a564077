// SQL for donations, their items and their journey through the ledger: the only module that reads or
// writes the donations and donation_items tables.
import type { Queryable } from '../db/database.ts';
import { listRows, toCamel, type Paging, type Within } from '../db/rows.ts';
import type { CollectionStop, Donation, DonationItem, NewDonation } from './donations.schema.ts';

type DonationRow = Omit<Donation, 'items' | 'collection' | 'pickup'> & { collectionAddress: string | null; collectionLat: number | null; collectionLon: number | null };

/** A stored donation with its collection point as one field (its items and pickup are added by the caller). */
function fromRow({ collectionAddress, collectionLat, collectionLon, ...row }: DonationRow): Omit<Donation, 'items' | 'pickup'> {
  return { ...row, collection: collectionAddress === null ? null : { address: collectionAddress, lat: collectionLat!, lon: collectionLon! } };
}

export async function listDonations(db: Queryable, filters: { status?: string; warehouseId?: number; charityUserId?: number }, paging: Paging, within: Within) {
  const page = await listRows<DonationRow>(db, 'donations', filters, paging, within);
  return { ...page, items: page.items.map(fromRow) };
}

/**
 * A pledge and its items in one statement, written only when its warehouse and every commodity it names
 * exist (else nothing is, and undefined is returned: the caller names what is missing); as stored. A new
 * pledge is on no pickup route yet.
 */
export async function insertPledge(
  db: Queryable,
  { items, collection, ...donation }: NewDonation & { trackingCode: string; charityUserId: number },
): Promise<Donation | undefined> {
  const [row] = await db.query<Record<string, unknown> & { items: Record<string, unknown>[] }>(
    `WITH donation AS (
       INSERT INTO donations (warehouse_id, donor_name, donor_contact, note, tracking_code, charity_user_id, collection_address, collection_lat, collection_lon)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
       WHERE EXISTS (SELECT FROM warehouses WHERE id = $1)
         AND (SELECT count(*) FROM commodities WHERE id = ANY($10::int[])) = (SELECT count(DISTINCT c) FROM unnest($10::int[]) AS c)
       RETURNING *),
     item AS (
       INSERT INTO donation_items (donation_id, commodity_id, quantity_pledged)
       SELECT donation.id, i.commodity_id, i.quantity FROM donation, unnest($10::int[], $11::int[]) WITH ORDINALITY AS i(commodity_id, quantity, n) ORDER BY i.n
       RETURNING *)
     SELECT donation.*, (SELECT json_agg(item ORDER BY item.id) FROM item) AS items FROM donation`,
    [
      donation.warehouseId,
      donation.donorName,
      donation.donorContact ?? null,
      donation.note ?? null,
      donation.trackingCode,
      donation.charityUserId,
      collection?.address ?? null,
      collection?.lat ?? null,
      collection?.lon ?? null,
      items.map((item) => item.commodityId),
      items.map((item) => item.quantity),
    ],
  );
  if (!row) return undefined;
  const { items: stored, ...pledge } = row;
  return { ...fromRow(toCamel<DonationRow>(pledge)), items: stored.map((item) => toCamel<DonationItem>(item)), pickup: null };
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
  const donation = fromRow(toCamel<DonationRow>(row));
  return { ...donation, items: await itemsOf(db, [donation.id]), pickup: (await pickupsOf(db, [donation.id])).get(donation.id) ?? null };
}

/** Each donation's latest stop on a pickup route (a failed collection is followed by the next dispatch's). */
export async function pickupsOf(db: Queryable, donationIds: number[]): Promise<Map<number, CollectionStop>> {
  if (donationIds.length === 0) return new Map();
  const rows = await db.query<CollectionStop & { donationId: number }>(
    `SELECT DISTINCT ON (s.donation_id) s.donation_id AS "donationId", s.route_id AS "routeId", s.id AS "stopId", s.status,
            to_char(r.created_at, 'YYYY-MM-DD') AS "on", d.name AS driver, s.done_at AS "doneAt"
     FROM stops s JOIN routes r ON r.id = s.route_id JOIN drivers d ON d.id = r.driver_id
     WHERE s.donation_id = ANY($1::int[]) AND r.status <> 'cancelled' ORDER BY s.donation_id, s.id DESC`,
    [donationIds],
  );
  return new Map(rows.map(({ donationId, ...stop }) => [donationId, stop]));
}

/** A pledge waiting to be collected: where, for which warehouse, and what it weighs and fills. */
export interface PledgeToCollect {
  donationId: number;
  trackingCode: string;
  donorName: string;
  warehouseId: number;
  address: string;
  lat: number;
  lon: number;
  weightKg: number;
  volumeM3: number;
}

/** Pledges with a collection point not received yet and on no route under way or done (a failed collection comes back). */
export async function pledgesToCollect(db: Queryable): Promise<PledgeToCollect[]> {
  return db.query<PledgeToCollect>(
    `SELECT d.id AS "donationId", d.tracking_code AS "trackingCode", d.donor_name AS "donorName", d.warehouse_id AS "warehouseId",
            d.collection_address AS address, d.collection_lat AS lat, d.collection_lon AS lon,
            sum(i.quantity_pledged * c.weight_kg)::float8 AS "weightKg", sum(i.quantity_pledged * c.volume_m3)::float8 AS "volumeM3"
     FROM donations d JOIN donation_items i ON i.donation_id = d.id JOIN commodities c ON c.id = i.commodity_id
     WHERE d.status = 'pledged' AND d.collection_address IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM stops s JOIN routes r ON r.id = s.route_id
                       WHERE s.donation_id = d.id AND s.status IN ('pending', 'collected') AND r.status <> 'cancelled')
     GROUP BY d.id ORDER BY d.id`,
  );
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

/** A pledge as the driver who collects it sees it: from whom, where, and what to load. */
export interface PledgeForDriver {
  donationId: number;
  trackingCode: string;
  donorName: string;
  donorContact: string | null;
  address: string;
  items: { commodity: string; unit: string; quantity: number }[];
}

export async function pledgesForDrivers(db: Queryable, donationIds: number[]): Promise<Map<number, PledgeForDriver>> {
  if (donationIds.length === 0) return new Map();
  const rows = await db.query<PledgeForDriver>(
    `SELECT d.id AS "donationId", d.tracking_code AS "trackingCode", d.donor_name AS "donorName", d.donor_contact AS "donorContact",
            d.collection_address AS address,
            json_agg(json_build_object('commodity', c.name, 'unit', c.unit, 'quantity', i.quantity_pledged) ORDER BY i.id) AS items
     FROM donations d JOIN donation_items i ON i.donation_id = d.id JOIN commodities c ON c.id = i.commodity_id
     WHERE d.id = ANY($1::int[]) GROUP BY d.id`,
    [donationIds],
  );
  return new Map(rows.map((r) => [r.donationId, r]));
}
