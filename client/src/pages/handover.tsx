// The page a handover sheet's QR code opens (/s/<code>), on any phone and without an account: the stop (whom,
// what), and a form to record who took the goods or why they could not be delivered. The server records it
// through the same stop-status service as the driver app. The code travels in a header, never in an API path.
import { useState } from 'preact/hooks';
import { ApiError, request } from '../api.ts';
import { t, tOr, useLang, fmtDateTime } from '../i18n.ts';
import type { HandoverStop } from '../types.ts';
import { ErrorNote, Field, Show, useLoad, useSubmit } from '../components/ui.tsx';
import { LangSwitch } from '../components/shell.tsx';
import { failureReasons, handovers, type FailureReason, type Handover } from '../../../domain/values.ts';

const codeHeader = (code: string) => ({ 'X-Handover-Token': code });

export function HandoverPage({ code }: { code: string }) {
  useLang();
  const stop = useLoad((signal) => request<HandoverStop>('GET', '/handover', { headers: codeHeader(code), signal }), [code]);
  return (
    <main class="page narrow handover-page">
      <div class="sign-in-head">
        <h1>{t('handover.title')}</h1>
        <LangSwitch />
      </div>
      {stop.error instanceof ApiError && stop.error.status === 404 ? (
        // A dead code (reprinted, over two days old, its route ended) is no fault to retry: say what to do.
        <p class="error-note" role="alert">
          {t('handover.deadCode')}
        </p>
      ) : (
        <Show state={stop}>{(data) => <StopCard stop={data} code={code} onRecorded={(next) => stop.setData(next)} />}</Show>
      )}
    </main>
  );
}

function StopCard({ stop, code, onRecorded }: { stop: HandoverStop; code: string; onRecorded: (stop: HandoverStop) => void }) {
  return (
    <section class="card">
      <p class="muted">
        {t('handover.stop', { n: stop.seq })}
        {stop.trip !== null && ` · ${t('handover.trip', { n: stop.trip })}`}
        {stop.gate && ` · ${t('handover.gate', { gate: stop.gate })}`}
      </p>
      <h2>{stop.recipient?.name}</h2>
      <p>{stop.recipient?.address}</p>
      <ul>
        {stop.items.map((item, i) => (
          <li key={i}>
            {item.commodity} × {item.quantity} {item.unit}
          </li>
        ))}
      </ul>
      {stop.status === 'pending' ? (
        <OutcomeForm code={code} onRecorded={onRecorded} />
      ) : (
        <p class="status-line" role="status">
          <span class={`badge status-${stop.status}`}>{t(stop.status === 'delivered' ? 'driver.delivered' : 'driver.failed')}</span>{' '}
          {stop.proof
            ? `${tOr(`handover.${stop.proof.handedTo}`, stop.proof.handedTo)}: ${stop.proof.receiverName} · ${fmtDateTime(stop.proof.deviceTime)}`
            : stop.reason && tOr(`failure.${stop.reason}`, stop.reason)}
        </p>
      )}
    </section>
  );
}

function OutcomeForm({ code, onRecorded }: { code: string; onRecorded: (stop: HandoverStop) => void }) {
  const [delivered, setDelivered] = useState(true);
  const [receiverName, setReceiverName] = useState('');
  const [handedTo, setHandedTo] = useState<Handover>('recipient');
  const [reason, setReason] = useState<FailureReason>('nobody_home');
  const [note, setNote] = useState('');
  const { busy, error, errors, onSubmit } = useSubmit();
  const send = onSubmit(async () => {
    const body = delivered
      ? { status: 'delivered', proof: { receiverName, handedTo, deviceTime: new Date().toISOString() } }
      : { status: 'failed', reason, ...(note.trim() ? { note } : {}) };
    onRecorded(await request<HandoverStop>('POST', '/handover/status', { headers: codeHeader(code), body }));
  });
  return (
    <form onSubmit={send}>
      <div class="inline-form" role="radiogroup">
        <label>
          <input type="radio" name="outcome" checked={delivered} onChange={() => setDelivered(true)} /> {t('driver.delivered')}
        </label>
        <label>
          <input type="radio" name="outcome" checked={!delivered} onChange={() => setDelivered(false)} /> {t('driver.failed')}
        </label>
      </div>
      {delivered ? (
        <>
          <Field label={t('driver.handedTo')}>
            <select name="handedTo" value={handedTo} onChange={(e) => setHandedTo(e.currentTarget.value as Handover)}>
              {handovers.map((h) => (
                <option key={h} value={h}>
                  {t(`handover.${h}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('driver.receiverName')} error={errors['proof.receiverName'] ?? errors.proof}>
            <input name="receiverName" required maxLength={200} value={receiverName} onInput={(e) => setReceiverName(e.currentTarget.value)} />
          </Field>
        </>
      ) : (
        <>
          <Field label={t('driver.whyFailed')}>
            <select name="reason" value={reason} onChange={(e) => setReason(e.currentTarget.value as FailureReason)}>
              {failureReasons.map((r) => (
                <option key={r} value={r}>
                  {t(`failure.${r}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('handover.note')} error={errors.note}>
            <input name="note" maxLength={1000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </Field>
        </>
      )}
      {error !== undefined && <ErrorNote error={error} />}
      <button type="submit" class="primary" disabled={busy}>
        {t('handover.record')}
      </button>
    </form>
  );
}
