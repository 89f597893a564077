// The deliveries report for funders and authorities: a coordinator picks the days and how the figures over time
// are grouped, reads the figures (deliveries by tier, community, commodity and period; fill rate and Gini over
// time; donations and where they went; spoilage and recalls), and downloads the same report as CSV or as a
// printable PDF in the page's language (through the session, see download.ts).
import { useState } from 'preact/hooks';
import { get } from '../api.ts';
import { currentLang, fmtDate, fmtDateTime, fmtNumber, fmtPercent, t, useLang } from '../i18n.ts';
import { downloadFile } from '../download.ts';
import { ErrorNote, Field, fieldErrors, formError, Show, useLoad, useSubmit } from '../components/ui.tsx';
import type { DeliveriesReport, ReportPeriod } from '../../../server/reports/reports.schema.ts';

const PERIODS: ReportPeriod[] = ['day', 'week', 'month'];

/** A date `days` before today, as YYYY-MM-DD in the browser's time zone. */
function isoDay(daysAgo = 0): string {
  const d = new Date();
  d.setDate(d.getDate() - daysAgo);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

interface Choice {
  from: string;
  to: string;
  period: ReportPeriod;
}

export function ReportsPage() {
  useLang();
  const [draft, setDraft] = useState<Choice>({ from: isoDay(6), to: isoDay(), period: 'day' });
  const [shown, setShown] = useState<Choice>(draft);
  const report = useLoad((signal) => get<DeliveriesReport>('/reports/deliveries', { ...shown }, signal), [shown.from, shown.to, shown.period]);
  const files = useSubmit();
  const download = (format: 'csv' | 'pdf') =>
    files.run(async () => {
      await downloadFile('GET', '/reports/deliveries', { query: { ...draft, format, ...(format === 'pdf' ? { lang: currentLang() } : {}) } }, `deliveries-${draft.from}-${draft.to}.${format}`);
    });
  const fieldProblems = { ...files.errors, ...fieldErrors(report.error) };

  return (
    <div class="page reports-page">
      <h1>{t('report.title')}</h1>
      <form
        class="card form-grid report-form"
        onSubmit={(e) => {
          e.preventDefault();
          setShown({ ...draft });
          if (shown.from === draft.from && shown.to === draft.to && shown.period === draft.period) report.reload();
        }}
      >
        <Field label={t('report.from')} error={fieldProblems.from}>
          <input type="date" name="from" required value={draft.from} onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })} />
        </Field>
        <Field label={t('report.to')} error={fieldProblems.to}>
          <input type="date" name="to" required value={draft.to} onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })} />
        </Field>
        <Field label={t('report.period')}>
          <select name="period" value={draft.period} onChange={(e) => setDraft({ ...draft, period: e.currentTarget.value as ReportPeriod })}>
            {PERIODS.map((p) => (
              <option key={p} value={p}>
                {t(`report.by.${p}`)}
              </option>
            ))}
          </select>
        </Field>
        <div class="actions span-all">
          <button type="submit" class="primary">
            {t('report.show')}
          </button>
          <button type="button" disabled={files.busy} onClick={() => download('csv')}>
            {t('report.downloadCsv')}
          </button>
          <button type="button" disabled={files.busy} onClick={() => download('pdf')}>
            {t('report.downloadPdf')}
          </button>
        </div>
        {files.error !== undefined && <ErrorNote error={formError(files.error, ['from', 'to'])} />}
      </form>
      <Show state={report} what={t('report.title')}>
        {(r) => <ReportFigures report={r} />}
      </Show>
    </div>
  );
}

/** One section of figures: a heading and a small table, a header row then rows of cells (numbers right-aligned). */
function FigureCard({ title, head, rows }: { title: string; head: string[]; rows: (string | number)[][] }) {
  return (
    <section class="card">
      <h2>{title}</h2>
      {rows.length === 0 ? <p class="muted">{t('report.nothing')}</p> : <FigureTable label={title} head={head} rows={rows} />}
    </section>
  );
}

function FigureTable({ label, head, rows }: { label: string; head: string[]; rows: (string | number)[][] }) {
  return (
    <table class="table report-table" aria-label={label}>
      <thead>
        <tr>
          {head.map((h, j) => (
            <th key={h} class={typeof rows[0]?.[j] === 'number' ? 'num' : undefined}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>
            {row.map((cell, j) => (
              <td key={j} class={typeof cell === 'number' ? 'num' : undefined}>
                {typeof cell === 'number' ? fmtNumber(cell, 2) : cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ReportFigures({ report: r }: { report: DeliveriesReport }) {
  const d = r.deliveries;
  return (
    <div class="report-figures" data-from={r.from} data-to={r.to}>
      <p class="muted">
        {t('report.span', { from: fmtDate(r.from), to: fmtDate(r.to), zone: r.timeZone })} · {t('report.generated', { at: fmtDateTime(r.generatedAt) })}
      </p>
      <div class="toolbar">
        <span class="figure-chip" data-figure="delivered">
          {t('report.delivered')}: <strong>{fmtNumber(d.total)}</strong>
        </span>
        <span class="figure-chip" data-figure="households">
          {t('report.households')}: <strong>{fmtNumber(d.households)}</strong>
        </span>
        <span class="figure-chip" data-figure="movements">
          {t('report.movements')}: <strong>{fmtNumber(d.movements)}</strong>
        </span>
      </div>
      <div class="dash-grid">
        <FigureCard title={t('report.byTier')} head={[t('report.tier'), t('report.delivered')]} rows={d.byTier.map((x) => [t('map.tier', { n: x.tier }), x.quantity])} />
        <FigureCard title={t('report.byCommunity')} head={[t('report.community'), t('report.delivered'), t('report.households')]} rows={d.byCommunity.map((x) => [x.community, x.quantity, x.households])} />
        <FigureCard title={t('report.byCommodity')} head={[t('report.commodity'), t('report.delivered')]} rows={d.byCommodity.map((x) => [`${x.commodity} (${x.unit})`, x.quantity])} />
        <FigureCard title={t('report.byPeriod')} head={[t('report.periodCol'), t('report.delivered')]} rows={d.byPeriod.map((x) => [x.period, x.quantity])} />
        <FigureCard title={t('report.fillRate')} head={[t('report.periodCol'), t('report.asked'), t('report.delivered'), t('report.fill'), t('plans.gini')]} rows={r.fillRate.map((x) => [x.period, x.asked, x.delivered, fmtPercent(x.fillRate), x.gini])} />
        <FigureCard title={t('report.donations')} head={[t('report.donor'), t('report.commodity'), t('report.received'), t('report.delivered'), t('report.spoiled')]} rows={r.donations.map((x) => [`${x.donor} · ${x.trackingCode}`, `${x.commodity} (${x.unit})`, x.received, x.delivered, x.spoiled])} />
        <FigureCard title={t('report.spoilage')} head={[t('report.lot'), t('report.commodity'), t('report.spoiled'), t('report.reason')]} rows={r.spoilage.map((x) => [x.lotCode, `${x.commodity} (${x.unit})`, x.quantity, x.reason ?? ''])} />
        <FigureCard title={t('report.recalls')} head={[t('report.lot'), t('report.commodity'), t('report.reason'), t('report.delivered'), t('report.households')]} rows={r.recalls.map((x) => [x.lotCode, `${x.commodity} (${x.unit})`, x.reason, x.delivered, x.households])} />
      </div>
    </div>
  );
}
