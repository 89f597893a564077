// Lot recalls: a coordinator recalls a lot with a reason (blocked at once, drivers told live) and sees the
// households and communities that received it, and asks for their replacements in one action; a community
// worker sees the recalls that reached their own communities, to contact the households.
import { useState } from 'preact/hooks';
import { get, newIdempotencyKey, post } from '../api.ts';
import { fmtDate, fmtDateTime, fmtNumber, t } from '../i18n.ts';
import type { Me, StockLine } from '../types.ts';
import type { Recall, RecalledLot, RecallRecipient } from '../../../server/stock/stock.schema.ts';
import { ErrorNote, ExportCsvButton, Field, formError, Show, useLoad, useSubmit } from '../components/ui.tsx';
import { useCatalogue } from '../catalogue.ts';

export function RecallsPage({ me }: { me: Me }) {
  const recalls = useLoad((signal) => get<RecalledLot[]>('/recalls', undefined, signal), []);
  const coordinator = me.role === 'coordinator' || me.role === 'admin';
  return (
    <div class="page recalls-page">
      <h1>{t('recall.title')}</h1>
      {coordinator && <RecallForm onRecalled={recalls.reload} />}
      <h2>{t('recall.recalled')}</h2>
      <Show state={recalls}>
        {(list) =>
          list.length === 0 ? (
            <p class="muted">{t(coordinator ? 'recall.none' : 'recall.noneHere')}</p>
          ) : (
            list.map((recall) => <RecallCard key={recall.lot.id} recall={recall} canReplace={coordinator} onReplaced={recalls.reload} />)
          )
        }
      </Show>
    </div>
  );
}

/** Choose a warehouse, then one of its lots not yet recalled, say why, and recall it. */
function RecallForm({ onRecalled }: { onRecalled: () => void }) {
  const catalogue = useCatalogue();
  const [warehouseId, setWarehouseId] = useState<number>();
  const [lotId, setLotId] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<Recall>();
  const { busy, error, errors, onSubmit } = useSubmit();
  const chosen = warehouseId ?? catalogue.data?.warehouses[0]?.id;
  const stock = useLoad((signal) => (chosen ? get<{ commodities: StockLine[] }>(`/warehouses/${chosen}/stock`, undefined, signal) : Promise.resolve({ commodities: [] })), [chosen]);
  const lots = (stock.data?.commodities ?? []).flatMap((line) => line.lots.filter((lot) => !lot.recalledAt).map((lot) => ({ line, lot })));

  const recall = onSubmit(async () => {
    setDone(undefined);
    const answer = await post<Recall>(`/lots/${lotId}/recall`, { reason }, newIdempotencyKey());
    setDone(answer);
    setLotId('');
    setReason('');
    stock.reload();
    onRecalled();
  });

  return (
    <form class="card form-grid recall-form" onSubmit={recall}>
      <h2 class="span-all">{t('recall.new')}</h2>
      <Field label={t('field.warehouse')}>
        <select name="warehouse" value={chosen} onChange={(e) => {
            setWarehouseId(Number(e.currentTarget.value));
            setLotId('');
          }}>
          {catalogue.data?.warehouses.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('stock.lot')}>
        <select name="lot" required value={lotId} onChange={(e) => setLotId(e.currentTarget.value)}>
          <option value="">{t('recall.chooseLot')}</option>
          {lots.map(({ line, lot }) => (
            <option key={lot.id} value={lot.id}>
              {line.commodityName} · {lot.lotCode} · {lot.supplier ?? t('recall.noSupplier')} · {lot.expiresOn ? fmtDate(lot.expiresOn) : t('stock.noExpiry')}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('recall.reason')} error={errors.reason} class="span-all">
        <textarea name="reason" rows={2} required maxLength={1000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </Field>
      <div class="toolbar span-all">
        <button type="submit" class="danger" disabled={busy || !lotId || !reason.trim()}>
          {t('recall.submit')}
        </button>
      </div>
      <div class="span-all">
        <ErrorNote error={formError(error, ['reason'])} />
        {done && (
          <p class="ok-note" role="status">
            {t('recall.done', { lot: done.lot.lotCode, households: done.households.length, communities: done.communities.length, routes: done.routes.length, plans: done.withdrawnPlanIds.length })}
          </p>
        )}
      </div>
    </form>
  );
}

function RecallCard({ recall, canReplace, onReplaced }: { recall: RecalledLot; canReplace: boolean; onReplaced: () => void }) {
  const { lot, households } = recall;
  const communities = [...new Set(households.map((h) => h.community))].sort();
  const [made, setMade] = useState<number>();
  const { busy, error, run } = useSubmit();
  const replace = () =>
    run(async () => {
      const { needIds } = await post<{ needIds: number[] }>(`/lots/${lot.id}/recall/replacements`, undefined, newIdempotencyKey());
      setMade(needIds.length);
      onReplaced();
    });
  return (
    <section class="card recall-card" data-lot={lot.id}>
      <div class="row-between wrap">
        <h3>
          {lot.commodity} · <span class="mono">{lot.lotCode}</span> <span class="badge danger">{t('recall.badge')}</span>
        </h3>
        <span class="muted small">{fmtDateTime(lot.recalledAt)}</span>
      </div>
      <p class="recall-reason">
        <strong>{t('recall.reason')}:</strong> {lot.recallReason}
      </p>
      <p class="small muted">
        {t('recall.supplier')}: {lot.supplier ?? t('recall.noSupplier')}
        {lot.expiresOn && ` · ${t('stock.expiresOn')} ${fmtDate(lot.expiresOn)}`}
      </p>
      <p>{t('recall.reached', { households: households.length, communities: communities.length })}</p>
      {communities.length > 0 && (
        <ul class="chips" aria-label={t('field.community')}>
          {communities.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      )}
      {households.length > 0 && <Recipients lotCode={lot.lotCode} households={households} />}
      {canReplace && households.length > 0 && (
        <div class="toolbar">
          {lot.replacedAt ? (
            <span class="ok-note small">{t('recall.replacedAt', { at: fmtDateTime(lot.replacedAt) })}</span>
          ) : (
            <button type="button" class="primary" disabled={busy} onClick={() => void replace()}>
              {t('recall.replace', { n: households.length })}
            </button>
          )}
          {made !== undefined && (
            <span role="status" class="small">
              {t('recall.replaced', { n: made })}
            </span>
          )}
        </div>
      )}
      <ErrorNote error={error} />
    </section>
  );
}

function Recipients({ lotCode, households }: { lotCode: string; households: RecallRecipient[] }) {
  return (
    <>
      <table class="table recall-households">
        <thead>
          <tr>
            <th>{t('field.name')}</th>
            <th>{t('field.community')}</th>
            <th class="hide-phone">{t('field.address')}</th>
            <th>{t('field.phone')}</th>
            <th class="num">{t('field.quantity')}</th>
            <th class="hide-phone">{t('recall.deliveredAt')}</th>
          </tr>
        </thead>
        <tbody>
          {households.map((h) => (
            <tr key={`${h.householdId}:${h.needId}`}>
              <td>{h.name}</td>
              <td>{h.community}</td>
              <td class="hide-phone">{h.address}</td>
              <td>{h.phone ?? '—'}</td>
              <td class="num">{fmtNumber(h.quantity)}</td>
              <td class="hide-phone small">{fmtDateTime(h.deliveredAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ExportCsvButton
        filename={`recall-${lotCode}.csv`}
        rows={() => [
          [t('field.name'), t('field.community'), t('field.address'), t('field.phone'), t('field.quantity'), t('recall.deliveredAt')],
          ...households.map((h) => [h.name, h.community, h.address, h.phone ?? '', h.quantity, h.deliveredAt]),
        ]}
      />
    </>
  );
}
