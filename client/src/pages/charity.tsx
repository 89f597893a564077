// The charity desk: log a donation (kept as a draft until it is saved), its receipt with the tracking
// code and a QR code of the public tracking link, and the desk's past donations (a pledge with a
// collection point says when a route collects it, and once it has).
import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import { get, newIdempotencyKey, request } from '../api.ts';
import { fmtDate, fmtDateTime, fmtNumber, t, tOr } from '../i18n.ts';
import type { Commodity, Donation, Tracking, Warehouse } from '../types.ts';
import { CommodityOptions, ErrorNote, Field, formError, Show, useDraft, useLoad, useSubmit } from '../components/ui.tsx';
import { Link, navigate } from '../router.tsx';
import { useCatalogue } from '../catalogue.ts';
import { PointPicker, type PointDraft } from '../components/point-picker.tsx';
import { MONACO } from '../components/map.tsx';

export function CharityPage({ receiptId }: { receiptId?: number }) {
  const catalogue = useCatalogue();
  return (
    <div class="page two-col">
      <Show state={catalogue}>
        {(cat) => (
          <>
            {receiptId ? <Receipt id={receiptId} commodities={cat.commodities} warehouses={cat.warehouses} /> : <DonationForm {...cat} />}
            <PastDonations key={receiptId ?? 'form'} commodities={cat.commodities} warehouses={cat.warehouses} />
          </>
        )}
      </Show>
    </div>
  );
}

interface DraftItem {
  commodityId: string;
  quantity: string;
}

interface Draft {
  warehouseId: string;
  donorName: string;
  donorContact: string;
  note: string;
  items: DraftItem[];
  /** A driver collects the goods from the donor (a parish food drive) instead of the donor bringing them. */
  collect?: boolean;
  collectionAddress?: string;
  collectionPoint?: PointDraft;
  /** One key per draft: a double submit or a retry after a lost answer creates one donation. */
  key: string;
}

const emptyDraft = (): Draft => ({ warehouseId: '', donorName: '', donorContact: '', note: '', items: [{ commodityId: '', quantity: '' }], key: newIdempotencyKey() });

function DonationForm({ warehouses, commodities }: { warehouses: Warehouse[]; commodities: Commodity[] }) {
  const [draft, setDraft, clearDraft] = useDraft<Draft>('donation', emptyDraft());
  const { busy, error, errors, onSubmit } = useSubmit();
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setItem = (i: number, patch: Partial<DraftItem>) => setDraft((d) => ({ ...d, items: d.items.map((it, j) => (j === i ? { ...it, ...patch } : it)) }));

  const submit = onSubmit(async () => {
    const body = {
      warehouseId: Number(draft.warehouseId) || 0,
      donorName: draft.donorName,
      donorContact: draft.donorContact.trim() || undefined,
      note: draft.note.trim() || undefined,
      items: draft.items.map((it) => ({ commodityId: Number(it.commodityId) || 0, quantity: Number(it.quantity) })),
      collection: draft.collect ? collectionOf(draft) : undefined,
    };
    const created = await request<Donation>('POST', '/donations', { body, idempotencyKey: draft.key });
    clearDraft();
    setDraft(emptyDraft());
    navigate(`/charity/donations/${created.id}`);
  });

  const warehouse = warehouses.find((w) => w.id === Number(draft.warehouseId));
  const point = draft.collectionPoint ?? { lat: '', lon: '' };
  const shown = ['warehouseId', 'donorName', 'donorContact', 'note', 'items', 'collection', 'collection.address', 'collection.lat', 'collection.lon', ...draft.items.flatMap((_, i) => [`items.${i}.commodityId`, `items.${i}.quantity`])];
  return (
    <section class="card">
      <h1>{t('charity.logDonation')}</h1>
      <form onSubmit={submit} noValidate class="form">
        <Field label={t('field.warehouse')} error={errors.warehouseId}>
          <select name="warehouseId" value={draft.warehouseId} onChange={(e) => set({ warehouseId: e.currentTarget.value })}>
            <option value="">{t('field.choose')}</option>
            {warehouses.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('field.donorName')} error={errors.donorName}>
          <input name="donorName" value={draft.donorName} onInput={(e) => set({ donorName: e.currentTarget.value })} />
        </Field>
        <Field label={t('field.donorContact')} hint={t('charity.contactHint')} error={errors.donorContact}>
          <input name="donorContact" value={draft.donorContact} onInput={(e) => set({ donorContact: e.currentTarget.value })} />
        </Field>
        <fieldset class="items">
          <legend>{t('charity.items')}</legend>
          {errors.items && <span class="field-error" role="alert">{errors.items}</span>}
          {draft.items.map((item, i) => (
            <div class="item-row" key={i}>
              <Field label={t('field.commodity')} error={errors[`items.${i}.commodityId`]}>
                <select name={`items.${i}.commodityId`} value={item.commodityId} onChange={(e) => setItem(i, { commodityId: e.currentTarget.value })}>
                  <CommodityOptions commodities={commodities} choose={t('field.choose')} />
                </select>
              </Field>
              <Field label={t('field.quantity')} error={errors[`items.${i}.quantity`]} class="narrow-field">
                <input name={`items.${i}.quantity`} type="number" min={1} inputMode="numeric" value={item.quantity} onInput={(e) => setItem(i, { quantity: e.currentTarget.value })} />
              </Field>
              {draft.items.length > 1 && (
                <button type="button" class="icon-button" aria-label={t('action.remove')} onClick={() => setDraft((d) => ({ ...d, items: d.items.filter((_, j) => j !== i) }))}>
                  ×
                </button>
              )}
            </div>
          ))}
          <button type="button" onClick={() => setDraft((d) => ({ ...d, items: [...d.items, { commodityId: '', quantity: '' }] }))}>
            {t('charity.addItem')}
          </button>
        </fieldset>
        <label class="check">
          <input type="checkbox" name="collect" checked={draft.collect ?? false} onChange={(e) => set({ collect: e.currentTarget.checked })} />
          {t('charity.collect')}
        </label>
        {draft.collect && (
          <fieldset class="collection">
            <legend>{t('charity.collectionPoint')}</legend>
            {errors.collection && <span class="field-error" role="alert">{errors.collection}</span>}
            <Field label={t('field.address')} error={errors['collection.address']}>
              <input name="collectionAddress" value={draft.collectionAddress ?? ''} onInput={(e) => set({ collectionAddress: e.currentTarget.value })} />
            </Field>
            <PointPicker
              value={point}
              centre={warehouse ? [warehouse.lat, warehouse.lon] : MONACO}
              onChange={(collectionPoint) => set({ collectionPoint })}
              errors={{ lat: errors['collection.lat'], lon: errors['collection.lon'] }}
            />
          </fieldset>
        )}
        <Field label={t('field.note')} error={errors.note}>
          <textarea name="note" rows={2} value={draft.note} onInput={(e) => set({ note: e.currentTarget.value })} />
        </Field>
        <ErrorNote error={formError(error, shown)} />
        {Object.keys(errors).length > 0 && <p class="field-error">{t('error.checkFields')}</p>}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('state.working') : t('charity.submit')}
        </button>
      </form>
    </section>
  );
}

/**
 * The collection point as the API takes it. Left out coordinates are sent as nothing, so the server names
 * the missing field; typed ones are sent as typed (a number the server checks, or text it refuses).
 */
function collectionOf(draft: Draft) {
  const coordinate = (typed: string | undefined) => (typed?.trim() ? (Number.isFinite(Number(typed)) ? Number(typed) : typed) : undefined);
  return { address: draft.collectionAddress ?? '', lat: coordinate(draft.collectionPoint?.lat), lon: coordinate(draft.collectionPoint?.lon) };
}

export const trackingUrl = (code: string) => `${location.origin}/track/${encodeURIComponent(code)}`;

function Receipt({ id, commodities, warehouses }: { id: number; commodities: Commodity[]; warehouses: Warehouse[] }) {
  const donation = useLoad((signal) => get<Donation>(`/donations/${id}`, undefined, signal), [id]);
  const [qr, setQr] = useState<string>();
  const code = donation.data?.trackingCode;
  useEffect(() => {
    if (code) void QRCode.toDataURL(trackingUrl(code), { margin: 1, width: 200 }).then(setQr);
  }, [code]);
  return (
    <section class="card receipt">
      <Show state={donation}>
        {(d) => (
          <>
            <h1>{t('charity.receipt')}</h1>
            <p>{t('charity.thanks', { donor: d.donorName })}</p>
            <div class="receipt-code">
              <div>
                <span class="muted">{t('track.code')}</span>
                <strong class="tracking-code" data-testid="tracking-code">
                  {d.trackingCode}
                </strong>
                <Link href={`/track/${d.trackingCode}`}>{trackingUrl(d.trackingCode)}</Link>
              </div>
              {qr && <img src={qr} width={160} height={160} alt={t('charity.qrAlt', { code: d.trackingCode })} />}
            </div>
            <p>
              {warehouses.find((w) => w.id === d.warehouseId)?.name} · {fmtDateTime(d.pledgedAt)}
            </p>
            <ul>
              {d.items.map((item) => (
                <li key={item.id}>
                  {fmtNumber(item.quantityPledged)} × {commodities.find((c) => c.id === item.commodityId)?.name}
                </li>
              ))}
            </ul>
            <PickupNote donation={d} />
            <WhereItWent code={d.trackingCode} />
            <div class="actions">
              <button type="button" onClick={() => window.print()}>
                {t('action.print')}
              </button>
              <Link href="/charity" class="button primary">
                {t('charity.another')}
              </Link>
            </div>
          </>
        )}
      </Show>
    </section>
  );
}

/** Where a pledge with a collection point stands: waiting for a route, to be collected on a day by a route, collected. */
function PickupNote({ donation: d }: { donation: Donation }) {
  if (!d.collection) return null;
  const p = d.pickup;
  const text =
    p?.status === 'collected'
      ? t('charity.collected', { date: fmtDate(p.doneAt) })
      : p?.status === 'pending'
        ? t('charity.toBeCollected', { date: fmtDate(p.on), route: p.routeId, driver: p.driver })
        : d.status === 'pledged'
          ? t('charity.awaitingPickup', { address: d.collection.address })
          : null;
  return text ? <div class="small pickup-note">{text}</div> : null;
}

/** The communities the donation reached so far (from its public journey). */
function WhereItWent({ code }: { code: string }) {
  const tracking = useLoad((signal) => get<Tracking>(`/track/${encodeURIComponent(code)}`, undefined, signal), [code]);
  const reached = tracking.data?.communitiesReached ?? [];
  if (!tracking.data) return null;
  return (
    <p>
      <strong>{t('track.communities')}:</strong> {reached.length ? reached.join(', ') : t('track.noCommunitiesYet')}
    </p>
  );
}

function PastDonations({ commodities, warehouses }: { commodities: Commodity[]; warehouses: Warehouse[] }) {
  const list = useLoad((signal) => get<{ items: Donation[] }>('/donations', { limit: 100 }, signal), []);
  return (
    <section class="card">
      <h2>{t('charity.past')}</h2>
      <Show state={list}>
        {(page) =>
          page.items.length === 0 ? (
            <p class="muted">{t('charity.none')}</p>
          ) : (
            <table class="table">
              <thead>
                <tr>
                  <th>{t('track.code')}</th>
                  <th>{t('field.donorName')}</th>
                  <th>{t('field.status')}</th>
                  <th class="hide-phone">{t('charity.items')}</th>
                </tr>
              </thead>
              <tbody>
                {[...page.items].reverse().map((d) => (
                  <tr key={d.id}>
                    <td>
                      <Link href={`/track/${d.trackingCode}`}>{d.trackingCode}</Link>
                    </td>
                    <td>
                      {d.donorName}
                      <div class="muted small">{warehouses.find((w) => w.id === d.warehouseId)?.name}</div>
                    </td>
                    <td>
                      <span class={`badge status-${d.status}`}>{tOr(`donation.${d.status}`, d.status)}</span>
                      <PickupNote donation={d} />
                    </td>
                    <td class="hide-phone small">{d.items.map((i) => `${fmtNumber(i.quantityPledged)} × ${commodities.find((c) => c.id === i.commodityId)?.name ?? i.commodityId}`).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
    </section>
  );
}
