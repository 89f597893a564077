// The admin's audit log (/admin/audit): who changed which record, when, through which request, and its
// fields before and after; searched by person, record, path, request and time, paged newest first, and
// exported page by page as CSV (the server neutralises formula-like cells).
import { useState } from 'preact/hooks';
import { get } from '../api.ts';
import { fmtDateTime, t, tOr } from '../i18n.ts';
import type { ListedUser } from '../types.ts';
import type { AuditPage as AuditAnswer, AuditQuery, AuditRow } from '../../../server/audit/audit.schema.ts';
import { ErrorNote, Field, fieldErrors, formError, useLoad } from '../components/ui.tsx';

type Filters = Partial<Record<'userId' | 'record' | 'path' | 'requestId' | 'from' | 'to', string>>;
const PAGE_SIZES = [50, 100, 500] as const;

/** The API's query for the filters as typed (times typed in local time, sent with their offset). */
function queryOf(filters: Filters, limit: number, before: number | undefined): Partial<Record<keyof AuditQuery, string | number>> {
  const at = (local: string | undefined) => (local ? new Date(local).toISOString() : undefined);
  return { ...filters, from: at(filters.from), to: at(filters.to), limit, before };
}

export function AuditPage() {
  const [draft, setDraft] = useState<Filters>({});
  const [filters, setFilters] = useState<Filters>({});
  const [limit, setLimit] = useState<number>(100);
  /** The `before` of each page shown so far: the last one is the page on screen (undefined: the newest). */
  const [pages, setPages] = useState<(number | undefined)[]>([undefined]);
  const before = pages[pages.length - 1];
  const query = queryOf(filters, limit, before);
  const log = useLoad((signal) => get<AuditAnswer>('/audit', query, signal), [JSON.stringify(query)]);
  const users = useLoad((signal) => get<ListedUser[]>('/users', undefined, signal), []);
  const errors = fieldErrors(log.error);

  const search = (next: Filters) => {
    setDraft(next);
    setFilters(Object.fromEntries(Object.entries(next).filter(([, v]) => v?.trim())) as Filters);
    setPages([undefined]);
  };
  const input = (name: keyof Filters, time = false) => {
    const props = { name, value: draft[name] ?? '', onInput: (e: { currentTarget: HTMLInputElement }) => setDraft({ ...draft, [name]: e.currentTarget.value }) };
    return time ? <input type="datetime-local" {...props} /> : <input {...props} />;
  };
  const csvHref = `/api/audit?${new URLSearchParams(Object.entries({ ...query, format: 'csv' }).filter((e): e is [string, string | number] => e[1] !== undefined).map(([k, v]) => [k, String(v)]))}`;

  return (
    <div class="page audit-page">
      <h1>{t('audit.title')}</h1>
      <form
        class="card form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          search(draft);
        }}
      >
        <Field label={t('audit.user')} error={errors.userId}>
          <select name="userId" value={draft.userId ?? ''} onChange={(e) => setDraft({ ...draft, userId: e.currentTarget.value })}>
            <option value="">{t('audit.anyone')}</option>
            {users.data?.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({t(`role.${u.role}`)})
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('audit.record')} hint={t('audit.recordHint')} error={errors.record}>
          {input('record')}
        </Field>
        <Field label={t('audit.path')} hint={t('audit.pathHint')} error={errors.path}>
          {input('path')}
        </Field>
        <Field label={t('audit.requestId')} error={errors.requestId}>
          {input('requestId')}
        </Field>
        <Field label={t('audit.from')} error={errors.from}>
          {input('from', true)}
        </Field>
        <Field label={t('audit.to')} error={errors.to}>
          {input('to', true)}
        </Field>
        <div class="toolbar">
          <button type="submit" class="primary">
            {t('audit.search')}
          </button>
          <button type="button" onClick={() => search({})}>
            {t('audit.clear')}
          </button>
        </div>
      </form>
      <ErrorNote error={formError(log.error, Object.keys(errors))} />
      <div class="toolbar">
        <label class="inline-field">
          {t('audit.perPage')}{' '}
          <select name="limit" value={limit} onChange={(e) => {
              setLimit(Number(e.currentTarget.value));
              setPages([undefined]);
            }}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>
          {t('audit.newer')}
        </button>
        <button type="button" disabled={!log.data?.next} onClick={() => setPages([...pages, log.data!.next!])}>
          {t('audit.older')}
        </button>
        <span class="muted small">{t('audit.pageNo', { n: pages.length })}</span>
        <a class="button" href={csvHref} download="audit.csv">
          {t('action.exportCsv')}
        </a>
      </div>
      {log.error ? null : log.data === undefined ? (
        <p class="muted" aria-busy="true">
          {t('state.loading')}
        </p>
      ) : log.data.items.length === 0 ? (
        <p class="muted">{t('audit.none')}</p>
      ) : (
        <AuditTable rows={log.data.items} users={users.data ?? []} onFilter={search} />
      )}
    </div>
  );
}

function AuditTable({ rows, users, onFilter }: { rows: AuditRow[]; users: ListedUser[]; onFilter: (f: Filters) => void }) {
  const nameOf = (id: number | null) => (id === null ? t('audit.system') : (users.find((u) => u.id === id)?.name ?? `#${id}`));
  return (
    <table class="table audit-table">
      <thead>
        <tr>
          <th>{t('audit.at')}</th>
          <th>{t('audit.who')}</th>
          <th>{t('audit.request')}</th>
          <th>{t('audit.record')}</th>
          <th>{t('audit.change')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} data-audit={row.id}>
            <td class="small" title={row.at}>
              {fmtDateTime(row.at)}
            </td>
            <td>
              {nameOf(row.userId)}
              {row.role && <div class="muted small">{t(`role.${row.role}`)}</div>}
            </td>
            <td class="small">
              <span class="mono">
                {row.method} {row.path}
              </span>
              {row.requestId && (
                <div>
                  <button type="button" class="link-button small mono" title={t('audit.sameRequest')} onClick={() => onFilter({ requestId: row.requestId! })}>
                    {row.requestId.slice(0, 8)}
                  </button>
                </div>
              )}
              {(row.ip || row.device) && <div class="muted small">{[row.ip, row.device].filter(Boolean).join(' · ')}</div>}
            </td>
            <td>
              <button type="button" class="link-button mono" title={t('audit.sameRecord')} onClick={() => onFilter({ record: row.record })}>
                {row.record}
              </button>{' '}
              <span class={`badge audit-${row.action}`}>{tOr(`audit.action.${row.action}`, row.action)}</span>
            </td>
            <td>
              <Change before={row.before} after={row.after} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const shown = (value: unknown) => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

/** Each changed field as it was and as it became (an insert has no before, a delete no after). */
function Change({ before, after }: { before: Record<string, unknown> | null; after: Record<string, unknown> | null }) {
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return (
    <dl class="audit-change small">
      {fields.map((field) => (
        <div key={field}>
          <dt class="mono">{field}</dt>
          <dd>
            {before && <del>{shown(before[field])}</del>}
            {before && after && ' → '}
            {after && <ins>{shown(after[field])}</ins>}
          </dd>
        </div>
      ))}
    </dl>
  );
}
