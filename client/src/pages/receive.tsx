// The coordinator receives pledged donations at the warehouse door: accepted and rejected quantities
// per item (with the reason and, for perishables, the expiry date) become lots in the stock ledger.
import { useState } from 'preact/hooks';
import { get, newIdempotencyKey, request } from '../api.ts';
import { fmtDateTime, t } from '../i18n.ts';
import type { Commodity, Donation } from '../types.ts';
import { ErrorNote, Field, formError, Show, useDraft, useLoad, useSubmit } from '../components/ui.tsx';
import { useCatalogue } from '../catalogue.ts';

export function ReceivePage() {
  const catalogue = useCatalogue();
  const pledged = useLoad((signal) => get<{ items: Donation[] }>('/donations', { status: 'pledged', limit: 200 }, signal), []);
  const [open, setOpen] = useState<number>();
  const [done, setDone] = useState<string>();
  return (
    <div class="page">
      <h1>{t('receive.title')}</h1>
      {done && (
        <p class="ok-note" role="status">
          {done}
        </p>
      )}
      <Show state={catalogue}>
        {(cat) => (
          <Show state={pledged}>
            {(page) =>
              page.items.length === 0 ? (
                <p class="muted">{t('receive.none')}</p>
              ) : (
                <ul class="card-list">
                  {page.items.map((d) => (
                    <li key={d.id} class="card">
                      <div class="row-between">
                        <div>
                          <strong>{d.donorName}</strong> · <span class="mono">{d.trackingCode}</span>
                          <div class="muted small">
                            {cat.warehouses.find((w) => w.id === d.warehouseId)?.name} · {fmtDateTime(d.pledgedAt)}
                          </div>
                        </div>
                        {open !== d.id && (
                          <button type="button" class="primary" onClick={() => setOpen(d.id)}>
                            {t('receive.start')}
                          </button>
                        )}
                      </div>
                      {open === d.id && (
                        <ReceiveForm
                          donation={d}
                          commodities={cat.commodities}
                          onDone={() => {
                            setOpen(undefined);
                            setDone(t('receive.done', { code: d.trackingCode }));
                            pledged.reload();
                          }}
                        />
                      )}
                    </li>
                  ))}
                </ul>
              )
            }
          </Show>
        )}
      </Show>
    </div>
  );
}

interface Line {
  accepted: string;
  rejected: string;
  rejectionReason: string;
  expiresOn: string;
}

function ReceiveForm({ donation, commodities, onDone }: { donation: Donation; commodities: Commodity[]; onDone: () => void }) {
  const [lines, setLines] = useDraft<Line[]>(
    `receive.${donation.id}`,
    donation.items.map((i) => ({ accepted: String(i.quantityPledged), rejected: '0', rejectionReason: '', expiresOn: '' })),
  );
  const [key] = useState(newIdempotencyKey);
  const { busy, error, errors, onSubmit } = useSubmit();
  const setLine = (i: number, patch: Partial<Line>) => setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));

  const submit = onSubmit(async () => {
    const items = donation.items.map((item, i) => {
      const l = lines[i]!;
      return {
        itemId: item.id,
        accepted: Number(l.accepted),
        rejected: Number(l.rejected || 0),
        rejectionReason: l.rejectionReason.trim() || undefined,
        expiresOn: l.expiresOn || undefined,
      };
    });
    await request('POST', `/donations/${donation.id}/receive`, { body: { items }, idempotencyKey: key });
    sessionStorage.removeItem(`lifeline.draft.receive.${donation.id}`);
    onDone();
  });
  const shown = donation.items.flatMap((_, i) => ['accepted', 'rejected', 'rejectionReason', 'expiresOn'].map((f) => `items.${i}.${f}`));
  return (
    <form class="form receive-form" onSubmit={submit} noValidate>
      {donation.items.map((item, i) => {
        const commodity = commodities.find((c) => c.id === item.commodityId);
        const l = lines[i]!;
        return (
          <fieldset key={item.id} class="receive-line">
            <legend>
              {commodity?.name} — {t('receive.pledged', { n: item.quantityPledged })} {commodity?.perishable && <span class="badge warn">{t('stock.perishable')}</span>}
            </legend>
            <Field label={t('track.accepted')} error={errors[`items.${i}.accepted`]} class="narrow-field">
              <input type="number" min={0} inputMode="numeric" name={`items.${i}.accepted`} value={l.accepted} onInput={(e) => setLine(i, { accepted: e.currentTarget.value })} />
            </Field>
            <Field label={t('track.rejected')} error={errors[`items.${i}.rejected`]} class="narrow-field">
              <input type="number" min={0} inputMode="numeric" name={`items.${i}.rejected`} value={l.rejected} onInput={(e) => setLine(i, { rejected: e.currentTarget.value })} />
            </Field>
            {Number(l.rejected) > 0 && (
              <Field label={t('receive.rejectionReason')} error={errors[`items.${i}.rejectionReason`]}>
                <input name={`items.${i}.rejectionReason`} value={l.rejectionReason} onInput={(e) => setLine(i, { rejectionReason: e.currentTarget.value })} />
              </Field>
            )}
            <Field label={t('stock.expiresOn')} error={errors[`items.${i}.expiresOn`]} class="narrow-field">
              <input type="date" name={`items.${i}.expiresOn`} value={l.expiresOn} onInput={(e) => setLine(i, { expiresOn: e.currentTarget.value })} />
            </Field>
          </fieldset>
        );
      })}
      <ErrorNote error={formError(error, shown)} />
      <p class="muted small">{t('receive.total', { n: lines.reduce((s, l) => s + (Number(l.accepted) || 0), 0) })}</p>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t('state.working') : t('receive.submit')}
      </button>
    </form>
  );
}

