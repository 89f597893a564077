// The coordinators' dashboard: fill rate by priority tier (delivered now, and planned over successive
// plans), time to delivery, equity, kilometres driven per day, days of cover per commodity; what is on
// screen exports to CSV.
import { get } from '../api.ts';
import { fmtDate, fmtDuration, fmtKm, fmtNumber, fmtPercent, t } from '../i18n.ts';
import { Show, useLoad } from '../components/ui.tsx';
import { BarChart, LineChart } from '../components/charts.tsx';
import { tierColours } from '../components/map.tsx';
import { downloadCsv } from '../csv.ts';
import type { Dashboard } from '../../../server/dashboard/dashboard.schema.ts';

/** Below this many days of cover a commodity is flagged: it runs out before the next delivery cycle. */
const LOW_COVER_DAYS = 3;
/** Bars are drawn up to this many days; more is "plenty" for a lockdown's planning horizon. */
const COVER_SCALE_DAYS = 30;

function exportCsv(d: Dashboard): void {
  const tiers = [...new Set(d.fillRateByTierOverPlans.flatMap((p) => p.tiers.map((x) => x.tier)))].sort();
  downloadCsv('dashboard.csv', [
    ['tier', 'needs', 'asked', 'delivered', 'fill_rate'],
    ...d.fillRateByTier.map((x) => [x.tier, x.needs, x.asked, x.delivered, x.fillRate]),
    [],
    ['plan', 'solved_at', ...tiers.map((x) => `planned_fill_rate_tier_${x}`), 'gini'],
    ...d.fillRateByTierOverPlans.map((p) => [p.planId, p.at, ...tiers.map((x) => p.tiers.find((y) => y.tier === x)?.fillRate ?? ''), p.gini]),
    [],
    ['day', 'km', 'routes'],
    ...d.kilometresByDay.map((k) => [k.day, k.km, k.routes]),
    [],
    ['commodity', 'available', 'inflow_per_day', 'outflow_per_day', 'days_of_cover'],
    ...d.daysOfCover.map((c) => [c.name, c.available, c.inflowPerDay, c.outflowPerDay, c.days ?? '']),
  ]);
}

export function DashboardPage() {
  const data = useLoad((signal) => get<Dashboard>('/dashboard', undefined, signal), []);
  return (
    <div class="page">
      <h1>{t('nav.dashboard')}</h1>
      <Show state={data} what={t('nav.dashboard')}>
        {(d) => {
          const tiers = [...new Set(d.fillRateByTierOverPlans.flatMap((p) => p.tiers.map((x) => x.tier)))].sort();
          const totalKm = d.kilometresByDay.reduce((sum, k) => sum + k.km, 0);
          return (
            <>
              <div class="toolbar">
                <button type="button" onClick={() => exportCsv(d)}>
                  {t('action.exportCsv')}
                </button>
                <span class="figure-chip">
                  {t('dashboard.delivered')}: <strong>{fmtNumber(d.deliveredItems)}</strong>
                </span>
                <span class="figure-chip">
                  {t('dashboard.timeToDelivery')}: <strong>{d.timeToDeliveryHours === null ? '—' : fmtDuration(d.timeToDeliveryHours * 3600)}</strong>
                </span>
                <span class="figure-chip">
                  {t('plans.gini')}: <strong>{fmtNumber(d.giniOfFulfilment, 2)}</strong>
                </span>
                <span class="figure-chip">
                  {t('dashboard.km')}: <strong>{fmtKm(totalKm * 1000)}</strong>
                </span>
              </div>
              <div class="dash-grid">
                <section class="card">
                  <h2>{t('dashboard.fillNow')}</h2>
                  <BarChart
                    label={t('dashboard.fillNow')}
                    max={1}
                    bars={d.fillRateByTier.map((x) => ({
                      label: t('map.tier', { n: x.tier }),
                      value: x.fillRate,
                      text: `${fmtPercent(x.fillRate)} (${fmtNumber(x.delivered)}/${fmtNumber(x.asked)})`,
                      colour: tierColours[x.tier],
                    }))}
                  />
                </section>
                <section class="card">
                  <h2>{t('dashboard.fillOverPlans')}</h2>
                  {d.fillRateByTierOverPlans.length ? (
                    <LineChart
                      xs={d.fillRateByTierOverPlans.map((p) => p.planId)}
                      xLabel={(id) => t('plans.planN', { n: id })}
                      percent
                      series={tiers.map((tier) => ({
                        label: t('map.tier', { n: tier }),
                        values: d.fillRateByTierOverPlans.map((p) => p.tiers.find((x) => x.tier === tier)?.fillRate ?? null),
                        colour: tierColours[tier] ?? '#555',
                      }))}
                    />
                  ) : (
                    <p class="muted">{t('dashboard.noHistory')}</p>
                  )}
                </section>
                <section class="card">
                  <h2>{t('dashboard.cover')}</h2>
                  <BarChart
                    label={t('dashboard.cover')}
                    bars={[...d.daysOfCover]
                      .sort((a, b) => (a.days ?? Infinity) - (b.days ?? Infinity))
                      .map((c) => {
                        const low = c.days !== null && c.days < LOW_COVER_DAYS;
                        return {
                          label: c.name,
                          value: Math.min(c.days ?? COVER_SCALE_DAYS, COVER_SCALE_DAYS),
                          text: c.days === null ? t('plans.notRunningDown') : t('dashboard.days', { n: fmtNumber(c.days, 1) }),
                          warn: low,
                          colour: low ? '#b42318' : c.days === null ? '#98a2b3' : '#0b5563',
                        };
                      })}
                    max={COVER_SCALE_DAYS}
                  />
                </section>
                <section class="card">
                  <h2>{t('dashboard.kmOverTime')}</h2>
                  {d.kilometresByDay.length ? (
                    <BarChart
                      label={t('dashboard.kmOverTime')}
                      bars={d.kilometresByDay.map((k) => ({ label: fmtDate(k.day), value: k.km, text: `${fmtKm(k.km * 1000)} · ${t('dashboard.routes', { n: k.routes })}` }))}
                    />
                  ) : (
                    <p class="muted">{t('dashboard.noHistory')}</p>
                  )}
                </section>
              </div>
            </>
          );
        }}
      </Show>
    </div>
  );
}
