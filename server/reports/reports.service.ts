// The deliveries report for funders and authorities: what reached households by need tier, community,
// commodity and period, the fill rate and Gini over time, donations received and where they went, spoilage
// and recalls. Every figure is summed from the stock ledger as stored, never from a cached count.
import type { Queryable } from '../db/database.ts';
import type { SignedInUser } from '../auth/roles.ts';
import { warehouseScope } from '../auth/warehouse-scope.ts';
import { gini } from '../../solver/allocation/metrics.ts';
import { resolvePolicy, tierOf } from '../../solver/allocation/policy.ts';
import { flagsOf } from '../needs/needs.repo.ts';
import { solvedPlans } from '../plans/plans.repo.ts';
import * as repo from './reports.repo.ts';
import type { DeliveriesReport, ReportPeriod, ReportQuery } from './reports.schema.ts';

/**
 * The report of `from`..`to` for a coordinator or admin. A coordinator tied to warehouses gets their warehouses'
 * ledger only (deliveries, donations, spoilage, recalls); the fill rate is every household's, since a need
 * belongs to a household and may be served from any warehouse.
 */
export async function deliveriesReport(db: Queryable, user: SignedInUser, query: Pick<ReportQuery, 'from' | 'to' | 'period'>, timeZone = 'UTC'): Promise<DeliveriesReport> {
  const scope = warehouseScope(user);
  const window: repo.ReportWindow = { from: query.from, to: query.to, timeZone, warehouseIds: scope && [...scope] };
  const [delivered, needs, toNeeds, donations, spoiled, recalls, plans] = await Promise.all([
    repo.deliveredIn(db, window),
    repo.needsUntil(db, window),
    repo.deliveriesToNeedsUntil(db, window),
    repo.donationsIn(db, window),
    repo.spoiledIn(db, window),
    repo.recallsIn(db, window),
    solvedPlans(db),
  ]);
  const periodOf = (day: string) => periodStart(day, query.period);
  const periods = periodsOf(query.from, query.to, query.period);
  const within = (at: Date) => {
    const day = localDay(at, timeZone);
    return day >= query.from && day <= query.to;
  };
  return {
    from: query.from,
    to: query.to,
    period: query.period,
    timeZone,
    generatedAt: new Date().toISOString(),
    warehouseIds: window.warehouseIds && [...window.warehouseIds],
    deliveries: deliveries(delivered, periods, periodOf),
    fillRate: fillRateOverTime(needs, toNeeds, periods, query.to, query.period),
    plans: plans
      .filter((p) => within(new Date(p.solved_at)))
      .map((p) => ({ planId: p.id, solvedAt: new Date(p.solved_at).toISOString(), fillRate: p.result.metrics.overallFillRate, gini: p.result.metrics.giniOfFulfilment })),
    donations: donations.map((d) => ({
      donationId: d.donation_id,
      trackingCode: d.tracking_code,
      donor: d.donor,
      warehouse: d.warehouse,
      receivedAt: d.received_at.toISOString(),
      commodity: d.commodity,
      unit: d.unit,
      lotId: d.lot_id,
      received: d.received,
      rejected: d.rejected,
      rejectionReason: d.rejection_reason,
      delivered: d.delivered,
      spoiled: d.spoiled,
      recalled: d.recalled,
      communities: d.communities,
    })),
    spoilage: spoiled.map((s) => ({ lotId: s.lot_id, lotCode: s.lot_code, commodity: s.commodity, unit: s.unit, warehouse: s.warehouse, quantity: s.quantity, reason: s.reason, at: s.at.toISOString() })),
    recalls: recalls.map((r) => ({
      lotId: r.lot_id,
      lotCode: r.lot_code,
      commodity: r.commodity,
      unit: r.unit,
      warehouse: r.warehouse,
      supplier: r.supplier,
      reason: r.reason,
      recalledAt: r.recalled_at.toISOString(),
      delivered: r.delivered,
      households: r.households,
      communities: r.communities,
    })),
  };
}

const policy = resolvePolicy();
/** A need's tier by the optimizer's own policy, from its urgency and its household's flags as stored now. */
const tierOfRow = (row: { urgency: string | null } & object) =>
  tierOf({ id: '', commodityId: '', quantity: 1, flags: flagsOf(row), urgency: (row.urgency ?? 'normal') as 'normal' }, policy);

function deliveries(rows: repo.DeliveredRow[], periods: string[], periodOf: (day: string) => string): DeliveriesReport['deliveries'] {
  const lines = new Map<string, DeliveriesReport['deliveries']['lines'][number]>();
  const households = new Map<string, Set<number>>();
  for (const row of rows) {
    const line = { period: periodOf(row.day), tier: tierOfRow(row), community: row.community ?? '', commodityId: row.commodity_id, commodity: row.commodity, unit: row.unit, quantity: 0 };
    const key = `${line.period}|${line.tier}|${line.community}|${line.commodityId}`;
    (lines.get(key) ?? lines.set(key, line).get(key)!).quantity += row.quantity;
    if (row.household_id !== null) (households.get(line.community) ?? households.set(line.community, new Set()).get(line.community)!).add(row.household_id);
  }
  const all = [...lines.values()].sort((a, b) => a.period.localeCompare(b.period) || a.tier - b.tier || a.community.localeCompare(b.community) || a.commodity.localeCompare(b.commodity));
  const sum = <K extends string | number>(keyOf: (l: (typeof all)[number]) => K) => {
    const totals = new Map<K, number>();
    for (const l of all) totals.set(keyOf(l), (totals.get(keyOf(l)) ?? 0) + l.quantity);
    return totals;
  };
  const byCommodity = new Map(all.map((l) => [l.commodityId, { commodityId: l.commodityId, commodity: l.commodity, unit: l.unit, quantity: 0 }]));
  for (const l of all) byCommodity.get(l.commodityId)!.quantity += l.quantity;
  const byPeriod = sum((l) => l.period);
  return {
    total: rows.reduce((s, r) => s + r.quantity, 0),
    movements: rows.length,
    households: new Set(rows.flatMap((r) => (r.household_id === null ? [] : [r.household_id]))).size,
    byTier: [...sum((l) => l.tier)].sort(([a], [b]) => a - b).map(([tier, quantity]) => ({ tier, quantity })),
    byCommunity: [...sum((l) => l.community)]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([community, quantity]) => ({ community, quantity, households: households.get(community)?.size ?? 0 })),
    byCommodity: [...byCommodity.values()].sort((a, b) => a.commodity.localeCompare(b.commodity) || a.commodityId - b.commodityId),
    byPeriod: periods.map((period) => ({ period, quantity: byPeriod.get(period) ?? 0 })),
    lines: all,
  };
}

/** Delivered ÷ asked and the Gini of the delivered fractions, over the needs reported by the end of each period. */
function fillRateOverTime(needs: repo.NeedRow[], delivered: { need_id: number; day: string; quantity: number }[], periods: string[], to: string, period: ReportPeriod): DeliveriesReport['fillRate'] {
  const got = new Map<number, number>();
  const tiers = new Map(needs.map((n) => [n.id, tierOfRow(n)]));
  let next = 0;
  return periods.map((start) => {
    const end = periodEnd(start, period, to);
    for (; next < delivered.length && delivered[next]!.day <= end; next++) got.set(delivered[next]!.need_id, (got.get(delivered[next]!.need_id) ?? 0) + delivered[next]!.quantity);
    const open = needs.filter((n) => n.day <= end);
    const byTier = new Map<number, { asked: number; delivered: number }>();
    for (const n of open) {
      const t = byTier.get(tiers.get(n.id)!) ?? byTier.set(tiers.get(n.id)!, { asked: 0, delivered: 0 }).get(tiers.get(n.id)!)!;
      t.asked += n.quantity;
      t.delivered += Math.min(n.quantity, got.get(n.id) ?? 0);
    }
    const asked = open.reduce((s, n) => s + n.quantity, 0);
    const done = open.reduce((s, n) => s + Math.min(n.quantity, got.get(n.id) ?? 0), 0);
    return {
      period: start,
      needs: open.length,
      asked,
      delivered: done,
      fillRate: asked ? done / asked : 0,
      gini: gini(open.map((n) => Math.min(1, (got.get(n.id) ?? 0) / n.quantity))),
      tiers: [...byTier].sort(([a], [b]) => a - b).map(([tier, t]) => ({ tier, ...t, fillRate: t.asked ? t.delivered / t.asked : 0 })),
    };
  });
}

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The first day of the period a local day falls in: itself, its week's Monday, or its month's first. */
export function periodStart(day: string, period: ReportPeriod): string {
  if (period === 'day') return day;
  if (period === 'month') return `${day.slice(0, 7)}-01`;
  const ms = Date.parse(day);
  return isoDay(ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY);
}

/** The last day of the period starting on `start`, not after the report's last day. */
function periodEnd(start: string, period: ReportPeriod, to: string): string {
  const ms = Date.parse(start);
  const end =
    period === 'day' ? start : period === 'week' ? isoDay(ms + 6 * DAY) : isoDay(Date.UTC(new Date(ms).getUTCFullYear(), new Date(ms).getUTCMonth() + 1, 0));
  return end < to ? end : to;
}

/** The periods of `from`..`to`, each named by its first day. */
function periodsOf(from: string, to: string, period: ReportPeriod): string[] {
  const starts = new Set<string>();
  for (let ms = Date.parse(from); ms <= Date.parse(to); ms += DAY) starts.add(periodStart(isoDay(ms), period));
  return [...starts];
}

/** The local day (YYYY-MM-DD) of an instant in a time zone. */
function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
