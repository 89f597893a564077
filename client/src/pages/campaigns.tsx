// Campaigns in the web app: the coordinator's list (and the form that opens one), the coordinator's live view
// of one (entries per minute, tier mix, time left, the intake's queue; closing runs the draw), and the public
// page where a household asks with its code and everyone reads the window, the counts and the published draw.
import { useEffect, useState } from 'preact/hooks';
import { get, getAll, newIdempotencyKey, post } from '../api.ts';
import { fmtDateTime, fmtDuration, fmtNumber, t, useLang } from '../i18n.ts';
import type { CampaignLive, CampaignView, Commodity, ListedCampaign } from '../types.ts';
import { CommodityOptions, ErrorNote, Field, Show, useLoad, useSubmit } from '../components/ui.tsx';
import { LangSwitch } from '../components/shell.tsx';
import { Link } from '../router.tsx';

/** Reloads every `ms` while the page is open (the live view and the public page follow the burst). */
function useEvery(ms: number, reload: () => void): void {
  useEffect(() => {
    const timer = setInterval(reload, ms);
    return () => clearInterval(timer);
  }, [ms, reload]);
}

const stateKey = { upcoming: 'campaign.state.upcoming', open: 'campaign.state.open', closed: 'campaign.state.closed' } as const;

const local = (iso: string) => iso.slice(0, 16);
const inHours = (h: number) => {
  const d = new Date(Date.now() + h * 3600_000 - new Date().getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

export function CampaignsPage() {
  useLang();
  const campaigns = useLoad((signal) => get<ListedCampaign[]>('/campaigns', undefined, signal), []);
  const commodities = useLoad(() => getAll<Commodity>('/commodities'), []);
  const [form, setForm] = useState({ commodityId: '', quantity: '100', perHouseholdCap: '1', opensAt: inHours(0), closesAt: inHours(2) });
  const { busy, error, errors, onSubmit } = useSubmit();
  const set = (key: keyof typeof form) => (e: { currentTarget: HTMLInputElement | HTMLSelectElement }) => setForm({ ...form, [key]: e.currentTarget.value });
  const open = onSubmit(async () => {
    await post('/campaigns', {
      commodityId: Number(form.commodityId),
      quantity: Number(form.quantity),
      perHouseholdCap: Number(form.perHouseholdCap),
      opensAt: new Date(form.opensAt).toISOString(),
      closesAt: new Date(form.closesAt).toISOString(),
    }, newIdempotencyKey());
    campaigns.reload();
  });
  return (
    <main class="page">
      <h1>{t('campaign.title')}</h1>
      <form class="inline-form" onSubmit={open}>
        <Field label={t('field.commodity')} error={errors.commodityId}>
          <select value={form.commodityId} onChange={set('commodityId')} required>
            <CommodityOptions commodities={commodities.data ?? []} choose={t('field.choose')} />
          </select>
        </Field>
        <Field label={t('field.quantity')} error={errors.quantity}>
          <input type="number" min={1} value={form.quantity} onInput={set('quantity')} />
        </Field>
        <Field label={t('campaign.cap')} error={errors.perHouseholdCap}>
          <input type="number" min={1} value={form.perHouseholdCap} onInput={set('perHouseholdCap')} />
        </Field>
        <Field label={t('campaign.opens')} error={errors.opensAt}>
          <input type="datetime-local" value={local(form.opensAt)} onInput={set('opensAt')} />
        </Field>
        <Field label={t('campaign.closes')} error={errors.closesAt}>
          <input type="datetime-local" value={local(form.closesAt)} onInput={set('closesAt')} />
        </Field>
        <button type="submit" class="primary" disabled={busy}>
          {t('campaign.open')}
        </button>
      </form>
      {error !== undefined && <ErrorNote error={error} />}
      <Show state={campaigns}>
        {(list) => (
          <table class="table">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('campaign.window')}</th>
                <th class="num">{t('field.quantity')}</th>
                <th>{t('campaign.state')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link href={`/coordinator/campaigns/${c.id}`}>{c.id}</Link>
                  </td>
                  <td>
                    {fmtDateTime(c.opensAt)} – {fmtDateTime(c.closesAt)}
                  </td>
                  <td class="num">{fmtNumber(c.quantity)}</td>
                  <td>{c.closedAt ? t('campaign.state.closed') : t('campaign.notClosed')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Show>
    </main>
  );
}

export function CampaignLivePage({ id }: { id: string }) {
  useLang();
  const live = useLoad((signal) => get<CampaignLive>(`/campaigns/${id}/live`, undefined, signal), [id]);
  useEvery(5000, live.reload);
  const { busy, error, run } = useSubmit();
  const close = () =>
    void run(async () => {
      await post(`/campaigns/${id}/close`);
      live.reload();
    });
  return (
    <main class="page">
      <Show state={live}>
        {(c) => (
          <>
            <h1>
              {t('campaign.heading', { id: c.id, commodity: c.commodity })} <span class={`badge status-${c.state}`}>{t(stateKey[c.state])}</span>
            </h1>
            <dl class="facts">
              <dt>{t('campaign.timeLeft')}</dt>
              <dd>{fmtDuration(c.timeLeftS)}</dd>
              <dt>{t('campaign.entries')}</dt>
              <dd>{fmtNumber(c.entries)}</dd>
              <dt>{t('campaign.requested')}</dt>
              <dd>
                {fmtNumber(c.requested)} / {fmtNumber(c.quantity)} {c.unit}
              </dd>
              <dt>{t('campaign.remaining')}</dt>
              <dd>{fmtNumber(c.remaining)}</dd>
              <dt>{t('campaign.queue')}</dt>
              <dd>{t('campaign.queueText', { queued: c.intake.queued, busy: c.intake.refusedBusy })}</dd>
            </dl>
            <h2>{t('campaign.perMinute')}</h2>
            <table class="table">
              <tbody>
                {c.perMinute.map((m) => (
                  <tr key={m.minute}>
                    <td>{fmtDateTime(m.minute)}</td>
                    <td class="num">{fmtNumber(m.entries)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2>{t('campaign.tiers')}</h2>
            <table class="table">
              <tbody>
                {c.tiers.map((tier) => (
                  <tr key={tier.tier}>
                    <td>{t('campaign.tier', { tier: tier.tier })}</td>
                    <td class="num">{fmtNumber(tier.entries)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p class="muted">
              {t('campaign.seedHash')}: <code>{c.seedHash}</code>
            </p>
            {c.state !== 'upcoming' && (
              <button type="button" class="primary" disabled={busy} onClick={close}>
                {c.state === 'closed' ? t('campaign.results') : t('campaign.close')}
              </button>
            )}
            {error !== undefined && <ErrorNote error={error} />}
            <p>
              <a href={`/c/${c.id}`}>{t('campaign.publicPage')}</a>
            </p>
          </>
        )}
      </Show>
    </main>
  );
}

/** The public page of a campaign: its window and counts, a household's request with its code, and the draw once published. */
export function CampaignPage({ id }: { id: string }) {
  useLang();
  const page = useLoad((signal) => get<CampaignView>(`/campaigns/${id}`, undefined, signal), [id]);
  useEvery(10_000, page.reload);
  const [code, setCode] = useState('');
  const [quantity, setQuantity] = useState('1');
  const [receipt, setReceipt] = useState<string>();
  const { busy, error, errors, onSubmit } = useSubmit();
  const ask = onSubmit(async () => setReceipt((await post<{ receipt: string }>(`/campaigns/${id}/requests`, { code, quantity: Number(quantity) })).receipt));
  return (
    <main class="page narrow">
      <div class="sign-in-head">
        <h1>{t('campaign.publicTitle')}</h1>
        <LangSwitch />
      </div>
      <Show state={page}>
        {(c) => (
          <>
            <p class="status-line">
              <strong>{c.commodity}</strong> <span class={`badge status-${c.state}`}>{t(stateKey[c.state])}</span>
            </p>
            <p>{t('campaign.windowText', { opens: fmtDateTime(c.opensAt), closes: fmtDateTime(c.closesAt) })}</p>
            <p>{t('campaign.counts', { quantity: fmtNumber(c.quantity), unit: c.unit, entries: fmtNumber(c.entries), remaining: fmtNumber(c.remaining), cap: c.perHouseholdCap })}</p>
            <p class="muted">{t('campaign.rule')}</p>
            <p class="muted">
              {t('campaign.seedHash')}: <code>{c.seedHash}</code>
            </p>
            {c.state === 'open' && !receipt && (
              <form class="inline-form" onSubmit={ask}>
                <Field label={t('campaign.code')} error={errors.code}>
                  <input name="code" value={code} autocapitalize="characters" autocomplete="off" onInput={(e) => setCode(e.currentTarget.value)} required />
                </Field>
                <Field label={t('field.quantity')} error={errors.quantity}>
                  <input type="number" min={1} max={c.perHouseholdCap} value={quantity} onInput={(e) => setQuantity(e.currentTarget.value)} />
                </Field>
                <button type="submit" class="primary" disabled={busy}>
                  {t('campaign.ask')}
                </button>
              </form>
            )}
            {receipt && (
              <p class="notice" role="status">
                {t('campaign.receipt', { receipt })}
              </p>
            )}
            {error !== undefined && <ErrorNote error={error} />}
            {c.state === 'closed' && (
              <p>
                <a href={`/api/campaigns/${c.id}/results`}>{t('campaign.resultsFile')}</a> {t('campaign.verify')}
              </p>
            )}
          </>
        )}
      </Show>
    </main>
  );
}
