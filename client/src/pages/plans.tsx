// Allocation plans: run one (with visible progress), review it (fill rate by tier, fairness, unmet
// needs with their reasons), pin or exclude allocations and re-run, approve, dispatch.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, get, getAll, newIdempotencyKey, request } from '../api.ts';
import { fmtDateTime, fmtDuration, fmtNumber, fmtPercent, t, tOr } from '../i18n.ts';
import type { Allocation, Commodity, Need, Plan, Route, Unmet, Warehouse } from '../types.ts';
import { ErrorNote, ExportCsvButton, Field, formError, isMissingEndpoint, NotYet, Progress, Show, useLoad, useSubmit } from '../components/ui.tsx';
import { BarChart } from '../components/charts.tsx';
import { onLive, onLiveResync } from '../live.ts';
import { Link, navigate } from '../router.tsx';
import { HandoverSheets } from '../components/handover-sheets.tsx';
import { useCatalogue } from '../catalogue.ts';
import { readPlan } from '../plan-data.ts';
import { readRoutes } from '../route-data.ts';
import type { JobView } from '../../../server/jobs/jobs.schema.ts';
import { tierColours } from '../components/map.tsx';
import { unmetReasons } from '../../../domain/values.ts';

/** A dispatch that outlasted the server's wait answered with its job: follow it, then read the plan's routes (summed up: the page shows how many). */
async function followDispatch(jobId: string, planId: number): Promise<unknown> {
  for (;;) {
    const job = await request<JobView>('GET', `/jobs/${jobId}`);
    if (job.state === 'done') return request('GET', `/routes?planId=${planId}&view=summary`);
    if (job.state === 'failed') throw new Error(job.error?.detail ?? 'the dispatch failed');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

interface PlanRequest {
  commodityIds?: number[];
  pins?: { needId: number; warehouseId: number; quantity: number }[];
  exclusions?: { needId: number; warehouseId: number }[];
  timeLimitMs?: number;
}

async function startPlan(body: PlanRequest): Promise<Plan> {
  return readPlan(await request<Record<string, unknown>>('POST', '/plans', { body, idempotencyKey: newIdempotencyKey() }));
}

export function PlansPage() {
  const plans = useLoad(() => get<Record<string, unknown>[] | { items: Record<string, unknown>[] }>('/plans', { limit: 100 }).then((p) => (Array.isArray(p) ? p : p.items).map(readPlan)), []);
  const catalogue = useCatalogue();
  const [chosen, setChosen] = useState<number[]>([]);
  const [seconds, setSeconds] = useState('10');
  const { busy, error, errors, onSubmit } = useSubmit();

  const run = onSubmit(async () => {
    const plan = await startPlan({ commodityIds: chosen.length ? chosen : undefined, timeLimitMs: Number(seconds) * 1000 || undefined });
    navigate(`/coordinator/plans/${plan.id}`);
  });

  if (isMissingEndpoint(plans.error)) return <div class="page"><h1>{t('plans.title')}</h1><NotYet what={t('plans.title')} /></div>;
  return (
    <div class="page two-col">
      <section class="card">
        <h1>{t('plans.run')}</h1>
        <form class="form" onSubmit={run} noValidate>
          <Show state={catalogue}>
            {(cat) => (
              <Field label={t('plans.commodities')} hint={t('plans.commoditiesHint')} error={errors.commodityIds}>
                <div class="check-grid">
                  {cat.commodities.map((c) => (
                    <label class="check" key={c.id}>
                      <input
                        type="checkbox"
                        checked={chosen.includes(c.id)}
                        onChange={(e) => setChosen(e.currentTarget.checked ? [...chosen, c.id] : chosen.filter((id) => id !== c.id))}
                      />{' '}
                      {c.name}
                    </label>
                  ))}
                </div>
              </Field>
            )}
          </Show>
          <Field label={t('plans.timeLimit')} error={errors.timeLimitMs} class="narrow-field">
            <input name="timeLimit" type="number" min={1} max={600} value={seconds} onInput={(e) => setSeconds(e.currentTarget.value)} />
          </Field>
          <ErrorNote error={formError(error, ['commodityIds', 'timeLimitMs'])} />
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('state.working') : t('plans.runButton')}
          </button>
        </form>
      </section>
      <section class="card">
        <h2>{t('plans.recent')}</h2>
        <Show state={plans}>
          {(list) =>
            list.length === 0 ? (
              <p class="muted">{t('plans.none')}</p>
            ) : (
              <ul class="plain-list">
                {[...list].sort((a, b) => b.id - a.id).map((p) => (
                  <li key={p.id}>
                    <Link href={`/coordinator/plans/${p.id}`}>{t('plans.planN', { n: p.id })}</Link> <span class={`badge plan-${p.status}`}>{t(`plan.${p.status}`)}</span>{' '}
                    <span class="muted small">{fmtDateTime(p.createdAt)}</span>
                  </li>
                ))}
              </ul>
            )
          }
        </Show>
      </section>
    </div>
  );
}

export function PlanPage({ id }: { id: number }) {
  const plan = useLoad(() => get<Record<string, unknown>>(`/plans/${id}`).then(readPlan), [id]);
  const catalogue = useCatalogue();
  const needs = useLoad(() => getAll<Need>('/needs'), []);
  const [progress, setProgress] = useState<{ stage: string; fraction: number }>();
  const status = plan.data?.status;

  useEffect(() => {
    const offProgress = onLive('plan:progress', (e) => e.data.planId === id && setProgress({ stage: e.data.stage, fraction: e.data.fraction }));
    const offStatus = onLive('plan:status', (e) => e.data.planId === id && plan.reload());
    const offResync = onLiveResync(plan.reload);
    return () => {
      offProgress();
      offStatus();
      offResync();
    };
  }, [id]);
  // Polling as well as the live events: progress shows even when the socket is down.
  useEffect(() => {
    if (status !== 'solving') return;
    const timer = setInterval(plan.reload, 1000);
    return () => clearInterval(timer);
  }, [status]);

  return (
    <div class="page">
      <p>
        <Link href="/coordinator/plans">← {t('plans.title')}</Link>
      </p>
      <Show state={plan} what={t('plans.title')}>
        {(p) => (
          <Show state={catalogue}>
            {(cat) => <PlanView plan={p} progress={progress ?? p.progress} needs={needs.data ?? []} {...cat} onChanged={plan.reload} />}
          </Show>
        )}
      </Show>
    </div>
  );
}

type PinState = Record<string, 'pin' | 'exclude'>;
const pinKey = (a: Pick<Allocation, 'needId' | 'warehouseId'>) => `${a.needId}:${a.warehouseId}`;

function PlanView({ plan, progress, needs, commodities, warehouses, onChanged }: { plan: Plan; progress?: { stage: string; fraction: number }; needs: Need[]; commodities: Commodity[]; warehouses: Warehouse[]; onChanged: () => void }) {
  const { busy, error, run: act } = useSubmit();
  const [routes, setRoutes] = useState<Route[]>();
  const [uncollected, setUncollected] = useState<{ trackingCode: string; reason: string }[]>([]);
  const [dispatching, setDispatching] = useState(false);
  const [pins, setPins] = useState<PinState>({});
  const needById = useMemo(() => new Map(needs.map((n) => [n.id, n])), [needs]);
  const commodityName = (id: number) => commodities.find((c) => c.id === id)?.name ?? `#${id}`;
  const warehouseName = (id: number) => warehouses.find((w) => w.id === id)?.name ?? `#${id}`;
  const unmetCommodity = (u: Unmet) => (Number.isNaN(u.commodityId) ? needById.get(u.needId)?.commodityId ?? 0 : u.commodityId);

  const approve = () => act(async () => {
    await request('POST', `/plans/${plan.id}/approve`, { idempotencyKey: newIdempotencyKey() });
    onChanged();
  });
  const dispatch = () => act(async () => {
    setDispatching(true);
    const answer = await request<{ job?: JobView }>('POST', `/plans/${plan.id}/dispatch`, { body: {}, idempotencyKey: newIdempotencyKey() })
      .then((started) => (started.job ? followDispatch(started.job.id, plan.id) : started))
      .finally(() => setDispatching(false));
    setRoutes(readRoutes(answer));
    setUncollected((answer as { uncollected?: { trackingCode: string; reason: string }[] }).uncollected ?? []);
    onChanged();
  });
  const rerun = () => act(async () => {
    const allocations = plan.result?.allocations ?? [];
    const body: PlanRequest = {
      pins: allocations.filter((a) => pins[pinKey(a)] === 'pin').map((a) => ({ needId: a.needId, warehouseId: a.warehouseId, quantity: a.quantity })),
      exclusions: allocations.filter((a) => pins[pinKey(a)] === 'exclude').map((a) => ({ needId: a.needId, warehouseId: a.warehouseId })),
    };
    const next = await startPlan(body);
    navigate(`/coordinator/plans/${next.id}`);
  });

  const result = plan.result;
  const stale = error instanceof ApiError && error.status === 409;
  return (
    <>
      <div class="row-between wrap">
        <h1>
          {t('plans.planN', { n: plan.id })} <span class={`badge plan-${plan.status}`}>{t(`plan.${plan.status}`)}</span>
        </h1>
        <div class="actions">
          {plan.status === 'ready' && (
            <button type="button" class="primary" disabled={busy} onClick={approve}>
              {t('plans.approve')}
            </button>
          )}
          {plan.status === 'approved' && (
            <button type="button" class="primary" disabled={busy} onClick={dispatch}>
              {t('plans.dispatch')}
            </button>
          )}
          {result && Object.keys(pins).length > 0 && (
            <button type="button" disabled={busy} onClick={rerun}>
              {t('plans.rerun', { n: Object.keys(pins).length })}
            </button>
          )}
        </div>
      </div>
      {dispatching && (
        <p class="muted" aria-busy="true">
          {t('plans.dispatching')}
        </p>
      )}
      {plan.status === 'solving' && <Progress fraction={progress?.fraction ?? 0} label={`${progress?.stage ? tOr(`stage.${progress.stage}`, progress.stage) : t('plans.solving')} ${fmtPercent(progress?.fraction ?? 0)}`} />}
      {plan.status === 'failed' && <ErrorNote error={new ApiError(422, plan.error ?? t('plan.failed'))} />}
      {plan.status === 'stale' && <p class="warn-note">{t('plans.staleNote')}</p>}
      {error !== undefined && (
        <div>
          {isMissingEndpoint(error) ? <NotYet /> : <ErrorNote error={error} />}
          {stale && (
            <button type="button" onClick={() => act(async () => navigate(`/coordinator/plans/${(await startPlan({})).id}`))}>
              {t('plans.runAgain')}
            </button>
          )}
        </div>
      )}
      {routes && (
        <p class="ok-note" role="status">
          {t('plans.dispatched', { n: routes.length })} <Link href="/coordinator/board">{t('nav.board')} →</Link>
        </p>
      )}
      {plan.status === 'dispatched' && <HandoverSheets planId={plan.id} />}
      {uncollected.length > 0 && (
        <div class="warn-note">
          {t('plans.uncollected', { n: uncollected.length })}
          <ul>
            {uncollected.map((u) => (
              <li key={u.trackingCode}>
                {u.trackingCode}: {u.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {result && (
        <div class="plan-review">
          <section class="card">
            <h2>{t('plans.fillByTier')}</h2>
            <BarChart
              label={t('plans.fillByTier')}
              max={1}
              bars={Object.entries(result.metrics.fillRateByTier).map(([tier, rate]) => ({
                label: t('map.tier', { n: Number(tier) }),
                value: rate,
                text: fmtPercent(rate),
                colour: tierColours[Number(tier)],
              }))}
            />
            <dl class="figures">
              {(
                [
                  ['plans.overallFill', result.metrics.overallFillRate, fmtPercent],
                  ['plans.gini', result.metrics.gini, (v: number) => fmtNumber(v, 2)],
                  ['plans.priceOfFairness', result.metrics.priceOfFairness, fmtPercent],
                  ['plans.totalTravel', result.metrics.totalTravel, (v: number) => fmtNumber(v / 3600, 1)],
                ] as const
              ).map(([label, value, format]) =>
                value === undefined ? null : (
                  <>
                    <dt>{t(label)}</dt>
                    <dd>{format(value)}</dd>
                  </>
                ),
              )}
              {result.metrics.minFulfilmentByTier &&
                Object.entries(result.metrics.minFulfilmentByTier).map(([tier, v]) => (
                  <>
                    <dt>{t('plans.minFulfilment', { n: Number(tier) })}</dt>
                    <dd>{fmtPercent(v)}</dd>
                  </>
                ))}
            </dl>
          </section>
          <section class="card">
            <div class="row-between">
              <h2>{t('plans.unmet', { n: result.unmet.length })}</h2>
              <ExportCsvButton
                filename={`plan-${plan.id}-unmet.csv`}
                rows={() => [
                  ['need', 'household', 'commodity', 'asked', 'allocated', 'reason', 'detail'],
                  ...result.unmet.map((u) => [u.needId, needById.get(u.needId)?.household.name, commodityName(unmetCommodity(u)), u.asked, u.allocated, u.reason, u.detail]),
                ]}
              />
            </div>
            <div class="reason-counts">
              {unmetReasons.map((r) => (
                <span key={r} class={`badge reason-${r}`}>
                  {t(`unmet.${r}`)}: {result.unmet.filter((u) => u.reason === r).length}
                </span>
              ))}
            </div>
            <div class="scroll-table">
              <table class="table">
                <thead>
                  <tr>
                    <th>{t('plans.household')}</th>
                    <th>{t('field.commodity')}</th>
                    <th class="num">{t('plans.allocatedOfAsked')}</th>
                    <th>{t('plans.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.unmet.slice(0, 300).map((u) => (
                    <tr key={u.needId}>
                      <td>{needById.get(u.needId)?.household.name ?? `#${u.needId}`}</td>
                      <td>{commodityName(unmetCommodity(u))}</td>
                      <td class="num">
                        {fmtNumber(u.allocated, 1)} / {fmtNumber(u.asked)}
                      </td>
                      <td>
                        <span class={`badge reason-${u.reason}`}>{t(`unmet.${u.reason}`)}</span> <span class="small">{u.detail}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          {(result.metrics.daysOfCover ?? []).length > 0 && (
            <section class="card">
              <h2>{t('plans.coverAfter')}</h2>
              <BarChart
                label={t('plans.coverAfter')}
                bars={(result.metrics.daysOfCover ?? []).map((c) => ({
                  label: commodityName(c.commodityId),
                  value: Math.min(c.days ?? 60, 60),
                  text: c.days === null ? t('plans.notRunningDown') : t('dashboard.days', { n: fmtNumber(c.days, 1) }),
                  warn: c.days !== null && c.days < 3,
                  colour: c.days !== null && c.days < 3 ? '#b42318' : '#0b5563',
                }))}
              />
            </section>
          )}
          <section class="card wide-card">
            <div class="row-between">
              <h2>{t('plans.allocations', { n: result.allocations.length })}</h2>
              <ExportCsvButton
                filename={`plan-${plan.id}-allocations.csv`}
                rows={() => [
                  ['need', 'household', 'community', 'commodity', 'warehouse', 'quantity', 'travel_s'],
                  ...result.allocations.map((a) => [a.needId, needById.get(a.needId)?.household.name, needById.get(a.needId)?.household.community, commodityName(a.commodityId), warehouseName(a.warehouseId), a.quantity, Math.round(a.travelTimeS)]),
                ]}
              />
            </div>
            <p class="muted small">{t('plans.pinHint')}</p>
            <div class="scroll-table">
              <table class="table">
                <thead>
                  <tr>
                    <th>{t('plans.household')}</th>
                    <th>{t('field.commodity')}</th>
                    <th>{t('field.warehouse')}</th>
                    <th class="num">{t('field.quantity')}</th>
                    <th class="num">{t('plans.travel')}</th>
                    <th>{t('plans.pinOrExclude')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.allocations.slice(0, 400).map((a) => {
                    const k = pinKey(a);
                    const need = needById.get(a.needId);
                    const toggle = (mode: 'pin' | 'exclude') => setPins((p) => {
                      const next = { ...p };
                      if (next[k] === mode) delete next[k];
                      else next[k] = mode;
                      return next;
                    });
                    return (
                      <tr key={`${k}:${a.lotId}`} class={pins[k] ? `row-${pins[k]}` : ''}>
                        <td>
                          {need?.household.name ?? `#${a.needId}`}
                          <div class="muted small">{need?.household.community}</div>
                        </td>
                        <td>{commodityName(a.commodityId)}</td>
                        <td>{warehouseName(a.warehouseId)}</td>
                        <td class="num">{fmtNumber(a.quantity)}</td>
                        <td class="num">{Number.isFinite(a.travelTimeS) ? fmtDuration(a.travelTimeS) : '—'}</td>
                        <td class="nowrap">
                          <button type="button" class={`small-button ${pins[k] === 'pin' ? 'primary' : ''}`} aria-pressed={pins[k] === 'pin'} onClick={() => toggle('pin')}>
                            {t('plans.pin')}
                          </button>{' '}
                          <button type="button" class={`small-button ${pins[k] === 'exclude' ? 'danger' : ''}`} aria-pressed={pins[k] === 'exclude'} onClick={() => toggle('exclude')}>
                            {t('plans.exclude')}
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>
        </div>
      )}
    </>
  );
}
