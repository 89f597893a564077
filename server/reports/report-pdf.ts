// The deliveries report as a printable PDF in zh or en: the same figures as the JSON and the CSV, with
// bar charts of deliveries and a line chart of the fill rate and Gini over time.
import type { Lang } from '../residents/resident-texts.ts';
import { barChart, finishPdf, heading, lineChart, newPdf, note, subheading, table, title } from '../http/pdf.ts';
import type { DeliveriesReport } from './reports.schema.ts';

const texts = {
  en: {
    title: 'Deliveries report',
    subtitle: (r: DeliveriesReport, at: string) =>
      `${r.from} to ${r.to} (${r.timeZone}), by ${r.period} · ${r.warehouseIds ? `warehouses ${r.warehouseIds.join(', ')}` : 'all warehouses'} · made ${at} · every figure is summed from the stock ledger`,
    summary: (r: DeliveriesReport) => `${r.deliveries.total} units delivered to ${r.deliveries.households} households in ${r.deliveries.movements} ledger movements.`,
    deliveries: 'Deliveries',
    byCommodity: 'By commodity',
    byTier: 'By need tier',
    byCommunity: 'By community',
    byPeriod: 'By period',
    tier: (t: number) => `Tier ${t}`,
    tierNote: 'Tier 1 is the most vulnerable (medical, infant, pregnancy), tier 2 elderly alone, disabled or chronically ill, tier 3 the others; a critical need moves one tier up.',
    fillRate: 'Fill rate and Gini over time',
    fillNote: "At the end of each period: units delivered ÷ units asked over the needs reported by then; the Gini coefficient of the needs' delivered fractions (0 = every household equally served, 1 = all to one).",
    overall: 'Fill rate',
    gini: 'Gini',
    plans: "Plans solved in the period (the optimizer's expected figures)",
    donations: 'Donations received and where they went',
    spoilage: 'Spoilage',
    recalls: 'Recalls',
    none: 'None in this period.',
    cols: {
      commodity: 'Commodity', unit: 'Unit', delivered: 'Delivered', tier: 'Tier', community: 'Community', households: 'Households', period: 'Period',
      needs: 'Needs', asked: 'Asked', fillRate: 'Fill rate', gini: 'Gini', plan: 'Plan', solved: 'Solved',
      donation: 'Donation', donor: 'Donor', received: 'Received', rejected: 'Rejected', spoiled: 'Spoiled', to: 'Delivered to',
      lot: 'Lot', warehouse: 'Warehouse', quantity: 'Quantity', reason: 'Reason', at: 'When', supplier: 'Supplier', recalled: 'recalled',
    },
    page: (n: number, of: number) => `Lifeline · deliveries report · page ${n} / ${of}`,
  },
  zh: {
    title: '配送报告',
    subtitle: (r: DeliveriesReport, at: string) =>
      `${r.from} 至 ${r.to}（${r.timeZone}），按${{ day: '日', week: '周', month: '月' }[r.period]}统计 · ${r.warehouseIds ? `仓库 ${r.warehouseIds.join('、')}` : '全部仓库'} · 生成于 ${at} · 所有数字均由库存台账汇总`,
    summary: (r: DeliveriesReport) => `共向 ${r.deliveries.households} 户送达 ${r.deliveries.total} 件，台账记录 ${r.deliveries.movements} 条。`,
    deliveries: '配送',
    byCommodity: '按物资',
    byTier: '按需求等级',
    byCommunity: '按社区',
    byPeriod: '按时段',
    tier: (t: number) => `第 ${t} 级`,
    tierNote: '第 1 级最脆弱（医疗、婴儿、孕妇），第 2 级为独居老人、残障或慢性病，第 3 级为其他；紧急需求提升一级。',
    fillRate: '满足率与基尼系数走势',
    fillNote: '每个时段结束时：已送达件数 ÷ 截至当时登记需求的申请件数；基尼系数衡量各需求送达比例的不均（0 = 各户同等满足，1 = 全部给一户）。',
    overall: '满足率',
    gini: '基尼系数',
    plans: '本期求解的分配方案（优化器的预期数字）',
    donations: '收到的捐赠及其去向',
    spoilage: '损耗',
    recalls: '召回',
    none: '本期没有。',
    cols: {
      commodity: '物资', unit: '单位', delivered: '已送达', tier: '等级', community: '社区', households: '户数', period: '时段',
      needs: '需求数', asked: '申请', fillRate: '满足率', gini: '基尼系数', plan: '方案', solved: '求解时间',
      donation: '捐赠', donor: '捐赠方', received: '入库', rejected: '拒收', spoiled: '损耗', to: '送达社区',
      lot: '批次', warehouse: '仓库', quantity: '数量', reason: '原因', at: '时间', supplier: '供应方', recalled: '已召回',
    },
    page: (n: number, of: number) => `Lifeline · 配送报告 · 第 ${n} / ${of} 页`,
  },
} as const;

export async function reportPdf(r: DeliveriesReport, lang: Lang): Promise<Buffer> {
  const t = texts[lang];
  const c = t.cols;
  const num = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-GB');
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const when = (iso: string) => new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: r.timeZone, dateStyle: 'short', timeStyle: 'short' });
  const doc = newPdf(`${t.title} ${r.from} – ${r.to}`);
  title(doc, t.title, t.subtitle(r, when(r.generatedAt)));

  heading(doc, t.deliveries);
  note(doc, t.summary(r));
  subheading(doc, t.byCommodity);
  barChart(doc, r.deliveries.byCommodity.map((x) => ({ label: `${x.commodity} (${x.unit})`, value: x.quantity })), (v) => num.format(v));
  subheading(doc, t.byTier);
  table(doc, [{ header: c.tier, width: 0.5 }, { header: c.delivered, width: 0.5, align: 'right' }], r.deliveries.byTier.map((x) => [t.tier(x.tier), num.format(x.quantity)]), t.none);
  note(doc, t.tierNote);
  subheading(doc, t.byCommunity);
  table(
    doc,
    [{ header: c.community, width: 0.5, wrap: true }, { header: c.households, width: 0.25, align: 'right' }, { header: c.delivered, width: 0.25, align: 'right' }],
    r.deliveries.byCommunity.map((x) => [x.community, num.format(x.households), num.format(x.quantity)]),
    t.none,
  );
  subheading(doc, t.byPeriod);
  // A bar per period while they fit on a page; a line over a long run of days.
  if (r.deliveries.byPeriod.length <= 31) barChart(doc, r.deliveries.byPeriod.map((x) => ({ label: x.period, value: x.quantity })), (v) => num.format(v));
  else lineChart(doc, r.deliveries.byPeriod.map((x) => x.period), [{ name: t.deliveries, values: r.deliveries.byPeriod.map((x) => x.quantity) }], Math.max(1, ...r.deliveries.byPeriod.map((x) => x.quantity)), (v) => num.format(Math.round(v)));

  heading(doc, t.fillRate, 240);
  note(doc, t.fillNote);
  lineChart(doc, r.fillRate.map((f) => f.period), [{ name: t.overall, values: r.fillRate.map((f) => f.fillRate) }, { name: t.gini, values: r.fillRate.map((f) => f.gini) }], 1, pct);
  table(
    doc,
    [{ header: c.period, width: 0.24 }, { header: c.needs, width: 0.14, align: 'right' }, { header: c.asked, width: 0.16, align: 'right' }, { header: c.delivered, width: 0.16, align: 'right' }, { header: c.fillRate, width: 0.15, align: 'right' }, { header: c.gini, width: 0.15, align: 'right' }],
    r.fillRate.map((f) => [f.period, num.format(f.needs), num.format(f.asked), num.format(f.delivered), pct(f.fillRate), f.gini.toFixed(3)]),
    t.none,
  );
  subheading(doc, t.plans);
  table(
    doc,
    [{ header: c.plan, width: 0.2 }, { header: c.solved, width: 0.4 }, { header: c.fillRate, width: 0.2, align: 'right' }, { header: c.gini, width: 0.2, align: 'right' }],
    r.plans.map((p) => [`#${p.planId}`, when(p.solvedAt), pct(p.fillRate), p.gini.toFixed(3)]),
    t.none,
  );

  heading(doc, t.donations);
  table(
    doc,
    [
      { header: c.donation, width: 0.1 }, { header: c.donor, width: 0.16, wrap: true }, { header: c.commodity, width: 0.17, wrap: true }, { header: c.received, width: 0.1, align: 'right' },
      { header: c.rejected, width: 0.1, align: 'right' }, { header: c.delivered, width: 0.1, align: 'right' }, { header: c.spoiled, width: 0.08, align: 'right' }, { header: c.to, width: 0.19, wrap: true },
    ],
    r.donations.map((d) => [
      `#${d.donationId}`,
      d.donor,
      `${d.commodity} (${d.unit})${d.recalled ? ` (${c.recalled})` : ''}`,
      num.format(d.received),
      num.format(d.rejected),
      num.format(d.delivered),
      num.format(d.spoiled),
      d.communities.map((x) => `${x.community} ${num.format(x.quantity)}`).join('\n'),
    ]),
    t.none,
  );

  heading(doc, t.spoilage);
  table(
    doc,
    [{ header: c.lot, width: 0.16 }, { header: c.commodity, width: 0.2 }, { header: c.warehouse, width: 0.18 }, { header: c.quantity, width: 0.1, align: 'right' }, { header: c.reason, width: 0.2, wrap: true }, { header: c.at, width: 0.16 }],
    r.spoilage.map((s) => [s.lotCode, `${s.commodity} (${s.unit})`, s.warehouse, num.format(s.quantity), s.reason ?? '', when(s.at)]),
    t.none,
  );

  heading(doc, t.recalls);
  table(
    doc,
    [{ header: c.lot, width: 0.13 }, { header: c.commodity, width: 0.16 }, { header: c.supplier, width: 0.14 }, { header: c.reason, width: 0.17, wrap: true }, { header: c.delivered, width: 0.1, align: 'right' }, { header: c.households, width: 0.12, align: 'right' }, { header: c.at, width: 0.18 }],
    r.recalls.map((x) => [x.lotCode, `${x.commodity} (${x.unit})`, x.supplier ?? '', x.reason, num.format(x.delivered), num.format(x.households), when(x.recalledAt)]),
    t.none,
  );
  return finishPdf(doc, t.page);
}
