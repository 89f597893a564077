// The resident's form to ask for an item from the catalogue coordinators opened to residents, within its
// limits, with an optional urgent medical flag (the community worker confirms both). A retry of the same
// tap reuses its Idempotency-Key, so it never asks twice.
import { useState } from 'preact/hooks';
import { ApiError, get, newIdempotencyKey, request } from '../api.ts';
import { t, useLang } from '../i18n.ts';
import { ErrorNote, Field, formError, useLoad, useSubmit } from '../components/ui.tsx';
import type { CatalogueItem, ResidentRequest } from '../../../server/residents/residents.schema.ts';

export function AskForm({ code, onAsked }: { code: string; onAsked: (request: ResidentRequest) => void }) {
  const lang = useLang();
  const catalogue = useLoad((signal) => get<CatalogueItem[]>(`/resident/${encodeURIComponent(code)}/catalogue`, { lang }, signal), [code, lang]);
  const [commodityId, setCommodityId] = useState('');
  const [quantity, setQuantity] = useState('1');
  const [urgent, setUrgent] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);
  const [sent, setSent] = useState<ResidentRequest>();
  const submit = useSubmit();
  const items = catalogue.data ?? [];
  if (items.length === 0) return null;
  const item = items.find((c) => String(c.id) === commodityId);
  const max = Math.min(item?.maxPerHousehold ?? Infinity, item?.leftToday ?? Infinity);

  const send = submit.onSubmit(async () => {
    const asked = await request<ResidentRequest>('POST', `/resident/${encodeURIComponent(code)}/requests`, {
      body: { commodityId: Number(commodityId), quantity: Number(quantity), urgent },
      query: { lang },
      idempotencyKey: key,
    }).catch((error: unknown) => {
      // Only a request that may not have arrived is retried with the same key; an answered one starts afresh.
      if (!(error instanceof ApiError && error.offline)) setKey(newIdempotencyKey());
      throw error;
    });
    setSent(asked);
    setKey(newIdempotencyKey());
    setUrgent(false);
    onAsked(asked);
    catalogue.reload();
  });
  return (
    <section class="resident-ask" aria-labelledby="ask-title">
      <h2 id="ask-title">{t('resident.ask.title')}</h2>
      <form class="resident-form" onSubmit={send} onInput={() => setSent(undefined)}>
        <Field label={t('resident.ask.item')} error={submit.errors.commodityId}>
          <select name="commodityId" required value={commodityId} onChange={(e) => setCommodityId(e.currentTarget.value)}>
            <option value="">{t('resident.ask.choose')}</option>
            {items.map((c) => (
              <option key={c.id} value={c.id} disabled={c.leftToday === 0}>
                {c.name} ({c.unit})
              </option>
            ))}
          </select>
        </Field>
        <Field
          label={t('resident.ask.quantity')}
          error={submit.errors.quantity}
          hint={item && Number.isFinite(max) ? t('resident.ask.upTo', { n: max, unit: item.unit }) : undefined}
        >
          <input name="quantity" type="number" inputMode="numeric" min={1} required value={quantity} onInput={(e) => setQuantity(e.currentTarget.value)} />
        </Field>
        <label class="check">
          <input name="urgent" type="checkbox" checked={urgent} onChange={(e) => setUrgent(e.currentTarget.checked)} /> {t('resident.ask.urgent')}
        </label>
        <ErrorNote error={formError(submit.error, ['commodityId', 'quantity'])} />
        {sent && (
          <p class="resident-sent" role="status">
            <strong>{t('resident.ask.sent')}</strong>
            <br />
            {sent.statusText}
          </p>
        )}
        <button type="submit" class="primary" disabled={submit.busy || !commodityId}>
          {t('resident.ask.send')}
        </button>
      </form>
    </section>
  );
}
