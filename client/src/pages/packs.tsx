// Standard packs for coordinators: define a pack by its contents, assemble packs at a warehouse from its lots
// (first expiring first out, chosen by the server) and take packs apart again; each pack lot shows the lots it
// was made from, so a recall can be traced through it.
import { useState } from 'preact/hooks';
import { get, newIdempotencyKey, post } from '../api.ts';
import { fmtDate, fmtNumber, t, useLang, type MessageKey } from '../i18n.ts';
import { categories, type Category } from '../../../domain/values.ts';
import type { AssemblyResult, Commodity, Pack, PackLot } from '../types.ts';
import { CommodityOptions, ErrorNote, Field, formError, Show, useLoad, useSubmit, WarehousePicker } from '../components/ui.tsx';
import { useCatalogue } from '../catalogue.ts';

const expiry = (date: string | null) => (date ? fmtDate(date) : t('stock.noExpiry'));

export function PacksPage() {
  useLang();
  const catalogue = useCatalogue();
  const packs = useLoad((signal) => get<Pack[]>('/packs', undefined, signal), []);
  const [packId, setPackId] = useState<number>();
  const [warehouseId, setWarehouseId] = useState<number>();
  // What the last action did, said again in the language chosen since.
  const [done, setDone] = useState<{ say: () => string }>();
  const pack = packs.data?.find((p) => p.id === packId) ?? packs.data?.[0];
  const warehouse = warehouseId ?? catalogue.data?.warehouses[0]?.id;
  const lots = useLoad(
    (signal) => (pack && warehouse ? get<PackLot[]>(`/packs/${pack.id}/lots`, { warehouseId: warehouse }, signal) : Promise.resolve([])),
    [pack?.id, warehouse],
  );
  const after = (say: () => string) => {
    setDone({ say });
    lots.reload();
  };
  return (
    <main class="page">
      <h1>{t('packs.title')}</h1>
      {done && (
        <p class="ok-note" role="status">
          {done.say()}
        </p>
      )}
      <Show state={catalogue}>
        {(cat) => (
          <Show state={packs}>
            {(list) => (
              <>
                {list.length === 0 ? (
                  <p class="muted">{t('packs.none')}</p>
                ) : (
                  <section class="card">
                    <div class="toolbar">
                      <label class="inline-field">
                        {t('packs.pack')}{' '}
                        <select name="pack" value={pack?.id} onChange={(e) => setPackId(Number(e.currentTarget.value))}>
                          {list.map((p) => (
                            <option key={p.id} value={p.id}>
                              {p.name}
                            </option>
                          ))}
                        </select>
                      </label>
                      <WarehousePicker warehouses={cat.warehouses} value={warehouse} onChange={setWarehouseId} />
                    </div>
                    {pack && warehouse !== undefined && (
                      <>
                        <p>{t('packs.contentsList', { list: pack.components.map((c) => `${fmtNumber(c.quantity)} × ${c.name} (${c.unit})`).join(' · ') })}</p>
                        <AssembleForm key={`${pack.id}-${warehouse}`} pack={pack} warehouseId={warehouse} onDone={(r) => after(() => t('packs.assembled', { n: r.assembly.quantity, pack: pack.name, lot: r.packLot.lotCode, expires: expiry(r.packLot.expiresOn) }))} />
                        <h2>{t('packs.lots')}</h2>
                        <Show state={lots}>{(rows) => <PackLots pack={pack} lots={rows} onTakenApart={(r) => after(() => t('packs.takenApart', { n: r.assembly.quantity, pack: pack.name, lot: r.packLot.lotCode }))} />}</Show>
                      </>
                    )}
                  </section>
                )}
                <section class="card">
                  <h2>{t('packs.define')}</h2>
                  <DefineForm
                    commodities={cat.commodities.filter((c) => !list.some((p) => p.id === c.id))}
                    onDone={(created) => {
                      packs.reload();
                      setPackId(created.id);
                      setDone({ say: () => t('packs.defined', { pack: created.name }) });
                    }}
                  />
                </section>
              </>
            )}
          </Show>
        )}
      </Show>
    </main>
  );
}

function AssembleForm({ pack, warehouseId, onDone }: { pack: Pack; warehouseId: number; onDone: (result: AssemblyResult) => void }) {
  const [quantity, setQuantity] = useState('1');
  const [key, setKey] = useState(newIdempotencyKey);
  const { busy, error, errors, onSubmit } = useSubmit();
  const submit = onSubmit(async () => {
    const result = await post<AssemblyResult>(`/packs/${pack.id}/assemble`, { warehouseId, quantity: Number(quantity) }, key);
    setKey(newIdempotencyKey());
    onDone(result);
  });
  return (
    <form class="inline-form" onSubmit={submit} noValidate>
      <Field label={t('packs.howMany')} error={errors.quantity} class="narrow-field">
        <input type="number" min={1} inputMode="numeric" name="quantity" value={quantity} onInput={(e) => setQuantity(e.currentTarget.value)} />
      </Field>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t('state.working') : t('packs.assemble')}
      </button>
      <ErrorNote error={formError(error, ['quantity'])} />
    </form>
  );
}

function PackLots({ pack, lots, onTakenApart }: { pack: Pack; lots: PackLot[]; onTakenApart: (result: AssemblyResult) => void }) {
  if (lots.length === 0) return <p class="muted">{t('packs.noLots')}</p>;
  return (
    <table class="table">
      <thead>
        <tr>
          <th>{t('stock.lot')}</th>
          <th class="num">{t('stock.onHand')}</th>
          <th class="hide-phone">{t('stock.expiresOn')}</th>
          <th>{t('packs.madeFrom')}</th>
          <th>{t('packs.takeApart')}</th>
        </tr>
      </thead>
      <tbody>
        {lots.map((lot) => (
          <tr key={lot.id}>
            <td>
              <span class="mono">{lot.lotCode}</span> {lot.recalledAt && <span class="badge danger">{t('packs.recalled')}</span>}
            </td>
            <td class="num">{fmtNumber(lot.onHand)}</td>
            <td class="hide-phone">{expiry(lot.expiresOn)}</td>
            <td>
              <ul class="lots">
                {lot.components.map((part) => (
                  <li key={part.lotId}>
                    <span class="mono small">{part.lotCode}</span> · {fmtNumber(part.quantity - part.returned)} · {expiry(part.expiresOn)}{' '}
                    {part.recalledAt && <span class="badge danger">{t('packs.recalled')}</span>}
                  </li>
                ))}
              </ul>
            </td>
            <td>{lot.components.length > 0 && lot.onHand > lot.reserved && <TakeApartForm pack={pack} lot={lot} onDone={onTakenApart} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TakeApartForm({ pack, lot, onDone }: { pack: Pack; lot: PackLot; onDone: (result: AssemblyResult) => void }) {
  const [quantity, setQuantity] = useState('1');
  const [key, setKey] = useState(newIdempotencyKey);
  const { busy, error, onSubmit } = useSubmit();
  const submit = onSubmit(async () => {
    const result = await post<AssemblyResult>(`/packs/${pack.id}/disassemble`, { lotId: lot.id, quantity: Number(quantity) }, key);
    setKey(newIdempotencyKey());
    onDone(result);
  });
  return (
    <form class="inline-form" onSubmit={submit} noValidate>
      <input type="number" min={1} max={lot.onHand - lot.reserved} inputMode="numeric" name="quantity" aria-label={t('packs.howManyApart', { lot: lot.lotCode })} value={quantity} onInput={(e) => setQuantity(e.currentTarget.value)} />
      <button type="submit" disabled={busy}>
        {t('packs.takeApart')}
      </button>
      <ErrorNote error={error} />
    </form>
  );
}

interface Line {
  commodityId: string;
  quantity: string;
}

function DefineForm({ commodities, onDone }: { commodities: Commodity[]; onDone: (pack: Pack) => void }) {
  const blank = { code: '', name: '', category: 'food' as Category, lines: [{ commodityId: '', quantity: '1' }] as Line[] };
  const [form, setForm] = useState(blank);
  const [key, setKey] = useState(newIdempotencyKey);
  const { busy, error, errors, onSubmit } = useSubmit();
  const setLine = (i: number, patch: Partial<Line>) => setForm({ ...form, lines: form.lines.map((l, j) => (j === i ? { ...l, ...patch } : l)) });
  const submit = onSubmit(async () => {
    const components = form.lines.map((l) => ({ commodityId: Number(l.commodityId), quantity: Number(l.quantity) }));
    const created = await post<Pack>('/packs', { code: form.code.trim(), name: form.name.trim(), category: form.category, components }, key);
    setKey(newIdempotencyKey());
    setForm(blank);
    onDone(created);
  });
  const shown = ['code', 'name', 'category', 'components', ...form.lines.flatMap((_, i) => [`components.${i}.commodityId`, `components.${i}.quantity`])];
  return (
    <form class="form" onSubmit={submit} noValidate>
      <div class="inline-form">
        <Field label={t('packs.code')} error={errors.code}>
          <input name="code" value={form.code} placeholder="FOOD-PACK" onInput={(e) => setForm({ ...form, code: e.currentTarget.value })} />
        </Field>
        <Field label={t('field.name')} error={errors.name}>
          <input name="name" value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
        </Field>
        <Field label={t('packs.category')} error={errors.category}>
          <select name="category" value={form.category} onChange={(e) => setForm({ ...form, category: e.currentTarget.value as Category })}>
            {categories.map((c) => (
              <option key={c} value={c}>
                {t(`category.${c}` as MessageKey)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <fieldset>
        <legend>{t('packs.contents')}</legend>
        {errors.components && <span class="field-error">{errors.components}</span>}
        {form.lines.map((line, i) => (
          <div key={i} class="inline-form">
            <Field label={t('field.commodity')} error={errors[`components.${i}.commodityId`]}>
              <select name={`components.${i}.commodityId`} value={line.commodityId} onChange={(e) => setLine(i, { commodityId: e.currentTarget.value })}>
                <CommodityOptions commodities={commodities} choose={t('field.choose')} />
              </select>
            </Field>
            <Field label={t('packs.perPack')} error={errors[`components.${i}.quantity`]} class="narrow-field">
              <input type="number" min={1} inputMode="numeric" name={`components.${i}.quantity`} value={line.quantity} onInput={(e) => setLine(i, { quantity: e.currentTarget.value })} />
            </Field>
            {form.lines.length > 1 && (
              <button type="button" onClick={() => setForm({ ...form, lines: form.lines.filter((_, j) => j !== i) })}>
                {t('action.remove')}
              </button>
            )}
          </div>
        ))}
        <button type="button" onClick={() => setForm({ ...form, lines: [...form.lines, { commodityId: '', quantity: '1' }] })}>
          {t('packs.addComponent')}
        </button>
      </fieldset>
      <ErrorNote error={formError(error, shown)} />
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t('state.working') : t('packs.save')}
      </button>
    </form>
  );
}
