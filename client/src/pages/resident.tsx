// The resident's page, /h/<code>: a household's own requests and where each stands, in plain words, with
// no account, its entries in scarce-item campaigns, what it may ask for, and its phone. Phone first; changes arrive live, and it also asks again
// every 30 seconds while open (and when the phone wakes it up).
import { useEffect } from 'preact/hooks';
import { ApiError, get } from '../api.ts';
import { fmtDateTime, fmtNumber, t, tOr, useLang } from '../i18n.ts';
import { useLoad } from '../components/ui.tsx';
import { LangSwitch } from '../components/shell.tsx';
import { AskForm } from './resident-ask.tsx';
import { PhoneForm } from './resident-phone.tsx';
import { useResidentLive } from './resident-live.ts';
import type { ResidentCampaignEntry, ResidentRequest, ResidentView } from '../../../server/residents/residents.schema.ts';
import './resident.css';

const REFRESH_MS = 30_000;

export function ResidentPage({ code }: { code: string }) {
  const lang = useLang();
  const view = useLoad((signal) => get<ResidentView>(`/resident/${encodeURIComponent(code)}`, { lang }, signal), [code, lang]);
  useResidentLive(code, view.reload);
  useEffect(() => {
    const timer = setInterval(view.reload, REFRESH_MS);
    const wake = () => document.visibilityState === 'visible' && view.reload();
    document.addEventListener('visibilitychange', wake);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', wake);
    };
  }, [view.reload]);
  const data = view.data;
  return (
    <main class="resident-page">
      <header class="resident-head">
        <div>
          <h1>{data ? data.household.name : t('resident.title')}</h1>
          {data && <p class="muted">{data.household.community}</p>}
        </div>
        <LangSwitch />
      </header>
      {view.error !== undefined && !data && <CodeProblem error={view.error} />}
      {!data && view.error === undefined && <p class="muted">{t('state.loading')}</p>}
      {data?.notices.map((notice, i) => (
        <p key={i} class="resident-problem" role="alert">
          {notice.text}
        </p>
      ))}
      {data && <Requests requests={data.requests} />}
      {data && data.campaigns.length > 0 && <CampaignEntries entries={data.campaigns} />}
      {data && <AskForm code={code} onAsked={view.reload} />}
      {data && <PhoneForm code={code} />}
      {data && (
        <p class="muted resident-foot" aria-live="polite">
          {view.error !== undefined ? t('resident.offline') : t('resident.refreshes')}
        </p>
      )}
    </main>
  );
}

function Requests({ requests }: { requests: ResidentRequest[] }) {
  const open = requests.filter((r) => r.open);
  const past = requests.filter((r) => !r.open);
  return (
    <>
      <h2>{t('resident.open')}</h2>
      {open.length ? <RequestList requests={open} /> : <p class="muted">{t('resident.noOpen')}</p>}
      {past.length > 0 && (
        <>
          <h2>{t('resident.past')}</h2>
          <RequestList requests={past} />
        </>
      )}
    </>
  );
}

function RequestList({ requests }: { requests: ResidentRequest[] }) {
  return (
    <ul class="resident-requests">
      {requests.map((r) => (
        <li key={r.id} class={`resident-request status-${r.status}`}>
          <div class="resident-request-head">
            <strong>
              {r.commodity} · {fmtNumber(r.quantity)} × {r.unit}
            </strong>
            <span class={`badge resident-badge-${r.status}`}>{tOr(`resident.status.${r.status}`, r.status)}</span>
          </div>
          <p>{r.statusText}</p>
          {r.askedText && <p class="resident-note">{r.askedText}</p>}
          {r.urgentText && <p class={`resident-note urgent-${r.urgent}`}>{r.urgentText}</p>}
          <p class="muted small">{t('resident.updated', { at: fmtDateTime(r.updatedAt) })}</p>
        </li>
      ))}
    </ul>
  );
}

/** The household's entries in scarce-item campaigns: the receipt, and after the draw whether it won or its place on the waiting list. */
function CampaignEntries({ entries }: { entries: ResidentCampaignEntry[] }) {
  return (
    <>
      <h2>{t('resident.campaigns')}</h2>
      <ul class="resident-requests">
        {entries.map((e) => (
          <li key={e.campaignId} class={`resident-request resident-entry entry-${e.status}`}>
            <div class="resident-request-head">
              <strong>
                {e.commodity} · {fmtNumber(e.quantity)} × {e.unit}
              </strong>
              <span class={`badge resident-entry-badge-${e.status}`}>{tOr(`resident.entry.${e.status}`, e.status)}</span>
            </div>
            <p>{e.statusText}</p>
            <p class="small">
              {t('resident.entry.receipt')} <code class="resident-receipt">{e.receipt}</code>
            </p>
            {e.status === 'entered' && <p class="muted small">{t('resident.entry.closes', { at: fmtDateTime(e.closesAt) })}</p>}
          </li>
        ))}
      </ul>
    </>
  );
}

/** A wrong or revoked code, or too many wrong ones: the server's own words, in the reader's language. */
function CodeProblem({ error }: { error: unknown }) {
  const known = error instanceof ApiError && (error.status === 404 || error.status === 429);
  return (
    <p class="resident-problem" role="alert">
      {known ? error.message : t('resident.offline')}
    </p>
  );
}
