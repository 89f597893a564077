// The deliveries report as one CSV in long form: one row per figure, named by its section and measure, so a
// spreadsheet pivots it as it likes. Typed text (communities, donors, reasons) is neutralised against formulas.
import { toCsv, type CsvCell } from '../../domain/csv.ts';
import type { DeliveriesReport } from './reports.schema.ts';

export const CSV_COLUMNS = ['section', 'period', 'tier', 'community', 'commodity', 'unit', 'warehouse', 'record', 'name', 'reason', 'at', 'measure', 'value'] as const;
type Column = (typeof CSV_COLUMNS)[number];
type Row = Partial<Record<Column, CsvCell>>;

/** The report's figures as CSV rows, with a BOM so spreadsheets read Chinese. */
export function reportCsv(r: DeliveriesReport): string {
  const rows: Row[] = [
    { section: 'deliveries-total', measure: 'delivered', value: r.deliveries.total },
    { section: 'deliveries-total', measure: 'movements', value: r.deliveries.movements },
    { section: 'deliveries-total', measure: 'households', value: r.deliveries.households },
    ...r.deliveries.byTier.map((t) => ({ section: 'deliveries-by-tier', tier: t.tier, measure: 'delivered', value: t.quantity })),
    ...r.deliveries.byCommunity.flatMap((c) => [
      { section: 'deliveries-by-community', community: c.community, measure: 'delivered', value: c.quantity },
      { section: 'deliveries-by-community', community: c.community, measure: 'households', value: c.households },
    ]),
    ...r.deliveries.byCommodity.map((c) => ({ section: 'deliveries-by-commodity', commodity: c.commodity, unit: c.unit, measure: 'delivered', value: c.quantity })),
    ...r.deliveries.byPeriod.map((p) => ({ section: 'deliveries-by-period', period: p.period, measure: 'delivered', value: p.quantity })),
    ...r.deliveries.lines.map((l) => ({ section: 'deliveries', period: l.period, tier: l.tier, community: l.community, commodity: l.commodity, unit: l.unit, measure: 'delivered', value: l.quantity })),
    ...r.fillRate.flatMap((f) => [
      ...(['needs', 'asked', 'delivered', 'fillRate', 'gini'] as const).map((m) => ({ section: 'fill-rate', period: f.period, measure: m, value: f[m] })),
      ...f.tiers.flatMap((t) => (['asked', 'delivered', 'fillRate'] as const).map((m) => ({ section: 'fill-rate-by-tier', period: f.period, tier: t.tier, measure: m, value: t[m] }))),
    ]),
    ...r.plans.flatMap((p) => (['fillRate', 'gini'] as const).map((m) => ({ section: 'plan', record: `plan ${p.planId}`, at: p.solvedAt, measure: m, value: p[m] }))),
    ...r.donations.flatMap((d) => {
      const row = { section: 'donation', record: `donation ${d.donationId}`, name: d.donor, warehouse: d.warehouse, commodity: d.commodity, unit: d.unit, at: d.receivedAt };
      return [
        ...(['received', 'rejected', 'delivered', 'spoiled'] as const).map((m) => ({ ...row, measure: m, value: d[m], ...(m === 'rejected' ? { reason: d.rejectionReason } : {}) })),
        ...(d.recalled ? [{ ...row, measure: 'recalled', value: 1 }] : []),
        ...d.communities.map((c) => ({ ...row, section: 'donation-to-community', community: c.community, measure: 'delivered', value: c.quantity })),
      ];
    }),
    ...r.spoilage.map((s) => ({ section: 'spoiled', record: `lot ${s.lotId}`, name: s.lotCode, commodity: s.commodity, unit: s.unit, warehouse: s.warehouse, reason: s.reason, at: s.at, measure: 'spoiled', value: s.quantity })),
    ...r.recalls.flatMap((x) => {
      const row = { section: 'recall', record: `lot ${x.lotId}`, name: x.lotCode, commodity: x.commodity, unit: x.unit, warehouse: x.warehouse, reason: x.reason, at: x.recalledAt, community: x.communities.join('; ') };
      return [
        { ...row, measure: 'delivered', value: x.delivered },
        { ...row, measure: 'households', value: x.households },
      ];
    }),
  ];
  return `\uFEFF${toCsv([[...CSV_COLUMNS], ...rows.map((row) => CSV_COLUMNS.map((c) => row[c]))])}\r\n`;
}
