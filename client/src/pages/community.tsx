// The community worker's live need sheet: a grid of the community's households and needs that several
// workers edit at once (changes from others appear as they happen), with vulnerability flags,
// validation as you type, and stale-edit conflicts explained (CSV import is in need-import.tsx).
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, getAll, newIdempotencyKey, patch, request } from '../api.ts';
import { fmtDateTime, fmtNumber, t, tOr } from '../i18n.ts';
import type { Commodity, Flag, Me, Need, NeedCommunity, Urgency } from '../types.ts';
import { flagColumns, urgencies, vulnerabilityFlags } from '../../../domain/values.ts';
import { CommodityOptions, ErrorNote, Field, formError, plainError, plainReason, Show, useDraft, useLoad, useSubmit } from '../components/ui.tsx';
import { onLive, onLiveResync } from '../live.ts';
import { Link, usePath } from '../router.tsx';
import { tierOf } from '../needs.ts';
import * as v from '../validate.ts';
import { downloadCsv } from '../csv.ts';
import { ImportPage } from './need-import.tsx';
import { QueueCounts, QueuePage } from './community-queue.tsx';
import { usePagedRows, type RowPage } from '../components/paged-rows.ts';

export function CommunityPage({ me }: { me: Me }) {
  const path = usePath();
  if (path === '/community/import') return <ImportPage />;
  if (path === '/community/queue') return <QueuePage />;
  return <NeedSheetPage me={me} />;
}


function NeedSheetPage({ me }: { me: Me }) {
  // The communities and their open needs are counted on the server: the sheet never loads a district's needs.
  const communityList = useLoad(() => getAll<NeedCommunity>('/needs/communities'), []);
  const commodities = useLoad(() => getAll<Commodity>('/commodities'), []);
  const communities = (communityList.data ?? []).map((c) => c.name);
  const [community, setCommunity] = useState(() => localStorage.getItem('lifeline.community') ?? '');
  const chosen = community && communities.includes(community) ? community : communities[0] ?? '';
  useEffect(() => {
    if (chosen) localStorage.setItem('lifeline.community', chosen);
  }, [chosen]);

  return (
    <div class="page sheet-page">
      <QueueCounts />
      <div class="row-between wrap">
        <h1>{t('sheet.title')}</h1>
        <div class="toolbar">
          <label class="inline-field">
            {t('field.community')}{' '}
            <select name="community" value={chosen} onChange={(e) => setCommunity(e.currentTarget.value)}>
              {(communityList.data ?? []).map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name} ({fmtNumber(c.openNeeds)})
                </option>
              ))}
            </select>
          </label>
          <Link href="/community/import" class="button">
            {t('nav.import')}
          </Link>
        </div>
      </div>
      <Show state={communityList}>{() => <Show state={commodities}>{(cs) => (chosen ? <NeedSheet key={chosen} me={me} community={chosen} commodities={cs} /> : <p class="muted">{t('sheet.empty')}</p>)}</Show>}</Show>
    </div>
  );
}

/** Each row of the sheet is this tall (styles.css), so the rows above and below the window are spacers. */
const ROW_HEIGHT = 38;

/** The value after it has stopped changing for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value]);
  return settled;
}

function NeedSheet({ me, community, commodities }: { me: Me; community: string; commodities: Commodity[] }) {
  const [flash, setFlash] = useState<Record<number, string>>({});
  const [filter, setFilter] = useState('');
  const [showClosed, setShowClosed] = useState(false);
  const [adding, setAdding] = useState(false);
  // The search and the filter go to the server: the sheet holds only the pages scrolled into view.
  const q = useSettled(filter.trim(), 300);
  const query = { community, sort: 'household', ...(q ? { q } : {}), ...(showClosed ? {} : { status: 'open' }) };
  const rows = usePagedRows<Need>((offset, limit) => get<RowPage<Need>>('/needs', { ...query, offset, limit }), [community, q, showClosed], { rowHeight: ROW_HEIGHT });

  // The live handlers below are subscribed once per community and read the sheet as it is now.
  const latest = useRef(rows);
  latest.current = rows;
  const merge = (need: Need) =>
    // A household change shows on every loaded row of that household.
    latest.current.update((n) => (n.id === need.id ? need : n.householdId === need.householdId && n.household.version <= need.household.version ? { ...n, household: need.household } : n));

  // A change to a need not loaded (a new one, or one out of view) refreshes the pages in view, at most twice a second.
  const refreshSoon = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const refresh = () => {
    clearTimeout(refreshSoon.current);
    refreshSoon.current = setTimeout(() => latest.current.refresh(), 500);
  };
  useEffect(() => () => clearTimeout(refreshSoon.current), []);

  useEffect(() => {
    const off = onLive('need:changed', async (e) => {
      if (e.data.community.trim().toLowerCase() !== community.trim().toLowerCase()) return;
      if (!latest.current.loaded().some((n) => n.id === e.data.needId)) return refresh();
      try {
        const need = await get<Need>(`/needs/${e.data.needId}`);
        merge(need);
        if (e.data.by !== me.id) {
          setFlash((f) => ({ ...f, [need.id]: t('sheet.changedByOther') }));
          setTimeout(() => setFlash((f) => Object.fromEntries(Object.entries(f).filter(([k]) => Number(k) !== need.id))), 6000);
        }
      } catch {
        refresh();
      }
    });
    const offResync = onLiveResync(refresh);
    return () => {
      offResync();
      off();
    };
  }, [community]);

  const commodityName = (id: number) => commodities.find((c) => c.id === id)?.name ?? `#${id}`;

  const exportCsv = async () => {
    const all = await getAll<Need>('/needs', query);
    downloadCsv(`needs-${community}.csv`, [
      ['name', 'address', 'phone', 'people', 'community', 'commodity', 'quantity', 'urgency', 'deadline', 'status', 'delivered', ...vulnerabilityFlags.map((f) => flagColumns[f])],
      ...all.map((n) => [
        n.household.name, n.household.address, n.household.phone ?? '', n.household.people, n.household.community, commodities.find((c) => c.id === n.commodityId)?.code ?? n.commodityId,
        n.quantity, n.urgency, n.deadline ?? '', n.status, n.fulfilled, ...vulnerabilityFlags.map((f) => (n.household[f] ? 'yes' : 'no')),
      ]),
    ]);
  };

  const created = (recorded: { need: Need; householdCreated: boolean }) => {
    setAdding(false);
    rows.refresh();
    // The sheet is in household order, so a new household's need is its last row.
    if (recorded.householdCreated) setTimeout(rows.scrollToEnd, 300);
  };

  const window: preact.JSX.Element[] = [];
  for (let i = rows.first; i < rows.last; i++) {
    const n = rows.rowAt(i);
    window.push(
      n ? (
        <SheetRow key={n.id} need={n} commodity={commodityName(n.commodityId)} flash={flash[n.id]} onSaved={merge} />
      ) : (
        <tr key={`row-${i}`} class="sheet-pending" aria-busy="true">
          <td colSpan={12} />
        </tr>
      ),
    );
  }

  return (
    <>
      <div class="toolbar">
        <input type="search" class="search" placeholder={t('sheet.search')} aria-label={t('sheet.search')} value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        <label class="check">
          <input type="checkbox" checked={showClosed} onChange={(e) => setShowClosed(e.currentTarget.checked)} /> {t('sheet.showClosed')}
        </label>
        <button type="button" onClick={() => setAdding(!adding)} class={adding ? '' : 'primary'}>
          {adding ? t('action.cancel') : t('sheet.addNeed')}
        </button>
        <button type="button" onClick={() => void exportCsv()}>
          {t('action.exportCsv')}
        </button>
        <span class="muted small sheet-count">{rows.total === undefined ? '' : t('sheet.count', { n: rows.total })}</span>
      </div>
      <p class="legend small">
        {vulnerabilityFlags.map((f) => (
          <span key={f}>
            <span class="flag-short on">{t(`flagShort.${f}`)}</span> {t(`flag.${f}`)}
          </span>
        ))}
      </p>
      {adding && <NewNeedForm community={community} commodities={commodities} near={rows.loaded()} onCreated={created} />}
      {rows.error !== undefined && <ErrorNote error={rows.error} />}
      <div class="sheet-scroll" ref={rows.scrollRef}>
        <table class="sheet virtual" aria-label={t('sheet.title')} aria-rowcount={rows.total === undefined ? undefined : rows.total + 1}>
          <thead>
            <tr>
              <th>{t('field.name')}</th>
              <th>{t('field.address')}</th>
              <th>{t('field.phone')}</th>
              <th class="num">{t('field.people')}</th>
              <th>{t('sheet.flags')}</th>
              <th>{t('field.commodity')}</th>
              <th class="num">{t('field.quantity')}</th>
              <th>{t('field.urgency')}</th>
              <th>{t('field.deadline')}</th>
              <th>{t('field.status')}</th>
              <th class="num">{t('sheet.delivered')}</th>
              <th>
                <span class="visually-hidden">{t('sheet.history')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.above > 0 && (
              <tr class="spacer" aria-hidden="true">
                <td colSpan={12} style={{ height: `${rows.above}px` }} />
              </tr>
            )}
            {window}
            {rows.below > 0 && (
              <tr class="spacer" aria-hidden="true">
                <td colSpan={12} style={{ height: `${rows.below}px` }} />
              </tr>
            )}
          </tbody>
        </table>
        {rows.total === undefined && rows.error === undefined && <p class="muted" aria-busy="true">{t('state.loading')}</p>}
      </div>
    </>
  );
}

type HouseholdField = 'name' | 'address' | 'phone' | 'people';

function SheetRow({ need, commodity, flash, onSaved }: { need: Need; commodity: string; flash?: string; onSaved: (n: Need) => void }) {
  const h = need.household;
  const [rowError, setRowError] = useState<string>();
  const [showHistory, setShowHistory] = useState(false);

  /**
   * Saves one change made on `version` (the row as the worker saw it when they started typing); when a
   * colleague saved first it says so, shows their version and keeps what was typed for another try.
   */
  const save = async (kind: 'household' | 'need', changes: Record<string, unknown>, version = kind === 'household' ? h.version : need.version): Promise<SaveOutcome> => {
    try {
      if (kind === 'household') await patch(`/households/${h.id}`, { ...changes, version });
      else await patch(`/needs/${need.id}`, { ...changes, version });
      onSaved(await get<Need>(`/needs/${need.id}`));
      setRowError(undefined);
      return {};
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        onSaved(await get<Need>(`/needs/${need.id}`));
        const message = t('sheet.conflict');
        setRowError(message);
        return { problem: message, conflict: true };
      }
      const byField = err instanceof ApiError ? err.byField() : {};
      const first = Object.values(byField)[0];
      const message = first ? plainReason(first) : plainError(err);
      setRowError(message);
      return { problem: message };
    }
  };

  const hCell = (field: HouseholdField, check: v.Check, type: 'text' | 'number' = 'text') => (
    <td class={field === 'people' ? 'num' : `col-${field}`}>
      <Cell
        label={t(`field.${field}`)}
        value={h[field] == null ? '' : String(h[field])}
        version={h.version}
        check={check}
        type={type}
        onSave={(value, version) => save('household', { [field]: field === 'people' ? Number(value) : field === 'phone' && !value.trim() ? undefined : value }, version)}
      />
    </td>
  );

  return (
    <>
      <tr class={`tier-${tierOf(need)} ${flash ? 'flash' : ''} status-row-${need.status}`} data-need={need.id}>
        {hCell('name', v.text(1, 200))}
        {hCell('address', v.text(3, 500))}
        {hCell('phone', v.phone)}
        {hCell('people', v.wholeNumber(1, 100), 'number')}
        <td class="flags">
          {vulnerabilityFlags.map((f) => (
            <label key={f} class={`flag ${h[f] ? 'on' : ''}`} title={t(`flag.${f}`)}>
              <input type="checkbox" checked={h[f]} aria-label={t(`flag.${f}`)} onChange={(e) => void save('household', { [f]: e.currentTarget.checked })} />
              <span aria-hidden="true">{t(`flagShort.${f}`)}</span>
            </label>
          ))}
        </td>
        <td>{commodity}</td>
        <td class="num">
          <Cell label={t('field.quantity')} value={String(need.quantity)} version={need.version} check={v.wholeNumber(1, 100_000)} type="number" onSave={(value, version) => save('need', { quantity: Number(value) }, version)} />
        </td>
        <td>
          <select aria-label={t('field.urgency')} value={need.urgency} class={`urgency-${need.urgency}`} onChange={(e) => void save('need', { urgency: e.currentTarget.value as Urgency })}>
            {urgencies.map((u) => (
              <option key={u} value={u}>
                {t(`urgency.${u}`)}
              </option>
            ))}
          </select>
        </td>
        <td>
          <Cell label={t('field.deadline')} value={need.deadline ?? ''} version={need.version} check={v.isoDateOrEmpty} type="date" onSave={(value, version) => save('need', { deadline: value || null }, version)} />
        </td>
        <td>
          {need.status === 'fulfilled' ? (
            <span class="badge status-received">{t('needStatus.fulfilled')}</span>
          ) : (
            <select aria-label={t('field.status')} value={need.status} onChange={(e) => void save('need', { status: e.currentTarget.value })}>
              <option value="open">{t('needStatus.open')}</option>
              <option value="cancelled">{t('needStatus.cancelled')}</option>
            </select>
          )}
        </td>
        <td class="num">
          {fmtNumber(need.fulfilled)} / {fmtNumber(need.quantity)}
        </td>
        <td>
          <button type="button" class="small-button" aria-expanded={showHistory} onClick={() => setShowHistory(!showHistory)}>
            {t('sheet.history')}
          </button>
        </td>
      </tr>
      {showHistory && (
        <tr class="row-note">
          <td colSpan={12}>
            <HouseholdHistory householdId={h.id} version={h.version} />
          </td>
        </tr>
      )}
      {(rowError || flash) && (
        <tr class="row-note">
          <td colSpan={12}>
            {rowError && (
              <span class="field-error" role="alert">
                {rowError}
              </span>
            )}
            {flash && <span class="flash-note">{flash}</span>}
          </td>
        </tr>
      )}
    </>
  );
}

interface FieldChange {
  field: string;
  value: unknown;
  source: string;
  outcome: string;
  setAt: string;
}

/** Every value each field of a household had, where it came from, and whether it was applied. */
function HouseholdHistory({ householdId, version }: { householdId: number; version: number }) {
  const history = useLoad((signal) => get<FieldChange[]>(`/households/${householdId}/history`, undefined, signal), [householdId, version]);
  return (
    <Show state={history}>
      {(changes) => (
        <table class="table history-table small">
          <thead>
            <tr>
              <th>{t('sheet.when')}</th>
              <th>{t('sheet.field')}</th>
              <th>{t('sheet.value')}</th>
              <th>{t('sheet.source')}</th>
              <th>{t('field.status')}</th>
            </tr>
          </thead>
          <tbody>
            {[...changes].reverse().map((c, i) => (
              <tr key={i} class={c.outcome === 'applied' ? '' : 'muted'}>
                <td class="nowrap">{fmtDateTime(c.setAt)}</td>
                <td>{tOr(`field.${c.field}`, tOr(`flag.${c.field}`, c.field))}</td>
                <td>{c.value === null || c.value === undefined ? '—' : String(c.value)}</td>
                <td>{c.source}</td>
                <td>{tOr(`outcome.${c.outcome}`, c.outcome)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Show>
  );
}

interface SaveOutcome {
  problem?: string;
  /** A colleague saved first: the row now shows their version. */
  conflict?: boolean;
}

/**
 * One editable cell: checks as you type, saves on Enter or leaving the cell, keeps the text if saving
 * fails. It saves against the version the worker started typing on, so a colleague's change that
 * arrives meanwhile is not silently overwritten.
 */
function Cell({ label, value, version, check, type, onSave }: { label: string; value: string; version: number; check: v.Check; type: 'text' | 'number' | 'date'; onSave: (value: string, version: number) => Promise<SaveOutcome> }) {
  const [draft, setDraft] = useState<string>();
  const [base, setBase] = useState<number>();
  const [conflict, setConflict] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [saving, setSaving] = useState(false);
  const shown = draft ?? value;
  const commit = async () => {
    if (draft === undefined || draft === value) {
      setDraft(undefined);
      return;
    }
    const local = check(draft);
    if (local) return setProblem(local);
    setSaving(true);
    const outcome = await onSave(draft, base ?? version);
    setSaving(false);
    if (outcome.problem) {
      setProblem(outcome.conflict ? t('sheet.notSaved') : outcome.problem);
      setConflict(!!outcome.conflict);
      // Saving again means "mine wins", on top of the version now shown.
      if (outcome.conflict) setBase(undefined);
    } else {
      setDraft(undefined);
      setBase(undefined);
      setProblem(undefined);
      setConflict(false);
    }
  };
  return (
    <span class={`cell ${problem ? 'invalid' : ''} ${draft !== undefined && draft !== value ? 'dirty' : ''} ${saving ? 'saving' : ''}`}>
      <input
        type={type as 'text'}
        aria-label={label}
        aria-invalid={!!problem}
        value={shown}
        onInput={(e) => {
          const next = e.currentTarget.value;
          if (draft === undefined) setBase(version);
          setDraft(next);
          setProblem(check(next));
        }}
        onBlur={() => void commit()}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.currentTarget as HTMLInputElement).blur();
          if (e.key === 'Escape') {
            setDraft(undefined);
            setBase(undefined);
            setProblem(undefined);
          }
        }}
      />
      {problem && (
        <span class="cell-error" role="alert">
          {problem}
          {conflict && ` · ${t('sheet.theirs', { value: value || '—' })}`}
        </span>
      )}
    </span>
  );
}

interface NewNeedDraft {
  name: string;
  address: string;
  phone: string;
  lat: string;
  lon: string;
  people: string;
  commodityId: string;
  quantity: string;
  urgency: Urgency;
  flags: Flag[];
  key: string;
}

function NewNeedForm({ community, commodities, near, onCreated }: { community: string; commodities: Commodity[]; near: Need[]; onCreated: (recorded: { need: Need; householdCreated: boolean }) => void }) {
  // A new household starts at the middle of its community; the worker corrects it if they know better.
  const centre = near.length
    ? { lat: near.reduce((s, n) => s + n.household.lat, 0) / near.length, lon: near.reduce((s, n) => s + n.household.lon, 0) / near.length }
    : { lat: 43.7347, lon: 7.4206 };
  const initial: NewNeedDraft = { name: '', address: '', phone: '', lat: centre.lat.toFixed(5), lon: centre.lon.toFixed(5), people: '1', commodityId: '', quantity: '1', urgency: 'normal', flags: [], key: newIdempotencyKey() };
  const [d, setD, clear] = useDraft<NewNeedDraft>(`need.${community}`, initial);
  const { error, errors: server, run } = useSubmit();
  const [typed, setTyped] = useState<Set<string>>(new Set());
  const checks: Record<string, v.Check> = {
    name: v.text(1, 200),
    address: v.text(3, 500),
    phone: v.phone,
    lat: v.decimal(-90, 90),
    lon: v.decimal(-180, 180),
    people: v.wholeNumber(1, 100),
    commodityId: v.required,
    quantity: v.wholeNumber(1, 100_000),
  };
  const local = (k: keyof NewNeedDraft) => (typed.has(k) ? checks[k]?.(String(d[k])) : undefined);
  const err = (k: keyof NewNeedDraft, serverKey = `household.${k}`) => local(k) ?? server[serverKey] ?? server[k];
  const set = (k: keyof NewNeedDraft, value: string) => {
    setD((old) => ({ ...old, [k]: value }));
    setTyped((s) => new Set(s).add(k));
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setTyped(new Set(Object.keys(checks)));
    if (Object.entries(checks).some(([k, c]) => c(String(d[k as keyof NewNeedDraft])))) return;
    await run(async () => {
      const body = {
        household: {
          name: d.name,
          address: d.address,
          phone: d.phone.trim() || undefined,
          lat: Number(d.lat),
          lon: Number(d.lon),
          people: Number(d.people),
          community,
          ...Object.fromEntries(vulnerabilityFlags.map((f) => [f, d.flags.includes(f)])),
        },
        commodityId: Number(d.commodityId),
        quantity: Number(d.quantity),
        urgency: d.urgency,
      };
      const created = await request<{ need: Need; householdCreated: boolean }>('POST', '/needs', { body, idempotencyKey: d.key });
      clear();
      onCreated(created);
    });
  };
  const shown = ['household.name', 'household.address', 'household.phone', 'household.lat', 'household.lon', 'household.people', 'commodityId', 'quantity', 'urgency'];
  return (
    <form class="card form new-need" onSubmit={submit} noValidate>
      <h2>{t('sheet.addNeedIn', { community })}</h2>
      <div class="form-grid">
        <Field label={t('field.name')} error={err('name')}>
          <input name="name" value={d.name} onInput={(e) => set('name', e.currentTarget.value)} />
        </Field>
        <Field label={t('field.address')} error={err('address')}>
          <input name="address" value={d.address} onInput={(e) => set('address', e.currentTarget.value)} />
        </Field>
        <Field label={t('field.phone')} error={err('phone')}>
          <input name="phone" type="tel" value={d.phone} onInput={(e) => set('phone', e.currentTarget.value)} />
        </Field>
        <Field label={t('field.people')} error={err('people')}>
          <input name="people" type="number" min={1} max={100} value={d.people} onInput={(e) => set('people', e.currentTarget.value)} />
        </Field>
        <Field label={t('field.lat')} error={err('lat')}>
          <input name="lat" inputMode="decimal" value={d.lat} onInput={(e) => set('lat', e.currentTarget.value)} />
        </Field>
        <Field label={t('field.lon')} error={err('lon')}>
          <input name="lon" inputMode="decimal" value={d.lon} onInput={(e) => set('lon', e.currentTarget.value)} />
        </Field>
        <Field label={t('field.commodity')} error={err('commodityId', 'commodityId')}>
          <select name="commodityId" value={d.commodityId} onChange={(e) => set('commodityId', e.currentTarget.value)}>
            <CommodityOptions commodities={commodities} choose={t('field.choose')} />
          </select>
        </Field>
        <Field label={t('field.quantity')} error={err('quantity', 'quantity')}>
          <input name="quantity" type="number" min={1} value={d.quantity} onInput={(e) => set('quantity', e.currentTarget.value)} />
        </Field>
        <Field label={t('field.urgency')} error={server.urgency}>
          <select name="urgency" value={d.urgency} onChange={(e) => set('urgency', e.currentTarget.value)}>
            {urgencies.map((u) => (
              <option key={u} value={u}>
                {t(`urgency.${u}`)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <fieldset class="flag-picks">
        <legend>{t('sheet.flags')}</legend>
        {vulnerabilityFlags.map((f) => (
          <label class="check" key={f}>
            <input type="checkbox" checked={d.flags.includes(f)} onChange={(e) => setD((old) => ({ ...old, flags: e.currentTarget.checked ? [...old.flags, f] : old.flags.filter((x) => x !== f) }))} /> <span class="flag-short on">{t(`flagShort.${f}`)}</span> {t(`flag.${f}`)}
          </label>
        ))}
      </fieldset>
      <ErrorNote error={formError(error, shown)} />
      <button type="submit" class="primary">
        {t('sheet.saveNeed')}
      </button>
    </form>
  );
}
