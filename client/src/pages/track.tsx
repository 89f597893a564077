// The public tracking page: the journey of a donation by its code, with no personal data and no sign-in.
import { useState } from 'preact/hooks';
import { get } from '../api.ts';
import { fmtDateTime, fmtNumber, t, tOr, useLang } from '../i18n.ts';
import type { Tracking } from '../types.ts';
import { Field, Show, useLoad } from '../components/ui.tsx';
import { LangSwitch } from '../components/shell.tsx';
import { navigate } from '../router.tsx';

export function TrackPage({ code }: { code?: string }) {
  useLang();
  const [typed, setTyped] = useState(code ?? '');
  const tracking = useLoad((signal) => (code ? get<Tracking>(`/track/${encodeURIComponent(code)}`, undefined, signal) : Promise.resolve(undefined)), [code]);
  return (
    <main class="page narrow track-page">
      <div class="sign-in-head">
        <h1>{t('track.title')}</h1>
        <LangSwitch />
      </div>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed.trim()) navigate(`/track/${encodeURIComponent(typed.trim().toUpperCase())}`);
        }}
      >
        <Field label={t('track.code')}>
          <input name="code" value={typed} placeholder="LL-XXXXXXXX" autocapitalize="characters" onInput={(e) => setTyped(e.currentTarget.value)} />
        </Field>
        <button type="submit" class="primary">
          {t('track.find')}
        </button>
      </form>
      {code && <Show state={tracking}>{(data) => (data ? <Journey data={data} /> : null)}</Show>}
    </main>
  );
}

function Journey({ data }: { data: Tracking }) {
  return (
    <section class="journey" aria-label={t('track.journey')}>
      <p class="status-line">
        <span class={`badge status-${data.status}`}>{tOr(`donation.${data.status}`, data.status)}</span> <strong>{data.trackingCode}</strong> · {data.warehouse}
      </p>
      <ol class="timeline">
        <li>
          <time>{fmtDateTime(data.pledgedAt)}</time> {t('track.pledged', { warehouse: data.warehouse })}
        </li>
        {data.journey.map((step, i) => (
          <li key={i}>
            <time>{fmtDateTime(step.at)}</time> {tOr(`journey.${step.event}`, step.event)}: {fmtNumber(step.quantity)} × {step.commodity}
            {step.warehouse ? ` — ${step.warehouse}` : ''}
            {step.community ? ` → ${step.community}` : ''}
          </li>
        ))}
      </ol>
      <h2>{t('track.items')}</h2>
      <table class="table">
        <thead>
          <tr>
            <th>{t('field.commodity')}</th>
            <th class="num">{t('track.pledgedQty')}</th>
            <th class="num">{t('track.accepted')}</th>
            <th class="num">{t('track.rejected')}</th>
          </tr>
        </thead>
        <tbody>
          {data.items.map((item) => (
            <tr key={item.commodity}>
              <td>{item.commodity}</td>
              <td class="num">{fmtNumber(item.pledged)}</td>
              <td class="num">{item.accepted == null ? '—' : fmtNumber(item.accepted)}</td>
              <td class="num">{item.rejected == null ? '—' : fmtNumber(item.rejected)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.recalls.map((recall, i) => (
        <p key={i} class="error-note" role="alert">
          {t('track.recalled', { commodity: recall.commodity, at: fmtDateTime(recall.recalledAt), reason: recall.reason })}
        </p>
      ))}
      <h2>{t('track.communities')}</h2>
      {data.communitiesReached.length ? (
        <ul class="chips">
          {data.communitiesReached.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('track.noCommunitiesYet')}</p>
      )}
    </section>
  );
}
