// SQL for donations, their items and their journey through the ledger: the only module that reads or
// writes the donations and donation_items tables.
import { prepared, type Queryable } from '../db/database.ts';
import { auditInserts } from '../audit/audit.repo.ts';
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

/** A pledge as written: its tracking code, its charity, and the request context it is audited under (if any). */
export type PledgeRow = NewDonation & { trackingCode: string; charityUserId: number; request?: string };

/**
 * Pledges and their items, of any number of requests, in one statement, each as stored (in the order given);
 * a pledge whose warehouse or one of whose commodities does not exist is not written (undefined: the caller
 * names what is missing). Each written record is audited as its own request's in the same statement
 * (auditInserts). A new pledge is on no pickup route yet.
 */
export async function insertPledges(db: Queryable, pledges: PledgeRow[]): Promise<(Donation | undefined)[]> {
  const items = pledges.flatMap((p, n) => p.items.map((item) => ({ n: n + 1, ...item })));
  const rows = await db.query<Record<string, unknown> & { n: number; items: Record<string, unknown>[] }>(
    prepared(`WITH pledge AS (
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::float8[], $9::float8[], $10::text[])
         WITH ORDINALITY AS p(warehouse_id, donor_name, donor_contact, note, tracking_code, charity_user_id, collection_address, collection_lat, collection_lon, request, n)),
     item AS (SELECT * FROM unnest($11::int[], $12::int[], $13::int[]) WITH ORDINALITY AS i(pledge, commodity_id, quantity, n)),
     donation AS (
       INSERT INTO donations (warehouse_id, donor_name, donor_contact, note, tracking_code, charity_user_id, collection_address, collection_lat, collection_lon)
       SELECT warehouse_id, donor_name, donor_contact, note, tracking_code, charity_user_id, collection_address, collection_lat, collection_lon FROM pledge p
       WHERE EXISTS (SELECT FROM warehouses WHERE id = p.warehouse_id)
         AND NOT EXISTS (SELECT FROM item i WHERE i.pledge = p.n AND NOT EXISTS (SELECT FROM commodities WHERE id = i.commodity_id))
       ORDER BY p.n
       RETURNING *),
     written AS (SELECT donation.id, p.n, p.request FROM donation JOIN pledge p USING (tracking_code)),
     donation_item AS (
       INSERT INTO donation_items (donation_id, commodity_id, quantity_pledged)
       SELECT w.id, i.commodity_id, i.quantity FROM written w JOIN item i ON i.pledge = w.n ORDER BY i.n
       RETURNING *),
     audited AS (
       ${auditInserts(`SELECT 'donations', d.id::text, to_jsonb(d), w.request::jsonb FROM donation d JOIN written w USING (id)
       UNION ALL
       SELECT 'donation_items', di.id::text, to_jsonb(di), w.request::jsonb FROM donation_item di JOIN written w ON w.id = di.donation_id`)})
     SELECT donation.*, w.n, (SELECT json_agg(di ORDER BY di.id) FROM donation_item di WHERE di.donation_id = donation.id) AS items
     FROM donation JOIN written w USING (id)`),
    [
      pledges.map((p) => p.warehouseId),
      pledges.map((p) => p.donorName),
      pledges.map((p) => p.donorContact ?? null),
      pledges.map((p) => p.note ?? null),
      pledges.map((p) => p.trackingCode),
      pledges.map((p) => p.charityUserId),
      pledges.map((p) => p.collection?.address ?? null),
      pledges.map((p) => p.collection?.lat ?? null),
      pledges.map((p) => p.collection?.lon ?? null),
      pledges.map((p) => p.request ?? null),
      items.map((i) => i.n),
      items.map((i) => i.commodityId),
      items.map((i) => i.quantity),
    ],
  );
  const stored = new Map(
    rows.map(({ n, items: its, ...pledge }) => [Number(n), { ...fromRow(toCamel<DonationRow>(pledge)), items: its.map((item) => toCamel<DonationItem>(item)), pickup: null }]),
  );
  return pledges.map((_, i) => stored.get(i + 1));
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
