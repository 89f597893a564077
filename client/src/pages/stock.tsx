// Stock per warehouse: on hand, reserved and available by commodity, each lot with its expiry, and a
// warning for lots that expire soon or already have; exportable as CSV.
import { useState } from 'preact/hooks';
import { get } from '../api.ts';
import { daysUntil, fmtDate, fmtNumber, t } from '../i18n.ts';
import type { Lot, StockLine } from '../types.ts';
import { Show, useLoad, WarehousePicker } from '../components/ui.tsx';
import { useCatalogue } from '../catalogue.ts';
import { downloadCsv } from '../csv.ts';

/** A week is one planning horizon: a lot this close to its date must go out in the next plans. */
export const EXPIRY_WARNING_DAYS = 7;

export function expiryState(lot: Pick<Lot, 'expiresOn' | 'available'>): 'expired' | 'soon' | 'ok' {
  if (!lot.expiresOn) return 'ok';
  const days = daysUntil(lot.expiresOn);
  return days < 0 ? 'expired' : days <= EXPIRY_WARNING_DAYS ? 'soon' : 'ok';
}

function ExpiryBadge({ lot }: { lot: Lot }) {
  const state = expiryState(lot);
  if (state === 'ok') return null;
  const days = daysUntil(lot.expiresOn!);
  return <span class={`badge ${state === 'expired' ? 'danger' : 'warn'}`}>{state === 'expired' ? t('stock.expired') : t('stock.expiresIn', { n: days })}</span>;
}

export function StockPage() {
  const catalogue = useCatalogue();
  const [warehouseId, setWarehouseId] = useState<number>();
  const chosen = warehouseId ?? catalogue.data?.warehouses[0]?.id;
  const stock = useLoad((signal) => (chosen ? get<{ commodities: StockLine[] }>(`/warehouses/${chosen}/stock`, undefined, signal) : Promise.resolve({ commodities: [] })), [chosen]);
  const [onlyWarnings, setOnlyWarnings] = useState(false);

  const exportCsv = (lines: StockLine[]) => {
    const name = catalogue.data?.warehouses.find((w) => w.id === chosen)?.name ?? 'warehouse';
    downloadCsv(`stock-${name}.csv`, [
      [t('field.commodity'), t('stock.lot'), t('stock.expiresOn'), t('stock.onHand'), t('stock.reserved'), t('stock.available')],
      ...lines.flatMap((l) => l.lots.map((lot) => [l.commodityName, lot.lotCode, lot.expiresOn ?? '', lot.onHand, lot.reserved, lot.available])),
    ]);
  };

  return (
    <div class="page">
      <div class="row-between wrap">
        <h1>{t('stock.title')}</h1>
        <Show state={catalogue}>
          {(cat) => <WarehousePicker warehouses={cat.warehouses} value={chosen} onChange={setWarehouseId} />}
        </Show>
      </div>
      <Show state={stock}>
        {(data) => {
          const warnings = data.commodities.flatMap((l) => l.lots.filter((lot) => lot.onHand > 0 && expiryState(lot) !== 'ok').map((lot) => ({ line: l, lot })));
          const lines = onlyWarnings ? data.commodities.filter((l) => l.lots.some((lot) => lot.onHand > 0 && expiryState(lot) !== 'ok')) : data.commodities;
          return (
            <>
              {warnings.length > 0 && (
                <p class="warn-note" role="status">
                  {t('stock.warningSummary', { n: warnings.length, days: EXPIRY_WARNING_DAYS })}
                </p>
              )}
              <div class="toolbar">
                <label class="check">
                  <input type="checkbox" checked={onlyWarnings} onChange={(e) => setOnlyWarnings(e.currentTarget.checked)} /> {t('stock.onlyWarnings')}
                </label>
                <button type="button" onClick={() => exportCsv(lines)}>
                  {t('action.exportCsv')}
                </button>
              </div>
              <table class="table stock-table">
                <thead>
                  <tr>
                    <th>{t('field.commodity')}</th>
                    <th class="num hide-phone">{t('stock.onHand')}</th>
                    <th class="num hide-phone">{t('stock.reserved')}</th>
                    <th class="num">{t('stock.available')}</th>
                    <th>{t('stock.lots')}</th>
                  </tr>
                </thead>
                <tbody>
                  {lines.map((l) => (
                    <tr key={l.commodityId}>
                      <td>
                        <strong>{l.commodityName}</strong>
                        <div class="muted small">{l.unit}</div>
                      </td>
                      <td class="num hide-phone">{fmtNumber(l.onHand)}</td>
                      <td class="num hide-phone">{fmtNumber(l.reserved)}</td>
                      <td class="num">{fmtNumber(l.available)}</td>
                      <td>
                        <ul class="lots">
                          {l.lots.map((lot) => (
                            <li key={lot.id}>
                              <span class="mono small">{lot.lotCode}</span> · {fmtNumber(lot.available)} · {lot.expiresOn ? fmtDate(lot.expiresOn) : t('stock.noExpiry')} <ExpiryBadge lot={lot} />
                            </li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          );
        }}
      </Show>
    </div>
  );
}
