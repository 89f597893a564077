// SQL for the deliveries report. It has no table: each read joins the stock ledger with the lots, needs,
// households, donations and warehouses it names, read-only, as the one view a report shows. Every figure
// is summed from ledger movements (stock_movements) as stored; days are the operation's local days.
import type { Queryable } from '../db/database.ts';

/** A report's days and warehouses: `from`..`to` (both included) in time zone `timeZone`; null warehouses: all. */
export interface ReportWindow {
  from: string;
  to: string;
  timeZone: string;
  warehouseIds: readonly number[] | null;
}

const args = (w: ReportWindow) => [w.from, w.to, w.timeZone, w.warehouseIds];
/** Movement `m` within the window's days, of a lot `l` of the window's warehouses. */
const IN_WINDOW = `m.created_at >= ($1::date)::timestamp AT TIME ZONE $3 AND m.created_at < ($2::date + 1)::timestamp AT TIME ZONE $3
  AND ($4::int[] IS NULL OR l.warehouse_id = ANY($4::int[]))`;
/** Up to the window's last day. */
const UNTIL_END = `m.created_at < ($2::date + 1)::timestamp AT TIME ZONE $3`;

export interface DeliveredRow {
  quantity: number;
  /** The local day of the movement, YYYY-MM-DD. */
  day: string;
  commodity_id: number;
  commodity: string;
  unit: string;
  household_id: number | null;
  community: string | null;
  urgency: 'low' | 'normal' | 'high' | 'critical' | null;
  elderly_alone: boolean | null;
  chronic_illness: boolean | null;
  disabled: boolean | null;
  pregnant: boolean | null;
  infant: boolean | null;
}

/** Every `delivered` movement of the window, with its commodity and the need's household as stored. */
export async function deliveredIn(db: Queryable, w: ReportWindow): Promise<DeliveredRow[]> {
  return db.query<DeliveredRow>(
    `SELECT m.quantity, to_char(m.created_at AT TIME ZONE $3, 'YYYY-MM-DD') AS day, l.commodity_id, c.name AS commodity, c.unit,
            n.household_id, h.community, n.urgency, h.elderly_alone, h.chronic_illness, h.disabled, h.pregnant, h.infant
     FROM stock_movements m JOIN lots l ON l.id = m.lot_id JOIN commodities c ON c.id = l.commodity_id
     LEFT JOIN needs n ON n.id = m.need_id LEFT JOIN households h ON h.id = n.household_id
     WHERE m.kind = 'delivered' AND ${IN_WINDOW} ORDER BY m.id`,
    args(w),
  );
}

export interface NeedRow {
  id: number;
  quantity: number;
  /** The local day it was reported. */
  day: string;
  urgency: 'low' | 'normal' | 'high' | 'critical';
  elderly_alone: boolean;
  chronic_illness: boolean;
  disabled: boolean;
  pregnant: boolean;
  infant: boolean;
}

/** The needs reported by the window's last day (confirmed, not cancelled), for the fill rate over time. */
export async function needsUntil(db: Queryable, w: ReportWindow): Promise<NeedRow[]> {
  return db.query<NeedRow>(
    `SELECT n.id, n.quantity, to_char(n.created_at AT TIME ZONE $2, 'YYYY-MM-DD') AS day, n.urgency,
            h.elderly_alone, h.chronic_illness, h.disabled, h.pregnant, h.infant
     FROM needs n JOIN households h ON h.id = n.household_id
     WHERE n.status <> 'cancelled' AND n.confirmed AND n.created_at < ($1::date + 1)::timestamp AT TIME ZONE $2
     ORDER BY n.id`,
    [w.to, w.timeZone],
  );
}

/** Units delivered to each need, per local day, up to the window's last day (every warehouse: needs belong to households, not warehouses). */
export async function deliveriesToNeedsUntil(db: Queryable, w: ReportWindow): Promise<{ need_id: number; day: string; quantity: number }[]> {
  return db.query(
    `SELECT m.need_id, to_char(m.created_at AT TIME ZONE $2, 'YYYY-MM-DD') AS day, sum(m.quantity)::int AS quantity
     FROM stock_movements m WHERE m.kind = 'delivered' AND m.need_id IS NOT NULL AND m.created_at < ($1::date + 1)::timestamp AT TIME ZONE $2
     GROUP BY 1, 2 ORDER BY 2, 1`,
    [w.to, w.timeZone],
  );
}

export interface DonationLotRow {
  donation_id: number;
  tracking_code: string;
  donor: string;
  warehouse: string;
  received_at: Date;
  commodity: string;
  unit: string;
  lot_id: number | null;
  received: number;
  rejected: number;
  rejection_reason: string | null;
  delivered: number;
  spoiled: number;
  recalled: boolean;
  communities: { community: string; quantity: number }[];
}

/** Donations received in the window, one row per item: its lot's ledger up to the window's last day. */
export async function donationsIn(db: Queryable, w: ReportWindow): Promise<DonationLotRow[]> {
  const moved = (kind: string) =>
    `coalesce((SELECT sum(m.quantity) FROM stock_movements m WHERE m.lot_id = l.id AND m.kind = '${kind}' AND ${UNTIL_END}), 0)::int`;
  return db.query<DonationLotRow>(
    `SELECT d.id AS donation_id, d.tracking_code, d.donor_name AS donor, w.name AS warehouse, d.received_at, c.name AS commodity, c.unit,
            l.id AS lot_id, ${moved('received')} AS received, coalesce(di.quantity_rejected, 0) AS rejected, di.rejection_reason,
            ${moved('delivered')} AS delivered, ${moved('spoiled')} AS spoiled, coalesce(l.recalled_at IS NOT NULL, false) AS recalled,
            coalesce((SELECT json_agg(json_build_object('community', x.community, 'quantity', x.quantity) ORDER BY x.community)
                      FROM (SELECT h.community, sum(m.quantity)::int AS quantity FROM stock_movements m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
                            WHERE m.lot_id = l.id AND m.kind = 'delivered' AND ${UNTIL_END} GROUP BY h.community) x), '[]') AS communities
     FROM donations d JOIN donation_items di ON di.donation_id = d.id JOIN commodities c ON c.id = di.commodity_id
     JOIN warehouses w ON w.id = d.warehouse_id LEFT JOIN lots l ON l.id = di.lot_id
     WHERE d.status = 'received' AND d.received_at >= ($1::date)::timestamp AT TIME ZONE $3 AND d.received_at < ($2::date + 1)::timestamp AT TIME ZONE $3
       AND ($4::int[] IS NULL OR d.warehouse_id = ANY($4::int[]))
     ORDER BY d.received_at, d.id, di.id`,
    args(w),
  );
}

export interface SpoiledRow {
  lot_id: number;
  lot_code: string;
  commodity: string;
  unit: string;
  warehouse: string;
  quantity: number;
  reason: string | null;
  at: Date;
}

/** Every `spoiled` movement of the window. */
export async function spoiledIn(db: Queryable, w: ReportWindow): Promise<SpoiledRow[]> {
  return db.query<SpoiledRow>(
    `SELECT l.id AS lot_id, l.lot_code, c.name AS commodity, c.unit, wh.name AS warehouse, m.quantity, m.reason, m.created_at AS at
     FROM stock_movements m JOIN lots l ON l.id = m.lot_id JOIN commodities c ON c.id = l.commodity_id JOIN warehouses wh ON wh.id = l.warehouse_id
     WHERE m.kind = 'spoiled' AND ${IN_WINDOW} ORDER BY m.id`,
    args(w),
  );
}

export interface RecallRow {
  lot_id: number;
  lot_code: string;
  commodity: string;
  unit: string;
  warehouse: string;
  supplier: string | null;
  reason: string;
  recalled_at: Date;
  delivered: number;
  households: number;
  communities: string[];
}

/** Lots recalled in the window, with what the ledger had delivered of them and to whom. */
export async function recallsIn(db: Queryable, w: ReportWindow): Promise<RecallRow[]> {
  return db.query<RecallRow>(
    `SELECT l.id AS lot_id, l.lot_code, c.name AS commodity, c.unit, wh.name AS warehouse, l.supplier, l.recall_reason AS reason, l.recalled_at,
            coalesce(sum(m.quantity), 0)::int AS delivered, count(DISTINCT n.household_id)::int AS households,
            coalesce(array_agg(DISTINCT h.community ORDER BY h.community) FILTER (WHERE h.community IS NOT NULL), '{}') AS communities
     FROM lots l JOIN commodities c ON c.id = l.commodity_id JOIN warehouses wh ON wh.id = l.warehouse_id
     LEFT JOIN stock_movements m ON m.lot_id = l.id AND m.kind = 'delivered'
     LEFT JOIN needs n ON n.id = m.need_id LEFT JOIN households h ON h.id = n.household_id
     WHERE l.recalled_at >= ($1::date)::timestamp AT TIME ZONE $3 AND l.recalled_at < ($2::date + 1)::timestamp AT TIME ZONE $3
       AND ($4::int[] IS NULL OR l.warehouse_id = ANY($4::int[]))
     GROUP BY l.id, c.id, wh.id ORDER BY l.recalled_at, l.id`,
    args(w),
  );
}
