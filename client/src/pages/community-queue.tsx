// The community worker's queue (/community/queue): registrations beside their likely duplicates, urgent
// medical flags and residents' requests awaiting confirmation, in the worker's own communities; and the
// counts shown on the worker's home page.
import { useState } from 'preact/hooks';
import { get, post } from '../api.ts';
import { fmtDateTime, fmtNumber, t } from '../i18n.ts';
import { Link } from '../router.tsx';
import { ErrorNote, Show, useLoad, useSubmit } from '../components/ui.tsx';
import type { CommunityQueue } from '../../../server/queue/queue.schema.ts';
import type { DecidedRegistration, LikelyDuplicate, QueuedRegistration } from '../../../server/registrations/registrations.schema.ts';
import type { VulnerabilityFlag } from '../../../domain/values.ts';
import { vulnerabilityFlags } from '../../../domain/values.ts';

const loadQueue = (signal: AbortSignal) => get<CommunityQueue>('/community-queue', undefined, signal);

/** The counts on the worker's home page, linking to the queue (nothing when nothing waits). */
export function QueueCounts() {
  const queue = useLoad(loadQueue, []);
  const counts = queue.data?.counts;
  if (!counts || counts.registrations + counts.urgent + counts.requests === 0) return null;
  return (
    <Link href="/community/queue" class="queue-counts">
      <strong>{t('queue.waiting')}</strong> <span class="badge danger">{t('queue.count.urgent', { n: counts.urgent })}</span>{' '}
      <span class="badge warn">{t('queue.count.requests', { n: counts.requests })}</span> <span class="badge">{t('queue.count.registrations', { n: counts.registrations })}</span>
    </Link>
  );
}

export function QueuePage() {
  const queue = useLoad(loadQueue, []);
  const [issued, setIssued] = useState<DecidedRegistration>();
  return (
    <div class="page queue-page">
      <h1>{t('queue.title')}</h1>
      {issued?.code && (
        <p class="resident-sent" role="status">
          {t('queue.codeIssued', { name: issued.household?.name ?? '', code: issued.code })} <Link href="/community/slips">{t('nav.slips')}</Link>
        </p>
      )}
      <Show state={queue}>
        {(q) => (
          <>
            <Section title={t('queue.urgent')} count={q.counts.urgent}>
              {q.urgent.map((u) => (
                <Decision key={`u${u.id}`} path={`/community-queue/urgent/${u.id}`} choices={['confirm', 'decline']} onDone={queue.reload}>
                  <Who name={u.householdName} address={u.address} phone={u.phone} community={u.community} />
                  <p>
                    <strong>{u.commodity}</strong> · {fmtNumber(u.quantity)} × {u.unit} · {fmtDateTime(u.createdAt)}
                  </p>
                </Decision>
              ))}
            </Section>
            <Section title={t('queue.requests')} count={q.counts.requests}>
              {q.requests.map((r) => (
                <Decision key={`r${r.id}`} path={`/community-queue/requests/${r.id}`} choices={['confirm', 'decline']} onDone={queue.reload}>
                  <Who name={r.householdName} address={r.address} phone={r.phone} community={r.community} />
                  <p>
                    <strong>{r.commodity}</strong> ·{' '}
                    {r.confirmed ? t('queue.askedMore', { from: r.quantity, to: r.requested ?? r.quantity, unit: r.unit }) : t('queue.askedNew', { n: r.quantity, unit: r.unit })}
                  </p>
                </Decision>
              ))}
            </Section>
            <Section title={t('queue.registrations')} count={q.counts.registrations}>
              {q.registrations.map((r) => (
                <RegistrationCard key={r.id} registration={r} onDone={(d) => (setIssued(d), queue.reload())} />
              ))}
            </Section>
          </>
        )}
      </Show>
    </div>
  );
}

function Section({ title, count, children }: { title: string; count: number; children: preact.ComponentChildren }) {
  return (
    <section class="queue-section">
      <h2>
        {title} <span class="badge">{fmtNumber(count)}</span>
      </h2>
      {count === 0 ? <p class="muted">{t('queue.none')}</p> : <ul class="card-list">{children}</ul>}
    </section>
  );
}

function Who({ name, address, phone, community, flags = [] }: { name: string; address: string; phone: string | null; community: string; flags?: VulnerabilityFlag[] }) {
  return (
    <div class="queue-who">
      <strong>{name}</strong>
      <div class="muted">
        {address} · {community}
        {phone && <> · {phone}</>}
      </div>
      {flags.length > 0 && <div>{flags.map((f) => <span key={f} class="badge warn">{t(`flag.${f}`)}</span>)}</div>}
    </div>
  );
}

/** One item with its decision buttons; each sends `{decision}` to `path`. */
function Decision<D>({ path, choices, onDone, children }: { path: string; choices: ('confirm' | 'decline' | 'approve' | 'reject')[]; onDone: (answer: D) => void; children: preact.ComponentChildren }) {
  const submit = useSubmit();
  return (
    <li class="card queue-item">
      {children}
      <ErrorNote error={submit.error} />
      <div class="toolbar">
        {choices.map((decision) => (
          <button key={decision} type="button" class={decision === 'decline' || decision === 'reject' ? 'danger-outline' : 'primary'} disabled={submit.busy} onClick={() => void submit.run(async () => onDone(await post<D>(path, { decision })))}>
            {t(`queue.action.${decision}`)}
          </button>
        ))}
      </div>
    </li>
  );
}

const flagsOf = (r: Record<VulnerabilityFlag, boolean>) => vulnerabilityFlags.filter((f) => r[f]);

function RegistrationCard({ registration: r, onDone }: { registration: QueuedRegistration; onDone: (d: DecidedRegistration) => void }) {
  return (
    <Decision<DecidedRegistration> path={`/registrations/${r.id}/decide`} choices={['approve', 'reject']} onDone={onDone}>
      <div class="queue-side-by-side">
        <div>
          <p class="muted small">{t('queue.asked', { at: fmtDateTime(r.createdAt), people: r.people })}</p>
          <Who name={r.name} address={r.address} phone={r.phone} community={r.community} flags={flagsOf(r)} />
        </div>
        {r.duplicates.length > 0 && (
          <ul class="queue-duplicates" aria-label={t('queue.duplicates')}>
            {r.duplicates.map((d) => (
              <Duplicate key={`${d.kind}${d.id}`} registrationId={r.id} duplicate={d} onDone={onDone} />
            ))}
          </ul>
        )}
      </div>
    </Decision>
  );
}

function Duplicate({ registrationId, duplicate: d, onDone }: { registrationId: number; duplicate: LikelyDuplicate; onDone: (d: DecidedRegistration) => void }) {
  const submit = useSubmit();
  return (
    <li class="queue-duplicate">
      <p class="small">
        {t(`queue.likely.${d.kind}`)} {d.matchedOn.map((m) => <span key={m} class="badge warn">{t(`queue.matched.${m}`)}</span>)}
      </p>
      <Who name={d.name} address={d.address} phone={d.phone} community={d.community} flags={d.flags} />
      <ErrorNote error={submit.error} />
      {d.kind === 'household' && (
        <button type="button" disabled={submit.busy} onClick={() => void submit.run(async () => onDone(await post<DecidedRegistration>(`/registrations/${registrationId}/decide`, { decision: 'merge', householdId: d.id })))}>
          {t('queue.action.merge')}
        </button>
      )}
    </li>
  );
}
